import { SHIPPED_ECB_RATES } from '../collections/late-charges';
import type { PlanInterestTerms } from '../payment-plan/plan-interest';
import { given } from '../shared/testing';
import { invoiceDecider } from './invoice.decider';
import type { InvoiceCommand } from './invoice.decider';
import type { InvoiceEvent } from './invoice.events';
import { dueJan31 } from './invoice.fixtures';

/**
 * Late-payment interest during a payment plan (ADR 0051). Code de commerce L441-10: simple interest from the day
 * after the due date at the ECB rate of 1 January (2.15 %) + 10 points = 12.15 %, actual/365; D441-5: EUR 40 once
 * per late invoice. Invoice 10 000.00 due 2026-01-31; plan pl1 agreed 2026-03-01; 5 000.00 received 03-31 and
 * (kept plans) 5 000.00 on 04-30.
 */
const issued = dueJan31;
const attached = { type: 'PaymentPlanAttached', data: { invoiceId: 'i1', customerId: 'c1', planId: 'pl1' } } as InvoiceEvent;
const detached = (reason: 'broken' | 'completed') => ({ type: 'PaymentPlanDetached', data: { invoiceId: 'i1', customerId: 'c1', planId: 'pl1', reason } }) as InvoiceEvent;
const paid = (paymentId: string, receivedOn: string, outstanding: number) =>
  ({ type: 'PaymentApplied', data: { invoiceId: 'i1', customerId: 'c1', paymentId, amount: 500_000, receivedOn, outstanding } }) as InvoiceEvent;
const terms = (patch: Partial<PlanInterestTerms> = {}): PlanInterestTerms => ({ planId: 'pl1', interest: 'accrue', agreedOn: '2026-03-01', status: 'active', endedOn: null, ...patch });
const assess = (asOf: string, plans: PlanInterestTerms[]): InvoiceCommand => ({ type: 'AssessLateCharges', invoiceId: 'i1', asOf, country: 'FR', rates: SHIPPED_ECB_RATES, dayBasis: 365, plans });
const charged = (data: Record<string, unknown>) => expect.objectContaining({ type: 'LateChargesAssessed', data: expect.objectContaining(data) });

describe('invoice decider — late charges during a payment plan (ADR 0051)', () => {
  it('in force: days before the agreement are assessed, the plan days are deferred to its end', () => {
    // 02-01…02-28 = 28 d: 10 000.00 × 12.15 % × 28 / 365 = 93.205… → 93.21, + 40.00 (D441-5) = 133.21; through 02-28.
    given(invoiceDecider, [issued, attached]).when(assess('2026-03-31', [terms()])).then([
      charged({ from: '2026-02-01', through: '2026-02-28', interest: 9_321, compensation: 4_000, amount: 13_321, outstanding: 1_013_321 }),
    ]);
    const first = invoiceDecider.decide(assess('2026-03-31', [terms()]), [issued, attached].reduce(invoiceDecider.evolve, invoiceDecider.initialState()));
    // Again while in force: nothing from 03-01 on, whatever the date.
    given(invoiceDecider, [issued, attached, ...first as InvoiceEvent[], paid('p1', '2026-03-31', 513_321)]).when(assess('2026-04-20', [terms()])).then([]);
    // The terms of the plan the invoice is in must be given (the handler reads them from the plan's stream).
    expect(() => invoiceDecider.decide(assess('2026-03-31', []), [issued, attached].reduce(invoiceDecider.evolve, invoiceDecider.initialState()))).toThrow(/terms of its payment plan pl1/);
  });

  it('accrue, kept: the assessment after the end charges the whole period from the original due date', () => {
    // 02-01…03-31 (59 d) on 10 000.00, 04-01…04-30 (30 d) on 5 000.00, nothing owed from 05-01:
    // (10 000.00 × 59 + 5 000.00 × 30) × 12.15 % / 365 = (590 000.00 + 150 000.00) × 0.1215 / 365 = 246.328… → 246.33, + 40.00 = 286.33.
    const log = [issued, attached, paid('p1', '2026-03-31', 500_000), paid('p2', '2026-04-30', 0), detached('completed')];
    given(invoiceDecider, log).when(assess('2026-05-31', [terms({ status: 'completed', endedOn: '2026-04-30' })])).then([
      charged({ from: '2026-02-01', through: '2026-05-31', interest: 24_633, compensation: 4_000, amount: 28_633, outstanding: 28_633, reopened: true }),
    ]);
  });

  it('waive, kept: no interest for the days the plan was in force (03-01…04-30); the days before and the EUR 40 stay due', () => {
    // 02-01…02-28 (28 d) on 10 000.00 = 93.21 (as above); 03-01…04-30 waived; 05-01…05-31 nothing owed. + 40.00 = 133.21.
    const log = [issued, attached, paid('p1', '2026-03-31', 500_000), paid('p2', '2026-04-30', 0), detached('completed')];
    const kept = [terms({ interest: 'waive', status: 'completed', endedOn: '2026-04-30' })];
    given(invoiceDecider, log).when(assess('2026-05-31', kept)).then([
      charged({ from: '2026-02-01', through: '2026-05-31', interest: 9_321, compensation: 4_000, amount: 13_321, lines: [expect.objectContaining({ from: '2026-02-01', to: '2026-02-28', days: 28 })] }),
    ]);
    // Agreed before the due date and kept: no interest at all, the EUR 40 once all the same (D441-5: per late invoice).
    const early = [terms({ interest: 'waive', agreedOn: '2026-01-20', status: 'completed', endedOn: '2026-04-30' })];
    given(invoiceDecider, log).when(assess('2026-05-31', early)).then([charged({ interest: 0, compensation: 4_000, amount: 4_000, lines: [] })]);
  });

  it('waive, kept: the assessment records the waived days, so a later correction recomputes without them (ADR 0037)', () => {
    const log = [issued, attached, paid('p1', '2026-03-31', 500_000), paid('p2', '2026-04-30', 0), detached('completed')];
    const kept = [terms({ interest: 'waive', status: 'completed', endedOn: '2026-04-30' })];
    const assessed = invoiceDecider.decide(assess('2026-05-31', kept), log.reduce(invoiceDecider.evolve, invoiceDecider.initialState())) as InvoiceEvent[];
    expect(assessed[0].data).toMatchObject({ waived: [{ planId: 'pl1', from: '2026-03-01', to: '2026-04-30' }] });
    // 50.00 received on 02-15, recorded now: the principal is 9 950.00 from 02-16. Charged 02-01…02-28 again:
    // (10 000.00 × 15 + 9 950.00 × 13) × 12.15 % / 365 = 279 350.00 × 0.1215 / 365 = 92.989… → 92.99; 93.21 − 92.99 = 0.22
    // cancelled. (Without the waived days recorded, the recomputation over 02-01…05-31 would cancel 246.33 − 245.10 = 1.23.)
    given(invoiceDecider, [...log, ...assessed]).when({ type: 'ApplyPayment', invoiceId: 'i1', paymentId: 'p0', amount: 5_000, receivedOn: '2026-02-15' }).then([
      expect.objectContaining({ type: 'PaymentApplied' }),
      expect.objectContaining({ type: 'LateChargesCorrected', data: expect.objectContaining({ interest: 22, compensation: 0, amount: 22, outstanding: 8_299 }) }),
    ]);
  });

  it('waive, broken: the waiver is lost, every day is charged from the original due date', () => {
    // Broken on 04-15 with only the March 5 000.00 received: 02-01…03-31 (59 d) on 10 000.00, 04-01…05-31 (61 d) on 5 000.00:
    // (590 000.00 + 305 000.00) × 0.1215 / 365 = 297.924… → 297.92, + 40.00 = 337.92.
    const log = [issued, attached, paid('p1', '2026-03-31', 500_000), detached('broken')];
    given(invoiceDecider, log).when(assess('2026-05-31', [terms({ interest: 'waive', status: 'broken', endedOn: '2026-04-15' })])).then([
      charged({ from: '2026-02-01', through: '2026-05-31', interest: 29_792, compensation: 4_000, amount: 33_792, outstanding: 533_792 }),
    ]);
  });
});
