import type { RecordedFact } from '../reporting/effective-date';
import { letterFigures } from './dunning-letter';

const fact = (type: string, data: Record<string, unknown>): Pick<RecordedFact, 'type' | 'data' | 'metadata'> => ({ type, data, metadata: { recordedAt: '2026-12-01T00:00:00.000Z' } });
const issued = fact('InvoiceIssued', { invoiceId: 'i1', customerId: 'c1', number: 'F-1', currency: 'EUR', issueDate: '2026-01-01', dueDate: '2026-01-31', total: 1_000_000 });
const charged = fact('LateChargesAssessed', {
  invoiceId: 'i1', from: '2026-02-01', through: '2026-03-31', interest: 19_640, compensation: 4_000, amount: 23_640,
  lines: [{ from: '2026-02-01', to: '2026-03-31', days: 59, principal: 1_000_000, referenceRateBp: 215, marginBp: 1000, annualRateBp: 1215 }],
});

describe('dunning letter figures (ADR 0039)', () => {
  it('given a charged invoice, then principal, interest with its rate, the EUR 40 charged, the total and an 8-day deadline', () => {
    // 10 000.00 + 196.40 interest at 12.15 % (L441-10) + 40.00 (D441-5) = 10 236.40; 2026-04-01 + 8 = 2026-04-09.
    expect(letterFigures([issued, charged], '2026-04-01')).toEqual({
      number: 'F-1', currency: 'EUR', dueDate: '2026-01-31', asOf: '2026-04-01', daysLate: 60, principal: 1_000_000, interest: 19_640,
      annualRatesBp: [1215], compensation: 4_000, compensationBasis: null, total: 1_023_640, deadline: '2026-04-09',
    });
  });
  it('given a USD invoice charged EUR 40 at 1.5, then the letter figures carry the conversion (ADR 0053)', () => {
    const usd = fact('InvoiceIssued', { ...issued.data, currency: 'USD' });
    const basis = { eur: 4_000, rate: '1.5', rateDate: '2026-01-30' };
    const usdCharged = fact('LateChargesAssessed', { ...charged.data, compensation: 6_000, amount: 25_640, compensationBasis: basis });
    expect(letterFigures([usd, usdCharged], '2026-04-01')).toMatchObject({ currency: 'USD', compensation: 6_000, compensationBasis: basis, total: 1_025_640 });
  });
  it('given a run dated before the charges and a payment, then that date’s figures: no interest, no indemnity', () => {
    const paid = fact('PaymentApplied', { invoiceId: 'i1', paymentId: 'p1', amount: 400_000, receivedOn: '2026-03-10' });
    // As of 03-05: 10 000.00 owed, no charge assessed yet (they are dated 03-31), nothing paid yet.
    expect(letterFigures([issued, charged, paid], '2026-03-05')).toMatchObject({ principal: 1_000_000, interest: 0, compensation: 0, total: 1_000_000 });
    // As of 03-31: 6 000.00 + 196.40 + 40.00.
    expect(letterFigures([issued, charged, paid], '2026-03-31')).toMatchObject({ principal: 600_000, interest: 19_640, compensation: 4_000, total: 623_640 });
  });
  it('given corrected charges, then only what stays charged; money beyond the principal pays the interest first', () => {
    const corrected = fact('LateChargesCorrected', { invoiceId: 'i1', on: '2026-03-31', interest: 14_647, compensation: 0, amount: 14_647 });
    const paid = fact('PaymentApplied', { invoiceId: 'i1', paymentId: 'p1', amount: 1_000_000 + 3_000, receivedOn: '2026-02-15' });
    // 10 003.00 paid: 10 000.00 principal, 30.00 of the 49.93 interest; owed 19.93 + 40.00 = 59.93.
    expect(letterFigures([issued, charged, corrected, paid], '2026-04-01')).toMatchObject({ principal: 0, interest: 1_993, compensation: 4_000, total: 5_993 });
  });
});
