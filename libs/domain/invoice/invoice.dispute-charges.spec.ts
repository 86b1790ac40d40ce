import { SHIPPED_ECB_RATES } from '../collections/late-charges';
import { fold } from '../shared/decider';
import { given } from '../shared/testing';
import { invoiceDecider } from './invoice.decider';
import type { InvoiceCommand } from './invoice.decider';
import type { InvoiceEvent } from './invoice.events';
import { dueJan31 } from './invoice.fixtures';

/**
 * Late charges and disputes (ADR 0038). L441-10: interest is owed on what is due and unpaid; an amount under
 * dispute is not yet established as due. 12.15 % (ECB 2.15 % on 2026-01-01 + 10 points), actual/365.
 * Invoice 10 000.00 due 2026-01-31.
 */
const issued = dueJan31;
const assess = (asOf: string): InvoiceCommand => ({ type: 'AssessLateCharges', invoiceId: 'i1', asOf, country: 'FR', rates: SHIPPED_ECB_RATES, dayBasis: 365 });
const dispute = (amount: number, on: string): InvoiceCommand => ({ type: 'OpenDispute', invoiceId: 'i1', disputeId: 'd1', amount, reason: 'damaged', on });
const resolve = (outcome: 'accepted' | 'rejected', agreedAmount: number | null = null): InvoiceCommand =>
  ({ type: 'ResolveDispute', invoiceId: 'i1', disputeId: 'd1', outcome, agreedAmount, note: '', on: '2026-04-10' });
const credit: InvoiceCommand = { type: 'ApplyCreditNote', invoiceId: 'i1', creditNoteId: 'cn-d1', amount: 400_000, on: '2026-04-10' };

function run(...commands: InvoiceCommand[]): InvoiceEvent[] {
  const log: InvoiceEvent[] = [issued];
  for (const c of commands) log.push(...invoiceDecider.decide(c, fold(invoiceDecider, log)));
  return log;
}

describe('invoice decider — late charges on a disputed amount (ADR 0038)', () => {
  it('while 4 000.00 is disputed, interest runs on the 6 000.00 not disputed; the rest is recorded as deferred', () => {
    // 02-01…03-31 = 59 d. Assessed: 6 000.00 × 12.15 % × 59 / 365 = 117.838… → 117.84 + 40.00 = 157.84.
    // Deferred: the whole 10 000.00 would give 196.40; 196.40 − 117.84 = 78.56 (= 4 000.00 × 12.15 % × 59 / 365 = 78.559 → 78.56).
    const log = run(dispute(400_000, '2026-02-10'));
    given(invoiceDecider, log).when(assess('2026-03-31')).then([
      expect.objectContaining({ type: 'LateChargesAssessed', data: expect.objectContaining({ interest: 11_784, compensation: 4_000, amount: 15_784, outstanding: 1_015_784 }) }),
      { type: 'LateChargesDeferred', data: { invoiceId: 'i1', customerId: 'c1', disputeId: 'd1', from: '2026-02-01', through: '2026-03-31', principal: 400_000, interest: 7_856, compensation: 0, amount: 7_856 } },
    ]);
  });

  it('rejected: the deferred charges are owed from the original due date, dated on the rejection', () => {
    // 157.84 assessed + 78.56 reinstated = 236.40 = the charges of the undisputed invoice (196.40 + 40.00).
    const log = run(dispute(400_000, '2026-02-10'), assess('2026-03-31'));
    given(invoiceDecider, log).when(resolve('rejected')).then([
      expect.objectContaining({ type: 'DisputeResolved' }),
      {
        type: 'LateChargesReinstated',
        data: { invoiceId: 'i1', customerId: 'c1', disputeId: 'd1', on: '2026-04-10', periods: [{ from: '2026-02-01', through: '2026-03-31' }], interest: 7_856, compensation: 0, amount: 7_856, outstanding: 1_023_640, reopened: false },
      },
    ]);
  });

  it('accepted in full: nothing is owed on the credited 4 000.00, charges included', () => {
    const log = run(dispute(400_000, '2026-02-10'), assess('2026-03-31'), resolve('accepted'));
    expect(log.map((e) => e.type)).toEqual(['InvoiceIssued', 'DisputeOpened', 'LateChargesAssessed', 'LateChargesDeferred', 'DisputeResolved']);
    // The credit note: 10 157.84 − 4 000.00 = 6 157.84 = 6 000.00 + its own 157.84; no correction (nothing was charged on the 4 000.00).
    given(invoiceDecider, log).when(credit).then([
      { type: 'CreditNoteApplied', data: { invoiceId: 'i1', customerId: 'c1', creditNoteId: 'cn-d1', amount: 400_000, on: '2026-04-10', outstanding: 615_784 } },
    ]);
  });

  it('accepted in full after charges were assessed on the disputed part: those charges are cancelled too', () => {
    // Through 02-28 before the dispute, on 10 000.00: 28 d → 93.21 + 40.00 = 133.21.
    // Disputed from 03-05, through 03-31: 31 d on 6 000.00 = 61.915… → 61.92 (41.27 deferred).
    const log = run(assess('2026-02-28'), dispute(400_000, '2026-03-05'), assess('2026-03-31'), resolve('accepted'));
    expect(log.map((e) => e.type)).toEqual(['InvoiceIssued', 'LateChargesAssessed', 'DisputeOpened', 'LateChargesAssessed', 'LateChargesDeferred', 'DisputeResolved']);
    expect([log[1].data, log[3].data, log[4].data]).toMatchObject([{ amount: 13_321 }, { amount: 6_192 }, { interest: 4_127 }]);
    // Credit 4 000.00 counted from the due date: February's charges on 6 000.00 only = 55.92 → 93.21 − 55.92 = 37.29 cancelled on 02-28;
    // owed 10 000.00 + 133.21 + 61.92 − 4 000.00 − 37.29 = 6 157.84 = 6 000.00 + 117.84 + 40.00, as if the 4 000.00 was never invoiced.
    const events = invoiceDecider.decide(credit, fold(invoiceDecider, log));
    expect(events.map((e) => e.type)).toEqual(['CreditNoteApplied', 'LateChargesCorrected']);
    expect(events[1].data).toMatchObject({ on: '2026-02-28', interest: 3_729, compensation: 0, amount: 3_729, cause: { type: 'CreditNoteApplied', reference: 'cn-d1' }, outstanding: 615_784 });
  });

  it('accepted for 1 000.00 of the 4 000.00 disputed: the deferred charges on the 3 000.00 not credited are owed', () => {
    // 78.56 × 3 000 / 4 000 = 58.92 reinstated.
    const log = run(dispute(400_000, '2026-02-10'), assess('2026-03-31'));
    given(invoiceDecider, log).when(resolve('accepted', 100_000)).then([
      expect.objectContaining({ type: 'DisputeResolved' }),
      expect.objectContaining({ type: 'LateChargesReinstated', data: expect.objectContaining({ interest: 5_892, compensation: 0, amount: 5_892, outstanding: 1_015_784 + 5_892 }) }),
    ]);
  });

  it('everything owed disputed: only deferred, with the EUR 40; the next assessment does not charge those days again', () => {
    // 10 000.00 disputed: 196.40 + 40.00 deferred, nothing assessed.
    const log = run(dispute(1_000_000, '2026-02-10'));
    given(invoiceDecider, log).when(assess('2026-03-31')).then([
      { type: 'LateChargesDeferred', data: { invoiceId: 'i1', customerId: 'c1', disputeId: 'd1', from: '2026-02-01', through: '2026-03-31', principal: 1_000_000, interest: 19_640, compensation: 4_000, amount: 23_640 } },
    ]);
    const rejected = run(dispute(1_000_000, '2026-02-10'), assess('2026-03-31'), resolve('rejected'));
    expect(rejected[rejected.length - 1].data).toMatchObject({ interest: 19_640, compensation: 4_000, amount: 23_640, outstanding: 1_023_640 });
    // 04-01…04-10 after the rejection: 10 d on 10 000.00 = 33.29, no second compensation.
    const [next] = invoiceDecider.decide(assess('2026-04-10'), fold(invoiceDecider, rejected));
    expect(next.data).toMatchObject({ from: '2026-04-01', through: '2026-04-10', interest: 3_329, compensation: 0 });
  });
});
