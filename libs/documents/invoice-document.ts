import { halfYearStart, marginBpFor, rateOn, type RateTable } from '../domain/collections/late-charges';
import { addDays, type CalendarDate } from '../domain/shared/dates';
import { divideHalfUp } from '../domain/shared/money';
import { discountWindow, lastDayOfMonth, netTerms, type PaymentTerms } from '../domain/shared/payment-terms';
import type { IssuedLine } from '../domain/invoice/invoice.events';
import type { VatRateAmount } from '../domain/shared/vat';
import { bpText, dateText, money } from './format';
import type { CompanyIdentity, CustomerProfile, DocumentLanguage } from './identity';

/** An issued invoice as documents show it: the InvoiceIssued figures (upcast), the parties, the language. */
export interface InvoiceDocument {
  invoiceId: string;
  number: string;
  currency: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  terms: PaymentTerms;
  lines: IssuedLine[];
  vatBreakdown: VatRateAmount[];
  vatDueOn: 'invoice' | 'receipt';
  net: number;
  tax: number;
  total: number;
  /** The InvoiceIssued event's recordedAt: the document's creation date. */
  recordedAt: string;
  seller: CompanyIdentity;
  buyer: CustomerProfile;
  lang: DocumentLanguage;
  /** The late-payment rate stated on the invoice (L441-10): the reference rate of the due date's half-year + margin. */
  lateInterest: { referenceBp: number | null; marginBp: number; from: CalendarDate };
}

export interface InvoiceIssuedData {
  invoiceId: string; number: string; currency: string; issueDate: CalendarDate; dueDate: CalendarDate; paymentTermsDays: number;
  terms?: PaymentTerms; lines: IssuedLine[]; vatBreakdown: VatRateAmount[]; vatDueOn?: 'receipt'; net: number; tax: number; total: number;
}

export function invoiceDocument(data: InvoiceIssuedData, recordedAt: string, seller: CompanyIdentity, buyer: CustomerProfile, rates: RateTable): InvoiceDocument {
  const from = halfYearStart(addDays(data.dueDate, 1));
  let referenceBp: number | null;
  try {
    referenceBp = rateOn(rates, from);
  } catch {
    referenceBp = null;
  }
  return {
    invoiceId: data.invoiceId, number: data.number, currency: data.currency, issueDate: data.issueDate, dueDate: data.dueDate,
    terms: data.terms ?? netTerms(data.paymentTermsDays), lines: data.lines, vatBreakdown: data.vatBreakdown, vatDueOn: data.vatDueOn ?? 'invoice',
    net: data.net, tax: data.tax, total: data.total, recordedAt, seller, buyer, lang: buyer.language,
    lateInterest: { referenceBp, marginBp: marginBpFor(buyer.country), from },
  };
}

/** The early-payment discount an invoice offers: the date and the amount waived, half-up(gross × bp / 10 000). */
export function discountOffered(doc: Pick<InvoiceDocument, 'terms' | 'issueDate' | 'total'>): { until: CalendarDate; discountBp: number; amount: number } | null {
  const w = discountWindow(doc.terms, doc.issueDate);
  if (w === null) return null;
  return { ...w, amount: Number(divideHalfUp(BigInt(doc.total) * BigInt(w.discountBp), 10_000n)) };
}

/** The payment terms in words (BT-20). */
export function termsText(doc: Pick<InvoiceDocument, 'terms' | 'issueDate' | 'dueDate' | 'lang'>): string {
  const fr = doc.lang === 'fr';
  const t = doc.terms;
  switch (t.type) {
    case 'net':
      return fr ? `Paiement à ${t.days} jours date d'émission, au plus tard le ${dateText(doc.dueDate, 'fr')}` : `Payment within ${t.days} days of the issue date, by ${doc.dueDate}`;
    case 'end_of_month':
      return fr
        ? `Paiement à ${t.days} jours fin de mois (${dateText(lastDayOfMonth(doc.issueDate), 'fr')} + ${t.days} jours), au plus tard le ${dateText(doc.dueDate, 'fr')}`
        : `Payment ${t.days} days after the end of the month (${lastDayOfMonth(doc.issueDate)} + ${t.days} days), by ${doc.dueDate}`;
    case 'early_discount':
      return fr ? `Paiement à ${t.netDays} jours date d'émission, au plus tard le ${dateText(doc.dueDate, 'fr')}` : `Payment within ${t.netDays} days of the issue date, by ${doc.dueDate}`;
    case 'instalments':
      return (fr ? 'Paiement en plusieurs échéances : ' : 'Payment in instalments: ')
        + t.schedule.map((p) => `${bpText(p.percentBp, doc.lang)} ${fr ? 'le' : 'on'} ${dateText(addDays(doc.issueDate, p.days), doc.lang)}`).join(', ');
  }
}

/**
 * The legal mentions printed under the totals (Code de commerce L441-9 I, L441-10, D441-5): the payment terms,
 * the early-payment discount or its absence, the late-payment interest rate and the fixed EUR 40 indemnity.
 */
export function legalMentions(doc: InvoiceDocument): string[] {
  const fr = doc.lang === 'fr';
  const out = [termsText(doc)];
  const d = discountOffered(doc);
  if (d === null) out.push(fr ? "Pas d'escompte pour paiement anticipé." : 'No discount for early payment.');
  else {
    out.push(fr
      ? `Escompte pour paiement anticipé : ${bpText(d.discountBp, 'fr')} du montant TTC, soit ${money(d.amount, doc.currency, 'fr')}, pour un règlement intégral au plus tard le ${dateText(d.until, 'fr')}.`
      : `Early-payment discount: ${bpText(d.discountBp, 'en')} of the gross amount, i.e. ${money(d.amount, doc.currency, 'en')}, for payment in full by ${d.until}.`);
  }
  const { referenceBp, marginBp, from } = doc.lateInterest;
  const margin = bpText(marginBp, doc.lang).replace(' %', '');
  if (fr) {
    out.push(`Pénalités de retard (art. L441-10 du Code de commerce) : taux de refinancement de la BCE majoré de ${margin} points`
      + (referenceBp === null ? '.' : `, soit ${bpText(referenceBp + marginBp, 'fr')} l'an (taux BCE de ${bpText(referenceBp, 'fr')} au ${dateText(from, 'fr')}).`));
    out.push('Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 EUR (art. L441-10 et D441-5 du Code de commerce).');
  } else {
    out.push(`Late-payment interest (French Commercial Code L441-10): the ECB main refinancing rate plus ${margin} points`
      + (referenceBp === null ? '.' : `, i.e. ${bpText(referenceBp + marginBp, 'en')} a year (ECB rate ${bpText(referenceBp, 'en')} on ${from}).`));
    out.push('Fixed compensation for recovery costs in case of late payment: EUR 40 (French Commercial Code D441-5; Directive 2011/7/EU art. 6).');
  }
  if (doc.vatDueOn === 'receipt') out.push(fr ? 'TVA acquittée sur les encaissements.' : 'VAT due on receipt of payment (TVA sur les encaissements).');
  return out;
}
