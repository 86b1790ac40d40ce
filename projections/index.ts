import type { Projection } from '../libs/projection-runtime/projection';
import { auditTrailProjection } from './audit-trail/audit-trail.projection';
import { creditExposureProjection } from './credit-exposure/credit-exposure.projection';
import { customerCreditProjection } from './customer-credit/customer-credit.projection';
import { invoicesProjection } from './invoices/invoices.projection';
import { openBalancesProjection } from './open-balances/open-balances.projection';
import { openItemsProjection } from './open-items/open-items.projection';

export { auditTrailProjection, invoicesProjection, openBalancesProjection, openItemsProjection };
export { creditExposureProjection };
export type { CreditExposure, HoldView } from './credit-exposure/credit-exposure.projection';
export { agingReport, bucketLabels, openItemsFilter, AGING_FIELDS, AGING_INDEX, DEFAULT_AGING_BUCKETS } from './open-items/aging';
export { customerCreditProjection, creditAsOf } from './customer-credit/customer-credit.projection';
export type { CreditSource, CustomerCredit } from './customer-credit/customer-credit.projection';
export { displayStatus } from './invoices/invoices.projection';
export type { InvoiceAdjustment } from './invoices/invoices.projection';
export { STILL_OPEN } from './open-items/open-items.projection';
export type { AgingBuckets, AgingItem, AgingOptions, AgingReport, CustomerAging } from './open-items/aging';
export type { AuditEntry } from './audit-trail/audit-trail.projection';
export type { InvoiceStatus, InvoiceView } from './invoices/invoices.projection';
export type { OpenBalance } from './open-balances/open-balances.projection';
export type { Movement, OpenItem } from './open-items/open-items.projection';

/** Every read model the runtime keeps up to date. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  openBalancesProjection,
  invoicesProjection,
  openItemsProjection,
  auditTrailProjection,
  creditExposureProjection,
  customerCreditProjection,
];
