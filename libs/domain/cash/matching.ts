import { addDays, type CalendarDate } from '../shared/dates';
import type { BankEntry } from './bank-entry';
import { compactReference, creditorReferenceBody } from './creditor-reference';

/** An open invoice as matching sees it (minor units of `currency`). */
export interface OpenItem {
  invoiceId: string;
  number: string;
  customerId: string;
  customerName: string;
  currency: string;
  outstanding: number;
  /** Amount under an open dispute: never paid by an automatic match (ADR 0032). */
  disputed: number;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  /** Early-payment discount in force: the most that can be taken off if paid on or before `until`. */
  discount: { until: CalendarDate; maxAmount: number } | null;
}

export interface MatchingSettings {
  /** Candidates at or above this confidence (0–100) are applied without a clerk. */
  autoConfidence: number;
  /** Largest shortfall (minor units) still suggested as "paid less bank fees". */
  feeTolerance: number;
  /** Subset-sum: how many of a customer's oldest open invoices are tried, and how many at most in one subset. */
  subsetPool: number;
  subsetMaxSize: number;
}

export const DEFAULT_MATCHING_SETTINGS: MatchingSettings = { autoConfidence: 90, feeTolerance: 1500, subsetPool: 14, subsetMaxSize: 5 };

export interface MatchingContext {
  openItems: readonly OpenItem[];
  /** Debtor IBANs learned from receipts matched earlier → customer, keyed by `ibanKey` (the IBAN itself without it). */
  knownIbans: Readonly<Record<string, string>>;
  /**
   * How a payer's IBAN is looked up among `knownIbans`: the application's keyed hash (ADR 0090), so learned IBANs
   * are never held in clear; without it, the IBAN compacted (tests, benchmarks).
   */
  ibanKey?: (iban: string) => string;
  customers: ReadonlyArray<{ customerId: string; name: string }>;
  settings: MatchingSettings;
}

export type MatchRule = 'structured_reference' | 'invoice_number' | 'payer_iban' | 'payer_name' | 'amount';

export interface Candidate {
  customerId: string;
  allocations: Array<{ invoiceId: string; number: string; amount: number }>;
  /** What of the entry stays unallocated (customer credit once recorded). */
  unapplied: number;
  rule: MatchRule;
  /** 0–100 (integer). */
  confidence: number;
  /** Why, in words a clerk or an auditor reads; never the payer's or a customer's name or IBAN (ADR 0090). */
  evidence: string[];
  /** Paid short of the invoices by this much (bank fees?), within the tolerance. */
  shortfall: number;
}

export interface MatchOutcome {
  decision: 'auto' | 'suggest' | 'unmatched';
  /** Best first; at most five. */
  candidates: Candidate[];
}

const fmt = (n: number) => String(n);

/** The amount an automatic allocation may pay on an item: never the disputed part. */
const payable = (i: OpenItem) => Math.max(0, i.outstanding - i.disputed);

/** Alphanumerics only, upper case: "inv-000042" → "INV000042". */
export const normaliseNumber = (s: string) => s.replace(/[^A-Za-z0-9]/g, '').toUpperCase();

/** Invoice number split in its letters prefix and its trailing digits without leading zeros: INV-000042 → {INV, 42}. */
function numberKey(number: string): { prefix: string; digits: string } | null {
  const m = /^([A-Z]*)[A-Z0-9]*?0*([0-9]+)$/.exec(normaliseNumber(number));
  return m ? { prefix: m[1], digits: m[2] } : null;
}

/**
 * Tokens of remittance text that may be invoice numbers, tolerant of the usual damage: spaces or dashes inside
 * ("INV 000 042", "INV-42"), missing prefix or zeros ("42", "00042"), several in one line ("INV-41 INV-42 + 43").
 */
function numberTokens(text: string): Array<{ prefix: string; digits: string }> {
  const out: Array<{ prefix: string; digits: string }> = [];
  const upper = text.toUpperCase();
  const re = /([A-Z]{2,6})?[\s\-/#:.]*((?:[0-9][\s]?){1,12})/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(upper)) !== null) {
    const digits = m[2].replace(/\s/g, '').replace(/^0+(?=[0-9])/, '');
    if (digits.length === 0) continue;
    out.push({ prefix: m[1] ?? '', digits });
  }
  return out;
}

/** Names compared on their words, without accents, punctuation and legal forms. */
const LEGAL_FORMS = new Set(['SA', 'SAS', 'SASU', 'SARL', 'EURL', 'SCI', 'SNC', 'GMBH', 'AG', 'LTD', 'LIMITED', 'INC', 'LLC', 'BV', 'NV', 'SPA', 'SRL', 'PLC', 'CO', 'CIE', 'ET', 'AND', 'THE', 'LE', 'LA', 'LES', 'DE', 'DU', 'DES', 'STE', 'SOCIETE']);
export function nameTokens(name: string): string[] {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim().split(' ')
    .filter((t) => t.length > 1 && !LEGAL_FORMS.has(t));
}

/** Dice similarity of two names' word sets, 0–100; a word matches another it starts (≥ 4 letters) or equals. */
export function nameSimilarity(a: string, b: string): number {
  return tokenSimilarity([...new Set(nameTokens(a))], [...new Set(nameTokens(b))]);
}

function tokenSimilarity(ta: readonly string[], tb: readonly string[]): number {
  if (ta.length === 0 || tb.length === 0) return 0;
  const used = new Set<number>();
  let common = 0;
  for (const x of ta) {
    const j = tb.findIndex((y, k) => !used.has(k) && (x === y || (Math.min(x.length, y.length) >= 4 && (x.startsWith(y) || y.startsWith(x)))));
    if (j >= 0) { used.add(j); common += 1; }
  }
  return Math.floor((200 * common) / (ta.length + tb.length));
}

/** Allocates `amount` over `items` in their order, never more than each can take; the rest is unapplied. */
function allocate(amount: number, items: readonly OpenItem[]): { allocations: Candidate['allocations']; unapplied: number } {
  let rest = amount;
  const allocations: Candidate['allocations'] = [];
  for (const i of items) {
    if (rest === 0) break;
    const a = Math.min(rest, payable(i));
    if (a > 0) { allocations.push({ invoiceId: i.invoiceId, number: i.number, amount: a }); rest -= a; }
  }
  return { allocations, unapplied: rest };
}

const byDue = (a: OpenItem, b: OpenItem) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : 0);

/** Exact amount of an item paid on `on` when its discount is taken: outstanding less the discount, or null. */
function discountedAmount(i: OpenItem, on: CalendarDate): number | null {
  if (i.discount === null || on > i.discount.until || i.disputed > 0) return null;
  return i.outstanding - i.discount.maxAmount;
}

/** Bounded subset-sum over the oldest items: the first subset (in due-date order) whose payable amounts add up to `amount`. */
function subsetSum(amount: number, items: readonly OpenItem[], settings: MatchingSettings): OpenItem[] | null {
  const pool = items.slice(0, settings.subsetPool);
  let budget = 50_000;
  const pick: OpenItem[] = [];
  const walk = (start: number, rest: number): boolean => {
    if (rest === 0) return pick.length >= 2;
    if (pick.length === settings.subsetMaxSize || budget-- <= 0) return false;
    for (let k = start; k < pool.length; k += 1) {
      const p = payable(pool[k]);
      if (p === 0 || p > rest) continue;
      pick.push(pool[k]);
      if (walk(k + 1, rest - p)) return true;
      pick.pop();
    }
    return false;
  };
  return walk(0, amount) ? [...pick] : null;
}

/**
 * Matches one credited bank entry to open invoices (pure, deterministic, explained; ADR 0085). Rules, in order:
 * 1. structured references (ISO 11649 RF, check digits verified, naming an invoice number);
 * 2. invoice numbers in the remittance text;
 * 3. payer identity (debtor IBAN learned, else the debtor's name) with the amount: one invoice, one invoice less
 *    its early-payment discount, a subset of the customer's invoices, or short by at most the fee tolerance;
 * 4. the amount alone, equal to exactly one open invoice.
 * Every candidate pays only its own customer's invoices, never a disputed amount, never more than is open.
 */
/** The open items indexed for matching: by number, by digits of the number, by customer, by amount; kept current by `applied`. */
interface CurrencyIndex {
  byNumber: Map<string, OpenItem[]>;
  byDigits: Map<string, OpenItem[]>;
  byCustomer: Map<string, OpenItem[]>;
  byAmount: Map<number, OpenItem[]>;
  series: Set<string>;
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => { const l = m.get(k); if (l) l.push(v); else m.set(k, [v]); };

/**
 * Matching over a prepared index (deterministic, no I/O): a statement of 10,000 entries against 100,000 open items
 * looks items up instead of scanning them. `applied` records what an applied entry paid, so the next entry of the
 * same statement sees those invoices paid and the payer's IBAN learned.
 */
export class MatchingIndex {
  private readonly byCurrency = new Map<string, CurrencyIndex>();
  private readonly knownIbans: Map<string, string>;
  private readonly ibanKey: (iban: string) => string;
  private readonly byWord = new Map<string, Array<{ customerId: string; name: string; tokens: string[] }>>();
  private readonly items = new Map<string, OpenItem>();

  constructor(private readonly ctx: MatchingContext) {
    for (const source of ctx.openItems) {
      if (source.outstanding <= 0) continue;
      const i = { ...source };
      this.items.set(i.invoiceId, i);
      let c = this.byCurrency.get(i.currency);
      if (!c) { c = { byNumber: new Map(), byDigits: new Map(), byCustomer: new Map(), byAmount: new Map(), series: new Set() }; this.byCurrency.set(i.currency, c); }
      push(c.byNumber, normaliseNumber(i.number), i);
      const key = numberKey(i.number);
      if (key) { push(c.byDigits, key.digits, i); c.series.add(key.prefix); }
      push(c.byCustomer, i.customerId, i);
      push(c.byAmount, i.outstanding, i);
    }
    for (const c of this.byCurrency.values()) for (const list of c.byCustomer.values()) list.sort(byDue);
    this.ibanKey = ctx.ibanKey ?? compactReference;
    this.knownIbans = new Map(Object.entries(ctx.knownIbans).map(([k, v]) => [ctx.ibanKey ? k : compactReference(k), v]));
    for (const c of ctx.customers) {
      const tokens = [...new Set(nameTokens(c.name))];
      for (const w of tokens) push(this.byWord, w.slice(0, 4), { customerId: c.customerId, name: c.name, tokens });
    }
  }

  /** Customers whose name shares a word (by its first four letters) with the payer's name. */
  private customersSharingAWord(name: string): Array<{ customerId: string; name: string; tokens: string[] }> {
    const out = new Map<string, { customerId: string; name: string; tokens: string[] }>();
    for (const w of nameTokens(name)) for (const c of this.byWord.get(w.slice(0, 4)) ?? []) out.set(c.customerId, c);
    return [...out.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  }

  /** An entry was applied: its allocations lower what those invoices owe; its payer's IBAN is now known for the customer. */
  applied(allocations: ReadonlyArray<{ invoiceId: string; amount: number }>, iban: string | null, customerId: string): void {
    for (const a of allocations) {
      const i = this.items.get(a.invoiceId);
      if (!i) continue;
      const c = this.byCurrency.get(i.currency)!;
      const bucket = c.byAmount.get(i.outstanding);
      if (bucket) bucket.splice(bucket.indexOf(i), 1);
      i.outstanding = Math.max(0, i.outstanding - a.amount);
      if (i.outstanding > 0) push(c.byAmount, i.outstanding, i);
    }
    if (iban) this.knownIbans.set(this.ibanKey(iban), customerId);
  }

  match(entry: BankEntry): MatchOutcome {
  const ctx = this.ctx;
  if (entry.direction !== 'credit' || entry.amount <= 0) return { decision: 'unmatched', candidates: [] };
  const cur = this.byCurrency.get(entry.currency);
  if (cur === undefined) return { decision: 'unmatched', candidates: [] };
  const open = (list: readonly OpenItem[] | undefined) => (list ?? []).filter((i) => i.outstanding > 0);
  const byCustomer = { get: (customerId: string) => open(cur.byCustomer.get(customerId)) };
  const ibanCustomer = entry.debtorIban ? this.knownIbans.get(this.ibanKey(entry.debtorIban)) ?? null : null;
  const candidates: Candidate[] = [];
  const identityCheck = (customerId: string, c: Candidate): Candidate => {
    if (ibanCustomer !== null && ibanCustomer !== customerId) {
      return { ...c, confidence: Math.max(0, c.confidence - 40), evidence: [...c.evidence, `but the payer's IBAN was learned for customer ${ibanCustomer}`] };
    }
    if (ibanCustomer === customerId) return { ...c, evidence: [...c.evidence, `payer's IBAN known for this customer`] };
    return c;
  };

  /** Candidates for a set of named invoices (rules 1 and 2): one per customer, confidence by how the amount fits. */
  const nameCandidates = (found: OpenItem[], rule: 'structured_reference' | 'invoice_number', exact: number, why: string) => {
    const groups = new Map<string, OpenItem[]>();
    for (const i of found) groups.set(i.customerId, [...(groups.get(i.customerId) ?? []), i]);
    for (const [customerId, list] of groups) {
      list.sort(byDue);
      const open = list.reduce((s, i) => s + i.outstanding, 0);
      const disputed = list.some((i) => i.disputed > 0);
      const { allocations, unapplied } = allocate(entry.amount, list);
      let confidence: number;
      const evidence = [`${why} ${list.map((i) => i.number).join(', ')}`];
      const discount = list.length === 1 ? discountedAmount(list[0], entry.bookingDate) : null;
      if (entry.amount === open) { confidence = exact; evidence.push(`amount ${fmt(entry.amount)} equals what they owe`); }
      else if (discount !== null && entry.amount === discount) { confidence = exact - 2; evidence.push(`amount equals the invoice less its early-payment discount, paid within the window`); }
      else if (entry.amount < open) {
        const short = open - entry.amount;
        confidence = exact - 6;
        evidence.push(short <= ctx.settings.feeTolerance ? `paid ${fmt(short)} short (bank fees?)` : `partial payment: ${fmt(short)} remains open`);
      } else { confidence = exact - 8; evidence.push(`${fmt(entry.amount - open)} more than they owe stays as customer credit`); }
      if (disputed) { confidence = Math.min(confidence, 80); evidence.push('an amount is under dispute: not paid automatically'); }
      if (groups.size > 1) { confidence = Math.min(confidence, 60); evidence.push('the reference names invoices of several customers'); }
      const short = entry.amount < open ? open - entry.amount : 0;
      candidates.push(identityCheck(customerId, { customerId, allocations, unapplied, rule, confidence, evidence, shortfall: short <= ctx.settings.feeTolerance ? short : 0 }));
    }
  };

  // 1. Structured references.
  const refs = [entry.structuredRef ?? '', ...(entry.remittance.toUpperCase().match(/RF[0-9]{2}(?:\s?[A-Z0-9]){1,21}/g) ?? [])]
    .map((r) => creditorReferenceBody(r)).filter((b): b is string => b !== null);
  if (refs.length > 0) {
    const found = open([...new Set(refs)].flatMap((r) => cur.byNumber.get(r) ?? []));
    if (found.length > 0) nameCandidates(found, 'structured_reference', 99, 'creditor reference names');
  }

  // 2. Invoice numbers in the remittance text.
  if (candidates.length === 0 && entry.remittance.trim() !== '') {
    // A word before a number is a prefix only if some open invoice's series uses it ("FACTURE 42" names no series).
    const tokens = numberTokens(entry.remittance).map((t) => (cur.series.has(t.prefix) ? t : { ...t, prefix: '' }));
    const found: OpenItem[] = [];
    let prefixed = true;
    const named = new Set<OpenItem>();
    for (const t of tokens) for (const i of cur.byDigits.get(t.digits) ?? []) if (i.outstanding > 0) named.add(i);
    for (const i of named) {
      const key = numberKey(i.number)!;
      const hit = tokens.find((t) => t.digits === key.digits && (t.prefix === key.prefix || t.prefix === ''));
      if (hit === undefined) continue;
      // A bare number of under four digits is too weak alone (a quantity, a day): only with a known payer.
      if (hit.prefix === '' && key.digits.length < 4 && ibanCustomer !== i.customerId) continue;
      if (hit.prefix === '') prefixed = false;
      found.push(i);
    }
    if (found.length > 0) nameCandidates(found, 'invoice_number', prefixed ? 96 : 92, prefixed ? 'remittance names invoice' : 'remittance names (without prefix) invoice');
  }

  // 3. Payer identity with the amount.
  if (candidates.every((c) => c.confidence < ctx.settings.autoConfidence)) {
    const namedOthers = [...candidates];
    const payers: Array<{ customerId: string; base: number; why: string; rule: MatchRule }> = [];
    if (ibanCustomer !== null) payers.push({ customerId: ibanCustomer, base: 94, why: 'payer\'s IBAN learned from earlier receipts', rule: 'payer_iban' });
    else if (entry.debtorName) {
      const payerTokens = [...new Set(nameTokens(entry.debtorName))];
      for (const c of this.customersSharingAWord(entry.debtorName)) {
        const s = tokenSimilarity(payerTokens, c.tokens);
        if (s >= 60) payers.push({ customerId: c.customerId, base: Math.floor((s * 80) / 100), why: `payer's name resembles the customer's (${s} %)`, rule: 'payer_name' });
      }
      payers.sort((a, b) => b.base - a.base || (a.customerId < b.customerId ? -1 : 1));
      payers.splice(3);
    }
    for (const p of payers) {
      const list = byCustomer.get(p.customerId) ?? [];
      if (list.length === 0) continue;
      const exact = list.filter((i) => payable(i) === entry.amount && i.disputed === 0);
      const disc = list.filter((i) => discountedAmount(i, entry.bookingDate) === entry.amount);
      const push = (chosen: OpenItem[], confidenceIn: number, why: string, shortfall = 0) => {
        let confidence = confidenceIn;
        const { allocations, unapplied } = allocate(entry.amount, chosen);
        const evidence = [p.why, why];
        // The remittance named another customer's invoice: conflicting evidence goes to a clerk.
        if (namedOthers.some((c) => c.customerId !== p.customerId)) {
          confidence = Math.min(confidence, ctx.settings.autoConfidence - 1);
          evidence.push('but the remittance names another customer\'s invoice');
        }
        candidates.push({ customerId: p.customerId, allocations, unapplied, rule: p.rule, confidence, evidence, shortfall });
      };
      if (exact.length === 1) push(exact, p.base - 2, `amount equals invoice ${exact[0].number}`);
      else if (exact.length > 1) push([exact[0]], p.base - 25, `amount equals ${exact.length} invoices; the oldest is proposed`);
      else if (disc.length === 1) push(disc, p.base - 4, `amount equals invoice ${disc[0].number} less its early-payment discount`);
      else {
        const subset = subsetSum(entry.amount, list.filter((i) => i.disputed === 0), ctx.settings);
        if (subset !== null) push(subset, p.base - 6, `amount equals invoices ${subset.map((i) => i.number).join(' + ')}`);
        else {
          const short = list.find((i) => i.disputed === 0 && i.outstanding > entry.amount && i.outstanding - entry.amount <= ctx.settings.feeTolerance);
          if (short) push([short], Math.min(p.base - 20, 70), `paid ${fmt(short.outstanding - entry.amount)} short of invoice ${short.number} (bank fees?)`, short.outstanding - entry.amount);
          else push(list, Math.min(p.base - 30, 60), 'no amount fits: oldest invoices first');
        }
      }
    }
  }

  // 4. The amount alone.
  if (candidates.length === 0) {
    const exact = open(cur.byAmount.get(entry.amount)).filter((i) => i.disputed === 0 && i.outstanding === entry.amount);
    for (const i of exact.slice(0, 3)) {
      candidates.push({
        customerId: i.customerId, allocations: [{ invoiceId: i.invoiceId, number: i.number, amount: i.outstanding }], unapplied: 0, rule: 'amount',
        confidence: exact.length === 1 ? 60 : 35, evidence: [`amount equals invoice ${i.number}${exact.length > 1 ? ` (one of ${exact.length})` : ''}`], shortfall: 0,
      });
    }
  }

  candidates.sort((a, b) => b.confidence - a.confidence || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  const top = candidates.slice(0, 5);
  if (top.length === 0) return { decision: 'unmatched', candidates: [] };
  const [best, second] = top;
  // Automatic only when clearly best: a rival within 10 points for another customer sends it to a clerk.
  const contested = second !== undefined && second.customerId !== best.customerId && second.confidence >= best.confidence - 10;
  const auto = best.confidence >= ctx.settings.autoConfidence && !contested && best.allocations.length > 0 && best.shortfall === 0;
  return { decision: auto ? 'auto' : 'suggest', candidates: top };
  }
}

/** One entry against a context (tests, single matches): see MatchingIndex for statements. */
export function matchEntry(entry: BankEntry, ctx: MatchingContext): MatchOutcome {
  return new MatchingIndex(ctx).match(entry);
}

/** Exposed for tests: the date after which a discount is no longer in force. */
export const discountLastDay = (issueDate: CalendarDate, days: number) => addDays(issueDate, days);
