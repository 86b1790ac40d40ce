import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exponentOf } from '../../domain/shared/money';
import { parseCamt053 } from './camt053';
import { cfonbAmount, parseCfonb120 } from './cfonb120';
import { parseCsvStatement, validateCsvMapping } from './csv-statement';

const fixture = (n: string) => readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'bank', n), 'utf8');

describe('CFONB 120 amounts (overpunched sign, decimals from position 20)', () => {
  it('reads the last character as sign and last digit', () => {
    // "0000000006000{" = +60000 (2 decimals: 600.00); "0000000000350}" = −3500 (35.00); "000000000012J" → −…1 (J = −1).
    expect(cfonbAmount('0000000006000{', 2, 2, { line: 1 })).toBe(60000);
    expect(cfonbAmount('0000000000350}', 2, 2, { line: 1 })).toBe(-3500);
    expect(cfonbAmount('0000000000012J', 2, 2, { line: 1 })).toBe(-121);
    expect(cfonbAmount('0000000000012I', 2, 2, { line: 1 })).toBe(129);
    // 3 decimals on the record into a 2-decimal currency cannot be exact: refused; 0 decimals scale up (12 → 1200).
    expect(() => cfonbAmount('0000000001234{', 3, 2, { line: 4 })).toThrow(/decimals/);
    expect(cfonbAmount('0000000000001B', 0, 2, { line: 1 })).toBe(1200);
    expect(() => cfonbAmount('00000000000012', 2, 2, { line: 7 })).toThrow(expect.objectContaining({ code: 'STATEMENT_MALFORMED', details: expect.objectContaining({ line: 7 }) }));
  });

  it('parses the fixture: movements, complements, dates, and a refusal naming the line', () => {
    const st = parseCfonb120(fixture('cfonb120-march.txt'), exponentOf);
    expect(st).toMatchObject({ format: 'cfonb120', account: '300060000112345678901', fromDate: '2026-03-09', toDate: '2026-03-10' });
    expect(st.entries).toHaveLength(2);
    expect(st.entries[0]).toMatchObject({ direction: 'credit', amount: 60000, bookingDate: '2026-03-10', debtorName: 'GLOBEX CORPORATION', bankRef: '2026-03-10/0000001/VIR0311A' });
    expect(st.entries[0].remittance).toContain('REGLEMENT FACTURE INV-000006');
    expect(st.entries[1]).toMatchObject({ direction: 'debit', amount: 3500 });
    const lines = fixture('cfonb120-march.txt').split('\n');
    lines[1] = lines[1].slice(0, 34) + '320226' + lines[1].slice(40); // 32 February
    expect(() => parseCfonb120(lines.join('\n'), exponentOf)).toThrow(expect.objectContaining({ details: expect.objectContaining({ line: 2 }) }));
    expect(() => parseCfonb120(fixture('cfonb120-march.txt').split('\n').slice(0, 5).join('\n'), exponentOf)).toThrow(/new-balance/);
  });
});

describe('camt.053', () => {
  it('reads .001.02 and .001.08 party shapes, skips pending entries, keeps the structured reference', () => {
    const v2 = parseCamt053(fixture('camt053-001-02-march.xml'));
    expect(v2).toMatchObject({ format: 'camt.053.001.02', sourceId: 'STMT-2026-03-10', skipped: 1 });
    expect(v2.entries.map((e) => e.bankRef)).toEqual(['BQ-0001', 'BQ-0002', 'BQ-0003', 'BQ-0004', 'BQ-0005', 'BQ-0006']);
    expect(v2.entries[1]).toMatchObject({ debtorName: 'ACME IND.', debtorIban: 'DE89370400440532013000', amount: 48000 });
    expect(v2.entries[3].structuredRef).toBe('RF58INV000005');
    expect(v2.entries[4].remittance).toBe('INTERETS CREDITEURS T1');
    const v8 = parseCamt053(fixture('camt053-001-08-return.xml'));
    expect(v8.entries[0]).toMatchObject({ debtorName: 'ACME IND.' });
    expect(v8.entries[1]).toMatchObject({ direction: 'debit', isReturn: true, endToEndId: 'E2E-ACME-1', transactionCode: 'PMNT/RCDT/RRTN' });
  });

  it('splits a batched entry into its transactions, which must add up to the entry', () => {
    const batch = (second: string) => `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>S</Id>
      <Acct><Id><IBAN>FR76</IBAN></Id></Acct><Ntry><Amt Ccy="EUR">300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-02</Dt></BookgDt>
      <AcctSvcrRef>B1</AcctSvcrRef><NtryDtls><TxDtls><Amt Ccy="EUR">100.00</Amt><RmtInf><Ustrd>INV-1</Ustrd></RmtInf></TxDtls>
      <TxDtls><Amt Ccy="EUR">${second}</Amt><RmtInf><Ustrd>INV-2</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`;
    // 100.00 + 200.00 = 300.00: two entries, B1/1 and B1/2.
    expect(parseCamt053(batch('200.00')).entries.map((e) => [e.bankRef, e.amount, e.remittance])).toEqual([['B1/1', 10000, 'INV-1'], ['B1/2', 20000, 'INV-2']]);
    // 100.00 + 150.00 ≠ 300.00: refused at the entry's details.
    expect(() => parseCamt053(batch('150.00'))).toThrow(expect.objectContaining({ details: expect.objectContaining({ element: 'Stmt[0]/Ntry[0]/NtryDtls' }) }));
  });
});

describe('CSV through a mapping', () => {
  const mapping = validateCsvMapping('m', { account: 'FR76 1', currency: 'EUR', delimiter: ';', dateFormat: 'DD/MM/YYYY', decimalSeparator: ',', columns: { bookingDate: 'Date', credit: 'Crédit', debit: 'Débit', remittance: 'Libellé' } });

  it('reads credit and debit columns with decimal commas; two identical lines stay two entries', () => {
    const csv = 'Date;Crédit;Débit;Libellé\n02/03/2026;1 234,56;;VIR X\n02/03/2026;1 234,56;;VIR X\n03/03/2026;;12,00;FRAIS\n';
    const st = parseCsvStatement(csv, mapping);
    expect(st.entries.map((e) => [e.direction, e.amount, e.bookingDate])).toEqual([['credit', 123456, '2026-03-02'], ['credit', 123456, '2026-03-02'], ['debit', 1200, '2026-03-03']]);
    expect(new Set(st.entries.map((e) => e.entryId)).size).toBe(3);
  });

  it('refuses a bad date or amount with its line, and an unknown column', () => {
    expect(() => parseCsvStatement('Date;Crédit;Débit;Libellé\n02/03/2026;1,00;;A\n31/02/2026;1,00;;B\n', mapping)).toThrow(expect.objectContaining({ details: expect.objectContaining({ line: 3 }) }));
    expect(() => parseCsvStatement('Date;Crédit;Débit;Libellé\n02/03/2026;abc;;A\n', mapping)).toThrow(expect.objectContaining({ details: expect.objectContaining({ line: 2, element: 'Crédit' }) }));
    expect(() => parseCsvStatement('Jour;Crédit\n02/03/2026;1,00\n', mapping)).toThrow(/Column "Date"/);
  });
});
