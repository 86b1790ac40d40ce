import { Injectable } from '@nestjs/common';
import { bankEntryDecider } from '../../domain/cash/bank-entry.decider';
import { DomainError } from '../../domain/shared/errors';
import type { BankEntryView } from '../../../projections';
import { causedBy, type CommandContext } from '../command-context';
import { EventSourcedRepository } from '../event-sourced-repository';
import { PersonalData, payerKeyOf, PAYER_FIELDS } from '../privacy/personal-data';
import { ReadModels } from '../read-models';
import { isSealed } from '../../privacy/cipher';

export const entryStream = (entryId: string) => `bankentry-${entryId}`;

/**
 * A customer's erasure reaches the bank statement lines bound to it (ADR 0090): each entry matched to the customer,
 * and each returned debit that reversed one of its receipts, records `BankEntryPayerErased` and has its own data
 * key destroyed — the event first, then the key, as for the customer (a crash between the two is completed by
 * the next erasure, which runs this again). Idempotent.
 */
@Injectable()
export class PayerErasure {
  constructor(private readonly repo: EventSourcedRepository, private readonly pii: PersonalData, private readonly rm: ReadModels) {}

  /** The customer's bank entries as the read model knows them (caught up first: an entry missed would stay readable). */
  async entriesOf(customerId: string): Promise<BankEntryView[]> {
    const { fresh } = await this.rm.catchUp(['bank-entries']);
    if (!fresh) throw new DomainError('READ_MODEL_BEHIND', 'The bank entries are still catching up; retry the erasure', { projection: 'bank-entries' }, 'conflict');
    return this.rm.find<BankEntryView>('bank-entries', { kind: 'entry', customerId }, { sort: [['bookingDate', 1]] });
  }

  /** Payer fields of the customer's entries still in clear (written before this change, ADR 0083): erasure would not reach them. */
  async clearFieldsOf(customerId: string): Promise<string[]> {
    const out: string[] = [];
    for (const d of await this.entriesOf(customerId)) {
      for (const f of PAYER_FIELDS) if (typeof d[f] === 'string' && d[f] !== '' && !isSealed(d[f])) out.push(`BankEntryRecorded.${f} (${d.entryId})`);
    }
    return out;
  }

  async eraseAllOf(customerId: string, ctx: CommandContext): Promise<{ entries: number; position: number }> {
    let position = -1;
    const entries = await this.entriesOf(customerId);
    for (const d of entries) position = Math.max(position, await this.erase(d.entryId, customerId, ctx));
    return { entries: entries.length, position };
  }

  /** One entry bound to the (erased) customer: recorded as erased, then its data key destroyed. */
  async erase(entryId: string, customerId: string, ctx: CommandContext): Promise<number> {
    const r = await this.repo.handle(entryStream(entryId), bankEntryDecider, causedBy(ctx, ctx.causationId, `${ctx.commandId}:payer:${entryId}`), () => ({
      type: 'ErasePayer' as const, entryId, customerId,
    }));
    await this.pii.destroy(payerKeyOf(entryId), ctx.recordedAt);
    return r.position;
  }
}
