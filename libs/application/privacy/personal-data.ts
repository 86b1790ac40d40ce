import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ERASED_MARKER } from '../../domain/customer/customer.events';
import { PERSONAL_FIELDS } from '../../domain/customer/customer-details';
import { DomainError } from '../../domain/shared/errors';
import { isSealed, newDataKey, open, seal, sealedFor } from '../../privacy/cipher';
import { DATA_KEY_STORE, KeyDestroyedError, type DataKeyStore } from '../../privacy/data-key-store.port';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../tokens';

/** A personal field as read: its clear value, or `erased` once the customer's data key is destroyed. */
export type Revealed<T> = { erased: false; value: T } | { erased: true };

/** A sealed value whose customer has no key at all (never erased): the key store lost it. Not a client's mistake. */
export class DataKeyMissingError extends Error {
  constructor(readonly customerId: string) {
    super(`No data key for customer ${customerId}: sealed personal data cannot be opened (was the key store restored without its log, or lost?)`);
    this.name = 'DataKeyMissingError';
  }
}

interface EventLike { type: string; data: unknown }

/** Event types that carry a customer's personal fields: appended only through EventSourcedRepository, which seals them. */
export const PERSONAL_EVENT_TYPES: ReadonlySet<string> = new Set(['CustomerRegistered', 'CustomerDetailsChanged']);

/** The payer's fields of a bank statement line (ADR 0090): sealed with the entry's own data key. */
export const PAYER_FIELDS = ['debtorName', 'debtorIban', 'remittance'] as const;

/**
 * The data key of one bank entry's payer fields (ADR 0090). `~` never occurs in a customer id (ids are letters,
 * digits, `_ . -`), so no customer can share or destroy an entry's key; there is no `:`, which ends the id in a
 * sealed value.
 */
export const payerKeyOf = (entryId: string) => `bankentry~${entryId}`;
const isPayerKey = (keyId: string) => keyId.startsWith('bankentry~');

/** The secret of the learned-IBAN index (HMAC, ADR 0090): in the key store, never destroyed, never a customer's. */
const IBAN_INDEX_SECRET = '~iban-index';

interface Slots {
  holder: Record<string, unknown>;
  fields: readonly string[];
  /** Whose data key seals them: the customer's, or the bank entry's. */
  keyId: string;
  /** A value worth sealing: a bank entry's missing name or empty text says nothing about anyone. */
  sealable: (v: unknown) => boolean;
  rebuild: (holder: Record<string, unknown>) => unknown;
}

/** Where each event type keeps personal fields: the paths sealed in the log. */
function personalSlots(e: EventLike): Slots | null {
  const data = e.data as Record<string, unknown>;
  const always = (v: unknown) => v !== undefined;
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  if (e.type === 'CustomerRegistered') return { holder: data, fields: ['name'], keyId: String(data.customerId), sealable: always, rebuild: (h) => h };
  if (e.type === 'CustomerDetailsChanged' && typeof data.changes === 'object' && data.changes !== null) {
    return { holder: data.changes as Record<string, unknown>, fields: PERSONAL_FIELDS, keyId: String(data.customerId), sealable: always, rebuild: (h) => ({ ...data, changes: h }) };
  }
  if (e.type === 'BankEntryRecorded') return { holder: data, fields: PAYER_FIELDS, keyId: payerKeyOf(String(data.entryId)), sealable: given, rebuild: (h) => h };
  if (e.type === 'BankEntryMatched') return { holder: data, fields: ['debtorIban'], keyId: payerKeyOf(String(data.entryId)), sealable: given, rebuild: (h) => h };
  return null;
}

/** Personal fields still in clear (`Type.field`): a key's destruction would not erase them. Pure. */
export function clearPersonalFields(events: readonly EventLike[]): string[] {
  return events.flatMap((e) => {
    const slots = personalSlots(e);
    return slots ? slots.fields.filter((f) => slots.sealable(slots.holder[f]) && slots.holder[f] !== null && !isSealed(slots.holder[f])).map((f) => `${e.type}.${f}`) : [];
  });
}

/** An IBAN reduced to what identifies the account: no spaces, upper case. */
export const compactIban = (iban: string) => iban.replace(/\s+/g, '').toUpperCase();

/**
 * The one decrypting view (ADR 0082). Personal fields (name, billing e-mails, phone, address) are sealed with
 * the customer's data key when an event is appended; every reader — profiles, balances, reports, exports,
 * documents, statements, the history replay, dunning — opens them here, and reads the erased marker once the
 * key is destroyed. Keys, and the names they opened, are cached in memory (bounded, least recently used evicted;
 * erased at once), so reads do not go to the key store or decrypt each time, and the command path opens nothing
 * unless a decision needs the clear values (a change of details compares them).
 */
@Injectable()
export class PersonalData {
  private readonly cache = new Map<string, Buffer | 'destroyed'>();
  /** Opened names (strings only, immutable), per customer: lists and exports open the same names again and again. */
  private readonly opened = new Map<string, Map<string, string>>();

  constructor(@Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore, @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'dataKeyCacheSize'>) {}

  private remember(customerId: string, key: Buffer | 'destroyed'): Buffer | 'destroyed' {
    this.cache.delete(customerId);
    this.cache.set(customerId, key);
    if (key === 'destroyed') this.opened.delete(customerId);
    while (this.cache.size > this.config.dataKeyCacheSize) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      this.opened.delete(oldest);
    }
    return key;
  }

  private async keyOf(customerId: string): Promise<Buffer | 'destroyed'> {
    const hit = this.cache.get(customerId);
    if (hit !== undefined) return this.remember(customerId, hit);
    const k = await this.keys.get(customerId);
    if (k === null) throw new DataKeyMissingError(customerId);
    return this.remember(customerId, k.status === 'active' ? k.key : 'destroyed');
  }

  private async keyForSealing(customerId: string, at: string): Promise<Buffer> {
    const hit = this.cache.get(customerId);
    if (Buffer.isBuffer(hit)) return hit;
    try {
      const k = hit === 'destroyed' ? { status: 'destroyed' as const, destroyedAt: '' } : await this.keys.get(customerId);
      if (k?.status === 'destroyed') throw new KeyDestroyedError(customerId, k.destroyedAt);
      const key = k?.status === 'active' ? k.key : await this.keys.create(customerId, newDataKey(), at);
      return this.remember(customerId, key) as Buffer;
    } catch (err) {
      if (!(err instanceof KeyDestroyedError)) throw err;
      this.remember(customerId, 'destroyed');
      if (isPayerKey(customerId)) throw new DomainError('BANK_ENTRY_PAYER_ERASED', `The payer's data of bank entry ${customerId.slice('bankentry~'.length)} was erased: none is recorded for it again`, { entryId: customerId.slice('bankentry~'.length) }, 'conflict');
      throw new DomainError('CUSTOMER_ERASED', `Customer ${customerId}'s personal data was erased: none is recorded for it again`, { customerId }, 'conflict');
    }
  }

  async reveal<T>(stored: T | string): Promise<Revealed<T>> {
    if (!isSealed(stored)) return { erased: false, value: stored as T };
    const customerId = sealedFor(stored);
    const key = await this.keyOf(customerId);
    if (key === 'destroyed') return { erased: true };
    const hit = this.opened.get(customerId)?.get(stored);
    if (hit !== undefined) return { erased: false, value: hit as T };
    const value = open<T>(key, stored);
    if (typeof value === 'string') {
      const forCustomer = this.opened.get(customerId) ?? new Map<string, string>();
      if (forCustomer.size < 16) forCustomer.set(stored, value);
      this.opened.set(customerId, forCustomer);
    }
    return { erased: false, value };
  }

  /** The customer's name as a reader shows it: the erased marker once erased. */
  async name(stored: string): Promise<string> {
    const r = await this.reveal<string>(stored);
    return r.erased ? ERASED_MARKER : r.value;
  }

  /** Names of many customers (exports, lists), each opened once. */
  async names(stored: ReadonlyMap<string, string>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const [id, value] of stored) out.set(id, await this.name(value));
    return out;
  }

  /** Events as they go to the log: their personal fields sealed with their customer's (or bank entry's) key, created on first use. */
  async seal<E extends EventLike>(events: readonly E[], at: string): Promise<E[]> {
    const out: E[] = [];
    for (const e of events) {
      const slots = personalSlots(e);
      const present = slots?.fields.filter((f) => slots.sealable(slots.holder[f]) && !isSealed(slots.holder[f])) ?? [];
      if (!slots || present.length === 0) { out.push(e); continue; }
      const key = await this.keyForSealing(slots.keyId, at);
      const holder = { ...slots.holder };
      for (const f of present) holder[f] = seal(key, slots.keyId, holder[f]);
      out.push({ ...e, data: slots.rebuild(holder) });
    }
    return out;
  }

  /**
   * Makes sure each bank entry has its data key before its events are sealed one by one: the keys missing are
   * created in one durable write (a statement of 1,000 lines: one fsync, not 1,000). ADR 0090.
   */
  async prepareEntryKeys(entryIds: readonly string[], at: string): Promise<void> {
    const missing: Array<{ id: string; key: Buffer }> = [];
    for (const entryId of entryIds) {
      const keyId = payerKeyOf(entryId);
      if (Buffer.isBuffer(this.cache.get(keyId))) continue;
      if ((await this.keys.get(keyId)) === null) missing.push({ id: keyId, key: newDataKey() });
    }
    await this.keys.createMany(missing, at);
  }

  /** One value sealed with the key `keyId` (a customer's or a bank entry's, `payerKeyOf`), created on first use. */
  async sealValue(keyId: string, value: unknown, at: string): Promise<string> {
    return seal(await this.keyForSealing(keyId, at), keyId, value);
  }

  /** Events as a reader shows them: personal fields opened, or the erased marker in each once erased. */
  async open<E extends EventLike>(events: readonly E[]): Promise<E[]> {
    const out: E[] = [];
    for (const e of events) {
      const slots = personalSlots(e);
      const sealed = slots?.fields.filter((f) => isSealed(slots.holder[f])) ?? [];
      if (!slots || sealed.length === 0) { out.push(e); continue; }
      const holder = { ...slots.holder };
      for (const f of sealed) {
        const r = await this.reveal(holder[f]);
        holder[f] = r.erased ? ERASED_MARKER : r.value;
      }
      out.push({ ...e, data: slots.rebuild(holder) });
    }
    return out;
  }

  /** Events holding personal fields in clear (written before encryption, ADR 0083): a key's destruction would not erase them. */
  clearFields(events: readonly EventLike[]): string[] {
    return clearPersonalFields(events);
  }

  /**
   * The keyed hash under which a payer's IBAN is learned (HMAC-SHA-256, RFC 2104, with a secret of the key store;
   * ADR 0090): the same IBAN gives the same key, and without the secret a list of IBANs cannot be tested against
   * the read store. Created on first use.
   */
  async ibanKeyer(at: string): Promise<(iban: string) => string> {
    const secret = await this.keyForSealing(IBAN_INDEX_SECRET, at);
    return (iban: string) => `h1:${createHmac('sha256', secret).update(compactIban(iban), 'utf8').digest('base64url')}`;
  }

  /** What the key store holds for the customer (read from the store, not the cache). */
  async keyStatus(customerId: string): Promise<'active' | 'destroyed' | 'none'> {
    const k = await this.keys.get(customerId);
    return k === null ? 'none' : k.status;
  }

  /** Destroys the customer's data key (erasure); the cache forgets it at once. */
  async destroy(customerId: string, at: string): Promise<void> {
    await this.keys.destroy(customerId, at);
    this.remember(customerId, 'destroyed');
  }
}
