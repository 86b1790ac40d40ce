import type { BankEntry } from '../../domain/cash/bank-entry';
import { isCalendarDate } from '../../domain/shared/dates';
import { entryIdOf, malformed, statementIdOf, type ParsedStatement } from './statement';

/**
 * CFONB 120 (relevé de compte des banques françaises, format 120 caractères): fixed-width records,
 * 01 previous balance, 04 movement, 05 complement of the movement before it, 07 new balance.
 * Positions below are the standard's, 1-based inclusive; amounts are 14 characters whose last one carries the
 * sign and the last digit ("{" = +0, "A"–"I" = +1…+9, "}" = −0, "J"–"R" = −1…−9), with the number of decimals
 * in position 20. A credit to the account is positive.
 */
const F = {
  code: [1, 2], bank: [3, 7], branch: [12, 16], currency: [17, 19], decimals: [20, 20], account: [22, 32],
  interbankCode: [33, 34], date: [35, 40], rejectCode: [41, 42], valueDate: [43, 48], label: [49, 79],
  entryNumber: [82, 88], amount: [91, 104], reference: [105, 120],
  // Record 05: complement qualifier and text.
  qualifier: [46, 48], complement: [49, 118],
} as const;

const field = (line: string, [a, b]: readonly [number, number]) => line.slice(a - 1, b);

const POSITIVE = '{ABCDEFGHI';
const NEGATIVE = '}JKLMNOPQR';

/** The signed amount in minor units; the exponent of the currency is the record's own (position 20). */
export function cfonbAmount(raw: string, decimals: number, currencyExponent: number, where: { line: number }): number {
  if (!/^[0-9]{13}[{}A-R]$/.test(raw)) throw malformed(`Amount "${raw}" is not 13 digits and a sign character`, { ...where, element: 'amount (91–104)' });
  const last = raw[13];
  const p = POSITIVE.indexOf(last);
  const n = NEGATIVE.indexOf(last);
  const digit = p >= 0 ? p : n;
  const value = BigInt(raw.slice(0, 13) + String(digit));
  // Rescale from the record's decimals to the currency's.
  const scaled = decimals === currencyExponent ? value : decimals < currencyExponent ? value * 10n ** BigInt(currencyExponent - decimals) : null;
  if (scaled === null) throw malformed(`The record has ${decimals} decimals; the currency has ${currencyExponent}`, { ...where, element: 'decimals (20)' });
  return Number(p >= 0 ? scaled : -scaled);
}

function cfonbDate(raw: string, where: { line: number; element: string }): string {
  if (!/^[0-9]{6}$/.test(raw)) throw malformed(`Date "${raw}" is not DDMMYY`, where);
  const d = `20${raw.slice(4, 6)}-${raw.slice(2, 4)}-${raw.slice(0, 2)}`;
  if (!isCalendarDate(d)) throw malformed(`Date "${raw}" is not a calendar date`, where);
  return d;
}

/** Interbank operation codes of returns (rejets): unpaid cheques, returned transfers and direct debits. */
const RETURN_CODES = new Set(['03', '14', '15', '23', '31', '45', '65', '92']);

export function parseCfonb120(content: string, exponentOf: (currency: string) => number): ParsedStatement {
  const body = content.replace(/\r/g, '');
  const lines = body.includes('\n') ? body.split('\n').filter((l) => l.trim() !== '') : body.match(/.{1,120}/g) ?? [];
  if (lines.length === 0) throw malformed('The file is empty', { line: 1 });
  const entries: Array<BankEntry & { line: number }> = [];
  let account = '';
  let opened: string | null = null;
  let closed: string | null = null;
  let current: (BankEntry & { line: number }) | null = null;
  lines.forEach((raw, i) => {
    const line = raw.padEnd(120, ' ');
    const where = { line: i + 1 };
    if (raw.length > 120) throw malformed(`Record is ${raw.length} characters; CFONB 120 records are 120`, where);
    const code = field(line, F.code);
    const acct = `${field(line, F.bank)}${field(line, F.branch)}${field(line, F.account)}`.replace(/\s/g, '');
    if (!['01', '04', '05', '07'].includes(code)) throw malformed(`Unknown record code "${code}" (01, 04, 05, 07)`, { ...where, element: 'code (1–2)' });
    if (account === '') account = acct;
    else if (acct !== account) throw malformed(`Record for account ${acct} in a statement of account ${account}`, { ...where, element: 'account (3–32)' });
    const currency = field(line, F.currency);
    if (!/^[A-Z]{3}$/.test(currency)) throw malformed(`Currency "${currency}" is not an ISO 4217 code`, { ...where, element: 'currency (17–19)' });
    if (code === '01') opened = cfonbDate(field(line, F.date), { ...where, element: 'date (35–40)' });
    if (code === '07') closed = cfonbDate(field(line, F.date), { ...where, element: 'date (35–40)' });
    if (code === '04') {
      const decimals = Number(field(line, F.decimals));
      if (!Number.isInteger(decimals)) throw malformed('Position 20 must give the number of decimals', { ...where, element: 'decimals (20)' });
      const signed = cfonbAmount(field(line, F.amount), decimals, exponentOf(currency), where);
      const booking = cfonbDate(field(line, F.date), { ...where, element: 'date (35–40)' });
      const entryNumber = field(line, F.entryNumber).trim();
      const reference = field(line, F.reference).trim();
      const interbank = field(line, F.interbankCode);
      const bankRef = `${booking}/${entryNumber || String(i + 1)}${reference ? `/${reference}` : ''}`;
      const value = field(line, F.valueDate).trim();
      current = {
        entryId: entryIdOf(account, bankRef), statementId: '', account, bookingDate: booking,
        valueDate: value === '' ? null : cfonbDate(value, { ...where, element: 'value date (43–48)' }),
        direction: signed >= 0 ? 'credit' : 'debit', amount: Math.abs(signed), currency, bankRef, endToEndId: null,
        debtorName: null, debtorIban: null, remittance: field(line, F.label).trim(), structuredRef: null,
        transactionCode: interbank, isReturn: RETURN_CODES.has(interbank) || field(line, F.rejectCode).trim() !== '', line: i + 1,
      };
      if (current.amount === 0) throw malformed('A movement of zero', { ...where, element: 'amount (91–104)' });
      entries.push(current);
    }
    if (code === '05') {
      if (current === null) throw malformed('A complement record (05) before any movement (04)', where);
      const qualifier = field(line, F.qualifier).trim();
      const info = field(line, F.complement).trim();
      // NPY: payer's name; IPY: payer's identifier (IBAN when it looks like one); RCN: the payer's reference; LIB and others: text.
      if (qualifier === 'NPY') current.debtorName = info;
      else if (qualifier === 'IPY' && /^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/.test(info.replace(/\s/g, ''))) current.debtorIban = info.replace(/\s/g, '');
      else if (qualifier === 'RCN' && /^RF[0-9]{2}/.test(info.replace(/\s/g, ''))) current.structuredRef = info.replace(/\s/g, '');
      else current.remittance = `${current.remittance} ${info}`.trim();
    }
  });
  if (opened === null) throw malformed('No previous-balance record (01)', { line: 1 });
  if (closed === null) throw malformed('No new-balance record (07)', { line: lines.length });
  const sourceId = `${opened}..${closed}`;
  const statementId = statementIdOf(account, sourceId);
  return {
    statementId, format: 'cfonb120', sourceId, account, fromDate: opened, toDate: closed,
    entries: entries.map(({ line: _line, ...e }) => ({ ...e, statementId })),
  };
}
