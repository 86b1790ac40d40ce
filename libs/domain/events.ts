import { CreditEvent } from './credit/credit.events';
import { InvoiceEvent } from './invoice/invoice.events';
import { InvoiceNumberReserved } from './invoice/invoice-numbering.events';
import { PaymentEvent } from './payment/payment.events';
import { CreditNoteEvent, CreditNoteNumberReserved } from './credit-note/credit-note.events';
import { PaymentPlanEvent } from './payment-plan/payment-plan.events';
import type { BooksEvent } from './books/books.events';
import type { CashEvent } from './cash/cash.events';

/** Every event the engine writes. Every payload carries `customerId`, so per-customer reads need no join. */
export type ArEvent = CreditEvent | InvoiceEvent | PaymentEvent | InvoiceNumberReserved | CreditNoteEvent | CreditNoteNumberReserved | PaymentPlanEvent;
export type ArEventType = ArEvent['type'];

/**
 * The company's own facts (closings of the books, stream `books-periods`): no `customerId`, so they stay out of
 * ArEvent, whose consumers are per-customer; every projection's keysOf ignores types it does not handle.
 */
export type CompanyEvent = BooksEvent | CashEvent;
export type CompanyEventType = CompanyEvent['type'];

/**
 * Current schema version of each event type (bumped with an upcaster, never by editing history).
 * v2 of InvoiceIssued, InvoiceSubmittedForApproval, CreditNoteIssued, CreditNoteNumberReserved (VAT breakdown by
 * rate, ADR 0033), CreditNoteApplied (the note's correction by rate, ADR 0034), DiscountApplied,
 * InvoiceWrittenOff, BadDebtRecovered and PaymentUnapplied (their VAT share by rate, ADR 0035; optional fields,
 * absent on v1), PaymentApplied (VAT moved on receipt, ADR 0035), PaymentPlanAgreed (the interest rule, ADR 0051; v1 → `accrue`), LateChargesAssessed (`waived` days, ADR 0051; optional, absent on v1); v3 of LateChargesAssessed and v2 of LateChargesDeferred (`compensationBasis`), LateChargesReinstated and LateChargesCorrected (`compensationEur`): the EUR 40 in any currency (ADR 0053; optional, absent before, when only EUR invoices bore it); PaymentReceived v2 (`bankEntryId` of the statement line it came from, ADR 0087; optional, absent on v1); BankEntryMatched v2 (`debtorIbanKey`, the learned IBAN's keyed hash, ADR 0090; null on v1) and BankEntrySuggested v2 (same shape; its evidence names nobody, while a v1's may, which `ar migrate pii` seals, ADR 0091); upcasters in ./upcasters.ts and invoice.collections.ts.
 */
export const SCHEMA_VERSIONS: Readonly<Record<ArEventType | CompanyEventType, number>> = {
  CustomerRegistered: 1,
  CreditLimitChanged: 1,
  InvoiceIssued: 2,
  PaymentApplied: 2,
  InvoiceSettled: 1,
  PaymentReceived: 2,
  PaymentAllocated: 1,
  InvoiceNumberReserved: 1,
  PaymentTermsChanged: 1,
  CreditPolicyChanged: 1,
  CreditHoldPlaced: 1,
  CreditHoldReleased: 1,
  CreditAssessed: 1,
  InvoiceSubmittedForApproval: 2,
  InvoiceRejected: 1,
  PaymentUnapplied: 2,
  InvoiceWrittenOff: 2,
  BadDebtRecovered: 2,
  PaymentDeallocated: 1,
  PaymentReversed: 1,
  PaymentRefunded: 1,
  PaymentHeldForReview: 1,
  CreditNoteApplied: 2,
  DisputeOpened: 1,
  DisputeResolved: 1,
  CreditNoteIssued: 2,
  CreditNoteAllocated: 1,
  CreditNoteRefunded: 1,
  CreditNoteNumberReserved: 2,
  DiscountApplied: 2,
  DiscountReversed: 1,
  BankFeesWrittenOff: 1,
  BankFeesReversed: 1,
  LateChargesAssessed: 3,
  LateChargesCorrected: 2,
  LateChargesDeferred: 2,
  LateChargesReinstated: 2,
  ReminderSent: 1,
  HandedToCollectionAgency: 1,
  PaymentPlanAttached: 1,
  PaymentPlanDetached: 1,
  PaymentPlanAgreed: 2,
  PaymentPlanBroken: 1,
  PaymentPlanCompleted: 1,
  PeriodClosed: 1,
  PeriodReopened: 1,
  BankStatementImported: 1,
  BankEntryRecorded: 1,
  BankEntryMatched: 2,
  BankEntrySuggested: 2,
  BankEntrySuggestionRejected: 1,
  BankEntryReturnApplied: 1,
  BankEntryPayerErased: 1,
  CsvMappingSaved: 1,
  WriteOffRequested: 1,
  WriteOffRequestApproved: 1,
  WriteOffRequestRejected: 1,
  CreditLimitIncreaseRequested: 1,
  CreditLimitIncreaseApproved: 1,
  CreditLimitIncreaseRejected: 1,
  CustomerDetailsChanged: 1,
  CustomerErased: 1,
};
