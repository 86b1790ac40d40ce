import type { Projection } from '../libs/projection-runtime/projection';
import { auditTrailProjection } from './audit-trail/audit-trail.projection';
import { creditExposureProjection } from './credit-exposure/credit-exposure.projection';
import { customerCreditProjection } from './customer-credit/customer-credit.projection';
import { invoicesProjection } from './invoices/invoices.projection';
import { openBalancesProjection } from './open-balances/open-balances.projection';
import { openItemsProjection } from './open-items/open-items.projection';
import { customerLedgerProjection } from './customer-ledger/customer-ledger.projection';
import { customerMonthsProjection } from './customer-ledger/customer-months.projection';
import { customerStreamsProjection } from './customer-streams/customer-streams.projection';
import { journalProjection } from './journal/journal.projection';
import { letteringLinksProjection } from './journal/lettering-links.projection';
import { approvalRequestsProjection } from './approval-requests/approval-requests.projection';
import { bankEntriesProjection } from './bank-entries/bank-entries.projection';
import { paymentsProjection } from './payments/payments.projection';
import { creditNotesProjection } from './credit-notes/credit-notes.projection';
import { disputesProjection } from './disputes/disputes.projection';
import { paymentPlansProjection } from './payment-plans/payment-plans.projection';

export { paymentsProjection, creditNotesProjection, disputesProjection, paymentPlansProjection };
export type { PaymentStatus, PaymentView } from './payments/payments.projection';
export type { CreditNoteStatus, CreditNoteView } from './credit-notes/credit-notes.projection';
export type { DisputeStatus, DisputeView } from './disputes/disputes.projection';
export type { PaymentPlanStatus, PaymentPlanView } from './payment-plans/payment-plans.projection';
export * from './lists/list-spec';

export { auditTrailProjection, invoicesProjection, openBalancesProjection, openItemsProjection };
export { creditExposureProjection };
export { approvalRequestsProjection, bankEntriesProjection };
export type { BankEntryView, LearnedIban, StatementView } from './bank-entries/bank-entries.projection';
import { customerProfilesProjection } from './customer-profiles/customer-profiles.projection';

export { customerProfilesProjection };
export type { CustomerProfileDoc } from './customer-profiles/customer-profiles.projection';
export type { ApprovalRequest } from './approval-requests/approval-requests.projection';
export type { CreditExposure, HoldView } from './credit-exposure/credit-exposure.projection';
export { agingReport, AgingFold, bucketLabels, openItemsFilter, AGING_FIELDS, AGING_INDEX, DEFAULT_AGING_BUCKETS } from './open-items/aging';
export { customerCreditProjection, creditAsOf } from './customer-credit/customer-credit.projection';
export type { CreditReview, CreditSource, CustomerCredit } from './customer-credit/customer-credit.projection';
export { displayStatus } from './invoices/invoices.projection';
export type { InvoiceAdjustment } from './invoices/invoices.projection';
export { STILL_OPEN } from './open-items/open-items.projection';
export type { AgingBuckets, AgingItem, AgingOptions, AgingReport, CustomerAging } from './open-items/aging';
export type { AuditEntry } from './audit-trail/audit-trail.projection';
export type { InvoiceStatus, InvoiceView } from './invoices/invoices.projection';
export type { OpenBalance } from './open-balances/open-balances.projection';
export type { Movement, OpenItem } from './open-items/open-items.projection';
export { customerLedgerProjection, customerMonthsProjection, customerStreamsProjection, journalProjection };
export { ledgerKey, type LedgerMovement } from './customer-ledger/customer-ledger.projection';
export { monthKey, type LedgerMonth } from './customer-ledger/customer-months.projection';
export type { CustomerStream } from './customer-streams/customer-streams.projection';
export { journalKey, type JournalEntry } from './journal/journal.projection';
export { letteringLinksProjection, type LetteringLink } from './journal/lettering-links.projection';
export { conversionDates, exchangeDifferences } from './journal/exchange-differences';
export * from './journal/journal-rules';

/** Every read model the runtime keeps up to date. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  openBalancesProjection,
  invoicesProjection,
  openItemsProjection,
  auditTrailProjection,
  creditExposureProjection,
  customerCreditProjection,
  journalProjection,
  letteringLinksProjection,
  customerLedgerProjection,
  customerMonthsProjection,
  customerStreamsProjection,
  approvalRequestsProjection,
  bankEntriesProjection,
  customerProfilesProjection,
  paymentsProjection,
  creditNotesProjection,
  disputesProjection,
  paymentPlansProjection,
];
export { buildStatement, checkPeriod, monthStart, type Statement, type StatementLine } from './customer-ledger/statement';
export { dsoReport, type DsoMethod, type DsoReport } from './open-items/dso';
export { DEFAULT_ECL_RATES, eclReport, lossOf, parseLossRates, type EclBucket, type EclReport, type LossRate } from './open-items/ecl';
export { chartFromJson, FRENCH_CHART, type Account, type ChartOfAccounts } from './journal/chart-of-accounts';
export { accountingLines, CSV_COLUMNS, decimal, entryCurrency, EUR_ONLY, FEC_COLUMNS, fecFileName, fecLines, journalRows, type AccountingLine, type FecEntryExtras, type FxContext, type JournalCustomers } from './journal/journal-export';
export { entryNumbers, fiscalYearOf, letterCode, lettering, type Lettering } from './journal/fec-compliance';
export { agingByInvoice, type InvoiceAgingRow } from './open-items/aging-by-invoice';
