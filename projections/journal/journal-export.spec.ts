import { chartFromJson, FRENCH_CHART } from './chart-of-accounts';
import { decimal, entryCurrency, FEC_COLUMNS, fecLines, journalRows } from './journal-export';
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
    expect(fecLines(writeOff, FRENCH_CHART, { names: new Map(), currencies: new Map([['c2', 'USD']]) }, { number: 1, lettering: undefined })[0].split('\t').slice(16)).toEqual(['1234,56', 'USD']);
    expect(entryCurrency(entries[0], { names: new Map(), currencies: new Map([['c1', 'USD']]) })).toBe('EUR');
    expect(() => journalRows(writeOff, FRENCH_CHART, names)).toThrow(/no currency known for customer c2/);
  });
});
