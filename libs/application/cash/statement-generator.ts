import type { BankEntry } from '../../domain/cash/bank-entry';
import { creditorReferenceFor } from '../../domain/cash/creditor-reference';
import type { OpenItem } from '../../domain/cash/matching';
import { formatAmount } from '../../domain/shared/money';
import { entryIdOf, statementIdOf } from './statement';

/**
 * Realistic statements over a ledger's open items, from a seed (ar demo statements, the cash bench): exact
 * references, typos, several invoices in one transfer, partial payments, discount takers, bank fees, payer names
 * that differ from the customer's, foreign payers, unrelated credits. Each entry comes with the truth — the
 * customer and invoices it pays, or null — so matching can be scored on data nobody tuned for.
 */
export type Scenario = 'exact_reference' | 'rf_reference' | 'typo' | 'several_invoices' | 'partial' | 'discount' | 'bank_fees' | 'name_differs' | 'known_iban' | 'foreign_payer' | 'unrelated';

export interface GeneratedEntry {
  entry: BankEntry;
  scenario: Scenario;
  truth: { customerId: string; invoiceIds: string[] } | null;
}

/** mulberry32: a small, fast, seeded generator (deterministic across platforms). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIGHTS: Array<[Scenario, number]> = [
  ['exact_reference', 22], ['rf_reference', 6], ['typo', 10], ['several_invoices', 8], ['partial', 8], ['discount', 4],
  ['bank_fees', 5], ['name_differs', 10], ['known_iban', 12], ['foreign_payer', 5], ['unrelated', 10],
];

/** An IBAN-shaped payer account per customer (not a real one: check digits 00 never validate at a bank). */
export const ibanOf = (customerId: string) => `FR00${Buffer.from(customerId).toString('hex').toUpperCase().padEnd(23, '0').slice(0, 23)}`;

function damage(number: string, r: () => number): string {
  const m = /^([A-Z]+)-?0*([0-9]+)$/.exec(number);
  if (!m) return number;
  const [, prefix, digits] = m;
  const padded = digits.padStart(6, '0');
  switch (Math.floor(r() * 4)) {
    case 0: return `${prefix} ${padded.slice(0, 3)} ${padded.slice(3)}`; // spaces inside
    case 1: return `${prefix}${digits}`; // zeros missing
    case 2: return `${prefix.toLowerCase()}-${padded}`; // lower case
    default: return `FACT ${prefix}/${padded}`; // another word, another separator
  }
}

function variantOf(name: string, r: () => number): string {
  const words = name.replace(/\b(SAS|SARL|SA|GmbH|Ltd|Inc|SpA|BV)\b\.?/gi, '').trim().split(/\s+/);
  switch (Math.floor(r() * 3)) {
    case 0: return words.join(' ').toUpperCase();
    case 1: return `${words[0].toUpperCase()} ${words.slice(1).map((w) => w[0]).join('')}`.trim();
    default: return `STE ${words.join(' ').toUpperCase()}`;
  }
}

/**
 * `count` credited entries booked on `bookingDate` against `items` (not modified). Customers whose index is even have
 * paid from their IBAN before (known to the matcher through `knownIbans`, which the generator returns).
 */
export function generateStatement(items: readonly OpenItem[], customers: ReadonlyArray<{ customerId: string; name: string }>, options: { seed: number; count: number; bookingDate: string; account: string; currency?: string }): { entries: GeneratedEntry[]; knownIbans: Record<string, string>; statementId: string } {
  const r = seeded(options.seed);
  const currency = options.currency ?? 'EUR';
  const open = items.filter((i) => i.currency === currency && i.outstanding > 0 && i.disputed === 0).map((i) => ({ ...i }));
  const byCustomer = new Map<string, typeof open>();
  for (const i of open) byCustomer.set(i.customerId, [...(byCustomer.get(i.customerId) ?? []), i]);
  const names = new Map(customers.map((c) => [c.customerId, c.name]));
  const byId = new Map(open.map((i) => [i.invoiceId, i]));
  const knownIbans: Record<string, string> = {};
  customers.forEach((c, k) => { if (k % 2 === 0) knownIbans[ibanOf(c.customerId)] = c.customerId; });
  const statementId = statementIdOf(options.account, `demo-${options.seed}`);
  const total = WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const pickScenario = (): Scenario => { let x = r() * total; for (const [s, w] of WEIGHTS) { if ((x -= w) < 0) return s; } return 'unrelated'; };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: GeneratedEntry[] = [];
  for (let n = 0; n < options.count; n += 1) {
    let scenario = pickScenario();
    let inv: (typeof open)[number] | null = null;
    for (let tries = 0; scenario !== 'unrelated' && inv === null && tries < 50; tries += 1) {
      const c = pick(open);
      if (c && c.outstanding > 0) inv = c;
    }
    if (inv === null) scenario = 'unrelated';
    const bankRef = `DEMO-${options.seed}-${String(n + 1).padStart(6, '0')}`;
    const base: BankEntry = {
      entryId: entryIdOf(options.account, bankRef), statementId, account: options.account, bookingDate: options.bookingDate, valueDate: options.bookingDate,
      direction: 'credit', amount: 0, currency, bankRef, endToEndId: null, debtorName: null, debtorIban: null, remittance: '', structuredRef: null, transactionCode: 'PMNT/RCDT/ESCT', isReturn: false,
    };
    const customerName = inv ? names.get(inv.customerId) ?? inv.customerId : '';
    const otherIban = `FR00${String(Math.floor(r() * 1e12)).padStart(23, '9')}`;
    let entry: BankEntry;
    let truth: GeneratedEntry['truth'] = inv ? { customerId: inv.customerId, invoiceIds: [inv.invoiceId] } : null;
    switch (scenario) {
      case 'exact_reference': entry = { ...base, amount: inv!.outstanding, debtorName: customerName.toUpperCase(), debtorIban: otherIban, remittance: `PAIEMENT ${inv!.number}` }; break;
      case 'rf_reference': entry = { ...base, amount: inv!.outstanding, debtorName: customerName, structuredRef: creditorReferenceFor(inv!.number) }; break;
      case 'typo': entry = { ...base, amount: inv!.outstanding, debtorName: customerName.toUpperCase(), remittance: `REGLT ${damage(inv!.number, r)}` }; break;
      case 'several_invoices': {
        const same = (byCustomer.get(inv!.customerId) ?? []).filter((i) => i.outstanding > 0).slice(0, 3);
        entry = { ...base, amount: same.reduce((s, i) => s + i.outstanding, 0), debtorName: customerName.toUpperCase(), remittance: `FACTURES ${same.map((i) => i.number).join(' ')}` };
        truth = { customerId: inv!.customerId, invoiceIds: same.map((i) => i.invoiceId) };
        break;
      }
      case 'partial': entry = { ...base, amount: Math.max(1, Math.floor((inv!.outstanding * (40 + Math.floor(r() * 50))) / 100)), debtorName: customerName, remittance: `ACOMPTE ${inv!.number}` }; break;
      case 'discount': {
        const d = inv!.discount;
        entry = { ...base, amount: d ? inv!.outstanding - d.maxAmount : inv!.outstanding, debtorIban: ibanOf(inv!.customerId), debtorName: customerName };
        break;
      }
      case 'bank_fees': entry = { ...base, amount: Math.max(1, inv!.outstanding - (100 + Math.floor(r() * 1400))), debtorIban: ibanOf(inv!.customerId), debtorName: customerName.toUpperCase() }; break;
      case 'name_differs': entry = { ...base, amount: inv!.outstanding, debtorName: variantOf(customerName, r), debtorIban: otherIban }; break;
      case 'known_iban': entry = { ...base, amount: inv!.outstanding, debtorIban: ibanOf(inv!.customerId), debtorName: customerName.toUpperCase() }; break;
      case 'foreign_payer': entry = { ...base, amount: inv!.outstanding, debtorName: pick(['HUANG TRADING CO LTD', 'MUELLER LOGISTIK GMBH', 'OLIVEIRA & FILHOS LDA']), debtorIban: `DE00${String(Math.floor(r() * 1e12)).padStart(18, '7')}`, remittance: `INVOICE ${inv!.number} ON BEHALF OF ${customerName.toUpperCase()}` }; break;
      default: entry = { ...base, amount: 100 + Math.floor(r() * 500_000), debtorName: pick(['AXA ASSURANCES', 'DGFIP REMBOURSEMENT', 'URSSAF', 'LOYER SCI DU PARC', 'JOHN SMITH']), remittance: pick(['REMBOURSEMENT SINISTRE', 'REMB TVA 2026', 'REGULARISATION', 'VIREMENT']) };
    }
    // The ledger of the generated world: what this entry truly pays, paid (as a perfect clerk would).
    if (truth) {
      let rest = entry.amount;
      for (const id of truth.invoiceIds) {
        const i = byId.get(id)!;
        const paid = Math.min(rest, i.outstanding);
        i.outstanding -= paid;
        rest -= paid;
      }
    }
    out.push({ entry, scenario, truth });
  }
  return { entries: out, knownIbans, statementId };
}

/** Writes entries as a camt.053.001.08 statement (what `ar demo statements` prints). */
export function toCamt053(entries: readonly BankEntry[], statement: { id: string; account: string; date: string }): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const ntry = entries.map((e) => [
    '      <Ntry>',
    `        <Amt Ccy="${e.currency}">${formatAmount(e.amount, e.currency)}</Amt><CdtDbtInd>${e.direction === 'credit' ? 'CRDT' : 'DBIT'}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>`,
    `        <BookgDt><Dt>${e.bookingDate}</Dt></BookgDt><ValDt><Dt>${e.valueDate ?? e.bookingDate}</Dt></ValDt><AcctSvcrRef>${esc(e.bankRef)}</AcctSvcrRef>`,
    '        <NtryDtls><TxDtls>',
    ...(e.endToEndId ? [`          <Refs><EndToEndId>${esc(e.endToEndId)}</EndToEndId></Refs>`] : []),
    `          <RltdPties>${e.debtorName ? `<Dbtr><Pty><Nm>${esc(e.debtorName)}</Nm></Pty></Dbtr>` : ''}${e.debtorIban ? `<DbtrAcct><Id><IBAN>${e.debtorIban}</IBAN></Id></DbtrAcct>` : ''}</RltdPties>`,
    `          <RmtInf>${e.remittance ? `<Ustrd>${esc(e.remittance)}</Ustrd>` : ''}${e.structuredRef ? `<Strd><CdtrRefInf><Ref>${e.structuredRef}</Ref></CdtrRefInf></Strd>` : ''}</RmtInf>`,
    '        </TxDtls></NtryDtls>',
    '      </Ntry>',
  ].join('\n'));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">',
    '  <BkToCstmrStmt>',
    `    <GrpHdr><MsgId>${esc(statement.id)}</MsgId><CreDtTm>${statement.date}T18:00:00</CreDtTm></GrpHdr>`,
    '    <Stmt>',
    `      <Id>${esc(statement.id)}</Id>`,
    `      <Acct><Id><IBAN>${statement.account}</IBAN></Id></Acct>`,
    ...ntry,
    '    </Stmt>',
    '  </BkToCstmrStmt>',
    '</Document>',
    '',
  ].join('\n');
}

/** How matching did against the truth: auto-applied share, wrong automatic applications, right first suggestions, unmatched. */
export interface MatchingScore {
  entries: number;
  applied: number;
  appliedShare: number;
  wrongAutomatic: number;
  suggested: number;
  suggestionsFirstRight: number;
  unmatched: number;
  unmatchedWithTruth: number;
  byScenario: Record<string, { n: number; applied: number; wrong: number; suggested: number; firstRight: number; unmatched: number }>;
}

export function isRight(candidate: { customerId: string; allocations: ReadonlyArray<{ invoiceId: string }> }, truth: GeneratedEntry['truth']): boolean {
  if (truth === null) return false;
  return candidate.customerId === truth.customerId && candidate.allocations.length > 0 && candidate.allocations.every((a) => truth.invoiceIds.includes(a.invoiceId));
}
