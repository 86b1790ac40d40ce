import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { line, startApi, type Harness } from '../support/api-harness';

/** Dunning over HTTP: report, run (idempotent), reminders in the file outbox, charges at the formal notice, agency. */
describe('collections over HTTP — dunning', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    for (const id of ['acme', 'beta']) await h.http().post('/customers').send({ id, name: `${id.toUpperCase()} SAS`, currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-01', lines: [line('1000.00')] }).expect(201); // 1200.00 due 01-31
    await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-01-15', lines: [line('500.00')] }).expect(201); // 600.00 due 02-14
    await h.http().post('/invoices/i2/disputes').send({ id: 'd1', amount: '100.00', reason: 'damaged', on: '2026-02-01' }).expect(201);
    await h.http().post('/invoices').send({ id: 'b1', customerId: 'beta', issueDate: '2026-01-01', lines: [line('100.00')] }).expect(201); // 120.00
    // beta paid a little on b1 and holds more unapplied credit than it owes.
    await h.http().post('/payments').send({ id: 'pb', customerId: 'beta', amount: '500.00', receivedOn: '2026-01-05', method: 'sepa', allocations: [{ invoiceId: 'b1', amount: '0.01' }] }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  const outbox = () => { try { return readdirSync(join(h.dataDir, 'outbox')).sort(); } catch { return []; } };

  it('reports what the next run would do, and why', async () => {
    const r = await h.http().get('/reports/dunning?asOf=2026-03-10').expect(200);
    expect(r.body.actions).toEqual([expect.objectContaining({ invoiceId: 'i1', level: 3, name: 'Formal notice', daysPastDue: 38, assessCharges: true })]);
    expect(r.body.skipped).toEqual(expect.arrayContaining([
      expect.objectContaining({ invoiceId: 'i2', reason: expect.stringMatching(/disputed/) }),
      expect.objectContaining({ invoiceId: 'b1', reason: expect.stringMatching(/credit covers/) }),
    ]));
    expect(outbox()).toEqual([]);
  });

  it('runs: assesses charges, records the level, delivers a French text and HTML reminder; a second run for the same date does nothing', async () => {
    const run = await h.http().post('/dunning/runs').send({ asOf: '2026-03-10' }).expect(201);
    expect(run.body.sent).toEqual([expect.objectContaining({ invoiceId: 'i1', level: 3, creditHold: false, collectionAgency: false })]);
    expect(run.body.sent[0].chargesAssessed).toBeGreaterThan(4000);
    const files = outbox();
    expect(files.filter((f) => f.endsWith('.txt'))).toHaveLength(1);
    const text = readFileSync(join(h.dataDir, 'outbox', files.find((f) => f.endsWith('.txt'))!), 'utf8');
    expect(text).toMatch(/Subject: Mise en demeure : facture INV-000001/);
    expect(text).toMatch(/38 jours de retard/);
    expect(readFileSync(join(h.dataDir, 'outbox', files.find((f) => f.endsWith('.html'))!), 'utf8')).toMatch(/<html lang="fr">/);

    const head = await h.head();
    const again = await h.http().post('/dunning/runs').send({ asOf: '2026-03-10' }).expect(201);
    expect(again.body.sent).toEqual([]);
    expect(await h.head()).toBe(head);
    expect(outbox()).toEqual(files);

    const i1 = (await h.http().get('/invoices/i1').expect(200)).body;
    expect(i1.reminders).toEqual([expect.objectContaining({ level: 3, name: 'Formal notice', daysPastDue: 38 })]);
    expect(i1).toMatchObject({ chargedThrough: '2026-03-10' });
  });

  it('resumes after a rejected dispute at the first level not yet sent, and hands a long-unpaid invoice to the collection agency with a credit hold', async () => {
    await h.http().post('/invoices/i2/disputes/d1/resolve').send({ outcome: 'rejected', on: '2026-03-15' }).expect(200);
    const run = await h.http().post('/dunning/runs').send({ asOf: '2026-04-02' }).expect(201);
    // i2 was disputed before any level: the first reminder, not the formal notice its due date alone would give (ADR 0038).
    expect(run.body.sent).toEqual(expect.arrayContaining([
      expect.objectContaining({ invoiceId: 'i1', level: 4, creditHold: true, collectionAgency: true }),
      expect.objectContaining({ invoiceId: 'i2', level: 1 }),
    ]));
    expect((await h.http().get('/invoices/i1').expect(200)).body.status).toBe('in_collection');
    const types = (await h.http().get('/customers/acme/history').expect(200)).body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['ReminderSent', 'HandedToCollectionAgency', 'LateChargesAssessed']));
    expect((await h.http().get('/reports/dunning?asOf=2026-04-02').expect(200)).body.actions).toEqual([]);
  });

  it('then the next levels at the ladder intervals from the resumption, one per run, never skipping one', async () => {
    // Resumed 2026-03-15 at level 1 (its own anchor 02-14 + 7 = 02-21 had passed): level 2 on 03-15 + (21 − 7) = 03-29,
    // already passed on 04-03, so sent then; level 3 on 03-15 + (35 − 7) = 04-12; level 4 on 03-15 + (60 − 7) = 05-07.
    const i2 = async (asOf: string) => ((await h.http().post('/dunning/runs').send({ asOf }).expect(201)).body.sent as Array<{ invoiceId: string; level: number }>)
      .filter((s) => s.invoiceId === 'i2').map((s) => s.level);
    expect(await i2('2026-04-03')).toEqual([2]);
    const report = (await h.http().get('/reports/dunning?asOf=2026-04-11').expect(200)).body;
    expect(report.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ invoiceId: 'i2', reason: 'dunning resumed on 2026-03-15: level 3 is due on 2026-04-12' })]));
    expect(await i2('2026-04-11')).toEqual([]);
    expect(await i2('2026-04-12')).toEqual([3]);
    expect(await i2('2026-05-06')).toEqual([]);
    expect(await i2('2026-05-07')).toEqual([4]);
    const reminders = (await h.http().get('/invoices/i2').expect(200)).body.reminders.map((r: { level: number; asOf: string }) => [r.level, r.asOf]);
    expect(reminders).toEqual([[1, '2026-04-02'], [2, '2026-04-03'], [3, '2026-04-12'], [4, '2026-05-07']]);
  });

  it('rebuilds projections identical to the live ones, with no process-manager error', async () => {
    for (const name of ['open-balances', 'invoices', 'open-items', 'audit-trail', 'customer-credit']) {
      expect({ name, identical: (await h.projector().verify(name)).identical }).toEqual({ name, identical: true });
    }
    expect((await h.http().get('/projections').expect(200)).body.processManager).toEqual({ lastError: null });
  });
});
