import { Inject, Injectable } from '@nestjs/common';
import type { ActiveCustomer } from '../domain/credit/credit.decider';
import type { CreditPolicy } from '../domain/credit/credit.events';
import { DomainError } from '../domain/shared/errors';
import type { PaymentTerms } from '../domain/shared/payment-terms';
import type { CreditExposure } from '../../projections/credit-exposure/credit-exposure.projection';
import type { AppConfig } from './config';
import { ReadModels } from './read-models';
import { APP_CONFIG } from './tokens';

/** What the credit decision at invoicing needs of a customer, from its credit stream and the read side. */
export interface CreditStandingInput {
  customer: {
    currency: string;
    creditLimit: number;
    paymentTermsDays: number;
    terms: PaymentTerms;
    termsAgreedBeyondCap: boolean;
    country: string;
    policy: CreditPolicy;
    policySource: 'customer' | 'global';
    holds: Array<{ kind: 'manual' | 'policy'; reason: string }>;
  };
  outstanding: number;
  pendingApproval: number;
  unapplied: number;
}

/**
 * Reads the exposure figures for a credit decision from the customer's `credit-exposure` document — open receivables
 * and unapplied credit (moved as `open-balances` moves them: ADR 0120), invoices pending approval, numbers reserved
 * but not yet written — after it has caught up with the log (else 409 READ_MODEL_BEHIND, never a decision on stale
 * figures). In one process the customer's
 * lock orders decisions; across processes the caller reads the series tail before this and appends its reservation
 * at that exact revision, so a decision never misses an invoice issued before it (ADR 0011).
 */
@Injectable()
export class CreditStandingReader {
  constructor(private readonly readModels: ReadModels, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async read(account: ActiveCustomer, excludeInvoiceId?: string): Promise<CreditStandingInput> {
    const { fresh } = await this.readModels.catchUp(['credit-exposure']);
    if (!fresh) {
      throw new DomainError('READ_MODEL_BEHIND', 'The credit figures are still catching up; retry the command', { projection: 'credit-exposure' }, 'conflict');
    }
    // The figures the decision takes, not the whole document (ADR 0118).
    const exposure = await this.readModels.get<Pick<CreditExposure, 'receivables' | 'unapplied' | 'reserved' | 'pendingInvoices'>>(
      'credit-exposure', account.customerId, { fields: ['receivables', 'unapplied', 'reserved', 'pendingInvoices'] },
    );
    const pending = Object.entries(exposure?.pendingInvoices ?? {}).filter(([id]) => id !== excludeInvoiceId);
    return {
      customer: {
        currency: account.currency,
        creditLimit: account.creditLimit,
        paymentTermsDays: account.paymentTermsDays,
        terms: account.terms,
        termsAgreedBeyondCap: account.termsAgreedBeyondCap,
        country: account.country,
        policy: account.creditPolicy ?? this.config.creditPolicy,
        policySource: account.creditPolicy === null ? 'global' : 'customer',
        holds: (['manual', 'policy'] as const).flatMap((kind) => (account.holds[kind] ? [{ kind, reason: account.holds[kind]!.reason }] : [])),
      },
      // Numbers reserved by another process whose invoice is not written yet are receivables already decided.
      outstanding: (exposure?.receivables ?? 0) + (exposure?.reserved ?? 0),
      pendingApproval: pending.reduce((s, [, p]) => s + p.total, 0),
      unapplied: Math.max(0, exposure?.unapplied ?? 0),
    };
  }
}
