import type { PaymentUnapplied } from '../../libs/domain/invoice/invoice.collection.events';
import { parseFxRates } from '../../libs/domain/shared/fx-rates';
import { applied, issued, project, received } from '../testing';
import { exchangeDifferences } from './exchange-differences';
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
      { customerId: 'c', invoice: 'invoice:i1', settledBy: 'payment:p1', applied: 60_000, lastPosition: 2 },
      { customerId: 'c', invoice: 'invoice:i1', settledBy: 'payment:p2', applied: 60_000, lastPosition: 4 },
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

  it('values the parts at the invoice rate cumulatively, so a settled invoice leaves no cent on 411', () => {
    // 1234.56 USD at 7 USD per EUR: 411 = 123456 / 7 = 17636.57 → 176.37. Two halves of 617.28 each, paid when the
    // rate is 8: each half at the invoice rate alone would be 61728 / 7 = 8818.29 → 88.18 (twice: 176.36, a cent short).
    // Cumulatively: 88.18, then 176.37 − 88.18 = 88.19. Received: 61728 / 8 = 7716 → 77.16 each.
    // Losses: 88.18 − 77.16 = 11.02 and 88.19 − 77.16 = 11.03; 411 in EUR: 176.37 − 77.16 − 11.02 − 77.16 − 11.03 = 0.
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
    expect(diffs.get(receipts[0])?.[0]).toEqual({ role: 'exchangeLoss', debit: 1102, credit: 0 });
    expect(diffs.get(receipts[1])?.[0]).toEqual({ role: 'exchangeLoss', debit: 1103, credit: 0 });
  });
});
