import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, dateOfInstant } from '../../libs/domain/shared/dates';
import { SqliteDataKeyStore } from '../../libs/privacy/adapters/sqlite/sqlite-data-key-store';
import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Crypto-shredding over HTTP (issue 17, ADR 0082): personal data sealed in the log with the customer's data key;
 * erasure destroys the key; reads, history (verified), statement, exports and a rebuild show the erased marker
 * and the same amounts; the SQLite files hold nothing readable of the customer.
 */
describe('privacy: erasure of a customer\'s personal data', () => {
  let h: Harness;
  const NAME = 'Zéphyrine Dupont-Lagarde';
  const EMAIL = 'zephyrine.lagarde@dupont-lagarde.example';
  const PHONE = '+33612345678';
  const STREET = '27 impasse des Glycines';
  // AR_RETENTION_YEARS=1: entries of 2025-02-01 are kept until 2026-02-01, erasable after.
  beforeAll(async () => { h = await startApi(undefined, { AR_RETENTION_YEARS: '1' }); });
  afterAll(async () => { await h.close(); });

  /** Every file of the data directory: the log, the read store, the key stores, their -wal and -shm. */
  const filesHolding = (needle: string): string[] => {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.sqlite(-wal|-shm|-journal)?$/.test(e.name) && readFileSync(p).includes(Buffer.from(needle, 'utf8'))) out.push(e.name);
      }
    };
    walk(h.dataDir);
    return out;
  };
  const before: Record<string, unknown> = {};
  /** The customer's data key as the key store holds it (a second connection to the file). */
  const dataKey = async () => {
    const store = new SqliteDataKeyStore(join(h.dataDir, 'data-keys.sqlite'));
    try { return await store.get('zl'); } finally { await store.close(); }
  };
  const filesHoldingBytes = (bytes: Buffer) => readdirSync(h.dataDir).filter((f) => /\.sqlite/.test(f) && readFileSync(join(h.dataDir, f)).includes(bytes));

  it('registers with personal data, invoices and is paid; the log holds the personal fields sealed, never in clear', async () => {
    await h.http().post('/customers').send({
      id: 'zl', name: NAME, currency: 'EUR', creditLimit: '10000.00', billingEmails: [EMAIL], phone: '+33 6 12 34 56 78',
      address: { lines: [STREET], postalCode: '69003', city: 'Lyon', country: 'FR' }, siren: '732829320',
    }).expect(201);
    // 1000.00 net + 20 % VAT = 1200.00, paid in full.
    await h.http().post('/invoices').send({ id: 'zl-1', customerId: 'zl', issueDate: '2025-01-10', lines: [line('1000.00')] }).expect(201);
    await h.http().post('/payments').send({ id: 'zl-p1', customerId: 'zl', amount: '1200.00', receivedOn: '2025-02-01', method: 'transfer', allocations: [{ invoiceId: 'zl-1', amount: '1200.00' }] }).expect(201);
    await h.http().post('/invoices').send({ id: 'zl-2', customerId: 'zl', issueDate: '2025-01-20', lines: [line('250.00')] }).expect(201); // 300.00 open
    expect((await h.http().get('/customers/zl').expect(200)).body).toMatchObject({ name: NAME, contacts: { billingEmails: [EMAIL], phone: PHONE } });
    const history = await h.http().get('/customers/zl/history?verify=true').expect(200);
    expect(history.body.verification.verified).toBe(true);
    expect(history.body.events[0].data.name).toBe(NAME);
    for (const secret of [NAME, EMAIL, PHONE, STREET]) expect(filesHolding(secret)).toEqual([]);
    expect(filesHolding('pii:1:zl:').some((f) => f.startsWith('events.sqlite'))).toBe(true);

    before.balance = (await h.http().get('/customers/zl/balance').expect(200)).body;
    before.statement = (await h.http().get('/customers/zl/statement?from=2025-01-01&to=2025-12-31').expect(200)).body;
    before.history = history.body;
    before.csv = (await h.http().get('/exports/journal?from=2025-01-01&to=2025-12-31&format=csv').expect(200)).text;
    before.fec = (await h.http().get('/exports/journal?from=2025-01-01&to=2025-12-31&format=fec').expect(200)).text;
    expect(before.fec as string).toContain(NAME);
    expect((await h.http().get('/customers/zl/credit').expect(200)).body.name).toBe(NAME);
    expect((await h.http().get('/reports/credit-exposure').expect(200)).body.customers.find((c: { customerId: string }) => c.customerId === 'zl').name).toBe(NAME);
    // Readable so far: the key that opens them is in the key store.
    const key = await dataKey();
    expect(key?.status).toBe('active');
    before.key = key?.status === 'active' ? key.key : null;
    expect(filesHoldingBytes(before.key as Buffer)).toEqual(expect.arrayContaining([expect.stringMatching(/^data-keys\.sqlite/)]));
  });

  it('refuses the erasure while entries are inside the retention period, saying until when, and writes nothing', async () => {
    // Entry 30 days ago + 1 year = kept until then; erasable the day after.
    const today = dateOfInstant(new Date().toISOString());
    const recent = addDays(today, -30);
    await h.http().post('/customers').send({ id: 'recent', name: 'Récent SAS', currency: 'EUR', creditLimit: '10000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'r-1', customerId: 'recent', issueDate: recent, lines: [line('100.00')] }).expect(201);
    const head = await h.head();
    const r = await h.http().post('/customers/recent/erase').send({ reason: 'GDPR request' }).expect(409);
    const until = `${Number(recent.slice(0, 4)) + 1}${recent.slice(4)}`;
    expect(r.body).toMatchObject({ code: 'RETENTION_PERIOD_ACTIVE', details: { lastEntryOn: recent, retentionYears: 1, retainedUntil: until, erasableFrom: addDays(until, 1) } });
    expect(r.body.message).toContain(until);
    expect(await h.head()).toBe(head);
    expect((await h.http().get('/customers/recent').expect(200)).body.name).toBe('Récent SAS');
  });

  it('only an admin erases; a reason is required', async () => {
    const clerk = await h.createKey('clerk');
    await h.as(clerk.key).post('/customers/zl/erase').send({ reason: 'GDPR request' }).expect(403);
    await h.http().post('/customers/zl/erase').send({}).expect(400);
    await h.http().post('/customers/nobody/erase').send({ reason: 'x' }).expect(404);
  });

  it('erases: reads, history (verified), statement and exports show the marker and the same amounts', async () => {
    const r = await h.http().post('/customers/zl/erase').send({ reason: 'GDPR art. 17 request of 2026-11-28' }).expect(200);
    // Latest entry 2025-02-01 (the payment) + 1 year = 2026-02-01.
    expect(r.body).toMatchObject({ id: 'zl', erased: true, retention: { years: 1, lastEntryOn: '2025-02-01', until: '2026-02-01' } });

    expect((await h.http().get('/customers/zl').expect(200)).body).toMatchObject({
      name: '[erased]', erased: true, contacts: { billingEmails: [], phone: null, address: null }, legal: { siren: '732829320' },
    });
    const balance = (await h.http().get('/customers/zl/balance').expect(200)).body;
    expect(balance).toEqual({ ...(before.balance as object), name: '[erased]' });
    expect(balance.outstanding).toBe('300.00');
    expect((await h.http().get('/customers/zl/credit').expect(200)).body).toMatchObject({ name: '[erased]', exposure: { exposure: '300.00' } });
    expect((await h.http().get('/reports/credit-exposure').expect(200)).body.customers.find((c: { customerId: string }) => c.customerId === 'zl')).toMatchObject({ name: '[erased]', exposure: '300.00' });
    expect((await h.http().get('/customers/zl/statement?from=2025-01-01&to=2025-12-31').expect(200)).body).toEqual(before.statement);

    const history = (await h.http().get('/customers/zl/history?verify=true').expect(200)).body;
    expect(history.verification).toMatchObject({ verified: true, firstBreak: null });
    expect(history.events.map((e: { type: string }) => e.type)).toEqual([...(before.history as { events: Array<{ type: string }> }).events.map((e) => e.type), 'CustomerErased']);
    expect(history.events[0].data.name).toBe('[erased]');
    expect(history.events[1].data.changes).toMatchObject({ billingEmails: '[erased]', phone: '[erased]', address: '[erased]', siren: '732829320' });
    expect(history.state.totals).toEqual((before.history as { state: { totals: unknown } }).state.totals);
    expect(JSON.stringify(history)).not.toContain(NAME);

    const csv = (await h.http().get('/exports/journal?from=2025-01-01&to=2025-12-31&format=csv').expect(200)).text;
    const fec = (await h.http().get('/exports/journal?from=2025-01-01&to=2025-12-31&format=fec').expect(200)).text;
    expect(csv).toBe((before.csv as string).split(NAME).join('[erased]'));
    expect(fec).toBe((before.fec as string).split(NAME).join('[erased]'));
    // CompAuxNum keeps the account number, CompAuxLib shows the marker.
    expect(fec).toMatch(/\tzl\t\[erased\]\t/);
  });

  it('a rebuild after the erasure shows the marker; the SQLite files (log, read store, keys, WAL) hold nothing readable of the customer', async () => {
    await h.projector().rebuild();
    expect((await h.http().get('/customers/zl').expect(200)).body).toMatchObject({ name: '[erased]', erased: true });
    expect((await h.http().get('/customers/zl/balance').expect(200)).body.name).toBe('[erased]');
    for (const secret of [NAME, EMAIL, PHONE, STREET, 'Glycines', 'lagarde']) expect({ secret, files: filesHolding(secret) }).toEqual({ secret, files: [] });
    // And the key that opened the sealed fields is gone from every file, WAL included: a tombstone remains.
    expect(await dataKey()).toMatchObject({ status: 'destroyed' });
    expect(filesHoldingBytes(before.key as Buffer)).toEqual([]);
  });

  it('after the erasure: details cannot change, a second erasure records nothing, and the account still works (a payment)', async () => {
    const p = await h.http().patch('/customers/zl').send({ phone: '+33700000000', reason: 'new phone' }).expect(409);
    expect(p.body.code).toBe('CUSTOMER_ERASED');
    const head = await h.head();
    await h.http().post('/customers/zl/erase').send({ reason: 'again' }).expect(200);
    expect(await h.head()).toBe(head);
    await h.http().post('/payments').send({ id: 'zl-p2', customerId: 'zl', amount: '300.00', receivedOn: '2026-11-30', method: 'transfer', allocations: [{ invoiceId: 'zl-2', amount: '300.00' }] }).expect(201);
    expect((await h.http().get('/customers/zl/balance').expect(200)).body.outstanding).toBe('0.00');
  });
});
