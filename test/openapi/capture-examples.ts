/**
 * `npm run openapi:examples`: boots the real API on a scratch data directory, runs one scripted back-office
 * day through every operation, and writes each operation's first success answer (status, body, the contract
 * headers it carried) and request body to apps/api/src/http/openapi-examples.json, from which the OpenAPI
 * document takes its response schemas and examples (ADR 0070). A new route adds one `call` here.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory';
import { loadConfig } from '../../libs/application/config';

const ADMIN = 'ark_capture-admin-key-000000000000000000000000000000000';
const CONTRACT_HEADERS = ['x-log-position', 'x-read-model-consistency', 'idempotent-replayed'];

interface Captured {
  status: number;
  contentType: string;
  body: unknown;
  request?: unknown;
  headers: string[];
}

/** A created API key is shown once: the example keeps its shape, never a usable secret. */
function redacted(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (k, v) => (k === 'key' && typeof v === 'string' && v.startsWith('ark_') ? 'ark_EXAMPLE-shown-once-0000000000000000000000000000000' : v));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ar-openapi-'));
  const app = await createApp(loadConfig({
    AR_DATA_DIR: dir, AR_READ_WAIT_MS: '5000', AR_CREDIT_HOLD_SCHEDULE: 'off', AR_DUNNING_SCHEDULE: 'off', AR_BOOTSTRAP_API_KEY: ADMIN,
    AR_WRITE_OFF_APPROVAL_ABOVE: 'EUR:1000.00', AR_CREDIT_LIMIT_INCREASE_APPROVAL_ABOVE: 'EUR:50000.00',
    // The seller the documents print (AR_COMPANY_*, docs/operations.md): a sample company.
    AR_COMPANY_NAME: 'Atelier Durand SAS', AR_COMPANY_LEGAL_FORM: 'SAS', AR_COMPANY_SHARE_CAPITAL: '50 000 EUR', AR_COMPANY_RCS: 'RCS Lyon',
    AR_COMPANY_SIREN: '732829320', AR_COMPANY_VAT_NUMBER: 'FR44732829320', AR_COMPANY_ADDRESS: '12 rue de la République',
    AR_COMPANY_POSTCODE: '69002', AR_COMPANY_CITY: 'Lyon', AR_COMPANY_COUNTRY: 'FR', AR_COMPANY_IBAN: 'FR7630006000011234567890189', AR_COMPANY_BIC: 'AGRIFRPP',
  }), { logger: false });
  await app.init();
  const out: Record<string, Captured> = {};
  const server = app.getHttpServer();
  let key = ADMIN;
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', template: string, params: Record<string, string> = {}, body?: unknown, options: { as?: string; idempotencyKey?: string; contentType?: string } = {}) => {
    const path = template.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(params[p]));
    const query = params.query ? `?${params.query}` : '';
    let req = request(server)[method.toLowerCase() as 'get'](path + query).set('Authorization', `Bearer ${options.as ?? key}`);
    if (options.idempotencyKey) req = req.set('Idempotency-Key', options.idempotencyKey);
    if (options.contentType) req = req.set('Content-Type', options.contentType);
    const res = body === undefined ? await req : await req.send(body as object);
    if (res.status >= 300) throw new Error(`${method} ${path}${query}: ${res.status} ${JSON.stringify(res.body)}`);
    const opKey = `${method} ${template}`;
    const contentType = String(res.headers['content-type'] ?? 'application/json');
    if (!out[opKey]) {
      out[opKey] = {
        status: res.status, contentType,
        body: contentType.startsWith('application/json') ? redacted(res.body) : contentType.startsWith('application/pdf') ? '%PDF-1.7 … (binary)' : String(res.text ?? '').split('\n').slice(0, 4).join('\n'),
        ...(body !== undefined ? { request: body } : {}), headers: CONTRACT_HEADERS.filter((h) => res.headers[h] !== undefined),
      };
    }
    return res.body as Record<string, unknown>;
  };
  const line = (unitPrice: string, description = 'Consulting') => ({ description, quantity: '1', unitPrice, taxRate: '0.20' });
  try {
    const manager = (await call('POST', '/admin/api-keys', {}, { name: 'cm.anna', role: 'credit_manager' })).key as string;
    const spare = await call('POST', '/admin/api-keys', {}, { name: 'old-integration', role: 'clerk' });
    await call('GET', '/admin/api-keys');
    await call('DELETE', '/admin/api-keys/{id}', { id: String(spare.id) });
    await call('GET', '/security/events');

    await call('POST', '/customers', {}, { id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '20000.00' });
    await call('POST', '/customers', {}, { id: 'dupont', name: 'Dupont et Fils SARL', currency: 'EUR', creditLimit: '5000.00', creditPolicy: 'hold_for_approval' });
    await call('GET', '/customers');
    await call('PUT', '/customers/{id}/credit-limit', { id: 'acme' }, { amount: '30000.00', reason: 'Annual review' });
    await call('PUT', '/customers/{id}/credit-limit', { id: 'acme' }, { amount: '100000.00', reason: 'Group guarantee' });
    await call('POST', '/customers/{id}/credit-limit/approve', { id: 'acme' }, {}, { as: manager });
    await call('PUT', '/customers/{id}/credit-limit', { id: 'dupont' }, { amount: '60000.00', reason: 'New contract' });
    await call('POST', '/customers/{id}/credit-limit/reject', { id: 'dupont' }, { reason: 'Not before the accounts are filed' }, { as: manager });
    await call('PUT', '/customers/{id}/payment-terms', { id: 'acme' }, { terms: '2/10 net 30', reason: 'Early-payment agreement' });
    await call('PUT', '/customers/{id}/credit-policy', { id: 'acme' }, { policy: 'reject', reason: 'Key account review' });
    await call('POST', '/customers/{id}/credit-hold', { id: 'dupont' }, { reason: 'Cheque returned' });
    await call('DELETE', '/customers/{id}/credit-hold', { id: 'dupont' }, { reason: 'Cheque honoured' });
    await call('POST', '/customers/{id}/credit-assessments', { id: 'acme' }, { id: 'as-2026', assessedOn: '2026-01-05', yearsInBusiness: 12 });

    await call('POST', '/invoices', {}, { id: 'inv-1', customerId: 'acme', issueDate: '2026-01-10', lines: [line('1000.00')] }, { idempotencyKey: 'inv-1' });
    await call('POST', '/invoices', {}, { id: 'inv-2', customerId: 'acme', issueDate: '2026-01-15', lines: [line('2500.00')] });
    await call('POST', '/invoices', {}, { id: 'inv-3', customerId: 'acme', issueDate: '2026-01-20', lines: [line('400.00')] });
    await call('POST', '/invoices', {}, { id: 'inv-4', customerId: 'acme', issueDate: '2026-01-25', lines: [line('3000.00')] });
    // Dupont's limit is 5000.00: 4800.00 passes, the next 2400.00 is held for approval (its policy), twice.
    await call('POST', '/invoices', {}, { id: 'dup-1', customerId: 'dupont', issueDate: '2026-01-26', lines: [line('4000.00')] });
    await call('POST', '/invoices', {}, { id: 'dup-2', customerId: 'dupont', issueDate: '2026-01-27', lines: [line('2000.00')] });
    await call('POST', '/invoices', {}, { id: 'dup-3', customerId: 'dupont', issueDate: '2026-01-27', lines: [line('2000.00')] });
    await call('GET', '/reports/pending-approvals');
    await call('POST', '/invoices/{id}/approve', { id: 'dup-2' }, { reason: 'Parent guarantee received', issueDate: '2026-01-28' }, { as: manager });
    await call('POST', '/invoices/{id}/reject', { id: 'dup-3' }, { reason: 'Over the limit' }, { as: manager });
    await call('GET', '/invoices', { query: 'overdueAsOf=2026-03-15&limit=2' });
    await call('GET', '/invoices/{id}', { id: 'inv-1' });

    await call('POST', '/payments', {}, { id: 'pay-1', customerId: 'acme', amount: '1200.00', receivedOn: '2026-02-05', method: 'sepa', reference: 'VIR ACME F1', allocations: [{ invoiceId: 'inv-1', amount: '1200.00' }] }, { idempotencyKey: 'pay-1' });
    await call('POST', '/payments', {}, { id: 'pay-2', customerId: 'acme', amount: '1000.00', receivedOn: '2026-02-20', method: 'sepa', allocations: [{ invoiceId: 'inv-2', amount: '1000.00' }] });
    await call('POST', '/payments', {}, { id: 'pay-3', customerId: 'acme', amount: '500.00', receivedOn: '2026-02-21', method: 'cheque', reference: 'no such invoice' });
    await call('GET', '/payments');
    await call('GET', '/payments/{id}', { id: 'pay-1' });
    await call('POST', '/payments/{id}/reallocate', { id: 'pay-2' }, { fromInvoiceId: 'inv-2', toInvoiceId: 'inv-3', amount: '480.00', on: '2026-02-22' });
    await call('GET', '/reports/payments-for-review');
    await call('POST', '/customers/{id}/apply-credit', { id: 'acme' }, { invoiceId: 'inv-2', on: '2026-02-23' });
    await call('POST', '/payments', {}, { id: 'pay-4', customerId: 'acme', amount: '300.00', receivedOn: '2026-02-24', method: 'sepa', reference: 'advance' });
    await call('POST', '/customers/{id}/refunds', { id: 'acme' }, { amount: '30.00', method: 'transfer', on: '2026-02-25' });
    await call('POST', '/payments/{id}/reverse', { id: 'pay-1' }, { reason: 'Bounced', on: '2026-02-26' });
    await call('GET', '/reports/customer-credit', { query: 'asOf=2026-02-28' });

    await call('POST', '/credit-notes', {}, { id: 'cn-1', customerId: 'acme', invoiceId: 'inv-4', issueDate: '2026-02-27', reason: 'Goods returned', amount: '120.00' });
    await call('GET', '/credit-notes');
    await call('GET', '/credit-notes/{id}', { id: 'cn-1' });
    await call('POST', '/invoices/{id}/disputes', { id: 'inv-4' }, { id: 'd-1', amount: '600.00', reason: 'Two items damaged', on: '2026-03-01' });
    await call('GET', '/disputes');
    await call('GET', '/disputes/{id}', { id: 'd-1' });
    await call('POST', '/invoices/{id}/disputes/{disputeId}/resolve', { id: 'inv-4', disputeId: 'd-1' }, { outcome: 'accepted', agreedAmount: '300.00', note: 'Half agreed', on: '2026-03-05' });
    await call('POST', '/invoices/{id}/write-off', { id: 'inv-1' }, { amount: '20.00', reason: 'Small balance', on: '2026-03-06' });
    await call('POST', '/invoices/{id}/write-off', { id: 'inv-2' }, { amount: '1500.00', reason: 'Liquidation', on: '2026-03-07' });
    await call('GET', '/reports/approval-requests', { query: 'status=pending' });
    await call('POST', '/invoices/{id}/write-off/reject', { id: 'inv-2' }, { reason: 'Customer agreed a plan' }, { as: manager });
    await call('POST', '/invoices/{id}/write-off', { id: 'inv-2' }, { amount: '1100.00', reason: 'Liquidation', on: '2026-03-08' });
    await call('POST', '/invoices/{id}/write-off/approve', { id: 'inv-2' }, {}, { as: manager });

    await call('GET', '/invoices/{id}/late-charges', { id: 'dup-1', query: 'asOf=2026-04-15' });
    await call('POST', '/invoices/{id}/late-charges', { id: 'dup-1' }, { asOf: '2026-04-15' });
    await call('GET', '/reports/dunning', { query: 'asOf=2026-04-20' });
    await call('POST', '/dunning/runs', {}, { asOf: '2026-04-20' });
    await call('POST', '/credit-holds/policy-run', {}, { asOf: '2026-04-20' });
    await call('GET', '/reports/credit-exposure', { query: 'over=0' });
    await call('POST', '/payment-plans', {}, { id: 'plan-1', customerId: 'dupont', invoiceIds: ['dup-2'], agreedOn: '2026-04-21', instalments: [{ dueDate: '2026-05-15', amount: '1200.00' }, { dueDate: '2026-06-15', amount: '1200.00' }] });
    await call('GET', '/payment-plans');
    await call('GET', '/payment-plans/{id}', { id: 'plan-1' });
    await call('POST', '/payment-plans/{id}/check', { id: 'plan-1' }, { asOf: '2026-05-01' });

    await call('GET', '/customers/{id}/balance', { id: 'acme' });
    await call('GET', '/customers/{id}/credit', { id: 'acme' });
    await call('GET', '/customers/{id}/history', { id: 'acme', query: 'verify=true' });
    await call('GET', '/customers/{id}/statement', { id: 'acme', query: 'from=2026-01-01&to=2026-03-31' });
    await call('GET', '/reports/aging', { query: 'asOf=2026-04-30' });
    await call('GET', '/reports/aging/invoices', { query: 'asOf=2026-04-30&limit=3' });
    await call('GET', '/reports/dso', { query: 'from=2026-01-01&to=2026-04-30' });
    await call('GET', '/reports/ecl', { query: 'asOf=2026-04-30' });
    await call('GET', '/exports/journal', { query: 'from=2026-01-01&to=2026-04-30' });
    await call('POST', '/periods/close', {}, { through: '2026-01-31', reason: 'January closing' });
    await call('GET', '/periods');
    await call('POST', '/periods/reopen', {}, { from: '2026-01-15', reason: 'Late supplier credit' });

    // Master data and documents (issue 16), privacy (issue 17).
    await call('GET', '/customers/{id}', { id: 'acme' });
    await call('PATCH', '/customers/{id}', { id: 'acme' }, { reason: 'New billing contact', billingEmails: ['ap@acme.example'], language: 'fr' });
    await call('GET', '/invoices/{id}/pdf', { id: 'inv-2' });
    await call('GET', '/invoices/{id}/cii.xml', { id: 'inv-2' });
    await call('GET', '/credit-notes/{id}/pdf', { id: 'cn-1' });
    await call('GET', '/customers/{id}/statement.pdf', { id: 'acme', query: 'from=2026-01-01&to=2026-03-31' });
    await call('POST', '/customers', {}, { id: 'old-co', name: 'Old Company SARL', currency: 'EUR', creditLimit: '1000.00' });
    await call('POST', '/customers/{id}/erase', { id: 'old-co' }, { reason: 'GDPR art. 17 request of 2026-05-02' });

    // Cash application (issue 18): a statement in, a suggestion accepted with its bank fees (300.00 − 292.50 = 7.50 to
    // 627, ADR 0088), another rejected, a credit matched by hand.
    await call('POST', '/customers', {}, { id: 'globex', name: 'Globex Corporation', currency: 'EUR', creditLimit: '10000.00' });
    await call('POST', '/invoices', {}, { id: 'gx-1', customerId: 'globex', issueDate: '2026-05-02', lines: [line('250.00')] });
    await call('POST', '/invoices', {}, { id: 'gx-2', customerId: 'globex', issueDate: '2026-05-03', lines: [line('100.00')] });
    const entry = (ref: string, amount: string, name: string, text: string) => `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-05-20</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>${name}</Nm></Pty></Dbtr></RltdPties><RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
    const camt = `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>M-0520</MsgId><CreDtTm>2026-05-20T18:00:00</CreDtTm></GrpHdr><Stmt><Id>S-2026-05-20</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>`
      + entry('BQ-1', '292.50', 'GLOBEX CORP', 'REGLEMENT') + entry('BQ-2', '120.00', 'GLOBEX CORPORATION', 'VIREMENT') + entry('BQ-3', '77.00', 'UNKNOWN PAYER', 'DON')
      + '</Stmt></BkToCstmrStmt></Document>';
    const imported = await call('POST', '/bank-statements', {}, camt, { contentType: 'application/xml' });
    const ids = Object.fromEntries((imported.entries as Array<{ bankRef: string; entryId: string }>).map((e) => [e.bankRef, e.entryId]));
    await call('GET', '/cash-application/suggestions');
    await call('GET', '/bank-entries', { query: 'status=unmatched' });
    await call('GET', '/bank-entries/{id}', { id: ids['BQ-1'] });
    await call('POST', '/cash-application/suggestions/{id}/accept', { id: ids['BQ-1'] }, { acceptBankFees: true });
    await call('POST', '/cash-application/suggestions/{id}/reject', { id: ids['BQ-2'] }, { reason: 'Globex says it is a supplier refund' });
    await call('POST', '/bank-entries/{id}/match', { id: ids['BQ-3'] }, { customerId: 'globex', allocations: [] });
    await call('PUT', '/bank-statements/csv-mappings/{name}', { name: 'mybank' }, { account: 'FR7630004000030000123456789', currency: 'EUR', delimiter: ';', dateFormat: 'DD/MM/YYYY', decimalSeparator: ',', columns: { bookingDate: 'Date', amount: 'Montant', debtorName: 'Tiers', remittance: 'Libellé' } });
    await call('GET', '/bank-statements/csv-mappings/{name}', { name: 'mybank' });

    await call('GET', '/health/live');
    await call('GET', '/health/ready');
    await call('GET', '/health');
    await call('GET', '/projections');
    await call('GET', '/projections/health');
    await call('GET', '/metrics');
    key = ADMIN;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
  const file = resolve(__dirname.includes('/dist/') ? resolve(__dirname, '../../..') : resolve(__dirname, '../..'), 'apps/api/src/http/openapi-examples.json');
  writeFileSync(file, JSON.stringify(sorted, null, 2) + '\n');
  process.stderr.write(`[openapi] ${Object.keys(sorted).length} operations captured into ${file}\n`);
}

main().catch((error) => {
  process.stderr.write(`[openapi] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
