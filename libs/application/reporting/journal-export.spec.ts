import { stringify } from 'csv-stringify/sync';
import { csvLine } from './journal-export';

describe('csvLine', () => {
  it('writes exactly what csv-stringify writes (RFC 4180 quoting only when needed)', () => {
    const rows = [
      ['1', 'VT', '2026-01-10', '411', 'Clients', 'acme', 'ACME, SAS', 'INV-1', '2026-01-10', 'Facture "urgent"', '12.00', '0.00', 'EUR', 'InvoiceIssued', '2026-01-10'],
      ['2', 'line\nbreak', '', 'a\rb', 'plain'],
    ];
    expect(rows.map(csvLine).join('')).toBe(stringify(rows));
  });
});
