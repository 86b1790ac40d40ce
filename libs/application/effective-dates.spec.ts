import 'reflect-metadata';
import { horizonRefusal } from './effective-dates';
import { datesOf } from './periods/command-dates';
import { RecordPaymentCommand } from './commands/payment.commands';
import { AgreePaymentPlanCommand } from './commands/payment-plan.commands';
import type { CommandContext } from './command-context';
import type { EventStore } from '../event-store/event-store.port';

const ctx: CommandContext = { actor: 'spec', recordedAt: '2026-03-10T23:59:59.000Z', commandId: 'c', correlationId: 'c', causationId: 'c' };
const payment = (receivedOn: string) => new RecordPaymentCommand('p1', 'acme', '10.00', receivedOn, 'sepa', null, undefined, ctx);
/** These commands carry their dates: the store (read only for an approval without a date) is not consulted. */
const noStore = {} as EventStore;
const refusal = async (command: object, horizonDays: number) => horizonRefusal(await datesOf(command, noStore), ctx, horizonDays);

describe('effective dates: one horizon for every command (issue 10, ADR 0031), from the one table of command dates', () => {
  it('given a command received on 2026-03-10 and 366 days, accepts up to 2027-03-11 and refuses the day after, with the field', async () => {
    // 2026-03-10 + 366 days = 2027-03-11 (2026-03-10 → 2027-03-10 is 365 days; 2027 is not a leap year).
    expect(await refusal(payment('2027-03-11'), 366)).toBeNull();
    expect(await refusal(payment('2027-03-12'), 366)).toEqual(expect.objectContaining({
      code: 'DATE_BEYOND_HORIZON', kind: 'rule', details: { field: 'receivedOn', date: '2027-03-12', horizon: '2027-03-11', receivedOn: '2026-03-10', horizonDays: 366 },
    }));
    expect(await refusal(payment('9999-12-31'), 366)).toEqual(expect.objectContaining({ code: 'DATE_BEYOND_HORIZON' }));
    // Past dates are not its business (closed periods are another rule); a malformed date is left to the handler (400).
    expect(await refusal(payment('1999-01-01'), 366)).toBeNull();
    expect(await refusal(payment('soon'), 366)).toBeNull();
  });

  it('counts from the day of receipt in UTC, not from the clock; horizon 0 allows today only', async () => {
    expect(await refusal(payment('2026-03-10'), 0)).toBeNull();
    expect(await refusal(payment('2026-03-11'), 0)).toEqual(expect.objectContaining({ details: expect.objectContaining({ horizon: '2026-03-10' }) }));
  });

  it('does not look at instalment due dates', async () => {
    // A two-year plan agreed today: its last instalment is beyond the horizon, and that is fine.
    const plan = new AgreePaymentPlanCommand('pl1', 'acme', ['i1'], [{ dueDate: '2028-03-10', amount: '10.00' }], 5, '2026-03-10', ctx);
    expect(await refusal(plan, 366)).toBeNull();
    expect(await refusal(new AgreePaymentPlanCommand('pl1', 'acme', ['i1'], [], 5, '2028-03-10', ctx), 366))
      .toEqual(expect.objectContaining({ details: expect.objectContaining({ field: 'agreedOn' }) }));
  });
});
