import type { LetterFigures } from '../../domain/collections/dunning-letter';
import type { ReminderSent } from '../../domain/invoice/invoice.collection.events';
import { formatAmount } from '../../domain/shared/money';

/** What a reminder says: the invoice, the ReminderSent event and the figures as of its date (ADR 0039). */
export interface ReminderContext {
  customerName: string;
  invoiceNumber: string;
  dueDate: string;
  currency: string;
  event: ReminderSent['data'];
  figures: LetterFigures;
}

type Lang = 'fr' | 'en';
interface Template { subject: string; intro: string; outro: string }

/**
 * FR/EN texts per template; `{…}` placeholders. Plain words a person would write; the figures block between
 * intro and outro states only what the engine recorded (the indemnity only where it was charged).
 */
const TEXTS: Record<string, Record<Lang, Template>> = {
  'reminder-1': {
    fr: { subject: 'Rappel : facture {number} échue le {dueDate}', intro: 'Bonjour,\n\nSauf erreur de notre part, la facture {number} échue le {dueDate} reste impayée ({daysPastDue} jours de retard).', outro: 'Merci de régler {total} {currency} au plus tard le {deadline}. Si votre règlement est en cours, merci de ne pas tenir compte de ce message.\n\nCordialement,\nService comptabilité clients' },
    en: { subject: 'Reminder: invoice {number} was due on {dueDate}', intro: 'Hello,\n\nOur records show invoice {number}, due on {dueDate}, is still unpaid ({daysPastDue} days late).', outro: 'Please pay {total} {currency} by {deadline}. If you have already paid, please disregard this message.\n\nKind regards,\nAccounts receivable' },
  },
  'reminder-2': {
    fr: { subject: 'Deuxième rappel : facture {number}', intro: 'Bonjour,\n\nMalgré notre précédent rappel, la facture {number} échue le {dueDate} reste impayée ({daysPastDue} jours de retard).', outro: 'Merci de régler {total} {currency} sans délai, et au plus tard le {deadline}.\n\nCordialement,\nService comptabilité clients' },
    en: { subject: 'Second reminder: invoice {number}', intro: 'Hello,\n\nDespite our previous reminder, invoice {number}, due on {dueDate}, is still unpaid ({daysPastDue} days late).', outro: 'Please pay {total} {currency} without further delay, and by {deadline} at the latest.\n\nKind regards,\nAccounts receivable' },
  },
  'formal-notice': {
    fr: { subject: 'Mise en demeure : facture {number}', intro: 'Madame, Monsieur,\n\nLa facture {number} échue le {dueDate} reste impayée malgré nos relances ({daysPastDue} jours de retard).', outro: 'Nous vous mettons en demeure de régler la somme de {total} {currency} au plus tard le {deadline} (article 1344 du Code civil). À défaut, nous engagerons le recouvrement de cette créance.\n\nService comptabilité clients' },
    en: { subject: 'Formal notice: invoice {number}', intro: 'Dear Sir or Madam,\n\nInvoice {number}, due on {dueDate}, remains unpaid despite our reminders ({daysPastDue} days late).', outro: 'We formally demand payment of {total} {currency} by {deadline}. Failing that, we will take steps to recover this debt.\n\nAccounts receivable' },
  },
  'collection-agency': {
    fr: { subject: 'Transmission au recouvrement : facture {number}', intro: 'Madame, Monsieur,\n\nFaute de règlement de la facture {number} échue le {dueDate} ({daysPastDue} jours de retard), le dossier est transmis à notre service de recouvrement et votre compte est bloqué pour toute nouvelle commande à crédit.', outro: 'Somme due : {total} {currency}.\n\nService comptabilité clients' },
    en: { subject: 'Handed to collection: invoice {number}', intro: 'Dear Sir or Madam,\n\nAs invoice {number}, due on {dueDate}, remains unpaid ({daysPastDue} days late), the matter is handed to our collection agency and your account is on hold for new credit sales.', outro: 'Amount owed: {total} {currency}.\n\nAccounts receivable' },
  },
};

export const TEMPLATE_NAMES = Object.keys(TEXTS);

// The language is the customer's (master data), else from its country: `languageOfCountry` in queries/customer.queries.ts.

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** 1215 → "12.15 %" (percent, two decimals, as the API shows rates). */
const percent = (bp: number) => `${(bp / 100).toFixed(2)} %`;

/** The figures block, one line per figure; the interest and the indemnity only where the engine charged them. */
function figureLines(f: LetterFigures, lang: Lang): string[] {
  const show = (m: number) => `${formatAmount(m, f.currency)} ${f.currency}`;
  const rates = f.annualRatesBp.map(percent).join(' / ');
  const fr = lang === 'fr';
  const lines = [
    `${fr ? 'Facture' : 'Invoice'} {number} — ${fr ? 'échéance' : 'due date'} {dueDate} — ${fr ? 'jours de retard' : 'days late'} : ${f.daysLate}`,
    `${fr ? 'Principal restant dû' : 'Principal outstanding'} : ${show(f.principal)}`,
  ];
  if (f.interest > 0) {
    lines.push(fr
      ? `Pénalités de retard au taux annuel de ${rates} (article L441-10 du Code de commerce) : ${show(f.interest)}`
      : `Late-payment interest at ${rates} a year (Directive 2011/7/EU) : ${show(f.interest)}`);
  }
  if (f.compensation > 0) {
    // A non-EUR invoice: the EUR 40 and the due date's rate it was converted at (ADR 0053).
    const b = f.compensationBasis;
    const eur = b === null ? '' : fr
      ? ` (${formatAmount(b.eur, 'EUR')} EUR au cours de ${b.rate} ${f.currency} pour 1 EUR du ${b.rateDate})`
      : ` (EUR ${formatAmount(b.eur, 'EUR')} at ${b.rate} ${f.currency} per EUR of ${b.rateDate})`;
    lines.push(fr
      ? `Indemnité forfaitaire pour frais de recouvrement (article D441-5 du Code de commerce) : ${show(f.compensation)}${eur}`
      : `Fixed recovery compensation (Directive 2011/7/EU, art. 6) : ${show(f.compensation)}${eur}`);
  }
  lines.push(`${fr ? 'Total dû au' : 'Total owed as of'} ${f.asOf} : ${show(f.total)}`);
  lines.push(`${fr ? 'À régler au plus tard le' : 'To be paid by'} ${f.deadline}`);
  return lines;
}

export function renderReminder(c: ReminderContext): { subject: string; text: string; html: string } {
  const lang: Lang = c.event.language === 'fr' ? 'fr' : 'en';
  const t = (TEXTS[c.event.template] ?? TEXTS['reminder-1'])[lang];
  const f = c.figures;
  const values: Record<string, string> = {
    number: c.invoiceNumber, dueDate: c.dueDate, daysPastDue: String(f.daysLate), total: formatAmount(f.total, c.currency),
    currency: c.currency, customer: c.customerName, deadline: f.deadline,
  };
  const fill = (s: string, esc: (x: string) => string) => s.replace(/\{(\w+)\}/g, (_, k: string) => esc(values[k] ?? `{${k}}`));
  const block = figureLines(f, lang).join('\n');
  const body = `${t.intro}\n\n${block}\n\n${t.outro}`;
  const text = fill(body, (x) => x);
  const subject = fill(t.subject, (x) => x);
  const html = `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n`
    + fill(body, escapeHtml).split('\n\n').map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`).join('\n')
    + `\n</body></html>\n`;
  return { subject, text, html };
}
