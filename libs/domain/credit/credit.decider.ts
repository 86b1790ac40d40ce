import { assertNever, Decider } from '../shared/decider';
import { DomainError, invalid } from '../shared/errors';
import { isCurrency } from '../shared/money';
import { requireId, requireInteger, requireText } from '../shared/validation';
import { CreditEvent, CreditLimitChanged, CustomerRegistered } from './credit.events';

/** Payment terms (conditions de paiement) are net N days; the API applies the default of 30. */
export const MAX_PAYMENT_TERMS_DAYS = 365;

/** Country of customers registered without one: the engine's home market (see DOMAIN.md). */
export const DEFAULT_COUNTRY = 'FR';

export interface RegisterCustomer {
  type: 'RegisterCustomer';
  customerId: string;
  name: string;
  currency: string;
  /** Minor units of `currency`. */
  creditLimit: number;
  paymentTermsDays: number;
}

export interface ChangeCreditLimit {
  type: 'ChangeCreditLimit';
  customerId: string;
  /** Minor units of the customer's currency. */
  newLimit: number;
  reason: string;
}

export type CreditCommand = RegisterCustomer | ChangeCreditLimit;

export type CreditState =
  | { status: 'unregistered' }
  | {
      status: 'active';
      customerId: string;
      name: string;
      currency: string;
      creditLimit: number;
      paymentTermsDays: number;
      country: string;
    };

export type ActiveCustomer = Extract<CreditState, { status: 'active' }>;

function registerCustomer(command: RegisterCustomer, state: CreditState): CustomerRegistered[] {
  const customerId = requireId(command.customerId, 'customerId');
  const name = requireText(command.name, 'name', 'NAME');
  if (typeof command.currency !== 'string' || !isCurrency(command.currency)) {
    throw invalid('CURRENCY_UNKNOWN', `Unknown currency ${String(command.currency)}`, 'currency', { currency: command.currency });
  }
  const creditLimit = requireInteger(command.creditLimit, 'creditLimit', 'CREDIT_LIMIT_INVALID', 0);
  const paymentTermsDays = requireInteger(
    command.paymentTermsDays, 'paymentTermsDays', 'PAYMENT_TERMS_INVALID', 0, MAX_PAYMENT_TERMS_DAYS,
  );
  if (state.status !== 'unregistered') {
    throw new DomainError('CUSTOMER_ALREADY_EXISTS', `Customer ${customerId} is already registered`, { customerId }, 'conflict');
  }
  return [{
    type: 'CustomerRegistered',
    data: { customerId, name, currency: command.currency, creditLimit, paymentTermsDays },
  }];
}

function changeCreditLimit(command: ChangeCreditLimit, state: CreditState): CreditLimitChanged[] {
  const customerId = requireId(command.customerId, 'customerId');
  const newLimit = requireInteger(command.newLimit, 'newLimit', 'CREDIT_LIMIT_INVALID', 0);
  const reason = requireText(command.reason, 'reason', 'REASON', 500);
  if (state.status !== 'active') {
    throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} is not registered`, { customerId }, 'not_found');
  }
  // Idempotent: a retried change (or one to the current limit) records nothing.
  if (newLimit === state.creditLimit) return [];
  return [{
    type: 'CreditLimitChanged',
    data: { customerId: state.customerId, previousLimit: state.creditLimit, newLimit, reason },
  }];
}

function decide(command: CreditCommand, state: CreditState): CreditEvent[] {
  switch (command.type) {
    case 'RegisterCustomer':
      return registerCustomer(command, state);
    case 'ChangeCreditLimit':
      return changeCreditLimit(command, state);
    default:
      return assertNever(command);
  }
}

function evolve(state: CreditState, event: CreditEvent): CreditState {
  switch (event.type) {
    case 'CustomerRegistered':
      return { status: 'active', ...event.data, country: event.data.country ?? DEFAULT_COUNTRY };
    case 'CreditLimitChanged':
      return state.status === 'active' ? { ...state, creditLimit: event.data.newLimit } : state;
    default:
      return assertNever(event);
  }
}

export const initialCreditState = (): CreditState => ({ status: 'unregistered' });

/** The customer's credit account: registration, limit and terms (limite de crédit, conditions de paiement). */
export const creditDecider: Decider<CreditCommand, CreditEvent, CreditState> = {
  initialState: initialCreditState,
  evolve,
  decide,
};

