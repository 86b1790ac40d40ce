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
  it('anchors levels on the due date, in ladder order: a formal notice always follows the reminders (ADR 0039)', () => {
    expect(plan([item()], '2026-02-06')[0]).toMatchObject({ outcome: 'skip', reason: '6 days past due, first level at 7' });
    expect(plan([item()], '2026-02-07')[0]).toMatchObject({ outcome: 'send', level: { level: 1 }, daysPastDue: 7 });
    // Runs on time: each level on its anchor (due 01-31 + 21 = 02-21, + 35 = 03-07, + 60 = 04-01).
    expect(plan([item({ dunningLevel: 1, lastSentOn: '2026-02-07' })], '2026-02-21')[0]).toMatchObject({ outcome: 'send', level: { level: 2 } });
    expect(plan([item({ dunningLevel: 2, lastSentOn: '2026-02-21' })], '2026-03-07')[0]).toMatchObject({ outcome: 'send', level: { level: 3, assessCharges: true } });
    expect(plan([item({ dunningLevel: 3, lastSentOn: '2026-03-07' })], '2026-03-20')[0]).toMatchObject({ outcome: 'skip', reason: 'level 3 sent on 2026-03-07: level 4 is due on 2026-04-01' });
    expect(plan([item({ dunningLevel: 3, lastSentOn: '2026-03-07' })], '2026-04-01')[0]).toMatchObject({ outcome: 'send', level: { level: 4, creditHold: true, collectionAgency: true } });
    // First run 40 days late: the first reminder, not a formal notice referring to reminders never sent;
    // the second follows 21 − 7 = 14 days after it (03-26), the formal notice 14 days later (04-09).
    expect(plan([item()], '2026-03-12')[0]).toMatchObject({ outcome: 'send', level: { level: 1 } });
    expect(plan([item({ dunningLevel: 1, lastSentOn: '2026-03-12' })], '2026-03-25')[0]).toMatchObject({ outcome: 'skip', reason: 'level 1 sent on 2026-03-12: level 2 is due on 2026-03-26' });
    expect(plan([item({ dunningLevel: 1, lastSentOn: '2026-03-12' })], '2026-03-26')[0]).toMatchObject({ outcome: 'send', level: { level: 2 }, reason: '54 days past due ≥ 21, due on 2026-03-26: Second reminder' });
    expect(plan([item({ dunningLevel: 2, lastSentOn: '2026-03-26' })], '2026-04-09')[0]).toMatchObject({ outcome: 'send', level: { level: 3 } });
  });
  it('skips disputed invoices, invoices under a payment plan, customers covered by their credit, and nothing owed', () => {
    expect(plan([item({ disputed: 1 })], '2026-03-01')[0]).toMatchObject({ outcome: 'skip', reason: expect.stringMatching(/disputed/) });
    expect(plan([item({ inPaymentPlan: true })], '2026-03-01')[0]).toMatchObject({ outcome: 'skip', reason: 'under a payment plan' });
    expect(plan([item()], '2026-03-01', new Map([['c1', 10_000]]))[0]).toMatchObject({ outcome: 'skip', reason: expect.stringMatching(/credit covers/) });
    expect(plan([item()], '2026-03-01', new Map([['c1', 9_999]]))[0]).toMatchObject({ outcome: 'send' });
    expect(plan([item({ outstanding: 0 })], '2026-03-01')[0]).toMatchObject({ outcome: 'skip', reason: 'nothing owed' });
  });
  it('after a rejected dispute, resumes at the first level not yet sent, then at the ladder intervals from the resumption (ADR 0038)', () => {
    // Due 2026-01-31; level 1 sent, then disputed; rejected on 2026-03-22 (50 days past due, where the
    // due-date anchor alone would jump to the formal notice at 35 and skip the second reminder).
    const paused = item({ dunningLevel: 1, resumedOn: '2026-03-22', resumedAtLevel: 1 });
    // Level 2 (due + 21 = 02-21, already passed) is due on the resumption day itself.
    expect(plan([paused], '2026-03-22')[0]).toMatchObject({ outcome: 'send', level: { level: 2 } });
    // Level 3 follows 35 − 21 = 14 days after the resumption: 03-22 + 14 = 04-05, not before.
    const second = item({ dunningLevel: 2, resumedOn: '2026-03-22', resumedAtLevel: 1 });
    expect(plan([second], '2026-04-04')[0]).toMatchObject({ outcome: 'skip', reason: 'dunning resumed on 2026-03-22: level 3 is due on 2026-04-05' });
    expect(plan([second], '2026-04-05')[0]).toMatchObject({ outcome: 'send', level: { level: 3 } });
    // Level 4 at 60 − 21 = 39 days after: 04-30; never two levels in one run even when both are due.
    expect(plan([item({ dunningLevel: 2, resumedOn: '2026-03-22', resumedAtLevel: 1 })], '2026-05-30')[0]).toMatchObject({ outcome: 'send', level: { level: 3 } });
    expect(plan([item({ dunningLevel: 3, resumedOn: '2026-03-22', resumedAtLevel: 1 })], '2026-04-29')[0]).toMatchObject({ outcome: 'skip' });
    expect(plan([item({ dunningLevel: 3, resumedOn: '2026-03-22', resumedAtLevel: 1 })], '2026-04-30')[0]).toMatchObject({ outcome: 'send', level: { level: 4 } });
    expect(plan([item({ dunningLevel: 4, resumedOn: '2026-03-22', resumedAtLevel: 1 })], '2026-09-30')[0]).toMatchObject({ outcome: 'skip', reason: 'level 4 already sent; no level above it' });
  });
  it('a run late after the resumption spaces the letters: the next waits the ladder interval after the last one sent', () => {
    // Level 2 sent 2026-05-30 (late run); level 3 was scheduled 04-05, so it comes 35 − 21 = 14 days later, on 06-13.
    const late = item({ dunningLevel: 2, resumedOn: '2026-03-22', resumedAtLevel: 1, lastSentOn: '2026-05-30' });
    expect(plan([late], '2026-05-30')[0]).toMatchObject({ outcome: 'skip', reason: 'dunning resumed on 2026-03-22: level 3 is due on 2026-06-13' });
    expect(plan([late], '2026-06-13')[0]).toMatchObject({ outcome: 'send', level: { level: 3 } });
  });
  it('a dispute rejected before the first level was due: the ladder keeps its due-date anchors', () => {
    // Rejected on 02-03, level 1 due at 01-31 + 7 = 02-07: the later of the two, then + 14 → level 2 on 02-21 = due + 21.
    const early = item({ resumedOn: '2026-02-03', resumedAtLevel: 0 });
    expect(plan([early], '2026-02-06')[0]).toMatchObject({ outcome: 'skip' });
    expect(plan([early], '2026-02-07')[0]).toMatchObject({ outcome: 'send', level: { level: 1 } });
    expect(plan([{ ...early, dunningLevel: 1 }], '2026-02-20')[0]).toMatchObject({ outcome: 'skip' });
    expect(plan([{ ...early, dunningLevel: 1 }], '2026-02-21')[0]).toMatchObject({ outcome: 'send', level: { level: 2 } });
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
