import { CalendarDate } from '../shared/dates';
import { divideHalfUp } from '../shared/money';
import { describeTerms, netTerms, PaymentTerms } from '../shared/payment-terms';
import { legalCapFor } from './terms-policy';

/**
 * Credit assessment model (évaluation de crédit), pure and versioned. Components, each scored 0–100:
 * - `altman_z2` (weight 50): Altman Z''-score for private firms, Z'' = 6.56·X1 + 3.26·X2 + 6.72·X3 + 1.05·X4
 *   (X1 working capital / total assets, X2 retained earnings / total assets, X3 EBIT / total assets,
 *   X4 book equity / total liabilities); zones > 2.60 safe, 1.10–2.60 grey, < 1.10 distress.
 * - `payment_behaviour` (weight 30): the customer's own invoices that fell due in the last 12 months.
 * - `years_in_business` (weight 10), `external_rating` (weight 10).
 * A component whose inputs are missing is left out: the score is the weighted mean of the others and the
 * confidence (the weights present, out of 100) drops by its weight. Nothing missing ever counts as zero.
 */
export const ASSESSMENT_MODEL_VERSION = 'ar-credit-score/1';

export const FINANCIAL_FIELDS = ['workingCapital', 'retainedEarnings', 'ebit', 'bookEquity', 'totalAssets', 'totalLiabilities', 'annualRevenue'] as const;
export type FinancialField = (typeof FINANCIAL_FIELDS)[number];
/** Minor units of the customer's currency; null = not given. */
export type Financials = Record<FinancialField, number | null>;

export const RATINGS = ['A', 'B', 'C', 'D', 'E'] as const;
export type Rating = (typeof RATINGS)[number];

/** The customer's own payment history, read from the invoices read model. */
export interface PaymentBehaviour {
  source: string;
  window: { from: CalendarDate; to: CalendarDate };
  /** Invoices whose due date fell in the window (the history the component needs; 0 = no history yet). */
  invoicesDue: number;
  paidLate: number;
  /** Days late averaged over every invoice due (on time counts 0; unpaid counts until the assessment date), 2 decimals. */
  averageDaysLate: number;
  openDisputes: number;
  disputesSource: string;
}

export interface AssessmentInputs {
  financials: Financials;
  yearsInBusiness: number | null;
  externalRating: { agency: string; grade: Rating } | null;
  paymentBehaviour: PaymentBehaviour;
}

export interface Component {
  name: 'altman_z2' | 'payment_behaviour' | 'years_in_business' | 'external_rating';
  weight: number;
  available: boolean;
  /** 0–100; null when not available. */
  points: number | null;
  figures: Record<string, unknown>;
  explanation: string;
}

export interface AssessmentResult {
  score: number;
  rating: Rating;
  /** Percent of the model's weight that could be computed (100 = every input present). */
  confidence: number;
  zScore: number | null;
  zone: 'safe' | 'grey' | 'distress' | null;
  /** Minor units; null when annual revenue is missing. */
  recommendedLimit: number | null;
  recommendedTerms: PaymentTerms;
  recommendedTermsDescription: string;
}

export type CreditAssessedData = {
  customerId: string;
  assessmentId: string;
  assessedOn: CalendarDate;
  modelVersion: string;
  currency: string;
  country: string;
  inputs: AssessmentInputs;
  breakdown: { components: Component[]; missingInputs: string[]; notes: string[] };
  result: AssessmentResult;
};

const round = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function zoneOf(z: number): 'safe' | 'grey' | 'distress' {
  if (z > 2.6) return 'safe';
  return z >= 1.1 ? 'grey' : 'distress';
}

/** Piecewise linear: 0 → 0, 1.10 → 30, 2.60 → 70, 5.00 → 100 (zone borders keep their meaning). */
export function zPoints(z: number): number {
  if (z <= 0) return 0;
  if (z < 1.1) return Math.round((30 * z) / 1.1);
  if (z <= 2.6) return Math.round(30 + (40 * (z - 1.1)) / 1.5);
  if (z < 5) return Math.round(70 + (30 * (z - 2.6)) / 2.4);
  return 100;
}

export function altmanZ2(f: Financials): { x1: number; x2: number; x3: number; x4: number; z: number } | { missing: string[]; reason: string } {
  const needed: FinancialField[] = ['workingCapital', 'retainedEarnings', 'ebit', 'bookEquity', 'totalAssets', 'totalLiabilities'];
  const missing = needed.filter((k) => f[k] === null);
  if (missing.length > 0) return { missing, reason: `missing ${missing.join(', ')}` };
  if (f.totalAssets! <= 0) return { missing: [], reason: 'total assets must be positive' };
  if (f.totalLiabilities! <= 0) return { missing: [], reason: 'total liabilities is zero: X4 is undefined' };
  const x1 = f.workingCapital! / f.totalAssets!;
  const x2 = f.retainedEarnings! / f.totalAssets!;
  const x3 = f.ebit! / f.totalAssets!;
  const x4 = f.bookEquity! / f.totalLiabilities!;
  const z = 6.56 * x1 + 3.26 * x2 + 6.72 * x3 + 1.05 * x4;
  return { x1: round(x1, 4), x2: round(x2, 4), x3: round(x3, 4), x4: round(x4, 4), z: round(z, 4) };
}

export function ratingOf(score: number): Rating {
  if (score >= 80) return 'A';
  if (score >= 65) return 'B';
  if (score >= 50) return 'C';
  return score >= 35 ? 'D' : 'E';
}

/** Share of annual revenue recommended as a limit, in basis points, by rating. */
export const LIMIT_SHARE_BP: Record<Rating, number> = { A: 1_000, B: 750, C: 500, D: 250, E: 0 };
/** Net days recommended by rating, then capped by the country's legal cap. */
export const TERMS_DAYS: Record<Rating, number> = { A: 60, B: 45, C: 30, D: 15, E: 0 };
const GRADE_POINTS: Record<Rating, number> = { A: 100, B: 80, C: 60, D: 40, E: 20 };

/** Raises when no component can be computed: an assessment without any evidence is refused, not guessed. */
export class NoEvidenceError extends Error {}

export function assess(inputs: AssessmentInputs, country: string): { breakdown: CreditAssessedData['breakdown']; result: AssessmentResult } {
  const components: Component[] = [];
  const missingInputs: string[] = [];
  const notes: string[] = [];

  const z = altmanZ2(inputs.financials);
  if ('z' in z) {
    components.push({
      name: 'altman_z2', weight: 50, available: true, points: zPoints(z.z), figures: { ...z, zone: zoneOf(z.z) },
      explanation: "Z'' = 6.56·X1 + 3.26·X2 + 6.72·X3 + 1.05·X4; points 0 at Z''≤0, 30 at 1.10, 70 at 2.60, 100 at 5.00 (linear between)",
    });
  } else {
    missingInputs.push(...z.missing);
    components.push({ name: 'altman_z2', weight: 50, available: false, points: null, figures: {}, explanation: `not computed: ${z.reason}` });
  }

  const b = inputs.paymentBehaviour;
  if (b.invoicesDue > 0) {
    const shareLatePct = (100 * b.paidLate) / b.invoicesDue;
    const points = clamp(Math.round((100 - shareLatePct) / 2 + Math.max(0, 100 - 2 * b.averageDaysLate) / 2) - 10 * b.openDisputes, 0, 100);
    components.push({
      name: 'payment_behaviour', weight: 30, available: true, points,
      figures: { invoicesDue: b.invoicesDue, paidLate: b.paidLate, shareLatePercent: round(shareLatePct, 2), averageDaysLate: b.averageDaysLate, openDisputes: b.openDisputes, disputesSource: b.disputesSource },
      explanation: 'points = (100 − % paid late)/2 + max(0, 100 − 2 × average days late)/2 − 10 per open dispute, within 0–100',
    });
  } else {
    missingInputs.push('paymentHistory');
    components.push({ name: 'payment_behaviour', weight: 30, available: false, points: null, figures: { invoicesDue: 0 }, explanation: 'not computed: no invoice fell due in the last 12 months' });
  }

  if (inputs.yearsInBusiness !== null) {
    components.push({
      name: 'years_in_business', weight: 10, available: true, points: Math.min(inputs.yearsInBusiness, 10) * 10,
      figures: { yearsInBusiness: inputs.yearsInBusiness }, explanation: 'points = 10 per year, at most 100',
    });
  } else {
    missingInputs.push('yearsInBusiness');
    components.push({ name: 'years_in_business', weight: 10, available: false, points: null, figures: {}, explanation: 'not computed: years in business not given' });
  }

  if (inputs.externalRating !== null) {
    components.push({
      name: 'external_rating', weight: 10, available: true, points: GRADE_POINTS[inputs.externalRating.grade],
      figures: { ...inputs.externalRating }, explanation: 'points A 100, B 80, C 60, D 40, E 20',
    });
  } else {
    missingInputs.push('externalRating');
    components.push({ name: 'external_rating', weight: 10, available: false, points: null, figures: {}, explanation: 'not computed: no external rating given' });
  }

  const present = components.filter((c) => c.available);
  const confidence = present.reduce((s, c) => s + c.weight, 0);
  if (confidence === 0) throw new NoEvidenceError('no component of the model could be computed');
  const score = Math.round(present.reduce((s, c) => s + c.weight * c.points!, 0) / confidence);
  const rating = ratingOf(score);
  if (confidence < 100) notes.push(`confidence ${confidence} %: ${components.filter((c) => !c.available).map((c) => c.name).join(', ')} left out; the score is the weighted mean of the rest`);

  let recommendedLimit: number | null = null;
  const revenue = inputs.financials.annualRevenue;
  if (revenue === null) {
    missingInputs.push('annualRevenue');
    notes.push('no recommended limit: annual revenue not given');
  } else {
    // revenue × share(rating) × confidence, rounded once, half-up, to the minor unit.
    recommendedLimit = Math.max(0, Number(divideHalfUp(BigInt(revenue) * BigInt(LIMIT_SHARE_BP[rating]) * BigInt(confidence), 10_000n * 100n)));
    notes.push(`recommended limit = annual revenue × ${LIMIT_SHARE_BP[rating] / 100} % (rating ${rating}) × confidence ${confidence} %`);
  }
  const cap = legalCapFor(country);
  const days = cap === null ? TERMS_DAYS[rating] : Math.min(TERMS_DAYS[rating], cap.maxDays);
  const recommendedTerms = netTerms(days);
  return {
    breakdown: { components, missingInputs: [...new Set(missingInputs)], notes },
    result: {
      score, rating, confidence,
      zScore: 'z' in z ? z.z : null, zone: 'z' in z ? zoneOf(z.z) : null,
      recommendedLimit, recommendedTerms, recommendedTermsDescription: describeTerms(recommendedTerms),
    },
  };
}
