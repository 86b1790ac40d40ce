import { invalid } from '../shared/errors';
import { divideHalfUp, parseScaled } from '../shared/money';
import { requireInteger, requireText } from '../shared/validation';
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
  net: number;
  tax: number;
  total: number;
}

function toMinor(value: bigint, field: string): number {
  if (value > MAX_MINOR) throw invalid('AMOUNT_OUT_OF_RANGE', `${field} is too large`, field);
  return Number(value);
}

/** net = half-up(quantity × unitPrice); tax = half-up(net × rate), per line (rounded once each, in BigInt). */
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
  const tax = divideHalfUp(net * rate, SCALE);
  return {
    description,
    quantity: line.quantity,
    unitPrice,
    taxRate: line.taxRate,
    net: toMinor(net, `${at}.quantity`),
    tax: toMinor(tax, `${at}.quantity`),
    gross: toMinor(net + tax, `${at}.quantity`),
  };
}

/**
 * Validates the lines and computes them with net/tax/gross totals, in minor units.
 * Pure: decide uses it, and the API may use it to preview an invoice.
 */
export function computeInvoiceTotals(lines: readonly InvoiceLineInput[]): InvoiceTotals {
  if (!Array.isArray(lines) || lines.length === 0) throw invalid('LINES_REQUIRED', 'an invoice needs at least one line', 'lines');
  if (lines.length > MAX_INVOICE_LINES) {
    throw invalid('TOO_MANY_LINES', `an invoice has at most ${MAX_INVOICE_LINES} lines`, 'lines', { max: MAX_INVOICE_LINES });
  }
  const computed = lines.map(computeLine);
  const sum = (pick: (line: IssuedLine) => number) => computed.reduce((acc, line) => acc + BigInt(pick(line)), 0n);
  return {
    lines: computed,
    net: toMinor(sum((l) => l.net), 'lines'),
    tax: toMinor(sum((l) => l.tax), 'lines'),
    total: toMinor(sum((l) => l.gross), 'lines'),
  };
}
