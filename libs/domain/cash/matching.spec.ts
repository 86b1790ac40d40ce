import type { BankEntry } from './bank-entry';
import { creditorReferenceFor } from './creditor-reference';
import { DEFAULT_MATCHING_SETTINGS, matchEntry, nameSimilarity, type MatchingContext, type OpenItem } from './matching';

const entry = (over: Partial<BankEntry>): BankEntry => ({
  entryId: 'e1', statementId: 's1', account: 'FR7630006000011234567890189', bookingDate: '2026-03-10', valueDate: '2026-03-10',
  direction: 'credit', amount: 0, currency: 'EUR', bankRef: 'REF1', endToEndId: null, debtorName: null, debtorIban: null,
  remittance: '', structuredRef: null, transactionCode: null, isReturn: false, ...over,
});
const item = (over: Partial<OpenItem> & Pick<OpenItem, 'invoiceId' | 'number' | 'customerId' | 'outstanding'>): OpenItem => ({
  customerName: over.customerId, currency: 'EUR', disputed: 0, issueDate: '2026-02-01', dueDate: '2026-03-03', discount: null, ...over,
});

// Two customers: ACME owes INV-000041 (1 200.00), INV-000042 (3 600.00), INV-000043 (480.00); Globex owes INV-000050 (3 600.00).
const ACME = [
  item({ invoiceId: 'i41', number: 'INV-000041', customerId: 'acme', customerName: 'ACME Industries SAS', outstanding: 120000, dueDate: '2026-02-28' }),
  item({ invoiceId: 'i42', number: 'INV-000042', customerId: 'acme', customerName: 'ACME Industries SAS', outstanding: 360000, dueDate: '2026-03-03' }),
  item({ invoiceId: 'i43', number: 'INV-000043', customerId: 'acme', customerName: 'ACME Industries SAS', outstanding: 48000, dueDate: '2026-03-31' }),
];
const GLOBEX = [item({ invoiceId: 'i50', number: 'INV-000050', customerId: 'globex', customerName: 'Globex Corporation', outstanding: 360000 })];
const ctx = (over: Partial<MatchingContext> = {}): MatchingContext => ({
  openItems: [...ACME, ...GLOBEX], knownIbans: {},
  customers: [{ customerId: 'acme', name: 'ACME Industries SAS' }, { customerId: 'globex', name: 'Globex Corporation' }],
  settings: DEFAULT_MATCHING_SETTINGS, ...over,
});

describe('matchEntry (cash application, ADR 0085)', () => {
  it('rule 1: an ISO 11649 reference naming an invoice, amount exact → applied automatically', () => {
    const rf = creditorReferenceFor('INV000042');
    const out = matchEntry(entry({ amount: 360000, structuredRef: rf }), ctx());
    expect(out.decision).toBe('auto');
    expect(out.candidates[0]).toMatchObject({ customerId: 'acme', rule: 'structured_reference', confidence: 99, unapplied: 0, allocations: [{ invoiceId: 'i42', amount: 360000 }] });
  });

  it('rule 1: a reference whose check digits are wrong is not a reference (falls to the amount rule: two invoices of 3 600.00 → suggestions only)', () => {
    const out = matchEntry(entry({ amount: 360000, structuredRef: 'RF00INV000042' }), ctx());
    expect(out.decision).toBe('suggest');
    expect(out.candidates.map((c) => [c.customerId, c.rule])).toEqual([['acme', 'amount'], ['globex', 'amount']]);
  });

  it('rule 2: several damaged invoice numbers in one line pay several invoices: 1 200.00 + 3 600.00 = 4 800.00', () => {
    const out = matchEntry(entry({ amount: 480000, remittance: 'PAIEMENT FACT INV 000041 ET INV-42' }), ctx());
    expect(out.decision).toBe('auto');
    expect(out.candidates[0]).toMatchObject({ rule: 'invoice_number', customerId: 'acme', unapplied: 0 });
    expect(out.candidates[0].allocations.map((a) => [a.invoiceId, a.amount])).toEqual([['i41', 120000], ['i42', 360000]]);
  });

  it('rule 2: a partial payment of a named invoice is applied (3 600.00 − 1 000.00 paid = 2 600.00 left open)', () => {
    const out = matchEntry(entry({ amount: 100000, remittance: 'INV-000042 acompte' }), ctx());
    expect(out.candidates[0]).toMatchObject({ allocations: [{ invoiceId: 'i42', amount: 100000 }], confidence: 90 });
    expect(out.decision).toBe('auto');
  });

  it('rule 2: more than is owed is allocated up to the open amount, the rest stays unapplied (never over-allocates)', () => {
    // 4 000.00 received for INV-000042 (3 600.00 open): 3 600.00 allocated, 400.00 unapplied customer credit.
    const out = matchEntry(entry({ amount: 400000, remittance: 'INV-000042' }), ctx());
    expect(out.candidates[0]).toMatchObject({ allocations: [{ invoiceId: 'i42', amount: 360000 }], unapplied: 40000 });
  });

  it('never pays a disputed amount automatically: INV-000042 has 600.00 under dispute', () => {
    const items = [...ACME.map((i) => (i.invoiceId === 'i42' ? { ...i, disputed: 60000 } : i)), ...GLOBEX];
    const out = matchEntry(entry({ amount: 360000, remittance: 'INV-000042' }), ctx({ openItems: items }));
    expect(out.decision).toBe('suggest');
    // Only the undisputed 3 000.00 is allocated (3 600.00 − 600.00); 600.00 unapplied.
    expect(out.candidates[0]).toMatchObject({ allocations: [{ invoiceId: 'i42', amount: 300000 }], unapplied: 60000 });
    expect(out.candidates[0].evidence.join(' ')).toMatch(/dispute/);
  });

  it('rule 3: a learned IBAN with an amount equal to one invoice → automatic', () => {
    const out = matchEntry(entry({ amount: 48000, debtorIban: 'DE89 3704 0044 0532 0130 00' }), ctx({ knownIbans: { DE89370400440532013000: 'acme' } }));
    expect(out.decision).toBe('auto');
    expect(out.candidates[0]).toMatchObject({ rule: 'payer_iban', customerId: 'acme', allocations: [{ invoiceId: 'i43', amount: 48000 }] });
  });

  it('rule 3: a learned IBAN with an amount equal to a subset: 1 200.00 + 480.00 = 1 680.00', () => {
    const out = matchEntry(entry({ amount: 168000, debtorIban: 'DE89370400440532013000' }), ctx({ knownIbans: { DE89370400440532013000: 'acme' } }));
    expect(out.candidates[0].allocations.map((a) => a.invoiceId)).toEqual(['i41', 'i43']);
    expect(out.candidates[0].confidence).toBe(88);
  });

  it('rule 3: the invoice less its early-payment discount, paid within the window (2 % of 1 200.00 = 24.00; 1 176.00 paid)', () => {
    const items = [...ACME.map((i) => (i.invoiceId === 'i41' ? { ...i, discount: { until: '2026-03-10', maxAmount: 2400 } } : i)), ...GLOBEX];
    const known = { knownIbans: { DE89370400440532013000: 'acme' }, openItems: items };
    const inWindow = matchEntry(entry({ amount: 117600, debtorIban: 'DE89370400440532013000' }), ctx(known));
    expect(inWindow.candidates[0]).toMatchObject({ allocations: [{ invoiceId: 'i41', amount: 117600 }], confidence: 90 });
    const late = matchEntry(entry({ amount: 117600, bookingDate: '2026-03-11', debtorIban: 'DE89370400440532013000' }), ctx(known));
    expect(late.candidates[0].rule).toBe('payer_iban');
    expect(late.candidates[0].confidence).toBeLessThan(90);
  });

  it('rule 3: paid short by bank fees within the tolerance → a suggestion with the shortfall, never automatic', () => {
    // 480.00 owed, 472.50 received: 7.50 short, within the 15.00 tolerance.
    const out = matchEntry(entry({ amount: 47250, debtorIban: 'DE89370400440532013000' }), ctx({ knownIbans: { DE89370400440532013000: 'acme' } }));
    expect(out.decision).toBe('suggest');
    expect(out.candidates[0]).toMatchObject({ allocations: [{ invoiceId: 'i43', amount: 47250 }], shortfall: 750 });
  });

  it('rule 3: the payer name alone resembles a customer → a suggestion', () => {
    expect(nameSimilarity('ACME INDUSTRIES', 'ACME Industries SAS')).toBe(100);
    expect(nameSimilarity('Société Générale', 'Globex Corporation')).toBe(0);
    const out = matchEntry(entry({ amount: 48000, debtorName: 'ACME INDUSTRIE' }), ctx());
    expect(out.decision).toBe('suggest');
    expect(out.candidates[0]).toMatchObject({ rule: 'payer_name', customerId: 'acme', allocations: [{ invoiceId: 'i43' }] });
  });

  it('a reference naming one customer\'s invoice paid from another customer\'s learned IBAN is not automatic', () => {
    const out = matchEntry(entry({ amount: 360000, remittance: 'INV-000050', debtorIban: 'DE89370400440532013000' }), ctx({ knownIbans: { DE89370400440532013000: 'acme' } }));
    expect(out.decision).toBe('suggest');
  });

  it('rule 4: the amount alone, equal to exactly one open invoice → suggested (60)', () => {
    const out = matchEntry(entry({ amount: 120000 }), ctx());
    expect(out).toEqual({ decision: 'suggest', candidates: [expect.objectContaining({ rule: 'amount', confidence: 60, customerId: 'acme' })] });
  });

  it('an unrelated credit, a debit, or another currency is unmatched', () => {
    expect(matchEntry(entry({ amount: 999, remittance: 'INTERETS CREDITEURS' }), ctx()).decision).toBe('unmatched');
    expect(matchEntry(entry({ amount: 360000, direction: 'debit', remittance: 'INV-000042' }), ctx()).decision).toBe('unmatched');
    expect(matchEntry(entry({ amount: 360000, currency: 'USD', remittance: 'INV-000042' }), ctx()).decision).toBe('unmatched');
  });

  it('evidence never names the payer, a customer or an IBAN (ADR 0090), and a keyed IBAN index is looked up through its key function', () => {
    const hash = (iban: string) => `k(${iban.replace(/\s+/g, '').length})`;
    const byIban = matchEntry(entry({ amount: 48000, debtorIban: 'DE89 3704 0044 0532 0130 00', debtorName: 'ACME Industries SAS' }), ctx({ knownIbans: { 'k(22)': 'acme' }, ibanKey: hash }));
    expect(byIban.candidates[0]).toMatchObject({ customerId: 'acme', rule: 'payer_iban' });
    const byName = matchEntry(entry({ amount: 48000, debtorIban: null, debtorName: 'ACME Industries SAS' }), ctx({}));
    expect(byName.candidates[0]?.rule).toBe('payer_name');
    for (const c of [...byIban.candidates, ...byName.candidates]) expect(c.evidence.join(' ')).not.toMatch(/ACME|Acme|DE89|3704/);
  });
});
