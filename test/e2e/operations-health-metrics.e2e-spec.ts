import { join } from 'node:path';
import { ReadinessChecks } from '../../libs/application/readiness';
import { startApi, type Harness } from '../support/api-harness';
import { holdExclusiveLock } from '../support/faults';

/** Prometheus text format → samples (`name{a="b"} 1` → {name, labels, value}); comments skipped. */
export function parseMetrics(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

function sample(samples: ReturnType<typeof parseMetrics>, name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** Health probes and metrics (ADR 0065) through HTTP. */
describe('operations: /health/live, /health/ready, /metrics', () => {
  describe('on a healthy instance', () => {
    let h: Harness;
    beforeAll(async () => { h = await startApi(undefined, { AR_SQLITE_BUSY_TIMEOUT_MS: '200' }); });
    afterAll(async () => h.close());

    it('answers live and ready without credentials, with every check', async () => {
      const live = await h.anonymous().get('/health/live').expect(200);
      expect(live.body).toMatchObject({ status: 'ok', info: { process: { status: 'up' } } });
      const ready = await h.anonymous().get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: {
          eventStore: { status: 'up', store: 'sqlite' },
          readStore: { status: 'up', store: 'sqlite' },
          projections: { status: 'up', maxLagEvents: 1000 },
          workflow: { status: 'up', parkedSteps: 0, lagEvents: 0 },
        },
        error: {},
      });
      expect((await h.anonymous().get('/health').expect(200)).body.status).toBe('ok');
    });

    it('goes 503 NOT_READY while the event store cannot be written, live stays 200, and recovers', async () => {
      // Another connection holds the write lock (a stuck writer, a backup tool): the probe does not wait for it.
      const held = holdExclusiveLock(join(h.dataDir, 'events.sqlite'), 1500);
      const ready = await h.anonymous().get('/health/ready').expect(503);
      expect(ready.body).toMatchObject({
        code: 'NOT_READY', status: 'error',
        error: { eventStore: { status: 'down', message: expect.stringMatching(/SQLITE_BUSY|locked/i) } },
        info: { readStore: { status: 'up' } },
      });
      expect(ready.body.message).toContain('eventStore');
      await h.anonymous().get('/health/live').expect(200);
      await held;
      await h.anonymous().get('/health/ready').expect(200);
    });

    it('goes 503 while the read store cannot be written', async () => {
      const held = holdExclusiveLock(join(h.dataDir, 'read-models.sqlite'), 1000);
      const ready = await h.anonymous().get('/health/ready').expect(503);
      expect(ready.body.error).toMatchObject({ readStore: { status: 'down', message: expect.stringMatching(/SQLITE_BUSY|locked/i) } });
      expect(ready.body.info).toMatchObject({ eventStore: { status: 'up' } });
      await held;
      await h.anonymous().get('/health/ready').expect(200);
    });

    it('runs the checks registered by other components (the lease): down takes the instance out, removal restores it', async () => {
      const checks = h.app.get(ReadinessChecks);
      const remove = checks.register('lease', () => ({ up: false, details: { holder: 'other-instance', expiresAt: '2026-12-01T00:00:30Z' } }));
      const ready = await h.anonymous().get('/health/ready').expect(503);
      expect(ready.body.error).toEqual({ lease: { status: 'down', holder: 'other-instance', expiresAt: '2026-12-01T00:00:30Z' } });
      remove();
      const again = await h.anonymous().get('/health/ready').expect(200);
      expect(again.body.info.lease).toBeUndefined();
      const thrower = checks.register('subscription', () => { throw new Error('subscription dropped: connection reset'); });
      expect((await h.anonymous().get('/health/ready').expect(503)).body.error.subscription).toMatchObject({ status: 'down', message: expect.stringContaining('connection reset') });
      thrower();
    });

    it('scrapes counters, histograms and gauges of the request path and the background work', async () => {
      await h.http().post('/customers').send({ id: 'm-1', name: 'Metrics SAS', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
      // The same id again: refused by the decider (a conflict), counted as such.
      const dup = await h.http().post('/customers').send({ id: 'm-1', name: 'Metrics SAS', currency: 'EUR', creditLimit: '1000.00' });
      expect(dup.status).toBe(409);
      await h.http().get('/customers/m-1/balance').expect(200);
      await h.http().get('/no-such-route').expect(404);
      await h.anonymous().get('/metrics').expect(401);
      const res = await h.http().get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
      const s = parseMetrics(res.text);
      expect(sample(s, 'ar_http_request_duration_seconds_count', { method: 'POST', route: '/customers', status: '201' })).toBe(1);
      expect(sample(s, 'ar_http_request_duration_seconds_count', { method: 'POST', route: '/customers', status: '409' })).toBe(1);
      expect(sample(s, 'ar_http_request_duration_seconds_count', { method: 'GET', route: '/customers/:id/balance', status: '200' })).toBe(1);
      // Unmatched paths are one label value: an id in a path never becomes a time series.
      expect(sample(s, 'ar_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
      expect(s.some((x) => x.labels.route === '/no-such-route')).toBe(false);
      expect(sample(s, 'ar_commands_total', { command: 'RegisterCustomerCommand', outcome: 'ok' })).toBe(1);
      expect(sample(s, 'ar_commands_total', { command: 'RegisterCustomerCommand', outcome: 'conflict' })).toBe(1);
      expect(sample(s, 'ar_command_duration_seconds_count', { command: 'RegisterCustomerCommand' })).toBe(2);
      expect(sample(s, 'ar_event_store_append_duration_seconds_count', { operation: 'append' })! + (sample(s, 'ar_event_store_append_duration_seconds_count', { operation: 'append_many' }) ?? 0)).toBeGreaterThanOrEqual(1);
      const projections = s.filter((x) => x.name === 'ar_projection_lag_events');
      expect(projections.length).toBeGreaterThan(3);
      // Reads wait for the projections, so after the balance read every projection has caught up.
      for (const p of projections) {
        expect(p.value).toBe(0);
        expect(sample(s, 'ar_projection_lag_seconds', { projection: p.labels.projection })).toBe(0);
        expect(sample(s, 'ar_projection_state', { projection: p.labels.projection, state: 'live' })).toBe(1);
        expect(sample(s, 'ar_projection_rebuilding', { projection: p.labels.projection })).toBe(0);
      }
      expect(s.some((x) => x.name === 'ar_projection_rebuild_remaining_events')).toBe(false);
      expect(sample(s, 'ar_subscription_state', { subscriber: 'projector', state: 'live' })).toBe(1);
      expect(sample(s, 'ar_subscription_state', { subscriber: 'process_manager', state: 'live' })).toBe(1);
      expect(sample(s, 'ar_workflow_steps_parked')).toBe(0);
      expect(sample(s, 'ar_process_manager_lag_events')).toBe(0);
    });
  });

  describe('with the projector off (a reader instance whose projector runs elsewhere) and a lag bound of 1 event', () => {
    let h: Harness;
    beforeAll(async () => { h = await startApi(undefined, { AR_PROJECTOR: 'off', AR_READY_MAX_LAG_EVENTS: '1' }); });
    afterAll(async () => h.close());

    it('is not ready once the log runs ahead of the projections, and the lag is counted in events and seconds', async () => {
      // The log holds one event at start (the bootstrap admin key's): one behind is within the bound.
      const before = await h.anonymous().get('/health/ready').expect(200);
      expect(before.body.info.workflow).toMatchObject({ state: 'stopped', lagEvents: 1 });
      await h.http().post('/customers').send({ id: 'lag-1', name: 'Lag SAS', currency: 'EUR', creditLimit: '1000.00' }).expect(201);
      const ready = await h.anonymous().get('/health/ready').expect(503);
      expect(ready.body.error.projections).toMatchObject({ status: 'down', maxLagEvents: 1, message: expect.stringContaining('more than 1 events behind') });
      expect(ready.body.error.workflow).toMatchObject({ status: 'down', state: 'stopped', lagEvents: 2 });
      const s = parseMetrics((await h.http().get('/metrics').expect(200)).text);
      const lags = s.filter((x) => x.name === 'ar_projection_lag_events');
      // Two events (the key's, CustomerRegistered) recorded, none applied by this stopped projector.
      expect(lags.length).toBeGreaterThan(3);
      expect(lags.every((x) => x.value === 2)).toBe(true);
      expect(s.filter((x) => x.name === 'ar_projection_lag_seconds').every((x) => x.value >= 0 && x.value < 60)).toBe(true);
      expect(sample(s, 'ar_subscription_state', { subscriber: 'projector', state: 'stopped' })).toBe(1);
      expect(sample(s, 'ar_process_manager_lag_events')).toBe(2);
    });
  });
});
