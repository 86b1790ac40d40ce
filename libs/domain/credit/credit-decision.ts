import { DomainError } from '../shared/errors';
import { formatAmount } from '../shared/money';
import type { CreditPolicy } from './credit.events';

/**
 * The credit decision at invoicing (step 2 of the AR cycle), shared by issuing and approval.
 * Exposure (encours) = open receivables + invoices pending approval + the new invoice's gross − unapplied customer credit.
 */
export interface CreditStanding {
  customerId: string;
  currency: string;
  creditLimit: number;
  policy: CreditPolicy;
  policySource: 'customer' | 'global';
  holds: ReadonlyArray<{ kind: 'manual' | 'policy'; reason: string }>;
  /** Open receivables before this invoice (minor units). */
  outstanding: number;
  /** Other invoices of the customer held for approval. */
  pendingApproval: number;
  /** Money received and not matched to any invoice (avoir / paiement non affecté). */
  unapplied: number;
}

export interface ExposureFigures {
  policy: CreditPolicy;
  policySource: 'customer' | 'global';
  creditLimit: number;
  outstanding: number;
  pendingApproval: number;
  unappliedCredit: number;
  invoiceTotal: number;
  exposure: number;
}

/** Blocage: a customer on hold gets no new credit sale, whatever its exposure. */
export function refuseIfOnHold(s: Pick<CreditStanding, 'customerId' | 'holds'>): void {
  if (s.holds.length === 0) return;
  throw new DomainError(
    'CUSTOMER_ON_CREDIT_HOLD',
    `Customer ${s.customerId} is on credit hold (${s.holds.map((h) => `${h.kind}: ${h.reason}`).join('; ')})`,
    { customerId: s.customerId, holds: s.holds.map((h) => ({ kind: h.kind, reason: h.reason })) },
  );
}

export function exposureFigures(s: CreditStanding, invoiceTotal: number): ExposureFigures {
  return {
    policy: s.policy,
    policySource: s.policySource,
    creditLimit: s.creditLimit,
    outstanding: s.outstanding,
    pendingApproval: s.pendingApproval,
    unappliedCredit: s.unapplied,
    invoiceTotal,
    exposure: s.outstanding + s.pendingApproval + invoiceTotal - s.unapplied,
  };
}

export function limitExceeded(s: CreditStanding, f: ExposureFigures): DomainError {
  const show = (minor: number) => formatAmount(minor, s.currency);
  return new DomainError(
    'CREDIT_LIMIT_EXCEEDED',
    `Exposure ${show(f.exposure)} ${s.currency} exceeds the credit limit ${show(f.creditLimit)} ${s.currency}`,
    {
      customerId: s.customerId,
      currency: s.currency,
      creditLimit: show(f.creditLimit),
      outstanding: show(f.outstanding),
      pendingApproval: show(f.pendingApproval),
      unappliedCredit: show(f.unappliedCredit),
      invoiceTotal: show(f.invoiceTotal),
      exposure: show(f.exposure),
      excess: show(f.exposure - f.creditLimit),
      policy: f.policy,
    },
  );
}
