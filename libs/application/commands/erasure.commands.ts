import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { LedgerMovement } from '../../../projections';
import { creditDecider } from '../../domain/credit/credit.decider';
import type { CustomerErased } from '../../domain/customer/customer.events';
import { dateOfInstant } from '../../domain/shared/dates';
import { DomainError } from '../../domain/shared/errors';
import { streams } from '../../domain/shared/ids';
import type { CommandContext } from '../command-context';
import type { AppConfig } from '../config';
import { EventSourcedRepository } from '../event-sourced-repository';
import { PayerErasure } from '../cash/payer-erasure';
import { PersonalData } from '../privacy/personal-data';
import { ReadModels } from '../read-models';
import { APP_CONFIG } from '../tokens';

/** Erase a customer's personal data (GDPR art. 17) by destroying its data key, once the retention period allows. */
export class EraseCustomerCommand {
  constructor(readonly customerId: string, readonly reason: string, readonly ctx: CommandContext) {}
}

export interface ErasureResult {
  customerId: string;
  erasedOn: string;
  retention: CustomerErased['data']['retention'];
  position: number;
  replayed: boolean;
  /** Bank statement lines bound to the customer whose payer data was erased with it (ADR 0090). */
  bankEntries: number;
}

/**
 * The latest accounting entry of the customer (its 411 account, customer-ledger) dates the retention: entries
 * are kept AR_RETENTION_YEARS (Code de commerce L123-22). The event is appended first, then the key destroyed:
 * a crash between the two leaves an erasure recorded and a key still there, which the same command (or any
 * later erasure of the customer) destroys — never a key gone with no record of why.
 */
@CommandHandler(EraseCustomerCommand)
export class EraseCustomerHandler implements ICommandHandler<EraseCustomerCommand, ErasureResult> {
  constructor(
    private readonly repo: EventSourcedRepository, private readonly rm: ReadModels, private readonly pii: PersonalData,
    @Inject(APP_CONFIG) private readonly config: AppConfig, private readonly payers: PayerErasure,
  ) {}

  async execute(c: EraseCustomerCommand): Promise<ErasureResult> {
    await this.rm.catchUp(['customer-ledger']);
    const latest = await this.rm.find<LedgerMovement>('customer-ledger', { cd: { $gt: `${c.customerId}|`, $lt: `${c.customerId}|~` } }, { sort: [['cd', -1]], limit: 1 });
    const lastEntryOn = latest[0]?.date ?? null;
    const r = await this.repo.handle(streams.credit(c.customerId), creditDecider, c.ctx, async (state) => {
      if (state.status === 'active' && !state.erased) {
        const stream = await this.repo.store.readStream(streams.credit(c.customerId));
        // The bank lines matched to it too (ADR 0090): their payer fields must be sealed for the erasure to reach them.
        const clear = [...this.pii.clearFields(stream), ...await this.payers.clearFieldsOf(c.customerId)];
        if (clear.length > 0) {
          throw new DomainError('PERSONAL_DATA_IN_CLEAR', `Customer ${c.customerId}'s log holds personal data written before encryption (${clear.join(', ')}): run \`ar migrate pii\` first (ADR 0083)`, { customerId: c.customerId, fields: clear }, 'conflict');
        }
      }
      return {
        type: 'EraseCustomer' as const, customerId: c.customerId, reason: c.reason, today: dateOfInstant(c.ctx.recordedAt),
        retentionYears: this.config.retentionYears, lastEntryOn,
      };
    });
    const s = r.state;
    if (s.status !== 'active' || !s.erased) throw new Error('an erased customer must be recorded erased');
    await this.pii.destroy(c.customerId, c.ctx.recordedAt);
    // Then the payer data of its bank lines: each recorded erased, its key destroyed (again on a repeated erasure: idempotent).
    const bank = await this.payers.eraseAllOf(c.customerId, c.ctx);
    const erased = r.events.find((e): e is CustomerErased & { position: number } => e.type === 'CustomerErased');
    return {
      customerId: c.customerId, erasedOn: s.erased.erasedOn, retention: erased?.data.retention ?? { years: this.config.retentionYears, lastEntryOn, until: null },
      position: Math.max(r.position, bank.position), replayed: r.replayed, bankEntries: bank.entries,
    };
  }
}
