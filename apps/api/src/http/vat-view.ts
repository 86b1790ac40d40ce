import { formatAmount } from '../../../../libs/domain/shared/money';
import type { VatRateAmount } from '../../../../libs/domain/shared/vat';

/** A VAT breakdown at the HTTP edge: per rate, base and amount as decimal strings (EN 16931 BG-23). */
export function vatBreakdownView(breakdown: readonly VatRateAmount[], currency: string): Array<{ rate: string; base: string; amount: string }> {
  return breakdown.map((e) => ({ rate: e.rate, base: formatAmount(e.base, currency), amount: formatAmount(e.amount, currency) }));
}
