import 'reflect-metadata';
import { loadConfig } from './config';
import { ApplicationModule } from './application.module';
import { checkEffectiveDates, EFFECTIVE_DATE_FIELDS } from './effective-dates';
import { RecordPaymentCommand } from './commands/payment.commands';
import { AgreePaymentPlanCommand } from './commands/payment-plan.commands';
import { ApplyPaymentCommand } from './commands/invoice.commands';
import type { CommandContext } from './command-context';

const ctx: CommandContext = { actor: 'spec', recordedAt: '2026-03-10T23:59:59.000Z', commandId: 'c', correlationId: 'c', causationId: 'c' };
const payment = (receivedOn: string) => new RecordPaymentCommand('p1', 'acme', '10.00', receivedOn, 'sepa', null, undefined, ctx);

describe('effective dates: one horizon for every command (issue 10, ADR 0031)', () => {
  it('knows every command a handler of the application handles', () => {
    const module = ApplicationModule.forRoot(loadConfig({ AR_DATA_DIR: '/tmp/unused' }));
    const commands = (module.providers ?? [])
      .map((p) => (typeof p === 'function' ? Reflect.getMetadata('__commandHandler__', p) : undefined))
      .filter((c): c is new (...a: never[]) => object => c !== undefined);
    expect(commands.length).toBeGreaterThan(20);
    expect(commands.filter((c) => !EFFECTIVE_DATE_FIELDS.has(c)).map((c) => c.name)).toEqual([]);
  });

  it('given a command received on 2026-03-10 and 366 days, accepts up to 2027-03-11 and refuses the day after, with the field', () => {
    // 2026-03-10 + 366 days = 2027-03-11 (2026-03-10 → 2027-03-10 is 365 days; 2027 is not a leap year).
    expect(() => checkEffectiveDates(payment('2027-03-11'), 366)).not.toThrow();
    expect(() => checkEffectiveDates(payment('2027-03-12'), 366)).toThrow(expect.objectContaining({
      code: 'DATE_BEYOND_HORIZON', kind: 'rule', details: { field: 'receivedOn', date: '2027-03-12', horizon: '2027-03-11', receivedOn: '2026-03-10', horizonDays: 366 },
    }));
    expect(() => checkEffectiveDates(payment('9999-12-31'), 366)).toThrow(expect.objectContaining({ code: 'DATE_BEYOND_HORIZON' }));
    // Past dates are not its business (closed periods are another rule); a malformed date is left to the handler (400).
    expect(() => checkEffectiveDates(payment('1999-01-01'), 366)).not.toThrow();
    expect(() => checkEffectiveDates(payment('soon'), 366)).not.toThrow();
  });

  it('counts from the day of receipt in UTC, not from the clock; horizon 0 allows today only', () => {
    expect(() => checkEffectiveDates(payment('2026-03-10'), 0)).not.toThrow();
    expect(() => checkEffectiveDates(payment('2026-03-11'), 0)).toThrow(expect.objectContaining({ details: expect.objectContaining({ horizon: '2026-03-10' }) }));
  });

  it('does not look at instalment due dates or at steps derived from accepted events', () => {
    // A two-year plan agreed today: its last instalment is beyond the horizon, and that is fine.
    const plan = new AgreePaymentPlanCommand('pl1', 'acme', ['i1'], [{ dueDate: '2028-03-10', amount: '10.00' }], 5, '2026-03-10', ctx);
    expect(() => checkEffectiveDates(plan, 366)).not.toThrow();
    expect(() => checkEffectiveDates(new AgreePaymentPlanCommand('pl1', 'acme', ['i1'], [], 5, '2028-03-10', ctx), 366)).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'agreedOn' }) }));
    expect(() => checkEffectiveDates(new ApplyPaymentCommand('i1', 'p1', 1000, '2099-01-01', ctx), 366)).not.toThrow();
  });
});
