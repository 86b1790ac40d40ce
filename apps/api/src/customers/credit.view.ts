import type { CreditAssessedData } from '../../../../libs/domain/credit/assessment-model';
import { legalCapFor, termsView } from '../../../../libs/domain/credit/terms-policy';
import { formatAmount } from '../../../../libs/domain/shared/money';
import type { CreditExposure } from '../../../../projections';

/** Utilisation in basis points → a fraction and a percent, as decimal strings. */
export function utilisationView(bp: number | null): { utilisation: string | null; utilisationPercent: string | null } {
  if (bp === null) return { utilisation: null, utilisationPercent: null };
  return { utilisation: (bp / 10_000).toFixed(4), utilisationPercent: (bp / 100).toFixed(2) };
}

/** An assessment as stored, with its amounts as decimal strings in the customer's currency. */
export function assessmentView(a: CreditAssessedData): Record<string, unknown> {
  const f = (minor: number | null) => (minor === null ? null : formatAmount(minor, a.currency));
  return {
    assessmentId: a.assessmentId,
    assessedOn: a.assessedOn,
    modelVersion: a.modelVersion,
    currency: a.currency,
    country: a.country,
    inputs: {
      ...a.inputs,
      financials: Object.fromEntries(Object.entries(a.inputs.financials).map(([k, v]) => [k, f(v)])),
    },
    breakdown: a.breakdown,
    result: { ...a.result, recommendedLimit: f(a.result.recommendedLimit), recommendedTerms: termsView(a.result.recommendedTerms) },
  };
}

export function creditView(d: CreditExposure, globalPolicy: string): Record<string, unknown> {
  const f = (minor: number) => formatAmount(minor, d.currency);
  return {
    customerId: d.customerId,
    name: d.name,
    currency: d.currency,
    country: d.country,
    creditLimit: f(d.creditLimit),
    terms: { ...termsView(d.terms), agreedBeyondCap: d.termsAgreedBeyondCap, legalCap: legalCapFor(d.country) },
    creditPolicy: { policy: d.creditPolicy ?? globalPolicy, source: d.creditPolicy === null ? 'global' : 'customer' },
    hold: {
      onHold: d.onHold,
      holds: (['manual', 'policy'] as const).flatMap((kind) => (d.holds[kind] ? [{ kind, ...d.holds[kind] }] : [])),
    },
    exposure: {
      openReceivables: f(d.receivables),
      pendingApproval: f(d.pendingApproval),
      unappliedCredit: f(d.unapplied),
      exposure: f(d.exposure),
    },
    availableCredit: f(d.availableCredit),
    ...utilisationView(d.utilisationBp),
    pendingInvoices: Object.entries(d.pendingInvoices).map(([invoiceId, p]) => ({ invoiceId, total: f(p.total), issueDate: p.issueDate })),
    rating: d.rating,
    score: d.score,
    latestAssessment: d.latestAssessment ? assessmentView(d.latestAssessment) : null,
  };
}
