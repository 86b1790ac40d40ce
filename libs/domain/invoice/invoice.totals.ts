import { invalid } from '../shared/errors';
import { divideHalfUp, parseScaled } from '../shared/money';
import { requireInteger, requireText } from '../shared/validation';
import { vatByRate, type VatRateAmount } from '../shared/vat';
import { IssuedLine } from './invoice.events';

export const MAX_INVOICE_LINES = 500;
/** Quantities and tax rates carry at most 4 decimals ("2.5", "0.055"). */
export const DECIMAL_PLACES = 4;
const SCALE = 10n ** BigInt(DECIMAL_PLACES);
const MAX_MINOR = BigInt(Number.MAX_SAFE_INTEGER);

/** A line as requested: quantity and tax rate are decimal strings, unitPrice is minor units. */
export interface InvoiceLineInput {
  description: string;
  quantity: string;
  unitPrice: number;
  taxRate: string;
}

export interface InvoiceTotals {
  lines: IssuedLine[];
  /** One entry per rate (EN 16931 BG-23); tax = Σ amounts (BR-CO-14). */
  vatBreakdown: VatRateAmount[];
  net: number;
  tax: number;
  total: number;
}

function toMinor(value: bigint, field: string): number {
  if (value > MAX_MINOR) throw invalid('AMOUNT_OUT_OF_RANGE', `${field} is too large`, field);
  return Number(value);
}

/** net = half-up(quantity × unitPrice), in BigInt. A line carries no VAT of its own: VAT is per rate (BR-CO-17). */
function computeLine(line: InvoiceLineInput, i: number): IssuedLine {
  const at = `lines[${i}]`;
  if (typeof line !== 'object' || line === null) throw invalid('LINE_MALFORMED', `${at} must be an object`, at);
  const description = requireText(line.description, `${at}.description`, 'LINE_DESCRIPTION', 1000);
  const quantity = parseScaled(line.quantity, DECIMAL_PLACES, `${at}.quantity`);
  if (quantity <= 0n) throw invalid('QUANTITY_NOT_POSITIVE', `${at}.quantity must be greater than 0`, `${at}.quantity`);
  const unitPrice = requireInteger(line.unitPrice, `${at}.unitPrice`, 'UNIT_PRICE_INVALID', 0);
  const rate = parseScaled(line.taxRate, DECIMAL_PLACES, `${at}.taxRate`);
  if (rate > SCALE) throw invalid('TAX_RATE_OUT_OF_RANGE', `${at}.taxRate must be between 0 and 1`, `${at}.taxRate`);
  const net = divideHalfUp(quantity * BigInt(unitPrice), SCALE);
  return { description, quantity: line.quantity, unitPrice, taxRate: line.taxRate, net: toMinor(net, `${at}.quantity`) };
}

/**
 * Validates the lines and computes the net of each, the VAT breakdown by rate (VAT rounded half-up once per
 * rate on the sum of the line nets at that rate, EN 16931 BR-CO-17) and the net/tax/gross totals, in minor units.
 * Pure: decide uses it, and the API may use it to preview an invoice.
 */
export function computeInvoiceTotals(lines: readonly InvoiceLineInput[]): InvoiceTotals {
  if (!Array.isArray(lines) || lines.length === 0) throw invalid('LINES_REQUIRED', 'an invoice needs at least one line', 'lines');
  if (lines.length > MAX_INVOICE_LINES) {
    throw invalid('TOO_MANY_LINES', `an invoice has at most ${MAX_INVOICE_LINES} lines`, 'lines', { max: MAX_INVOICE_LINES });
  }
  const computed = lines.map(computeLine);
  const net = computed.reduce((acc, line) => acc + BigInt(line.net), 0n);
  const vatBreakdown = vatByRate(computed);
  const tax = vatBreakdown.reduce((acc, e) => acc + BigInt(e.amount), 0n);
  return { lines: computed, vatBreakdown, net: toMinor(net, 'lines'), tax: toMinor(tax, 'lines'), total: toMinor(net + tax, 'lines') };
}
