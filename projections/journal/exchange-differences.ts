import { convert } from '../../libs/domain/shared/fx-rates';
import type { JournalLine } from './journal-rules';
import type { FxContext } from './journal-export';
import type { JournalEntry } from './journal.projection';
import type { LetteringLink } from './lettering-links.projection';

/**
 * Realised exchange differences (écarts de change réalisés, PCG art. 420-5; ADR 0052). A foreign invoice is on
 * 411 at its date's rate and the receipt leaves 411 at its own date's rate; for each amount a payment applied to
 * an invoice of the same foreign currency, the difference between the two conversions is realised: a receipt
 * worth less than the invoice it settles is a loss (D 666 / C 411), worth more a gain (D 411 / C 766), so the
 * invoice's 411 lines net to zero in the accounting currency too. The lines join the receipt's entry (its
 * number and date), in the accounting currency, one pair per invoice settled.
 */
export function exchangeDifferences(
  entries: readonly JournalEntry[],
  links: ReadonlyArray<Pick<LetteringLink, 'invoice' | 'settledBy' | 'applied'>>,
  currencyOf: (e: JournalEntry) => string,
  fx: FxContext,
): Map<number, JournalLine[]> {
  const invoices = new Map<string, JournalEntry>();
  const receipts = new Map<string, JournalEntry>();
  for (const e of entries) {
    if (e.eventType === 'InvoiceIssued' && e.documents.length > 0) invoices.set(e.documents[0], e);
    if (e.eventType === 'PaymentReceived' && e.documents.length > 0) receipts.set(e.documents[0], e);
  }
  const out = new Map<number, JournalLine[]>();
  // By invoice, in the order of the receipts: each part is valued at the invoice rate as the difference of the
  // cumulative conversions, so the parts add up to exactly the invoice's 411 line (no cent left by rounding parts).
  const byInvoice = new Map<string, Array<{ receipt: JournalEntry; applied: number }>>();
  for (const l of links) {
    const applied = l.applied ?? 0;
    const receipt = receipts.get(l.settledBy);
    if (applied === 0 || receipt === undefined || !invoices.has(l.invoice)) continue;
    byInvoice.set(l.invoice, [...(byInvoice.get(l.invoice) ?? []), { receipt, applied }]);
  }
  const ordered = [...byInvoice.entries()].sort((a, b) => (invoices.get(a[0]) as JournalEntry).position - (invoices.get(b[0]) as JournalEntry).position);
  for (const [key, parts] of ordered) {
    const invoice = invoices.get(key) as JournalEntry;
    const currency = currencyOf(invoice);
    if (currency === fx.accountingCurrency) continue;
    const atInvoice = (minor: number) => convert(fx.rates, minor, currency, fx.accountingCurrency, invoice.date);
    let cumulative = 0;
    for (const { receipt, applied } of parts.sort((a, b) => a.receipt.position - b.receipt.position)) {
      if (currencyOf(receipt) !== currency) continue;
      const historical = atInvoice(cumulative + applied) - atInvoice(cumulative);
      cumulative += applied;
      const diff = historical - convert(fx.rates, applied, currency, fx.accountingCurrency, receipt.date);
      if (diff === 0) continue;
      const lines: JournalLine[] = diff > 0
        ? [{ role: 'exchangeLoss', debit: diff, credit: 0 }, { role: 'customers', debit: 0, credit: diff }]
        : [{ role: 'customers', debit: -diff, credit: 0 }, { role: 'exchangeGain', debit: 0, credit: -diff }];
      out.set(receipt.position, [...(out.get(receipt.position) ?? []), ...lines]);
    }
  }
  return out;
}
