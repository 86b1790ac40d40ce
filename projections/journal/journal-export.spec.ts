import { chartFromJson, FRENCH_CHART } from './chart-of-accounts';
import { parseFxRates } from '../../libs/domain/shared/fx-rates';
import { accountingLines, decimal, entryCurrency, FEC_COLUMNS, fecLines, journalRows } from './journal-export';
import { journalProjection } from './journal.projection';
import { issued, project, received } from '../testing';

const entries = [...project(journalProjection, [
  issued('i1', 'c1', 123_456, { issueDate: '2024-03-01', dueDate: '2024-03-31' }),
  received('p1', 'c1', 100_000, '2024-03-20'),
]).values()];
const names = { names: new Map([['c1', 'ACME SAS']]), currencies: new Map([['c1', 'EUR']]) };

describe('journal export', () => {
  it('FEC: the 18 columns in order, tab-separated, dates YYYYMMDD, decimal comma, customer as auxiliary account', () => {
    expect(FEC_COLUMNS).toHaveLength(18);
    expect(FEC_COLUMNS.join('|')).toBe('JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise');
    const lines = entries.flatMap((e) => fecLines(e, FRENCH_CHART, names, { number: 1, lettering: undefined }));
    for (const l of lines) expect(l.split('\t')).toHaveLength(18);
    expect(lines[0].split('\t')).toEqual(['VT', 'Ventes', '1', '20240301', '411', 'Clients', 'c1', 'ACME SAS', 'F-i1', '20240301', 'Facture F-i1', '1234,56', '0,00', '', '', '20240101', '', '']);
    expect(lines[1].split('\t').slice(4, 13)).toEqual(['706', 'Prestations de services', '', '', 'F-i1', '20240301', 'Facture F-i1', '0,00', '1028,80']);
    expect(lines[2].split('\t').slice(4, 6)).toEqual(['44571', 'TVA collectée']);
    expect(lines[3].split('\t').slice(0, 6)).toEqual(['BQ', 'Banque', '1', '20240320', '512', 'Banque']);
  });

  it('every entry is balanced: debits equal credits', () => {
    for (const e of entries) {
      const rows = journalRows(e, FRENCH_CHART, names);
      const sum = (col: number) => rows.reduce((a, r) => a + Math.round(Number(r[col]) * 100), 0);
      expect(sum(10)).toBe(sum(11));
    }
  });

  it('a mapping file overrides accounts and journal names, and refuses unknown roles', () => {
    const chart = chartFromJson({ accounts: { customers: { number: '411000', label: 'Clients divers' } }, journals: { VT: 'Sales' } });
    expect(chart.accounts.customers).toEqual({ number: '411000', label: 'Clients divers' });
    expect(chart.accounts.revenue).toEqual(FRENCH_CHART.accounts.revenue);
    expect(fecLines(entries[0], chart, names, { number: 1, lettering: undefined })[0].split('\t').slice(0, 6)).toEqual(['VT', 'Sales', '1', '20240301', '411000', 'Clients divers']);
    expect(() => chartFromJson({ accounts: { sales: { number: '70' } } })).toThrow(expect.objectContaining({ code: 'ACCOUNT_MAPPING_INVALID' }));
    expect(() => chartFromJson({ accounts: { revenue: { number: 706 } } })).toThrow(expect.objectContaining({ code: 'ACCOUNT_MAPPING_INVALID' }));
  });

  it('formats amounts with the currency\'s decimals', () => {
    expect(decimal(5, 'EUR', ',')).toBe('0,05');
    expect(decimal(-123_456, 'EUR', '.')).toBe('-1234.56');
    expect(decimal(1500, 'JPY', ',')).toBe('1500');
  });

  it('takes the currency of an entry whose event carries none from its customer, and never guesses one', () => {
    const writeOff = { ...entries[0], currency: null, eventType: 'InvoiceWrittenOff', customerId: 'c2' };
    expect(entryCurrency(writeOff, { names: new Map(), currencies: new Map([['c2', 'JPY']]) })).toBe('JPY');
    const usdRates = { accountingCurrency: 'EUR', rates: parseFxRates('date,currency,rate\n2024-01-01,USD,2\n') };
    // 1234.56 USD / 2 = 617.28 EUR
    expect(fecLines(writeOff, FRENCH_CHART, { names: new Map(), currencies: new Map([['c2', 'USD']]) }, { number: 1, lettering: undefined }, usdRates)[0].split('\t').slice(11, 18)).toEqual(['617,28', '0,00', '', '', '20240101', '1234,56', 'USD']);
    expect(entryCurrency(entries[0], { names: new Map(), currencies: new Map([['c1', 'USD']]) })).toBe('EUR');
    expect(() => journalRows(writeOff, FRENCH_CHART, names)).toThrow(/no currency known for customer c2/);
  });

  describe('in the accounting currency (ADR 0052)', () => {
    // Rates stated by the test (units per 1 EUR), not market rates.
    const rates = parseFxRates('date,currency,rate\n2026-03-02,USD,7\n2024-01-01,GBP,0.5\n');
    const fx = { accountingCurrency: 'EUR', rates };
    const usd = [...project(journalProjection, [
      issued('u1', 'c3', 123_456, { issueDate: '2026-03-02', dueDate: '2026-04-01' }, { currency: 'USD' }),
      received('p3', 'c3', 100_000, '2026-03-20'),
    ]).values()].map((e) => ({ ...e, currency: 'USD' }));
    const usdCustomers = { names: new Map([['c3', 'Globex Inc']]), currencies: new Map([['c3', 'USD']]) };

    it('converts each line at the rate of the entry date, keeps the entry balanced and shows the original amount', () => {
      // Invoice 1234.56 USD = net 1028.80 + VAT 205.76 (projections/testing issued), 7 USD per EUR on 2026-03-02:
      // 411: 123456 / 7 = 17636.57 → 176.37; 706: 102880 / 7 = 14697.14 → 146.97; 44571: 20576 / 7 = 2939.43 → 29.39.
      // Credits 146.97 + 29.39 = 176.36, one cent short of 176.37: the cent goes to the largest non-411 line, 706 → 146.98.
      const lines = fecLines(usd[0], FRENCH_CHART, usdCustomers, { number: 1, lettering: undefined }, fx).map((l) => l.split('\t'));
      expect(lines.map((l) => [l[4], l[11], l[12], l[16], l[17]])).toEqual([
        ['411', '176,37', '0,00', '1234,56', 'USD'],
        ['706', '0,00', '146,98', '-1028,80', 'USD'],
        ['44571', '0,00', '29,39', '-205,76', 'USD'],
      ]);
      // Receipt 1000.00 USD on 2026-03-20: no rate that day, the 2026-03-02 one applies: 100000 / 7 = 14285.71 → 142.86.
      const receipt = fecLines(usd[1], FRENCH_CHART, usdCustomers, { number: 1, lettering: undefined }, fx).map((l) => l.split('\t'));
      expect(receipt.map((l) => [l[4], l[11], l[12], l[16], l[17]])).toEqual([['512', '142,86', '0,00', '1000,00', 'USD'], ['411', '0,00', '142,86', '-1000,00', 'USD']]);
    });

    it('leaves Montantdevise/Idevise empty in the accounting currency, and converts into a non-EUR one by cross rate', () => {
      const eur = fecLines(entries[0], FRENCH_CHART, names, { number: 1, lettering: undefined }, fx)[0].split('\t');
      expect(eur.slice(11, 13).concat(eur.slice(16))).toEqual(['1234,56', '0,00', '', '']);
      // Books in GBP: 1234.56 EUR × 0.5 = 617.28 GBP, Idevise EUR.
      const inGbp = fecLines(entries[0], FRENCH_CHART, names, { number: 1, lettering: undefined }, { accountingCurrency: 'GBP', rates })[0].split('\t');
      expect(inGbp.slice(11, 13).concat(inGbp.slice(16))).toEqual(['617,28', '0,00', '1234,56', 'EUR']);
    });

    it('books the EUR 40 indemnity (D441-5) of a USD invoice at 40.00 EUR on 7588, whatever the rate of the entry date (ADR 0053)', () => {
      // 45.00 USD of indemnity = EUR 40 at the due date's 1.125; interest 14.00 USD. On 2026-03-31 the rate is 7:
      // 763: 1400 / 7 = 2.00; 7588: 40.00 as fixed by law; 411 = 2.00 + 40.00 = 42.00 (not 5900 / 7 = 8.43).
      const charges = [...project(journalProjection, [{
        type: 'LateChargesAssessed',
        data: {
          invoiceId: 'u1', customerId: 'c3', from: '2026-03-02', through: '2026-03-31', interest: 1_400, compensation: 4_500, amount: 5_900, dayBasis: 365, rateSource: 's',
          lines: [], outstanding: 129_356, reopened: false, compensationBasis: { eur: 4_000, rate: '1.125', rateDate: '2026-03-01' },
        },
      } as never]).values()][0];
      expect(charges.lines[2]).toEqual({ role: 'recoveryCompensation', debit: 0, credit: 4_500, fixed: { currency: 'EUR', amount: 4_000 } });
      const lines = fecLines({ ...charges, currency: 'USD' }, FRENCH_CHART, usdCustomers, { number: 1, lettering: undefined }, fx).map((l) => l.split('\t'));
      expect(lines.map((l) => [l[4], l[11], l[12], l[16], l[17]])).toEqual([
        ['411', '42,00', '0,00', '59,00', 'USD'],
        ['763', '0,00', '2,00', '-14,00', 'USD'],
        ['7588', '0,00', '40,00', '-45,00', 'USD'],
      ]);
      // Books kept in USD: the line is the invoice currency's 45.00, as any other.
      expect(accountingLines({ ...charges, currency: 'USD' }, 'USD', { accountingCurrency: 'USD', rates })[2]).toEqual({ debit: 0, credit: 4_500, original: null });
    });

    it('refuses with 422 FX_RATE_UNKNOWN (currency and date) when no rate is known on or before the entry date', () => {
      const early = { ...usd[0], date: '2026-03-01' };
      expect(() => accountingLines(early, 'USD', fx)).toThrow(expect.objectContaining({ code: 'FX_RATE_UNKNOWN', kind: 'rule', details: { currency: 'USD', date: '2026-03-01' } }));
    });
  });
});
