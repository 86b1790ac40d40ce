import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Bank fees written off to 627 when a clerk accepts a receipt paid short (issue 18; ADR 0088), over HTTP with a
 * CSV statement. Invoices of 2026-03-02, 20 % VAT: ACME INV-000001 480.00 (400.00 + 80.00), INV-000002 480.00
 * (7.50 of it disputed), INV-000003 1 200.00; Globex INV-000004 and INV-000005 300.00 each, INV-000006 120.00. The tolerance is the
 * default AR_CASH_FEE_TOLERANCE = 1500 minor units = 15.00.
 */
describe('cash application: bank fees written off to 627', () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  const head = async () => Number((await h.http().get('/bank-entries').expect(200)).headers['x-log-position']);
  const invoice = async (id: string) => (await h.http().get(`/invoices/${id}`).expect(200)).body;
  const fecRows = async () => (await h.http().get('/exports/journal?format=fec&from=2026-03-01&to=2026-03-31').expect(200)).text
    .split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t'));
  const accept = (ref: string, body: object) => h.http().post(`/cash-application/suggestions/${ids[ref]}/accept`).send(body);

  beforeAll(async () => {
    h = await startApi();
    for (const [id, name] of [['acme', 'ACME Industries SAS'], ['globex', 'Globex Corporation']]) {
      await h.http().post('/customers').send({ id, name, currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    }
    for (const [id, customerId, net] of [['a1', 'acme', '400.00'], ['a2', 'acme', '400.00'], ['a3', 'acme', '1000.00'], ['g1', 'globex', '250.00'], ['g2', 'globex', '250.00'], ['g3', 'globex', '100.00']]) {
      await h.http().post('/invoices').send({ id, customerId, issueDate: '2026-03-02', lines: [line(net)] }).expect(201);
    }
    await h.http().post('/invoices/a2/disputes').send({ id: 'd1', amount: '7.50', reason: 'Half an hour billed twice', on: '2026-03-10' }).expect(201);
    await h.http().put('/bank-statements/csv-mappings/mybank').send({
      account: 'FR76 3000 4000 0300 0001 2345 678', currency: 'EUR', delimiter: ';', dateFormat: 'DD/MM/YYYY', decimalSeparator: ',',
      columns: { bookingDate: 'Date', amount: 'Montant', debtorName: 'Tiers', remittance: 'Libellé' },
    }).expect(200);
    // Each line is short of what its invoices owe: 480.00 − 472.50 = 7.50; 480.00 − 472.50 = 7.50 (disputed);
    // 1 200.00 − 1 180.00 = 20.00 (> 15.00, no invoice named); 300.00 + 300.00 − 592.50 = 7.50 over two invoices.
    const csv = [
      'Date;Montant;Tiers;Libellé',
      '20/03/2026;472,50;ACME INDUSTRIES;VIR FACTURE INV-000001',
      '20/03/2026;472,50;ACME INDUSTRIES;VIR FACTURE INV-000002',
      '20/03/2026;1180,00;ACME INDUSTRIES;VIR MARS',
      '20/03/2026;592,50;GLOBEX CORP;INV-000004 INV-000005',
      '20/03/2026;115,00;SOCIETE X;VIREMENT',
    ].join('\n') + '\n';
    const r = await h.http().post('/bank-statements?mapping=mybank').set('Content-Type', 'text/csv').send(csv).expect(200);
    // Short receipts are never applied automatically (ADR 0085): all four wait for a clerk.
    // A credit from an unknown payer with nothing to go by waits in suspense (ADR 0087).
    expect(r.body.counts).toMatchObject({ entries: 5, recorded: 5, applied: 0, suggested: 4, unmatched: 1 });
    (r.body.entries as Array<{ entryId: string }>).forEach((e, i) => { ids[['a1', 'a2', 'a3', 'g', 'x'][i]] = e.entryId; });
  });
  afterAll(async () => { await h.close(); });

  it('the suggestion says the 7.50 may be bank fees', async () => {
    const e = (await h.http().get(`/bank-entries/${ids.a1}`).expect(200)).body;
    expect(e.candidates[0]).toMatchObject({ customerId: 'acme', allocations: [{ invoiceId: 'a1', amount: '472.50' }], shortfall: '7.50' });
  });

  it('accepting with acceptBankFees: the receipt and the 7.50 fees in one append; the invoice is paid and owes 0.00', async () => {
    const a = await accept('a1', { acceptBankFees: true }).expect(200);
    expect(a.body).toMatchObject({ customerId: 'acme', amount: '472.50', allocations: [{ invoiceId: 'a1', amount: '472.50' }], unapplied: '0.00', bankFees: { invoiceId: 'a1', amount: '7.50' } });
    // 480.00 − 472.50 paid − 7.50 bank fees = 0.00; VAT untouched: nothing corrected, 80.00 still open at 20 %.
    const inv = await invoice('a1');
    expect(inv).toMatchObject({ status: 'paid', paid: '472.50', bankFees: '7.50', writtenOff: '0.00', outstanding: '0.00', settledOn: '2026-03-20' });
    expect(inv.vatOpen).toEqual([{ rate: '0.20', base: '400.00', amount: '80.00' }]);
    expect(inv.adjustments).toEqual([{ type: 'bank_fees', amount: '7.50', on: '2026-03-20', reference: `bank-${ids.a1}`, note: `bank entry ${ids.a1}` }]);
    const entry = (await h.http().get(`/bank-entries/${ids.a1}`).expect(200)).body;
    expect(entry).toMatchObject({ status: 'matched', match: { how: 'accepted' } });
    expect(entry.match.evidence).toContain('bank fees 7.50 written off to 627 on a1');
  });

  it('the open balance, the aging and the history agree: ACME owes only its other invoices', async () => {
    // 480.00 + 480.00 + 1 200.00 invoiced − 472.50 paid − 7.50 fees = 1 680.00 (INV-000002 and INV-000003).
    expect((await h.http().get('/customers/acme/balance').expect(200)).body).toMatchObject({ invoiced: '2160.00', paid: '472.50', outstanding: '1680.00', openInvoiceCount: 2 });
    const aging = (await h.http().get('/reports/aging?asOf=2026-03-31').expect(200)).body;
    // 1 680.00 (ACME) + 300.00 + 300.00 + 120.00 (Globex) = 2 400.00, all current (due 2026-04-01).
    expect(aging.total).toBe('2400.00');
    const history = (await h.http().get('/customers/acme/history').expect(200)).body;
    expect(history.events.filter((e: { type: string }) => e.type === 'BankFeesWrittenOff')).toHaveLength(1);
    expect(history.state.totals).toMatchObject({ bankFees: '7.50', outstanding: '1680.00', writtenOff: '0.00' });
    expect(history.state.invoices.find((i: { invoiceId: string }) => i.invoiceId === 'a1')).toMatchObject({ status: 'settled', bankFees: '7.50', outstanding: '0.00' });
  });

  it('the journal books D 627 7.50 / C 411 7.50 on 2026-03-20, with no VAT line, and the FEC letters the invoice', async () => {
    const rows = await fecRows();
    const fees = rows.filter((l) => l[10].startsWith('Frais bancaires a1'));
    // FEC columns: 4 CompteNum, 5 CompteLib, 11 Debit, 12 Credit (decimal comma), 3 EcritureDate.
    expect(fees.map((l) => [l[3], l[4], l[5], l[11], l[12]])).toEqual([
      ['20260320', '627', 'Services bancaires et assimilés', '7,50', '0,00'],
      ['20260320', '411', 'Clients', '0,00', '7,50'],
    ]);
    // Invoice 480.00 debit = receipt 472.50 + fees 7.50 credit: the three 411 lines of INV-000001 share one letter.
    // Columns 6 CompAuxNum, 10 EcritureLib, 13 EcritureLet, 14 DateLet.
    const lettered = rows.filter((l) => l[4] === '411' && l[6] === 'acme' && l[13] !== '');
    expect(lettered.map((l) => [l[10].split(' ')[0], l[11], l[12], l[14]])).toEqual([
      ['Facture', '480,00', '0,00', '20260320'], ['Lettrage', '0,00', '472,50', '20260320'], ['Frais', '0,00', '7,50', '20260320'],
    ]);
    expect(new Set(lettered.map((l) => l[13])).size).toBe(1);
    const cents = (s: string) => Number(s.replace(',', ''));
    expect(rows.reduce((a, l) => a + cents(l[11]), 0)).toBe(rows.reduce((a, l) => a + cents(l[12]), 0));
  });

  it('refuses bank fees on a disputed invoice, above the tolerance, over several invoices, or when nothing is short — and writes nothing', async () => {
    const before = await head();
    const disputed = await accept('a2', { acceptBankFees: true }).expect(422);
    expect(disputed.body).toMatchObject({ code: 'BANK_FEES_ON_DISPUTED_INVOICE', details: { field: 'bankFees', disputeId: 'd1', disputed: '7.50' } });
    // 20.00 short > 15.00: not suggested as fees, and refused when a clerk says it is.
    const notShort = await accept('a3', { acceptBankFees: true }).expect(422);
    expect(notShort.body).toMatchObject({ code: 'NO_SHORTFALL', details: { field: 'acceptBankFees' } });
    const above = await h.http().post(`/bank-entries/${ids.a3}/match`).send({ customerId: 'acme', allocations: [{ invoiceId: 'a3', amount: '1180.00' }], bankFees: '20.00' }).expect(422);
    expect(above.body).toMatchObject({ code: 'BANK_FEES_ABOVE_TOLERANCE', details: { field: 'bankFees', amount: '20.00', tolerance: '15.00' } });
    const several = await accept('g', { acceptBankFees: true }).expect(422);
    expect(several.body).toMatchObject({ code: 'BANK_FEES_SEVERAL_INVOICES', details: { field: 'bankFees' } });
    // A manual match whose fees are not exactly the remainder: 1 200.00 − 1 180.00 = 20.00 ≠ 7.50.
    const wrong = await h.http().post(`/bank-entries/${ids.a3}/match`).send({ customerId: 'acme', allocations: [{ invoiceId: 'a3', amount: '1180.00' }], bankFees: '7.50' }).expect(422);
    expect(wrong.body).toMatchObject({ code: 'BANK_FEES_NOT_THE_REMAINDER', details: { outstanding: '20.00' } });
    expect(await head()).toBe(before);
    expect(await invoice('a2')).toMatchObject({ outstanding: '480.00', status: 'disputed' });
    expect(await invoice('a3')).toMatchObject({ outstanding: '1200.00' });
    expect((await h.http().get(`/bank-entries/${ids.g}`).expect(200)).body.status).toBe('suggested');
  });

  it('a manual match with explicit bankFees settles the invoice (120.00 − 115.00 = 5.00); a malformed amount is a 400', async () => {
    const m = await h.http().post(`/bank-entries/${ids.x}/match`).send({ customerId: 'globex', allocations: [{ invoiceId: 'g3', amount: '115.00' }], bankFees: '5.00' }).expect(200);
    expect(m.body).toMatchObject({ customerId: 'globex', amount: '115.00', unapplied: '0.00', bankFees: { invoiceId: 'g3', amount: '5.00' } });
    expect(await invoice('g3')).toMatchObject({ status: 'paid', outstanding: '0.00', bankFees: '5.00' });
    expect((await h.http().get(`/bank-entries/${ids.x}`).expect(200)).body).toMatchObject({ status: 'matched', match: { how: 'manual', rule: 'manual' } });
    const bad = await h.http().post(`/bank-entries/${ids.g}/match`).send({ customerId: 'globex', allocations: [{ invoiceId: 'g1', amount: '300.00' }], bankFees: '7,50' }).expect(400);
    expect(bad.body.details).toMatchObject({ field: 'bankFees' });
    // Globex's 592.50 split by the clerk over two invoices cannot say which one bore the fees: refused.
    const two = await h.http().post(`/bank-entries/${ids.g}/match`).send({ customerId: 'globex', allocations: [{ invoiceId: 'g1', amount: '292.50' }, { invoiceId: 'g2', amount: '300.00' }], bankFees: '7.50' }).expect(422);
    expect(two.body.code).toBe('BANK_FEES_SEVERAL_INVOICES');
  });

  it('a returned transfer takes its bank fees back: the invoice owes its 480.00 again and the journal books D 411 / C 627', async () => {
    await h.http().post('/invoices').send({ id: 'g4', customerId: 'globex', issueDate: '2026-03-02', lines: [line('400.00')] }).expect(201);
    const camt = (entries: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId><CreDtTm>2026-03-25T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>${entries.length}</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>${entries}</Stmt></BkToCstmrStmt></Document>`;
    const credit = `<Ntry><Amt Ccy="EUR">472.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-21</Dt></BookgDt><AcctSvcrRef>BQ-F1</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><EndToEndId>E2E-FEES-1</EndToEndId></Refs><RltdPties><Dbtr><Pty><Nm>GLOBEX CORP</Nm></Pty></Dbtr></RltdPties><RmtInf><Ustrd>INV-000007</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
    const r1 = await h.http().post('/bank-statements').set('Content-Type', 'application/xml').send(camt(credit)).expect(200);
    const entryId = r1.body.entries[0].entryId;
    expect(r1.body.entries[0]).toMatchObject({ outcome: 'suggested', customerId: 'globex' });
    await h.http().post(`/cash-application/suggestions/${entryId}/accept`).send({ acceptBankFees: true }).expect(200);
    expect(await invoice('g4')).toMatchObject({ status: 'paid', bankFees: '7.50', outstanding: '0.00' });
    const back = `<Ntry><Amt Ccy="EUR">472.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-25</Dt></BookgDt><AcctSvcrRef>BQ-F2</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>E2E-FEES-1</EndToEndId></Refs><RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>`;
    const r2 = await h.http().post('/bank-statements').set('Content-Type', 'application/xml').send(camt(back)).expect(200);
    expect(r2.body.entries[0]).toMatchObject({ outcome: 'return_applied', customerId: 'globex' });
    // 472.50 returned + 7.50 fees owed again = 480.00.
    const inv = await invoice('g4');
    expect(inv).toMatchObject({ status: 'issued', paid: '0.00', bankFees: '0.00', outstanding: '480.00', settledOn: null });
    expect(inv.adjustments.map((a: { type: string; amount: string }) => [a.type, a.amount])).toEqual([['bank_fees', '7.50'], ['payment_unapplied', '-472.50'], ['bank_fees_reversed', '-7.50']]);
    const rows = (await fecRows()).filter((l) => l[10].startsWith('Annulation frais bancaires g4'));
    expect(rows.map((l) => [l[3], l[4], l[11], l[12]])).toEqual([['20260325', '627', '0,00', '7,50'], ['20260325', '411', '7,50', '0,00']]);
  });
});
