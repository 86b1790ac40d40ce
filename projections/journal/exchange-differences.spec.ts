import type { PaymentUnapplied } from '../../libs/domain/invoice/invoice.collection.events';
import { parseFxRates } from '../../libs/domain/shared/fx-rates';
import { applied, issued, project, received } from '../testing';
import { conversionDates, exchangeDifferences } from './exchange-differences';
import { accountingLines } from './journal-export';
import { journalProjection, type JournalEntry } from './journal.projection';
import { letteringLinksProjection, type LetteringLink } from './lettering-links.projection';

// Rates stated by the test (units per 1 EUR): 1.25 on 03-02, 1.2 from 03-16, 1.5 from 03-23.
const fx = { accountingCurrency: 'EUR', rates: parseFxRates('date,currency,rate\n2026-03-02,USD,1.25\n2026-03-16,USD,1.2\n2026-03-23,USD,1.5\n') };
const usd = <E extends { data: object }>(e: E): E => ({ ...e, data: { ...e.data, currency: 'USD' } });
const unapplied = (invoiceId: string, paymentId: string, amount: number, on: string): PaymentUnapplied => ({
  type: 'PaymentUnapplied', data: { invoiceId, customerId: 'c', paymentId, amount, on, reason: 'reallocation' as const, recoveryReversed: 0, outstanding: 0, reopened: true },
});

describe('realised exchange differences (PCG art. 420-5, 666/766; ADR 0052)', () => {
  const events = [
    usd(issued('i1', 'c', 120_000, { issueDate: '2026-03-02', dueDate: '2026-04-01' })),
    usd(received('p1', 'c', 60_000, '2026-03-20')),
    applied('i1', 'c', 'p1', 60_000, '2026-03-20', 60_000),
    usd(received('p2', 'c', 60_000, '2026-03-23')),
    applied('i1', 'c', 'p2', 60_000, '2026-03-23', 0),
  ];
  const entries = [...project(journalProjection, events).values()] as JournalEntry[];
  const links = [...project(letteringLinksProjection, events).values()] as LetteringLink[];
  const byType = (t: string, n = 0) => entries.filter((e) => e.eventType === t)[n].position;

  it('records what each payment applied to each invoice, net of what was taken back', () => {
    expect(links).toEqual([
      { customerId: 'c', invoice: 'invoice:i1', settledBy: 'payment:p1', applied: 60_000, lastPosition: 2, appliedOn: '2026-03-20' },
      { customerId: 'c', invoice: 'invoice:i1', settledBy: 'payment:p2', applied: 60_000, lastPosition: 4, appliedOn: '2026-03-23' },
    ]);
    const back = [...project(letteringLinksProjection, [...events, unapplied('i1', 'p2', 10_000, '2026-03-24')]).values()] as LetteringLink[];
    expect(back[1].applied).toBe(50_000);
  });

  it('books a gain (D 411 / C 766) or a loss (D 666 / C 411) on each receipt, from the invoice date and receipt date rates', () => {
    const diffs = exchangeDifferences(entries, links, () => 'USD', fx);
    // p1: 600.00 USD on 411 at 600 / 1.25 = 480.00 EUR, received at 600 / 1.2 = 500.00: gain 20.00.
    expect(diffs.get(byType('PaymentReceived', 0))).toEqual([{ role: 'customers', debit: 2000, credit: 0 }, { role: 'exchangeGain', debit: 0, credit: 2000 }]);
    // p2: 480.00 on 411, received at 600 / 1.5 = 400.00: loss 80.00.
    expect(diffs.get(byType('PaymentReceived', 1))).toEqual([{ role: 'exchangeLoss', debit: 8000, credit: 0 }, { role: 'customers', debit: 0, credit: 8000 }]);
  });

  it('books nothing in the accounting currency, on an unchanged rate, or on an amount taken back entirely', () => {
    expect(exchangeDifferences(entries, links, () => 'EUR', fx).size).toBe(0);
    const flat = { accountingCurrency: 'EUR', rates: parseFxRates('date,currency,rate\n2026-03-01,USD,1.25\n') };
    expect(exchangeDifferences(entries, links, () => 'USD', flat).size).toBe(0);
    expect(exchangeDifferences(entries, links.map((l) => ({ ...l, applied: 0 })), () => 'USD', fx).size).toBe(0);
  });

  it('values each part at its share of what the invoice still carries, so a settled invoice leaves no cent on 411 (ADR 0054)', () => {
    // 1234.56 USD at 7 USD per EUR: 411 = 123456 / 7 = 17636.57 → 176.37. Two halves of 617.28 each, paid when the
    // rate is 8: the first half takes its share of the 176.37, 17637 × 61728 / 123456 = 8818.5 → 88.19 (half-up); the
    // second, which empties the invoice, all that is left: 176.37 − 88.19 = 88.18. Received: 61728 / 8 = 7716 → 77.16.
    // Losses: 88.19 − 77.16 = 11.03 and 88.18 − 77.16 = 11.02; 411 in EUR: 176.37 − 77.16 − 11.03 − 77.16 − 11.02 = 0.
    const r7 = { accountingCurrency: 'EUR', rates: parseFxRates('date,currency,rate\n2026-03-02,USD,7\n2026-03-10,USD,8\n') };
    const halves = [
      usd(issued('h1', 'c', 123_456, { issueDate: '2026-03-02', dueDate: '2026-04-01' })),
      usd(received('q1', 'c', 61_728, '2026-03-20')), applied('h1', 'c', 'q1', 61_728, '2026-03-20', 61_728),
      usd(received('q2', 'c', 61_728, '2026-03-21')), applied('h1', 'c', 'q2', 61_728, '2026-03-21', 0),
    ];
    const es = [...project(journalProjection, halves).values()] as JournalEntry[];
    const ls = [...project(letteringLinksProjection, halves).values()] as LetteringLink[];
    const diffs = exchangeDifferences(es, ls, () => 'USD', r7);
    const receipts = es.filter((e) => e.eventType === 'PaymentReceived').map((e) => e.position);
    expect(diffs.get(receipts[0])?.[0]).toEqual({ role: 'exchangeLoss', debit: 1103, credit: 0 });
    expect(diffs.get(receipts[1])?.[0]).toEqual({ role: 'exchangeLoss', debit: 1102, credit: 0 });
  });
});

/**
 * Every settlement of a foreign invoice realises its difference (PCG art. 420-5, 666/766; ADR 0054), not only
 * receipts: credit notes, discounts, write-offs, charge corrections, refunds. Same rates as above (units per
 * 1 EUR, stated by the test): 1.25 from 03-02, 1.2 from 03-16, 1.5 from 03-23. Each case checks the rule that
 * matters: the customer's 411 lines, exchange differences included, net to exactly zero in euros once everything
 * is settled in dollars.
 */
describe('realised exchange differences on every settlement (ADR 0054)', () => {
  type Any = { type: string; data: Record<string, unknown> };
  const note = (id: string, invoiceId: string | null, total: number, issueDate: string): Any => ({
    type: 'CreditNoteIssued',
    data: {
      creditNoteId: id, customerId: 'c', number: `A-${id}`, currency: 'USD', issueDate, invoiceId, reason: 'x', lines: [],
      vatBreakdown: [{ rate: '0.20', base: (total * 5) / 6, amount: total / 6 }], net: (total * 5) / 6, tax: total / 6, total, appliedToInvoice: total, unapplied: 0, disputeId: null,
    },
  });
  const noteApplied = (invoiceId: string, creditNoteId: string, amount: number, on: string): Any => ({ type: 'CreditNoteApplied', data: { invoiceId, customerId: 'c', creditNoteId, amount, on, outstanding: 0 } });
  const booksOf = (events: Any[]) => {
    const es = [...project(journalProjection, events as never).values()] as JournalEntry[];
    const ls = [...project(letteringLinksProjection, events as never).values()] as LetteringLink[];
    const diffs = exchangeDifferences(es, ls, () => 'USD', fx);
    // The customer's 411 in euros: each entry's 411 lines as the FEC prints them, plus the exchange lines.
    const dates = conversionDates(es);
    const on411 = es.reduce((sum, e) => sum + accountingLines(e, 'USD', fx, dates.get(e.position)).filter((_, i) => e.lines[i].role === 'customers').reduce((a, l) => a + l.debit - l.credit, 0), 0)
      + [...diffs.values()].flat().filter((l) => l.role === 'customers').reduce((a, l) => a + l.debit - l.credit, 0);
    const at = (type: string) => diffs.get((es.find((e) => e.eventType === type) as JournalEntry).position);
    return { on411, at, es };
  };

  it('a credit note applied to the invoice, then the receipt of the rest', () => {
    // Invoice 1200.00 USD on 03-02: 120000 / 1.25 = 960.00 EUR on 411. Credit note 240.00 USD on 03-16: 24000 / 1.2 =
    // 200.00 EUR off 411, while its share of the invoice is 960.00 × 240 / 1200 = 192.00: gain 8.00 (D 411 / C 766).
    // Receipt of the 960.00 USD left on 03-23: 96000 / 1.5 = 640.00 EUR, the invoice still carries 960.00 − 192.00 =
    // 768.00: loss 128.00 (D 666 / C 411). 411: 960 − 200 + 8 − 640 − 128 = 0.
    const b = booksOf([
      usd(issued('i1', 'c', 120_000, { issueDate: '2026-03-02', dueDate: '2026-04-01' })),
      note('n1', 'i1', 24_000, '2026-03-16'), noteApplied('i1', 'n1', 24_000, '2026-03-16'),
      usd(received('p1', 'c', 96_000, '2026-03-23')), applied('i1', 'c', 'p1', 96_000, '2026-03-23', 0),
    ]);
    expect(b.at('CreditNoteIssued')).toEqual([{ role: 'customers', debit: 800, credit: 0 }, { role: 'exchangeGain', debit: 0, credit: 800 }]);
    expect(b.at('PaymentReceived')).toEqual([{ role: 'exchangeLoss', debit: 12_800, credit: 0 }, { role: 'customers', debit: 0, credit: 12_800 }]);
    expect(b.on411).toBe(0);
  });

  it('an early-payment discount settling the remainder', () => {
    // Invoice 1200.00 USD (960.00 EUR). Receipt 1176.00 USD on 03-16 at 1.2 = 980.00 EUR, its share 960 × 1176 / 1200
    // = 940.80: gain 39.20. Discount 24.00 USD the same day: 2400 / 1.2 = 20.00 EUR, the invoice's last 19.20: gain 0.80.
    // 411: 960 − 980 + 39.20 − 20 + 0.80 = 0.
    const b = booksOf([
      usd(issued('i1', 'c', 120_000, { issueDate: '2026-03-02', dueDate: '2026-04-01' })),
      usd(received('p1', 'c', 117_600, '2026-03-16')), applied('i1', 'c', 'p1', 117_600, '2026-03-16', 2_400),
      { type: 'DiscountApplied', data: { invoiceId: 'i1', customerId: 'c', paymentId: 'p1', amount: 2_400, discountBp: 200, on: '2026-03-16', outstanding: 0, vatBreakdown: [{ rate: '0.20', base: 2_000, amount: 400 }] } },
    ]);
    expect(b.at('PaymentReceived')).toEqual([{ role: 'customers', debit: 3_920, credit: 0 }, { role: 'exchangeGain', debit: 0, credit: 3_920 }]);
    expect(b.at('DiscountApplied')).toEqual([{ role: 'customers', debit: 80, credit: 0 }, { role: 'exchangeGain', debit: 0, credit: 80 }]);
    expect(b.on411).toBe(0);
  });

  it('bank fees settling the remainder of a foreign-currency invoice (ADR 0088), like a discount', () => {
    // Invoice 480.00 USD on 03-02 at 1.25 = 384.00 EUR. Receipt 472.50 USD on 03-16 at 1.2 = 393.75 EUR, its share
    // 384 × 472.50 / 480 = 378.00: gain 15.75. Fees 7.50 USD the same day on 627: 750 / 1.2 = 6.25 EUR, the invoice's
    // last 384.00 − 378.00 = 6.00: gain 0.25. 411: 384 − 393.75 + 15.75 − 6.25 + 0.25 = 0.
    const b = booksOf([
      usd(issued('i1', 'c', 48_000, { issueDate: '2026-03-02', dueDate: '2026-04-01' })),
      usd(received('p1', 'c', 47_250, '2026-03-16')), applied('i1', 'c', 'p1', 47_250, '2026-03-16', 750),
      { type: 'BankFeesWrittenOff', data: { invoiceId: 'i1', customerId: 'c', paymentId: 'p1', bankEntryId: 'e1', amount: 750, on: '2026-03-16', outstanding: 0 } },
    ]);
    expect(b.at('PaymentReceived')).toEqual([{ role: 'customers', debit: 1_575, credit: 0 }, { role: 'exchangeGain', debit: 0, credit: 1_575 }]);
    expect(b.at('BankFeesWrittenOff')).toEqual([{ role: 'customers', debit: 25, credit: 0 }, { role: 'exchangeGain', debit: 0, credit: 25 }]);
    expect(b.on411).toBe(0);
  });

  it('late charges with the EUR 40 (booked 40.00 EUR on 7588), a receipt, then a write-off of the rest', () => {
    // Invoice 1200.00 USD (960.00 EUR). Charges through 03-16: interest 10.00 USD at 1.2 = 8.33 EUR on 763, the
    // indemnity 50.00 USD = EUR 40 at the due date's 1.25, booked 40.00 on 7588 (D441-5): 411 + 48.33 EUR for 60.00 USD.
    // The invoice carries 1260.00 USD for 1008.33 EUR. Receipt 1000.00 USD on 03-20 at 1.2 = 833.33, its share
    // 100833 × 100000 / 126000 = 80026.19 → 800.26: gain 33.07. Write-off of the 260.00 USD left on 03-23 at 1.5 =
    // 173.33, the invoice's last 1008.33 − 800.26 = 208.07: loss 34.74. 411: 1008.33 − 833.33 + 33.07 − 173.33 − 34.74 = 0.
    const b = booksOf([
      usd(issued('i1', 'c', 120_000, { issueDate: '2026-03-02', dueDate: '2026-03-10' })),
      {
        type: 'LateChargesAssessed',
        data: {
          invoiceId: 'i1', customerId: 'c', from: '2026-03-11', through: '2026-03-16', interest: 1_000, compensation: 5_000, amount: 6_000, dayBasis: 365, rateSource: 's',
          lines: [], outstanding: 126_000, reopened: false, compensationBasis: { eur: 4_000, rate: '1.25', rateDate: '2026-03-10' },
        },
      },
      usd(received('p1', 'c', 100_000, '2026-03-20')), applied('i1', 'c', 'p1', 100_000, '2026-03-20', 26_000),
      { type: 'InvoiceWrittenOff', data: { invoiceId: 'i1', customerId: 'c', amount: 26_000, reason: 'x', approvedBy: 'y', writtenOffOn: '2026-03-23', outstanding: 0 } },
    ]);
    expect(b.at('PaymentReceived')).toEqual([{ role: 'customers', debit: 3_307, credit: 0 }, { role: 'exchangeGain', debit: 0, credit: 3_307 }]);
    expect(b.at('InvoiceWrittenOff')).toEqual([{ role: 'exchangeLoss', debit: 3_474, credit: 0 }, { role: 'customers', debit: 0, credit: 3_474 }]);
    expect(b.on411).toBe(0);
  });

  it('a refund of customer credit at a later rate', () => {
    // Receipt 1000.00 USD on 03-02 at 1.25 = 800.00 EUR; 600.00 applied to an invoice of the same day (480.00 EUR,
    // its share of the receipt 800 × 600 / 1000 = 480.00: no difference). The 400.00 USD left refunded on 03-23 at
    // 1.5 = 266.67 EUR, while the credit stood at 320.00: gain 53.33. 411: 480 − 800 + 266.67 + 53.33 = 0.
    const b = booksOf([
      usd(issued('i1', 'c', 60_000, { issueDate: '2026-03-02', dueDate: '2026-04-01' })),
      usd(received('p1', 'c', 100_000, '2026-03-02')), applied('i1', 'c', 'p1', 60_000, '2026-03-02', 0),
      { type: 'PaymentRefunded', data: { paymentId: 'p1', customerId: 'c', refundId: 'r1', amount: 40_000, refundedOn: '2026-03-23', method: 'transfer', unapplied: 0 } },
    ]);
    expect(b.at('PaymentReceived')).toBeUndefined();
    expect(b.at('PaymentRefunded')).toEqual([{ role: 'customers', debit: 5_333, credit: 0 }, { role: 'exchangeGain', debit: 0, credit: 5_333 }]);
    expect(b.on411).toBe(0);
  });

  it('a bounced receipt mirrors it at the receipt\'s rate: nothing realised, the invoice back on 411 at its own value', () => {
    // Invoice 600.00 USD on 03-02 (480.00 EUR); 600.00 received 03-16 at 1.2 = 500.00 and applied (gain 20.00 booked
    // with it), then bounced on 03-23 and taken back from the invoice. The reversal converts at the receipt's 1.2,
    // not the day's 1.5: D 411 500.00 / C 512 500.00, the exact mirror, and the link taken back entirely undoes the
    // 20.00 (the export recomputes it from the links standing: none). 411: 480 − 500 + 500 = 480, the invoice alone.
    const b = booksOf([
      usd(issued('i1', 'c', 60_000, { issueDate: '2026-03-02', dueDate: '2026-04-01' })),
      usd(received('p1', 'c', 60_000, '2026-03-16')), applied('i1', 'c', 'p1', 60_000, '2026-03-16', 0),
      { type: 'PaymentUnapplied', data: { invoiceId: 'i1', customerId: 'c', paymentId: 'p1', amount: 60_000, on: '2026-03-23', reason: 'reversal', recoveryReversed: 0, outstanding: 60_000, reopened: true } },
      { type: 'PaymentReversed', data: { paymentId: 'p1', customerId: 'c', amount: 60_000, reason: 'bounced', reversedOn: '2026-03-23', creditRemoved: 0 } },
    ]);
    const reversal = b.es.find((e) => e.eventType === 'PaymentReversed') as JournalEntry;
    expect(accountingLines(reversal, 'USD', fx, conversionDates(b.es).get(reversal.position))).toEqual([
      { debit: 50_000, credit: 0, original: 60_000 }, { debit: 0, credit: 50_000, original: -60_000 },
    ]);
    expect(b.at('PaymentReversed')).toBeUndefined();
    expect(b.at('PaymentReceived')).toBeUndefined();
    expect(b.on411).toBe(48_000);
  });
});
