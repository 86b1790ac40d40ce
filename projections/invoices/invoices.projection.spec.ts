import { invoicesProjection as p } from './invoices.projection';
import { applied, inLog, issued, payment, project, registered, settled } from '../testing';

const dates = { issueDate: '2024-03-01', dueDate: '2024-03-31' };

describe('invoices projection', () => {
  it('given a v1 invoice (VAT per line), then it is listed with its lines, the breakdown grouped from them, and its credit decision', () => {
    const docs = project(p, [registered('c1'), issued('i1', 'c1', 12_000, dates)]);
    expect(docs.get('i1')).toEqual({
      invoiceId: 'i1', number: 'F-i1', customerId: 'c1', currency: 'EUR', status: 'issued',
      net: 10_000, tax: 2_000, total: 12_000, vatBreakdown: [{ rate: '0.20', base: 10_000, amount: 2_000 }], vatCorrected: [], paid: 0, outstanding: 12_000, issueDate: '2024-03-01', dueDate: '2024-03-31',
      lines: [{ description: 'Services', quantity: '1', unitPrice: 10_000, taxRate: '0.20', net: 10_000, tax: 2_000, gross: 12_000 }],
      payments: [], settledOn: null,
      creditDecision: { decision: 'approved', creditLimit: 1_000_000, outstanding: 0, exposure: 12_000 },
      writtenOff: 0, recovered: 0, adjustments: [], creditNoted: 0, discounted: 0, charges: 0, chargedThrough: null, planId: null, reminders: [], inCollection: false, openDispute: null, disputes: [], earlyDiscount: null,
      lastPosition: 1,
    });
  });

  it('given a v2 invoice, then its VAT breakdown by rate is listed as issued and its lines carry their nets only', () => {
    // 20 %: 100.00 → 20.00; 5.5 %: 10.09 + 10.09 = 20.18 → 1.1099 → 1.11. Total 100.00 + 20.18 + 21.11 = 141.29.
    const vatBreakdown = [{ rate: '0.20', base: 10_000, amount: 2_000 }, { rate: '0.055', base: 2_018, amount: 111 }];
    const lines = [
      { description: 'a', quantity: '1', unitPrice: 10_000, taxRate: '0.20', net: 10_000 },
      { description: 'b', quantity: '2', unitPrice: 1_009, taxRate: '0.055', net: 2_018 },
    ];
    const docs = project(p, [issued('i1', 'c1', 14_129, dates, { lines, vatBreakdown, net: 12_018, tax: 2_111 })]);
    expect(docs.get('i1')).toMatchObject({ net: 12_018, tax: 2_111, total: 14_129, vatBreakdown, lines });
  });

  it('given a credit note that only corrects VAT (all of it customer credit), then nothing owed changes and no adjustment is listed', () => {
    const docs = project(p, [
      issued('i1', 'c1', 12_000, dates),
      { type: 'CreditNoteApplied', data: { invoiceId: 'i1', customerId: 'c1', creditNoteId: 'n1', amount: 0, on: '2024-03-05', outstanding: 12_000, vatBreakdown: [{ rate: '0.20', base: 1_000, amount: 200 }] } },
    ]);
    expect(docs.get('i1')).toMatchObject({ outstanding: 12_000, creditNoted: 0, adjustments: [], lastPosition: 1, vatCorrected: [{ rate: '0.20', base: 1_000, amount: 200 }] });
  });

  it('given a v1 credit-note application (no rates), then its correction is read as the decider reads it: split in proportion', () => {
    // 60.00 over base 100.00 + VAT 20.00 (v1 fixture: total 120.00): exactly 50.00 + 10.00.
    const docs = project(p, [
      issued('i1', 'c1', 12_000, dates),
      { type: 'CreditNoteApplied', data: { invoiceId: 'i1', customerId: 'c1', creditNoteId: 'n1', amount: 6_000, on: '2024-03-05', outstanding: 6_000 } },
    ]);
    expect(docs.get('i1')).toMatchObject({ creditNoted: 6_000, vatCorrected: [{ rate: '0.20', base: 5_000, amount: 1_000 }] });
  });

  it('given a partial payment, then partially paid with the payment listed', () => {
    const docs = project(p, [
      issued('i1', 'c1', 12_000, dates),
      ...payment({ paymentId: 'p1', customerId: 'c1', amount: 5_000, receivedOn: '2024-03-10' }, { invoiceId: 'i1', amount: 5_000, outstandingAfter: 7_000 }),
    ]);
    expect(docs.get('i1')).toMatchObject({
      status: 'partially_paid', paid: 5_000, outstanding: 7_000, settledOn: null,
      payments: [{ paymentId: 'p1', amount: 5_000, receivedOn: '2024-03-10' }],
    });
  });

  it('given payments that settle it, then paid with the settling date', () => {
    const docs = project(p, [
      issued('i1', 'c1', 12_000, dates),
      applied('i1', 'c1', 'p1', 5_000, '2024-03-10', 7_000),
      applied('i1', 'c1', 'p2', 7_000, '2024-04-02', 0),
      settled('i1', 'c1', '2024-04-02'),
    ]);
    expect(docs.get('i1')).toMatchObject({ status: 'paid', paid: 12_000, outstanding: 0, settledOn: '2024-04-02' });
    expect((docs.get('i1')!.payments as unknown[]).length).toBe(2);
  });

  it('ignores events of other streams and unknown types', () => {
    const [reg, pay] = inLog([registered('c1'), ...payment({ paymentId: 'p1', customerId: 'c1', amount: 1, receivedOn: '2024-03-10' }, { invoiceId: 'i1', amount: 1, outstandingAfter: 1 })]);
    expect(p.keysOf(reg)).toEqual([]);
    expect(p.keysOf(pay)).toEqual([]);
    expect(p.keysOf({ ...reg, type: 'InvoiceVoided' } as never)).toEqual([]);
  });

  it('does not mutate the previous document and skips an event already applied', () => {
    const log = inLog([issued('i1', 'c1', 12_000, dates), applied('i1', 'c1', 'p1', 5_000, '2024-03-10', 7_000)]);
    const first = p.evolve(null, log[0])!;
    const json = JSON.stringify(first);
    const second = p.evolve(first, log[1])!;
    expect(JSON.stringify(first)).toBe(json);
    expect(p.evolve(second, log[1])).toBe(second);
    expect(p.indexes).toEqual(['customerId', 'status', 'dueDate', 'issueDate', 'currency', 'outstanding']);
    // The lists (ADR 0069): a (field, id) index per sort, the worklist's (dueDate, outstanding), and a payment's
    // oldest-due walk over one customer's invoices of one status (ADR 0121).
    expect(p.compoundIndexes?.map((i) => i.fields.join(','))).toEqual([
      'dueDate,invoiceId', 'issueDate,invoiceId', 'number,invoiceId', 'total,invoiceId', 'outstanding,invoiceId', 'customerId,invoiceId', 'invoiceId', 'dueDate,outstanding',
      'customerId,status,dueDate,issueDate,number,invoiceId',
    ]);
  });
});
