import { given } from '../shared/testing';
import { invoiceDecider } from '../invoice/invoice.decider';
import { InvoiceEvent } from '../invoice/invoice.events';
import { issued } from '../invoice/invoice.fixtures';
import { DEFAULT_DUNNING_LEVELS, DunnableItem, planDunning, validateLevels } from './dunning';

const item = (patch: Partial<DunnableItem> = {}): DunnableItem => ({
  invoiceId: 'i1', customerId: 'c1', number: 'INV-1', currency: 'EUR', dueDate: '2026-01-31', outstanding: 10_000, disputed: 0, inPaymentPlan: false, dunningLevel: 0, ...patch,
});
const plan = (items: DunnableItem[], asOf: string, credit = new Map<string, number>()) => planDunning(items, asOf, DEFAULT_DUNNING_LEVELS, credit);

describe('dunning plan', () => {
  it('anchors levels on the due date: the highest level due, not one per run', () => {
    expect(plan([item()], '2026-02-06')[0]).toMatchObject({ outcome: 'skip', reason: '6 days past due, first level at 7' });
    expect(plan([item()], '2026-02-07')[0]).toMatchObject({ outcome: 'send', level: { level: 1 }, daysPastDue: 7 });
    // First run 40 days late: straight to the formal notice (35), the missed reminders are not sent late.
    expect(plan([item()], '2026-03-12')[0]).toMatchObject({ outcome: 'send', level: { level: 3, assessCharges: true } });
    expect(plan([item({ dunningLevel: 3 })], '2026-03-20')[0]).toMatchObject({ outcome: 'skip', reason: 'level 3 already sent; level 3 is the highest due' });
    expect(plan([item({ dunningLevel: 3 })], '2026-04-01')[0]).toMatchObject({ outcome: 'send', level: { level: 4, creditHold: true, collectionAgency: true } });
  });
  it('skips disputed invoices, invoices under a payment plan, customers covered by their credit, and nothing owed', () => {
    expect(plan([item({ disputed: 1 })], '2026-03-01')[0]).toMatchObject({ outcome: 'skip', reason: expect.stringMatching(/disputed/) });
    expect(plan([item({ inPaymentPlan: true })], '2026-03-01')[0]).toMatchObject({ outcome: 'skip', reason: 'under a payment plan' });
    expect(plan([item()], '2026-03-01', new Map([['c1', 10_000]]))[0]).toMatchObject({ outcome: 'skip', reason: expect.stringMatching(/credit covers/) });
    expect(plan([item()], '2026-03-01', new Map([['c1', 9_999]]))[0]).toMatchObject({ outcome: 'send' });
    expect(plan([item({ outstanding: 0 })], '2026-03-01')[0]).toMatchObject({ outcome: 'skip', reason: 'nothing owed' });
  });
  it('validates configured levels', () => {
    expect(() => validateLevels([{ ...DEFAULT_DUNNING_LEVELS[1], level: 1 }, { ...DEFAULT_DUNNING_LEVELS[0], level: 2 }])).toThrow();
  });
});

describe('invoice decider — SendDunning', () => {
  // issued: inv-1 due 2024-03-01, 484.73
  const send = (level: number, asOf: string) => ({ type: 'SendDunning' as const, invoiceId: 'inv-1', level: DEFAULT_DUNNING_LEVELS[level - 1], asOf, language: 'fr' });
  const sent = (level: number, asOf: string, days: number): InvoiceEvent => {
    const l = DEFAULT_DUNNING_LEVELS[level - 1];
    return { type: 'ReminderSent', data: { invoiceId: 'inv-1', customerId: 'cust-1', level, name: l.name, action: l.action, template: l.template, language: 'fr', asOf, daysPastDue: days, outstanding: 48_473, creditHold: l.creditHold } };
  };
  it('records a level once, whatever how often it is asked', () => {
    const state = given(invoiceDecider, [issued]).when(send(1, '2024-03-08')).then([sent(1, '2024-03-08', 7)]);
    expect(state).toMatchObject({ dunningLevel: 1 });
    given(invoiceDecider, [issued, sent(1, '2024-03-08', 7)]).when(send(1, '2024-03-09')).then([]);
  });
  it('hands the invoice to the collection agency at the agency level', () => {
    given(invoiceDecider, [issued]).when(send(4, '2024-04-30')).then([
      sent(4, '2024-04-30', 60),
      { type: 'HandedToCollectionAgency', data: { invoiceId: 'inv-1', customerId: 'cust-1', level: 4, asOf: '2024-04-30', outstanding: 48_473 } },
    ]);
  });
  it('refuses a level not yet due and a disputed invoice', () => {
    given(invoiceDecider, [issued]).when(send(2, '2024-03-20')).thenThrows('DUNNING_LEVEL_NOT_DUE', { details: { daysPastDue: 19 } });
    given(invoiceDecider, [issued, { type: 'DisputeOpened', data: { invoiceId: 'inv-1', customerId: 'cust-1', disputeId: 'd', amount: 1, reason: 'r', openedOn: '2024-03-02' } }])
      .when(send(1, '2024-03-10')).thenThrows('INVOICE_DISPUTED');
  });
});
