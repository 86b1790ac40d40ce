import { CreditEvent } from './credit/credit.events';
import { InvoiceEvent } from './invoice/invoice.events';
import { InvoiceNumberReserved } from './invoice/invoice-numbering.events';
import { PaymentEvent } from './payment/payment.events';
import { CreditNoteEvent, CreditNoteNumberReserved } from './credit-note/credit-note.events';
import { PaymentPlanEvent } from './payment-plan/payment-plan.events';

/** Every event the engine writes. Every payload carries `customerId`, so per-customer reads need no join. */
export type ArEvent = CreditEvent | InvoiceEvent | PaymentEvent | InvoiceNumberReserved | CreditNoteEvent | CreditNoteNumberReserved | PaymentPlanEvent;
export type ArEventType = ArEvent['type'];

/** Current schema version of each event type (bumped with an upcaster, never by editing history). */
export const SCHEMA_VERSIONS: Readonly<Record<ArEventType, number>> = {
  CustomerRegistered: 1,
  CreditLimitChanged: 1,
  InvoiceIssued: 1,
  PaymentApplied: 1,
  InvoiceSettled: 1,
  PaymentReceived: 1,
  PaymentAllocated: 1,
  InvoiceNumberReserved: 1,
  PaymentTermsChanged: 1,
  CreditPolicyChanged: 1,
  CreditHoldPlaced: 1,
  CreditHoldReleased: 1,
  CreditAssessed: 1,
  InvoiceSubmittedForApproval: 1,
  InvoiceRejected: 1,
  PaymentUnapplied: 1,
  InvoiceWrittenOff: 1,
  BadDebtRecovered: 1,
  PaymentDeallocated: 1,
  PaymentReversed: 1,
  PaymentRefunded: 1,
  CreditNoteApplied: 1,
  DisputeOpened: 1,
  DisputeResolved: 1,
  CreditNoteIssued: 1,
  CreditNoteAllocated: 1,
  CreditNoteRefunded: 1,
  CreditNoteNumberReserved: 1,
  DiscountApplied: 1,
  LateChargesAssessed: 1,
  ReminderSent: 1,
  HandedToCollectionAgency: 1,
  PaymentPlanAttached: 1,
  PaymentPlanDetached: 1,
  PaymentPlanAgreed: 1,
  PaymentPlanBroken: 1,
  PaymentPlanCompleted: 1,
  WriteOffRequested: 1,
  WriteOffRequestApproved: 1,
  WriteOffRequestRejected: 1,
  CreditLimitIncreaseRequested: 1,
  CreditLimitIncreaseApproved: 1,
  CreditLimitIncreaseRejected: 1,
};
