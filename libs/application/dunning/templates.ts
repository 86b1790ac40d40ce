import type { ReminderSent } from '../../domain/invoice/invoice.collection.events';
import { formatAmount } from '../../domain/shared/money';

/** What a reminder says: the invoice and the figures of the ReminderSent event. */
export interface ReminderContext {
  customerName: string;
  invoiceNumber: string;
  dueDate: string;
  currency: string;
  event: ReminderSent['data'];
}

type Lang = 'fr' | 'en';
interface Template { subject: string; body: string }

/** FR/EN texts per template; `{…}` placeholders. Plain words a person would write, with the figures that matter. */
const TEXTS: Record<string, Record<Lang, Template>> = {
  'reminder-1': {
    fr: { subject: 'Rappel : facture {number} échue le {dueDate}', body: 'Bonjour,\n\nSauf erreur de notre part, la facture {number} échue le {dueDate} reste impayée ({daysPastDue} jours de retard). Montant restant dû : {outstanding} {currency}.\nSi votre règlement est en cours, merci de ne pas tenir compte de ce message.\n\nCordialement,\nService comptabilité clients' },
    en: { subject: 'Reminder: invoice {number} was due on {dueDate}', body: 'Hello,\n\nOur records show invoice {number}, due on {dueDate}, is still unpaid ({daysPastDue} days late). Amount outstanding: {outstanding} {currency}.\nIf you have already paid, please disregard this message.\n\nKind regards,\nAccounts receivable' },
  },
  'reminder-2': {
    fr: { subject: 'Deuxième rappel : facture {number}', body: 'Bonjour,\n\nMalgré notre précédent rappel, la facture {number} échue le {dueDate} reste impayée ({daysPastDue} jours de retard). Montant restant dû : {outstanding} {currency}.\nMerci de procéder au règlement sans délai.\n\nCordialement,\nService comptabilité clients' },
    en: { subject: 'Second reminder: invoice {number}', body: 'Hello,\n\nDespite our previous reminder, invoice {number}, due on {dueDate}, is still unpaid ({daysPastDue} days late). Amount outstanding: {outstanding} {currency}.\nPlease pay without further delay.\n\nKind regards,\nAccounts receivable' },
  },
  'formal-notice': {
    fr: { subject: 'Mise en demeure : facture {number}', body: 'Madame, Monsieur,\n\nLa facture {number} échue le {dueDate} reste impayée malgré nos relances ({daysPastDue} jours de retard). Nous vous mettons en demeure de régler {outstanding} {currency}, pénalités de retard et indemnité forfaitaire pour frais de recouvrement de 40 EUR comprises (articles L441-10 et D441-5 du Code de commerce).\n\nService comptabilité clients' },
    en: { subject: 'Formal notice: invoice {number}', body: 'Dear Sir or Madam,\n\nInvoice {number}, due on {dueDate}, remains unpaid despite our reminders ({daysPastDue} days late). We formally demand payment of {outstanding} {currency}, including late-payment interest and the EUR 40 recovery compensation (Directive 2011/7/EU).\n\nAccounts receivable' },
  },
  'collection-agency': {
    fr: { subject: 'Transmission au recouvrement : facture {number}', body: 'Madame, Monsieur,\n\nFaute de règlement de la facture {number} échue le {dueDate} ({daysPastDue} jours de retard, {outstanding} {currency} dus), le dossier est transmis à notre service de recouvrement et votre compte est bloqué pour toute nouvelle commande à crédit.\n\nService comptabilité clients' },
    en: { subject: 'Handed to collection: invoice {number}', body: 'Dear Sir or Madam,\n\nAs invoice {number}, due on {dueDate}, remains unpaid ({daysPastDue} days late, {outstanding} {currency} owed), the matter is handed to our collection agency and your account is on hold for new credit sales.\n\nAccounts receivable' },
  },
};

export const TEMPLATE_NAMES = Object.keys(TEXTS);

/** French for customers in France, English otherwise. */
export function languageFor(country: string): Lang {
  return country === 'FR' ? 'fr' : 'en';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderReminder(c: ReminderContext): { subject: string; text: string; html: string } {
  const lang: Lang = c.event.language === 'fr' ? 'fr' : 'en';
  const t = (TEXTS[c.event.template] ?? TEXTS['reminder-1'])[lang];
  const values: Record<string, string> = {
    number: c.invoiceNumber, dueDate: c.dueDate, daysPastDue: String(c.event.daysPastDue), outstanding: formatAmount(c.event.outstanding, c.currency),
    currency: c.currency, customer: c.customerName,
  };
  const fill = (s: string, esc: (x: string) => string) => s.replace(/\{(\w+)\}/g, (_, k: string) => esc(values[k] ?? `{${k}}`));
  const text = fill(t.body, (x) => x);
  const subject = fill(t.subject, (x) => x);
  const html = `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n`
    + fill(t.body, escapeHtml).split('\n\n').map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`).join('\n')
    + `\n</body></html>\n`;
  return { subject, text, html };
}
