import { SHIPPED_ECB_RATES } from '../collections/late-charges';
import { fold } from '../shared/decider';
import { given } from '../shared/testing';
import { invoiceDecider } from './invoice.decider';
import type { InvoiceCommand } from './invoice.decider';
import type { InvoiceEvent } from './invoice.events';
import { dueJan31 } from './invoice.fixtures';

/**
 * Code de commerce L441-10: late-payment interest runs from the day after the due date until the day of
 * payment. Reference rate 2026-H1 = ECB MRO in force on 2026-01-01 = 2.15 %, France + 10 points = 12.15 %;
 * actual/365 (ADR 0016, 0037). Invoice 10 000.00 due 2026-01-31.
 */
const issued = dueJan31;
const assess = (asOf: string): InvoiceCommand => ({ type: 'AssessLateCharges', invoiceId: 'i1', asOf, country: 'FR', rates: SHIPPED_ECB_RATES, dayBasis: 365 });
const pay = (amount: number, receivedOn: string, paymentId = 'p1'): InvoiceCommand => ({ type: 'ApplyPayment', invoiceId: 'i1', paymentId, amount, receivedOn });

/** The history after assessing on each date, as the decider itself writes it. */
function assessedOn(...dates: string[]): InvoiceEvent[] {
  const log: InvoiceEvent[] = [issued];
  for (const d of dates) log.push(...invoiceDecider.decide(assess(d), fold(invoiceDecider, log)));
  return log;
}

describe('invoice decider — a receipt recorded after late charges but received before corrects them (ADR 0037)', () => {
  it('assessed through 03-31, then a full receipt dated 02-15: the interest after 02-15 is cancelled, dated on the assessment', () => {
    const log = assessedOn('2026-03-31');
    // 02-01…03-31 = 59 d: 1 000 000 × 1 215 × 59 / (10 000 × 365) = 19 639.73 → 196.40 + 40.00 compensation = 236.40
    expect(log[1].data).toMatchObject({ interest: 19_640, compensation: 4_000, amount: 23_640, outstanding: 1_023_640 });
    // Due only 02-01…02-15 = 15 d: 1 000 000 × 1 215 × 15 / 3 650 000 = 4 993.15 → 49.93 + 40.00 = 89.93.
    // Cancelled: 236.40 − 89.93 = 146.47 (interest only: the invoice was late, the EUR 40 stays, D441-5).
    // Owed: 10 236.40 − 10 000.00 = 236.40, less 146.47 = 89.93.
    const state = given(invoiceDecider, log).when(pay(1_000_000, '2026-02-15')).then([
      { type: 'PaymentApplied', data: { invoiceId: 'i1', customerId: 'c1', paymentId: 'p1', amount: 1_000_000, receivedOn: '2026-02-15', outstanding: 23_640 } },
      {
        type: 'LateChargesCorrected',
        data: {
          invoiceId: 'i1', customerId: 'c1', on: '2026-03-31', interest: 14_647, compensation: 0, amount: 14_647,
          cause: { type: 'PaymentApplied', reference: 'p1', on: '2026-02-15' }, recomputed: { interest: 4_993, compensation: 4_000 }, outstanding: 8_993,
        },
      },
    ]);
    expect(state).toMatchObject({ outstanding: 8_993, charged: 8_993, assessments: [{ through: '2026-03-31', amount: 8_993 }] });
  });

  it('a receipt dated on or before the due date cancels everything, the EUR 40 too, and settles the invoice', () => {
    // Paid 01-30, due 01-31: no day late, so no interest and no compensation (D441-5 applies to late payers only).
    given(invoiceDecider, assessedOn('2026-03-31')).when(pay(1_000_000, '2026-01-30')).then([
      { type: 'PaymentApplied', data: { invoiceId: 'i1', customerId: 'c1', paymentId: 'p1', amount: 1_000_000, receivedOn: '2026-01-30', outstanding: 23_640 } },
      {
        type: 'LateChargesCorrected',
        data: {
          invoiceId: 'i1', customerId: 'c1', on: '2026-03-31', interest: 19_640, compensation: 4_000, amount: 23_640,
          cause: { type: 'PaymentApplied', reference: 'p1', on: '2026-01-30' }, recomputed: { interest: 0, compensation: 0 }, outstanding: 0,
        },
      },
      { type: 'InvoiceSettled', data: { invoiceId: 'i1', customerId: 'c1', settledOn: '2026-01-30' } },
    ]);
  });

  it('two assessments: each is corrected on its own date, so the charges as of any date are what was due by then', () => {
    const log = assessedOn('2026-02-28', '2026-03-31');
    // 02-01…02-28 = 28 d: 1 000 000 × 1 215 × 28 / 3 650 000 = 9 320.55 → 93.21 + 40.00 = 133.21
    // 03-01…03-31 = 31 d: 1 000 000 × 1 215 × 31 / 3 650 000 = 10 319.18 → 103.19
    expect([log[1].data, log[2].data]).toMatchObject([{ amount: 13_321 }, { amount: 10_319 }]);
    // Paid 02-15: through 02-28 due 49.93 + 40.00 = 89.93 → 133.21 − 89.93 = 43.28 cancelled on 02-28;
    // through 03-31 due still 89.93, i.e. (196.40 + 40.00) − 89.93 = 146.47 in all, 146.47 − 43.28 = 103.19 on 03-31.
    const [, c1, c2] = invoiceDecider.decide(pay(1_000_000, '2026-02-15'), fold(invoiceDecider, log));
    expect([c1.data, c2.data]).toMatchObject([
      { on: '2026-02-28', amount: 4_328, interest: 4_328, compensation: 0, outstanding: 23_640 - 4_328 },
      { on: '2026-03-31', amount: 10_319, interest: 10_319, compensation: 0, outstanding: 8_993 },
    ]);
  });

  it('a partial receipt dated 02-15 lowers the principal from 02-16 only', () => {
    // 15 d on 10 000.00 + 44 d (02-16…03-31) on 6 000.00: (1 000 000 × 15 + 600 000 × 44) × 1 215 / 3 650 000
    // = 13 781.10 → 137.81; cancelled 196.40 − 137.81 = 58.59; owed 10 236.40 − 4 000.00 − 58.59 = 6 177.81.
    const [, c] = invoiceDecider.decide(pay(400_000, '2026-02-15'), fold(invoiceDecider, assessedOn('2026-03-31')));
    expect(c.data).toMatchObject({ amount: 5_859, interest: 5_859, compensation: 0, recomputed: { interest: 13_781, compensation: 4_000 }, outstanding: 617_781 });
  });

  it('a receipt dated on or after the last day charged corrects nothing; a back-dated credit note does', () => {
    given(invoiceDecider, assessedOn('2026-03-31')).when(pay(1_000_000, '2026-03-31')).then([
      { type: 'PaymentApplied', data: { invoiceId: 'i1', customerId: 'c1', paymentId: 'p1', amount: 1_000_000, receivedOn: '2026-03-31', outstanding: 23_640 } },
    ]);
    // Credit note of 10 000.00 on 02-15: the same figures as the receipt (146.47 cancelled on 03-31).
    const events = invoiceDecider.decide({ type: 'ApplyCreditNote', invoiceId: 'i1', creditNoteId: 'cn1', amount: 1_000_000, on: '2026-02-15' }, fold(invoiceDecider, assessedOn('2026-03-31')));
    expect(events.map((e) => e.type)).toEqual(['CreditNoteApplied', 'LateChargesCorrected']);
    expect(events[1].data).toMatchObject({ amount: 14_647, cause: { type: 'CreditNoteApplied', reference: 'cn1', on: '2026-02-15' } });
  });

  it('a later assessment starts after the corrected period and a second back-dated receipt corrects only what is left', () => {
    const log = [...assessedOn('2026-03-31')];
    log.push(...invoiceDecider.decide(pay(400_000, '2026-02-15'), fold(invoiceDecider, log)));
    // Then 6 000.00 on 02-20: 5 d (02-16…02-20) on 6 000.00 remain due: (1 000 000 × 15 + 600 000 × 5) × 1 215 / 3 650 000 = 5 991.78 → 59.92;
    // left charged 137.81 → cancelled 137.81 − 59.92 = 77.89 (difference of the recomputations: 13 781 − 5 992).
    const events = invoiceDecider.decide(pay(600_000, '2026-02-20', 'p2'), fold(invoiceDecider, log));
    expect(events[1].data).toMatchObject({ amount: 7_789, recomputed: { interest: 5_992, compensation: 4_000 }, outstanding: 9_992 });
  });
});
