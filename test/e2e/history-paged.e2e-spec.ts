import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../libs/application/config';
import { ReplayHistoryHandler, ReplayHistoryQuery } from '../../libs/application/reporting/history-replay';
import { HistoryReplay } from '../../libs/application/reporting/history-stream';
import { historyJson, historyView } from '../../libs/application/reporting/views';
import { line, startApi, type Harness } from '../support/api-harness';

/**
 * The streamed replay (ADR 0109) over HTTP, with pages of 3 events: byte for byte the one-shot replay's JSON
 * (`ReplayHistoryHandler`, what the route answered before), clean, as of dates, with a chain broken and a stream cut.
 */
describe('history replay in pages over HTTP', () => {
  let h: Harness;
  const PAGE = 3;
  beforeAll(async () => {
    h = await startApi(undefined, { AR_HISTORY_PAGE_SIZE: String(PAGE), AR_INVOICE_BACKDATED_SERIES: 'INVB' });
    // Invoice dates rise across the customers: numbering is chronological.
    for (const [c, id] of ['paged', 'tamper', 'cut'].entries()) {
      await h.http().post('/customers').send({ id, name: `${id} SAS`, currency: 'EUR', creditLimit: '90000.00' }).expect(201);
      for (let i = 1; i <= 5; i++) {
        await h.http().post('/invoices').send({ id: `${id}-i${i}`, customerId: id, issueDate: `2026-01-${String(10 * c + i + 1).padStart(2, '0')}`, lines: [line('100.00', String(i))] }).expect(201);
      }
      for (let i = 1; i <= 3; i++) {
        await h.http().post('/payments').send({ id: `${id}-p${i}`, customerId: id, amount: '120.00', receivedOn: `2026-02-${String(3 * i).padStart(2, '0')}`, method: 'bank_transfer' }).expect(201);
      }
    }
  });
  afterAll(async () => { await h.close(); });

  /** What the route answered before it streamed: the one-shot replay through the same view. */
  const oneShot = async (id: string, asOf?: string, verify = false) =>
    JSON.stringify(historyView((await h.app.get(ReplayHistoryHandler).execute(new ReplayHistoryQuery(id, asOf, verify))).value));

  const get = (path: string) => h.http().get(path).buffer(true).parse((res, done) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => { text += c; });
    res.on('end', () => done(null, text));
  });

  it('streams the one-shot answer byte for byte, over several pages, with the same headers', async () => {
    const r = await get('/customers/paged/history?verify=true').expect(200);
    expect(r.body).toBe(await oneShot('paged', undefined, true));
    const body = JSON.parse(r.body as string);
    expect(body.events.length).toBeGreaterThan(4 * PAGE);
    expect(body.verification).toMatchObject({ verified: true, events: body.events.length, firstBreak: null });
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.headers['x-hash-chain']).toBe('verified');
    expect(r.headers['x-read-model-consistency']).toBe('fresh');
    expect(Number(r.headers['x-log-position'])).toBe(await h.head());
    // Without verify: no verification, no X-Hash-Chain.
    const plain = await get('/customers/paged/history').expect(200);
    expect(plain.body).toBe(await oneShot('paged'));
    expect(plain.headers['x-hash-chain']).toBeUndefined();
  });

  it.each(['2025-12-31', '2026-01-02', '2026-01-07', '2026-02-06', '2026-12-31'])('cuts at asOf=%s as the one-shot replay does', async (asOf) => {
    const r = await get(`/customers/paged/history?asOf=${asOf}&verify=true`).expect(200);
    expect(r.body).toBe(await oneShot('paged', asOf, true));
    expect(JSON.parse(r.body as string).asOf).toBe(asOf);
  });

  it('refuses bad parameters and unknown customers with a JSON error before any byte of history', async () => {
    const bad = await h.http().get('/customers/paged/history?asOf=2026-13-01').expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/json/);
    expect(bad.body).toMatchObject({ code: 'DATE_MALFORMED', details: { field: 'asOf' } });
    expect((await h.http().get('/customers/paged/history?verify=1').expect(400)).body).toMatchObject({ code: 'FLAG_MALFORMED', details: { field: 'verify' } });
    expect((await h.http().get('/customers/nobody/history?verify=true').expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect(() => loadConfig({ AR_HISTORY_PAGE_SIZE: '0' })).toThrow(ConfigError);
  });

  it('pass 2 gives what pass 1 read, though events are appended between the passes', async () => {
    const replay = h.app.get(HistoryReplay);
    const before = await oneShot('paged', undefined, true);
    const summary = (await replay.summarize(new ReplayHistoryQuery('paged', undefined, true))).value;
    await h.http().post('/payments').send({ id: 'paged-p9', customerId: 'paged', amount: '1.00', receivedOn: '2026-02-20', method: 'card' }).expect(201);
    let text = '';
    for await (const chunk of historyJson(summary, replay.events(summary))) text += chunk;
    expect(text).toBe(before);
    expect(await oneShot('paged', undefined, true)).not.toBe(before);
  });

  it('reports an edited event and a stream cut short as the one-shot replay does', async () => {
    const db = new Database(join(h.dataDir, 'events.sqlite'));
    const edited = db.prepare("SELECT position, data FROM events WHERE stream_id = 'invoice-tamper-i3' AND revision = 0").get() as { position: number; data: string };
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(edited.data.replace(/"total":(\d+)/, (_m, t: string) => `"total":${Number(t) + 1}`), edited.position);
    const last = db.prepare("SELECT MAX(revision) AS revision FROM events WHERE stream_id = 'invoice-cut-i1'").get() as { revision: number };
    expect(last.revision).toBeGreaterThan(0);
    db.prepare("DELETE FROM events WHERE stream_id = 'invoice-cut-i1' AND revision = ?").run(last.revision);
    db.close();

    const tampered = await get('/customers/tamper/history?verify=true').expect(200);
    expect(tampered.headers['x-hash-chain']).toBe('broken');
    expect(tampered.body).toBe(await oneShot('tamper', undefined, true));
    expect(JSON.parse(tampered.body as string).verification.firstBreak).toEqual({ streamId: 'invoice-tamper-i3', revision: 0, reason: 'hash_mismatch', position: edited.position });
    const tamperedAsOf = await get('/customers/tamper/history?verify=true&asOf=2026-01-05').expect(200);
    expect(tamperedAsOf.body).toBe(await oneShot('tamper', '2026-01-05', true));

    const cut = await get('/customers/cut/history?verify=true').expect(200);
    expect(cut.headers['x-hash-chain']).toBe('broken');
    expect(cut.body).toBe(await oneShot('cut', undefined, true));
    expect(JSON.parse(cut.body as string).verification.firstBreak).toEqual({ streamId: 'invoice-cut-i1', revision: last.revision, reason: 'truncated', position: null });
  });
});
