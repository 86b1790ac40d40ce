import { addDays, dateOfInstant } from '../domain/shared/dates';
import { DomainError } from '../domain/shared/errors';
import type { CommandContext } from './command-context';
import type { DatedField } from './periods/command-dates';

/**
 * The future horizon of effective dates (ADR 0031): a command's business dates — the one table of them,
 * `COMMAND_DATES` in periods/command-dates.ts, which the closed-period rule reads too — may lie at most
 * `horizonDays` after the day it was received (`ctx.recordedAt`, never the clock): else `422 DATE_BEYOND_HORIZON`
 * with the field. Checked by the command gate (periods/command-gate.ts) for every command that originates a chain;
 * steps derived from accepted events share their origin's verdict, so a later change of the horizon never refuses
 * a replay. Past dates are not its business (closed periods are); malformed dates are left to the handler (400).
 */
export function horizonRefusal(dates: readonly DatedField[], ctx: Pick<CommandContext, 'recordedAt'> | undefined, horizonDays: number): DomainError | null {
  if (!ctx?.recordedAt) return null;
  const receivedOn = dateOfInstant(ctx.recordedAt);
  const horizon = addDays(receivedOn, horizonDays);
  for (const { field, date } of dates) {
    if (date <= horizon) continue;
    return new DomainError('DATE_BEYOND_HORIZON', `${field} ${date} is more than ${horizonDays} days after ${receivedOn}, the day the command was received`, {
      field, date, horizon, receivedOn, horizonDays,
    });
  }
  return null;
}
