import type { CalendarDate } from '../domain/shared/dates';
import { formatAmount } from '../domain/shared/money';
import type { DocumentLanguage, PostalAddress } from './identity';

/** Amounts as a reader of each language writes them: "1 234,56" (fr), "1,234.56" (en); minor units in. */
export function amountText(minor: number, currency: string, lang: DocumentLanguage): string {
  const plain = formatAmount(minor, currency);
  const [int, frac] = plain.replace('-', '').split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fr' ? ' ' : ',');
  const sign = minor < 0 ? '-' : '';
  return frac === undefined ? `${sign}${grouped}` : `${sign}${grouped}${lang === 'fr' ? ',' : '.'}${frac}`;
}

export const money = (minor: number, currency: string, lang: DocumentLanguage) => `${amountText(minor, currency, lang)} ${currency}`;

/** 15/09/2026 (fr), 2026-09-15 (en, ISO 8601). */
export function dateText(date: CalendarDate, lang: DocumentLanguage): string {
  return lang === 'fr' ? `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}` : date;
}

/** "0.20" → "20 %", "0.055" → "5,5 %" (fr) / "5.5 %" (en). */
export function rateText(rate: string, lang: DocumentLanguage): string {
  const [int, frac = ''] = rate.split('.');
  const padded = frac.padEnd(2, '0');
  const whole = String(Number(int) * 100 + Number(padded.slice(0, 2)));
  const rest = padded.slice(2).replace(/0+$/, '');
  return `${whole}${rest ? (lang === 'fr' ? ',' : '.') + rest : ''} %`;
}

/** Basis points as percent: 1215 → "12,15 %". */
export function bpText(bp: number, lang: DocumentLanguage): string {
  const text = (bp / 100).toFixed(2).replace(/\.?0+$/, '');
  return `${lang === 'fr' ? text.replace('.', ',') : text} %`;
}

export function addressLines(a: PostalAddress | null): string[] {
  if (!a) return [];
  return [...a.lines, `${a.postcode} ${a.city}`.trim(), a.country].filter((l) => l !== '');
}
