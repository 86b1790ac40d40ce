import { DomainError } from '../shared/errors';
import { addDays, isCalendarDate, type CalendarDate } from '../shared/dates';
import { requireId, requireInteger, requireText } from '../shared/validation';
import type { CreditState } from '../credit/credit.state';
import { checkConsistency, applyChanges, diffChanges, validateChanges, type DetailsChanges } from './customer-details';
import type { CustomerDetailsChanged, CustomerErased } from './customer.events';

export interface ChangeCustomerDetails {
  type: 'ChangeCustomerDetails';
  customerId: string;
  changes: Record<string, unknown>;
  reason: string;
}

/**
 * Erase the customer's personal data. The handler gathers what the retention rule needs: the business date of
 * the customer's latest accounting entry and the configured retention in years; `today` is the command's date.
 */
export interface EraseCustomer {
  type: 'EraseCustomer';
  customerId: string;
  reason: string;
  today: CalendarDate;
  retentionYears: number;
  lastEntryOn: CalendarDate | null;
}

/** D + n years, 29 February → 28 February in a common year. */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return md === '02-29' && !leap ? `${y}-02-28` : `${String(y).padStart(4, '0')}-${md}`;
}

/** Entries dated D must be kept through D + years (Code de commerce L123-22: ten years); null without entries. */
export function retentionUntil(lastEntryOn: CalendarDate | null, years: number): CalendarDate | null {
  return lastEntryOn === null ? null : addYears(lastEntryOn, years);
}

function active(state: CreditState, customerId: string) {
  if (state.status !== 'active') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
  return state;
}

/** Validated, normalised details for a registration (empty → no event). */
export function detailsAtRegistration(customerId: string, input: Record<string, unknown> | undefined): CustomerDetailsChanged[] {
  if (input === undefined) return [];
  const changes = validateChanges(input);
  if ('name' in changes) delete (changes as DetailsChanges).name;
  checkConsistency({ siren: changes.siren ?? null, siret: changes.siret ?? null, vatNumber: changes.vatNumber ?? null }, changes);
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'CustomerDetailsChanged', data: { customerId, changes, reason: 'Registration' } }];
}

export function changeCustomerDetails(command: ChangeCustomerDetails, state: CreditState): CustomerDetailsChanged[] {
  const customerId = requireId(command.customerId, 'customerId');
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  const s = active(state, customerId);
  if (s.erased) throw new DomainError('CUSTOMER_ERASED', `Customer ${customerId}'s personal data was erased on ${s.erased.erasedOn}; its details cannot change`, { customerId, erasedOn: s.erased.erasedOn }, 'conflict');
  if (typeof command.changes !== 'object' || command.changes === null || Array.isArray(command.changes)) {
    throw new DomainError('DETAILS_REQUIRED', 'Give at least one detail to change', { field: 'changes' }, 'invalid');
  }
  const changes = validateChanges(command.changes);
  if (Object.keys(changes).length === 0) throw new DomainError('DETAILS_REQUIRED', 'Give at least one detail to change', { field: 'changes' }, 'invalid');
  checkConsistency(applyChanges(s.details, changes), changes);
  const changed = diffChanges({ ...s.details, name: s.name }, changes);
  // Idempotent: setting what is already there records nothing.
  if (Object.keys(changed).length === 0) return [];
  return [{ type: 'CustomerDetailsChanged', data: { customerId, changes: changed, reason } }];
}

export function eraseCustomer(command: EraseCustomer, state: CreditState): CustomerErased[] {
  const customerId = requireId(command.customerId, 'customerId');
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  const years = requireInteger(command.retentionYears, 'retentionYears', 'RETENTION_YEARS_INVALID', 0, 100);
  if (!isCalendarDate(command.today)) throw new DomainError('DATE_INVALID', 'today must be YYYY-MM-DD', { field: 'today' }, 'invalid');
  const s = active(state, customerId);
  if (s.erased) return [];
  const until = retentionUntil(command.lastEntryOn, years);
  if (until !== null && command.today <= until) {
    const from = addDays(until, 1);
    throw new DomainError('RETENTION_PERIOD_ACTIVE',
      `Customer ${customerId} has accounting entries up to ${command.lastEntryOn}, kept ${years} years (Code de commerce L123-22) until ${until}: erasure is possible from ${from}`,
      { customerId, lastEntryOn: command.lastEntryOn, retentionYears: years, retainedUntil: until, erasableFrom: from }, 'conflict');
  }
  return [{ type: 'CustomerErased', data: { customerId, reason, erasedOn: command.today, retention: { years, lastEntryOn: command.lastEntryOn, until } } }];
}
