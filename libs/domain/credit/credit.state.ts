import type { PendingLimitIncrease } from './credit-limit-request.events';
import type { PaymentTerms } from '../shared/payment-terms';
import type { CreditPolicy } from './credit.events';
import type { CustomerDetails } from '../customer/customer-details';

/** A hold in force: who placed it is in the event's metadata; the state keeps why. */
export interface HoldInForce {
  reason: string;
}

/** The summary of one assessment kept in state, so that a limit change can name and quote it. */
export interface AssessmentSummary {
  assessmentId: string;
  assessedOn: string;
  rating: string;
  recommendedLimit: number | null;
}

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
      /** Absent in events before named terms: net paymentTermsDays. */
      terms: PaymentTerms;
      termsAgreedBeyondCap: boolean;
      /** null = the global setting. */
      creditPolicy: CreditPolicy | null;
      holds: { manual: HoldInForce | null; policy: HoldInForce | null };
      assessments: AssessmentSummary[];
      /** A credit-limit increase above the four-eyes threshold waiting for a second principal (ADR 0042). */
      pendingLimitIncrease?: PendingLimitIncrease | null;
      /** Master data (contacts, legal identifiers, …) from CustomerDetailsChanged; empty before any. */
      details: CustomerDetails;
      /** Set by CustomerErased: personal fields read as the erased marker from then on. */
      erased: { erasedOn: string; reason: string } | null;
    };

export type ActiveCustomer = Extract<CreditState, { status: 'active' }>;

