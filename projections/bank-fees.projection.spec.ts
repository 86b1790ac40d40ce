import type { ArEvent } from '../libs/domain/events';
import type { BankFeesWrittenOff } from '../libs/domain/invoice/invoice.collection.events';
import { customerSide } from './customer-ledger/customer-ledger.projection';
import { journalEntryOf } from './journal/journal-rules';
import { letteringDocuments } from './journal/lettering-documents';
import { invoicesProjection, openBalancesProjection, openItemsProjection, STILL_OPEN } from './index';
import { agingReport } from './open-items/aging';
import { applied, issued, project, received, allocated, registered, settled } from './testing';

// ADR 0088. Invoice 480.00 (net 400.00 + VAT 80.00) paid 472.50 by transfer on 2026-03-20; the banks kept
// 480.00 − 472.50 = 7.50, accepted as bank fees: a charge of the seller, PCG 627 (services bancaires et
// assimilés), D 627 7.50 / C 411 7.50, no VAT line (the base stays the agreed price, CGI art. 266-1-a).
const fees: BankFeesWrittenOff['data'] = { invoiceId: 'i1', customerId: 'c1', paymentId: 'bank-e1', bankEntryId: 'e1', amount: 750, on: '2026-03-20', outstanding: 0 };
const history: ArEvent[] = [
  registered('c1'),
  issued('i1', 'c1', 48_000, { issueDate: '2026-03-02', dueDate: '2026-04-01' }, { number: 'F-480' }),
  { ...received('bank-e1', 'c1', 47_250, '2026-03-20'), data: { ...received('bank-e1', 'c1', 47_250, '2026-03-20').data, bankEntryId: 'e1' } },
  allocated('bank-e1', 'c1', 'i1', 47_250, '2026-03-20', 0),
  applied('i1', 'c1', 'bank-e1', 47_250, '2026-03-20', 750),
  { type: 'BankFeesWrittenOff', data: fees },
  settled('i1', 'c1', '2026-03-20'),
];
const bounced: ArEvent[] = [
  ...history,
  { type: 'PaymentUnapplied', data: { invoiceId: 'i1', customerId: 'c1', paymentId: 'bank-e1', amount: 47_250, on: '2026-03-25', reason: 'reversal', recoveryReversed: 0, outstanding: 47_250, reopened: true } },
  { type: 'BankFeesReversed', data: { invoiceId: 'i1', customerId: 'c1', paymentId: 'bank-e1', amount: 750, on: '2026-03-25', reason: 'reversal', fees, outstanding: 48_000 } },
];

describe('bank fees in the read models (ADR 0088)', () => {
  it('invoices: paid, nothing owed, the fees shown as an adjustment (472.50 paid + 7.50 fees = 480.00)', () => {
    const v = project(invoicesProjection, history).get('i1')!;
    expect(v).toMatchObject({ status: 'paid', paid: 47_250, bankFees: 750, outstanding: 0, writtenOff: 0, settledOn: '2026-03-20', vatCorrected: [] });
    expect(v.adjustments).toEqual([{ type: 'bank_fees', amount: 750, on: '2026-03-20', reference: 'bank-e1', note: 'bank entry e1' }]);
  });

  it('open items: closed on the receipt day, so aging as of any later date shows nothing; as of the day before, 480.00 current', () => {
    const item = project(openItemsProjection, history).get('i1')!;
    expect(item).toMatchObject({ outstanding: 0, closedOn: '2026-03-20' });
    expect(item.movements.reduce((s, m) => s + m.amount, 0)).toBe(48_000);
    expect(agingReport([item], '2026-03-20').total).toBe(0);
    expect(agingReport([item], '2026-03-19').total).toBe(48_000);
  });

  it('open balances: outstanding = 480.00 − 472.50 − 7.50 = 0.00, the invoice no longer open', () => {
    const b = project(openBalancesProjection, history).get('c1')!;
    expect(b).toMatchObject({ invoiced: 48_000, paid: 47_250, bankFees: 750, writtenOff: 0, outstanding: 0, openInvoiceCount: 0 });
  });

  it('journal: D 627 7.50 / C 411 7.50 on the receipt day, lettered with the invoice and its receipt; the customer account moves by 7.50', () => {
    expect(journalEntryOf('BankFeesWrittenOff', fees)).toEqual({
      journal: 'OD', date: '2026-03-20', pieceRef: 'bank-e1', pieceDate: '2026-03-20', currency: null, label: 'Frais bancaires i1',
      lines: [{ role: 'bankCharges', debit: 750, credit: 0 }, { role: 'customers', debit: 0, credit: 750 }],
    });
    expect(letteringDocuments('BankFeesWrittenOff', fees)).toEqual(['invoice:i1', 'payment:bank-e1']);
    expect(customerSide({ type: 'BankFeesWrittenOff', data: fees })).toMatchObject({ debit: 0, credit: 750 });
  });

  it('a bounced receipt takes its fees back: the invoice owes 480.00 again and the journal books the mirror D 411 / C 627', () => {
    const v = project(invoicesProjection, bounced).get('i1')!;
    expect(v).toMatchObject({ status: 'issued', paid: 0, outstanding: 48_000, settledOn: null });
    expect(v).not.toHaveProperty('bankFees');
    const item = project(openItemsProjection, bounced).get('i1')!;
    expect(item).toMatchObject({ outstanding: 48_000, closedOn: STILL_OPEN });
    expect(agingReport([item], '2026-03-26').total).toBe(48_000);
    expect(project(openBalancesProjection, bounced).get('c1')).toMatchObject({ outstanding: 48_000, openInvoiceCount: 1 });
    expect(journalEntryOf('BankFeesReversed', bounced[bounced.length - 1].data)).toMatchObject({
      date: '2026-03-25', label: 'Annulation frais bancaires i1',
      lines: [{ role: 'bankCharges', debit: 0, credit: 750 }, { role: 'customers', debit: 750, credit: 0 }],
    });
  });

  it('under VAT on receipt the fees entry also moves the VAT still waiting: D 44574 1.25 / C 44571 1.25', () => {
    const e = journalEntryOf('BankFeesWrittenOff', { ...fees, vatReceived: [{ rate: '0.20', base: 625, amount: 125 }] })!;
    expect(e.lines).toEqual([
      { role: 'bankCharges', debit: 750, credit: 0 }, { role: 'customers', debit: 0, credit: 750 },
      { role: 'vatToCollect', debit: 125, credit: 0, vatRate: '0.20' }, { role: 'vatCollected', debit: 0, credit: 125, vatRate: '0.20' },
    ]);
  });
});
