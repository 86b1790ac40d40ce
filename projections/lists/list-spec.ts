import type { Projection } from '../../libs/projection-runtime/projection';

type CompoundIndex = NonNullable<Projection['compoundIndexes']>[number];

/**
 * How a read model is listed (ADR 0069): the unique id that breaks ties, and the public sort names with the
 * document field each sorts on. Every sort field is always present (never null) in the documents, and has a
 * compound index (field, id), so every page of every order is read from an index.
 */
export interface ListSpec {
  idField: string;
  sorts: Readonly<Record<string, string>>;
  /** The sort when none is asked, e.g. `-issueDate`. */
  defaultSort: string;
}

/** One compound index (sort field, id) per sort. */
export function sortIndexes(spec: ListSpec): CompoundIndex[] {
  return [...new Set(Object.values(spec.sorts))].map((f) => ({ fields: f === spec.idField ? [f] : [f, spec.idField] }));
}

export const INVOICE_LIST: ListSpec = {
  idField: 'invoiceId',
  sorts: { dueDate: 'dueDate', issueDate: 'issueDate', number: 'number', amount: 'total', outstanding: 'outstanding', customerId: 'customerId', id: 'invoiceId' },
  defaultSort: 'dueDate',
};

export const CUSTOMER_LIST: ListSpec = {
  idField: 'customerId',
  sorts: { name: 'name', outstanding: 'outstanding', id: 'customerId' },
  defaultSort: 'name',
};

export const PAYMENT_LIST: ListSpec = {
  idField: 'paymentId',
  sorts: { receivedOn: 'receivedOn', amount: 'amount', unapplied: 'unapplied', id: 'paymentId' },
  defaultSort: '-receivedOn',
};

export const CREDIT_NOTE_LIST: ListSpec = {
  idField: 'creditNoteId',
  sorts: { issueDate: 'issueDate', number: 'number', amount: 'total', id: 'creditNoteId' },
  defaultSort: '-issueDate',
};

export const DISPUTE_LIST: ListSpec = {
  idField: 'disputeId',
  sorts: { openedOn: 'openedOn', amount: 'amount', id: 'disputeId' },
  defaultSort: '-openedOn',
};

export const PAYMENT_PLAN_LIST: ListSpec = {
  idField: 'planId',
  sorts: { agreedOn: 'agreedOn', total: 'total', id: 'planId' },
  defaultSort: '-agreedOn',
};
