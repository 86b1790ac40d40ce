import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory';
import { loadConfig } from '../../libs/application/config';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port';
import { ADMIN_KEY } from '../support/api-harness';

type Line = Record<string, unknown> & { level: string; msg: string; requestId?: string };

/** JSON access logs (ADR 0066): one line per request, its request id in the events, nothing secret, no stack for a 4xx. */
describe('operations: JSON logs with request ids', () => {
  let app: INestApplication;
  let dataDir: string;
  let text = '';
  const lines = (): Line[] => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
  const access = (requestId: string) => lines().filter((l) => l.requestId === requestId && l.res !== undefined);
  const http = () => request(app.getHttpServer());
  /** The access line is written on `finish`, a moment after the client has its answer. */
  const settle = () => new Promise((r) => setTimeout(r, 50));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ar-logs-'));
    const logStream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
    app = await createApp(loadConfig({
      AR_DATA_DIR: dataDir, AR_CREDIT_HOLD_SCHEDULE: 'off', AR_DUNNING_SCHEDULE: 'off', AR_BOOTSTRAP_API_KEY: ADMIN_KEY, AR_LOG_LEVEL: 'info',
    }), { logStream });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes one access line per request with the incoming X-Request-Id, which is the correlation id of the events', async () => {
    const res = await http().post('/customers').set('Authorization', `Bearer ${ADMIN_KEY}`).set('X-Request-Id', 'lb-7f3a.42')
      .send({ id: 'log-1', name: 'Logs SAS', currency: 'EUR', creditLimit: '500.00' }).expect(201);
    expect(res.headers['x-request-id']).toBe('lb-7f3a.42');
    await settle();
    const [line, ...more] = access('lb-7f3a.42');
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 'info', msg: 'POST /customers 201', route: '/customers', req: { method: 'POST', url: '/customers' }, res: { statusCode: 201 } });
    expect(line.principal).toMatch(/^key:/);
    expect(typeof line.durationMs).toBe('number');
    expect(typeof line.time).toBe('string');
    const events = await app.get<EventStore>(EVENT_STORE).readStream('credit-log-1');
    expect(events.map((e) => e.metadata.correlationId)).toEqual(['lb-7f3a.42']);
  });

  it('replaces a malformed X-Request-Id with a generated one, and generates one when none is sent', async () => {
    const bad = await http().get('/customers/log-1/balance').set('Authorization', `Bearer ${ADMIN_KEY}`).set('X-Request-Id', 'has spaces; and {json}').expect(200);
    const generated = bad.headers['x-request-id'] as string;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const none = await http().get('/customers/log-1/balance').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.headers['x-request-id']).not.toBe(generated);
    await settle();
    expect(access(generated)).toHaveLength(1);
    expect(text).not.toContain('has spaces');
  });

  it('logs a client error at info with its code, without a stack trace, and never a credential', async () => {
    await http().post('/customers').set('Authorization', `Bearer ${ADMIN_KEY}`).set('X-Request-Id', 'bad-input-1')
      .send({ id: 'log-2', name: 'Bad', currency: 'EUR', creditLimit: '12.345' }).expect(400);
    await http().get('/customers/log-1/balance').set('Authorization', 'Bearer ark_wrong-key-000000000000000000000000000000000000000').set('X-Request-Id', 'bad-key-1').expect(401);
    await settle();
    const [invalid] = access('bad-input-1');
    expect(invalid).toMatchObject({ level: 'info', res: { statusCode: 400 }, code: 'AMOUNT_TOO_MANY_DECIMALS' });
    expect(invalid.err).toBeUndefined();
    const [unauthenticated] = access('bad-key-1');
    expect(unauthenticated).toMatchObject({ level: 'info', res: { statusCode: 401 }, code: 'UNAUTHENTICATED' });
    for (const l of lines()) if (l.level === 'info') expect(JSON.stringify(l)).not.toMatch(/stack|\n\s+at /);
    expect(text).not.toContain(ADMIN_KEY);
    expect(text).not.toContain('ark_wrong-key');
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('gives a request refused at the edge (before routing) its request id and access line too', async () => {
    const res = await http().post('/customers').set('Authorization', `Bearer ${ADMIN_KEY}`).set('X-Request-Id', 'edge-1').set('Content-Type', 'text/plain').send('x=1').expect(415);
    expect(res.headers['x-request-id']).toBe('edge-1');
    await settle();
    expect(access('edge-1')).toEqual([expect.objectContaining({ level: 'info', code: 'UNSUPPORTED_MEDIA_TYPE', route: 'unmatched' })]);
  });

  it('logs a server error at error level, with the stack in the error filter\'s line, both under the request id', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const append = store.append;
    store.append = async () => { throw new TypeError('injected defect'); };
    try {
      await http().post('/customers').set('Authorization', `Bearer ${ADMIN_KEY}`).set('X-Request-Id', 'boom-1')
        .send({ id: 'log-3', name: 'Boom', currency: 'EUR', creditLimit: '1.00' }).expect(500);
    } finally {
      store.append = append;
    }
    await settle();
    const mine = lines().filter((l) => l.requestId === 'boom-1');
    const accessLine = mine.find((l) => l.res !== undefined)!;
    expect(accessLine).toMatchObject({ level: 'error', code: 'INTERNAL_ERROR', res: { statusCode: 500 } });
    const filterLine = mine.find((l) => l.res === undefined)!;
    expect(filterLine).toMatchObject({ level: 'error', context: 'HTTP' });
    expect(JSON.stringify(filterLine)).toContain('injected defect');
    expect(JSON.stringify(filterLine)).toMatch(/at .*\.ts:\d+/);
  });

  it('logs probes that succeed at debug, so an info log is not flooded by them', async () => {
    await http().get('/health/live').set('X-Request-Id', 'probe-1').expect(200);
    await settle();
    expect(access('probe-1')).toEqual([]);
  });
});
