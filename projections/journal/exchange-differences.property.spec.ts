import fc from 'fast-check';
import { parseFxRates } from '../../libs/domain/shared/fx-rates';
import { applied, issued, project, received } from '../testing';
import { exchangeDifferences } from './exchange-differences';
import { accountingLines } from './journal-export';
import { journalProjection, type JournalEntry } from './journal.projection';
import { letteringLinksProjection, type LetteringLink } from './lettering-links.projection';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 0x7fffffff;
console.log(`exchange-differences property seed: FC_SEED=${seed}`);

/**
 * ADR 0054's invariant (PCG art. 420-5): whatever the rates and the mix of settlements — receipts in parts,
 * a credit note, late charges with the EUR 40 at a fixed euro value, a write-off of the rest — a foreign invoice
 * settled in full in its currency leaves its 411 at exactly zero in the accounting currency once the realised
 * differences are booked, and every entry stays balanced.
 */
describe('realised exchange differences — property', () => {
  const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}`;
  it('a fully settled USD invoice nets to zero on 411 in euros', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 5_000, max: 900_000 }), { minLength: 6, maxLength: 6 }), // USD per EUR × 10^4, one per day 1…6 (×5 days)
      fc.integer({ min: 1_000, max: 10_000_000 }), // invoice total, cents
      fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 0, maxLength: 4 }), // receipts as shares of what is open
      fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 5_000 }),
      (rates, total, shares, withNote, withCharges, interest) => {
        const csv = ['date,currency,rate', ...rates.map((r, i) => `${day(1 + i * 5)},USD,${Math.floor(r / 10_000)}.${String(r % 10_000).padStart(4, '0')}`)].join('\n');
        const fx = { accountingCurrency: 'EUR', rates: parseFxRates(csv) };
        const usd = <E extends { data: object }>(e: E): E => ({ ...e, data: { ...e.data, currency: 'USD' } });
        const events: Array<{ type: string; data: Record<string, unknown> }> = [usd(issued('i', 'c', total, { issueDate: day(1), dueDate: day(2) }))];
        let open = total;
        let n = 0;
        if (withCharges) {
          const compensation = 4_000 + (total % 977);
          events.push({ type: 'LateChargesAssessed', data: { invoiceId: 'i', customerId: 'c', from: day(3), through: day(7), interest, compensation, amount: interest + compensation, dayBasis: 365, rateSource: 's', lines: [], outstanding: 0, reopened: false, compensationBasis: { eur: 4_000, rate: 'as stated', rateDate: day(2) } } });
          open += interest + compensation;
        }
        if (withNote && open > 6) {
          const note = 6 * Math.max(1, Math.floor(open / 36)); // about a sixth of what is open, a multiple of 6 so base and VAT are whole cents
          events.push({ type: 'CreditNoteIssued', data: { creditNoteId: 'n', customerId: 'c', number: 'A-n', currency: 'USD', issueDate: day(9), invoiceId: 'i', reason: 'x', lines: [], vatBreakdown: [{ rate: '0.20', base: (note * 5) / 6, amount: note / 6 }], net: (note * 5) / 6, tax: note / 6, total: note, appliedToInvoice: note, unapplied: 0, disputeId: null } });
          events.push({ type: 'CreditNoteApplied', data: { invoiceId: 'i', customerId: 'c', creditNoteId: 'n', amount: note, on: day(9), outstanding: open - note } });
          open -= note;
        }
        for (const share of shares) {
          const amount = Math.max(1, Math.floor((open * share) / 100));
          if (amount > open || open === 0) break;
          const on = day(11 + n * 4);
          events.push(usd(received(`p${n}`, 'c', amount, on)), applied('i', 'c', `p${n}`, amount, on, open - amount));
          open -= amount;
          n++;
        }
        if (open > 0) events.push({ type: 'InvoiceWrittenOff', data: { invoiceId: 'i', customerId: 'c', amount: open, reason: 'x', approvedBy: 'y', writtenOffOn: day(30), outstanding: 0 } });
        const es = [...project(journalProjection, events as never).values()] as JournalEntry[];
        const ls = [...project(letteringLinksProjection, events as never).values()] as LetteringLink[];
        const diffs = exchangeDifferences(es, ls, () => 'USD', fx);
        let on411 = 0;
        for (const e of es) {
          const lines = accountingLines(e, 'USD', fx);
          const extra = diffs.get(e.position) ?? [];
          const debit = lines.reduce((a, l) => a + l.debit, 0) + extra.reduce((a, l) => a + l.debit, 0);
          const credit = lines.reduce((a, l) => a + l.credit, 0) + extra.reduce((a, l) => a + l.credit, 0);
          expect({ position: e.position, balanced: debit === credit }).toEqual({ position: e.position, balanced: true });
          on411 += lines.filter((_, i) => e.lines[i].role === 'customers').reduce((a, l) => a + l.debit - l.credit, 0);
          on411 += extra.filter((l) => l.role === 'customers').reduce((a, l) => a + l.debit - l.credit, 0);
        }
        expect(on411).toBe(0);
      },
    ), { seed, numRuns: 300 });
  });
});
