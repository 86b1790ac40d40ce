import Database from 'better-sqlite3';
import { runAr } from '../support/cli';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../apps/cli/src/main';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { FEC_COLUMNS } from '../../projections';
import { loadCommands, simulateLedger } from '../bench/fixtures';

/** The `ar` CLI in-process (same composition root as the API, no HTTP), plus the built binary for kill -9. */
const ROOT = join(__dirname, '..', '..');


const ar = (dataDir: string, ...argv: string[]) => runAr({ AR_DATA_DIR: dataDir, AR_READ_WAIT_MS: '5000' }, argv);

describe('ar CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds a reproducible demo through the command path, once', async () => {
    const first = await ar(dir, 'demo', 'seed', '--customers', '4', '--months', '3', '--seed', '7', '--json');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.out);
    expect(summary).toMatchObject({ customers: 4, alreadySeeded: false });
    expect(summary.invoices).toBeGreaterThan(4);
    expect(summary.payments).toBeGreaterThan(2);
    const again = await ar(dir, 'demo', 'seed', '--customers', '4', '--months', '3', '--seed', '7', '--json');
    expect(JSON.parse(again.out)).toMatchObject({ alreadySeeded: true, invoices: 0, payments: 0 });
  }, 60_000);

  it('replays a customer with --verify, as of a date, as a table or JSON', async () => {
    const table = await ar(dir, 'history', 'demo-s7-c02', '--verify');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/verified \d+ events in \d+ streams/);
    expect(table.out).toContain('CustomerRegistered');
    const json = JSON.parse((await ar(dir, 'history', 'demo-s7-c02', '--as-of', '2026-02-15', '--json')).out);
    expect(json.asOf).toBe('2026-02-15');
    for (const e of json.events) expect(e.type === 'CustomerRegistered' || e.effectiveDate <= '2026-02-15').toBe(true);
    expect(json.state.customerId).toBe('demo-s7-c02');
  }, 30_000);

  it('runs every report as table, JSON and CSV', async () => {
    const aging = await ar(dir, 'report', 'aging', '--as-of', '2026-03-31', '--buckets', '30,60,90,120', '--json');
    expect(aging.code).toBe(0);
    expect(Object.keys(JSON.parse(aging.out).buckets)).toEqual(['current', '1-30', '31-60', '61-90', '91-120', '120+']);
    const byInvoice = await ar(dir, 'report', 'aging', '--as-of', '2026-03-31', '--by', 'invoice', '--csv');
    expect(byInvoice.out.split('\n')[0]).toBe('customer,invoice,number,issued,due,days past due,bucket,open EUR');
    const statement = JSON.parse((await ar(dir, 'report', 'statement', 'demo-s7-c01', '--from', '2026-02-01', '--to', '2026-03-31', '--json')).out);
    expect(Number(statement.closing)).toBeCloseTo(Number(statement.opening) + Number(statement.totalDebit) - Number(statement.totalCredit), 2);
    const dso = await ar(dir, 'report', 'dso', '--from', '2026-01-01', '--to', '2026-03-31', '--method', 'countback');
    expect(dso.code).toBe(0);
    expect(dso.out).toContain('countback');
    const ecl = JSON.parse((await ar(dir, 'report', 'ecl', '--as-of', '2026-03-31', '--json')).out);
    expect(ecl.buckets.map((b: { bucket: string }) => b.bucket)).toEqual(['current', '1-30', '31-60', '61-90', '90+']);
  }, 30_000);

  it('exports a balanced journal as FEC (18 columns) and CSV', async () => {
    const file = join(dir, 'FEC.txt');
    const r = await ar(dir, 'export', 'journal', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'fec', '--output', file);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/Exported \d+ entries/);
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    expect(lines[0]).toEqual([...FEC_COLUMNS]);
    const balance = new Map<string, number>();
    for (const l of lines.slice(1)) {
      expect(l).toHaveLength(18);
      expect(l[3]).toMatch(/^2026\d{4}$/);
      expect(l[11]).toMatch(/^\d+,\d\d$/);
      balance.set(l[2], (balance.get(l[2]) ?? 0) + Number(l[11].replace(',', '')) - Number(l[12].replace(',', '')));
    }
    expect(balance.size).toBeGreaterThan(5);
    for (const [entry, b] of balance) expect({ entry, b }).toEqual({ entry, b: 0 });
    const csv = await ar(dir, 'export', 'journal', '--format', 'csv');
    expect(csv.out.split('\n').filter((l) => l !== '')).toHaveLength(lines.length);
    expect(csv.out.split('\n')[0]).toBe('logPosition,journal,date,account,accountLabel,auxiliaryAccount,auxiliaryLabel,pieceRef,pieceDate,label,debit,credit,currency,eventType,recordedOn');
  }, 30_000);

  it('uses a configured account mapping', async () => {
    const mapping = join(dir, 'accounts.json');
    require('node:fs').writeFileSync(mapping, JSON.stringify({ accounts: { customers: { number: '411000', label: 'Clients' } } }));
    const r = await ar(dir, 'export', 'journal', '--format', 'csv', '--accounts', mapping);
    expect(r.out).toContain(',411000,');
    expect(r.out).not.toContain(',411,');
    const bad = await ar(dir, 'export', 'journal', '--accounts', join(dir, 'missing.json'));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('ACCOUNT_MAPPING_INVALID');
  }, 30_000);

  it('shows projection status, rebuilds blue/green and verifies identical', async () => {
    const status = JSON.parse((await ar(dir, 'projections', 'status', '--json')).out);
    expect(status.projections.map((p: { name: string }) => p.name)).toContain('journal');
    const rebuilt = await ar(dir, 'projections', 'rebuild', 'journal', 'customer-ledger');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.out).toMatch(/Rebuilt journal, customer-ledger up to position \d+/);
    const after = JSON.parse((await ar(dir, 'projections', 'status', '--json')).out);
    expect(after.projections.find((p: { name: string }) => p.name === 'journal').collection).toBe('journal_v8_g2');
    const verify = await ar(dir, 'projections', 'verify', '--json');
    expect(verify.code).toBe(0);
    for (const p of JSON.parse(verify.out).projections) expect({ p: p.projection, identical: p.identical }).toEqual({ p: p.projection, identical: true });
  }, 60_000);

  it('rebuilds one projection by name without touching the others (issue 14)', async () => {
    type Status = { name: string; collection: string; checkpoint: number };
    const before = JSON.parse((await ar(dir, 'projections', 'status', '--json')).out).projections as Status[];
    const target = before.find((p) => p.name === 'open-balances')!;
    const generation = Number(/_g(\d+)$/.exec(target.collection)![1]);
    // The other live collections, with every document they hold, as they were before the rebuild.
    const db = new Database(join(dir, 'read-models.sqlite'), { readonly: true });
    const snapshot = (collection: string) => JSON.stringify(db.prepare(`SELECT key, doc FROM "c_${collection}" ORDER BY key`).all());
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name));
    const others = before.filter((p) => p.name !== 'open-balances' && tables.has(`c_${p.collection}`));
    expect(others.length).toBeGreaterThan(5);
    const docs = new Map(others.map((p) => [p.name, snapshot(p.collection)]));
    try {
      const rebuilt = await ar(dir, 'projections', 'rebuild', 'open-balances');
      expect(rebuilt.code).toBe(0);
      expect(rebuilt.out).toMatch(/Rebuilt open-balances up to position \d+/);
      expect(rebuilt.err).not.toMatch(/rebuild (?!open-balances)[a-z-]+:/);
      const after = JSON.parse((await ar(dir, 'projections', 'status', '--json')).out).projections as Status[];
      expect(after.find((p) => p.name === 'open-balances')!.collection).toBe(target.collection.replace(/_g\d+$/, `_g${generation + 1}`));
      for (const p of others) {
        const now = after.find((q) => q.name === p.name)!;
        expect({ name: p.name, collection: now.collection, checkpoint: now.checkpoint }).toEqual({ name: p.name, collection: p.collection, checkpoint: p.checkpoint });
        expect(snapshot(p.collection)).toBe(docs.get(p.name));
      }
    } finally {
      db.close();
    }
    const verify = await ar(dir, 'projections', 'verify', 'open-balances', '--json');
    expect(verify.code).toBe(0);
  }, 60_000);

  it('rebuilds every projection on two worker threads, identical to a rebuild in one thread (ADR 0119)', async () => {
    type Status = { name: string; collection: string; checkpoint: number; head: number };
    const before = JSON.parse((await ar(dir, 'projections', 'status', '--json')).out).projections as Status[];
    // What a killed staged rebuild leaves: a staging file of a process that no longer runs, deleted by the next run and
    // never imported as it is; one of a process still running (another rebuild's) is left alone.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = join(dir, `read-models.sqlite.rebuild-${gone}-1`);
    writeFileSync(stale, 'not a database');
    const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const inUse = join(dir, `read-models.sqlite.rebuild-${running.pid}-1`);
    writeFileSync(inUse, 'another rebuild in progress');
    const rebuilt = await ar(dir, 'projections', 'rebuild', '--workers', '2');
    expect({ code: rebuilt.code, err: rebuilt.code === 0 ? '' : rebuilt.err }).toEqual({ code: 0, err: '' });
    expect(rebuilt.out).toMatch(/Rebuilt all projections up to position \d+/);
    expect(existsSync(stale)).toBe(false);
    expect(readFileSync(inUse, 'utf8')).toBe('another rebuild in progress');
    running.kill();
    rmSync(inUse);
    expect(readdirSync(dir).filter((f) => f.includes('.rebuild-'))).toEqual([]);
    const after = JSON.parse((await ar(dir, 'projections', 'status', '--json')).out).projections as Status[];
    for (const p of before) {
      const now = after.find((q) => q.name === p.name)!;
      // A new generation of every projection, live at the head.
      expect({ name: p.name, generation: Number(/_g(\d+)$/.exec(now.collection)![1]), atHead: now.checkpoint === now.head })
        .toEqual({ name: p.name, generation: Number(/_g(\d+)$/.exec(p.collection)![1]) + 1, atHead: true });
    }
    // verify rebuilds each projection in this thread into a scratch copy and compares it document by document.
    const verify = await ar(dir, 'projections', 'verify', '--json');
    expect(verify.code).toBe(0);
    const results = JSON.parse(verify.out).projections as Array<{ projection: string; identical: boolean; compared: number }>;
    expect(results).toHaveLength(before.length);
    for (const r of results) expect({ p: r.projection, identical: r.identical }).toEqual({ p: r.projection, identical: true });
    expect(results.find((r) => r.projection === 'audit-trail')!.compared).toBeGreaterThan(50);
  }, 90_000);

  it('refuses a worker count out of range, writing nothing', async () => {
    const before = (await ar(dir, 'projections', 'status', '--json')).out;
    for (const n of ['0', '17', 'two']) {
      const r = await ar(dir, 'projections', 'rebuild', '--workers', n);
      expect({ n, code: r.code }).toEqual({ n, code: 2 });
      expect(r.err).toContain('--workers');
    }
    expect((await ar(dir, 'projections', 'status', '--json')).out).toBe(before);
  }, 30_000);

  it('exits with codes scripts can trust', async () => {
    expect((await ar(dir, 'report', 'aging')).code).toBe(2); // missing --as-of
    expect((await ar(dir, 'report', 'aging', '--as-of', '2026-13-01')).code).toBe(2);
    expect((await ar(dir, 'report', 'aging', '--as-of', '2026-03-01', '--by', 'region')).code).toBe(2);
    expect((await ar(dir, 'nonsense')).code).toBe(2);
    expect((await ar(dir, 'history', 'nobody')).code).toBe(4);
    expect((await ar(dir, 'projections', 'rebuild', 'nope')).code).toBe(4);
    expect((await ar(dir, '--help')).code).toBe(0);
    expect((await ar(dir, 'report', 'aging', '--help')).code).toBe(0);
    expect((await ar(dir, 'report')).code).toBe(2); // no subcommand
    const bad = await runCli(['projections', 'status'], { out: () => undefined, err: () => undefined, isTTY: false, errStream: process.stderr }, { AR_DATA_DIR: dir, AR_EVENT_STORE: 'bogus' });
    expect(bad).toBe(2);
  }, 30_000);

  it('exports the log as NDJSON, whole or after a position (incremental), as stored', async () => {
    const all = await ar(dir, 'export', 'events');
    expect(all.code).toBe(0);
    const events = all.out.trim().split('\n').map((l) => JSON.parse(l));
    const store = SqliteEventStore.openReadOnly(join(dir, 'events.sqlite'));
    try {
      const head = await store.headPosition();
      expect(events[events.length - 1].position).toBe(head);
      expect(events.map((e) => e.position)).toEqual([...events.map((e) => e.position)].sort((a, b) => a - b));
      expect(events[0]).toEqual({ ...(await store.readAll(-1, 1))[0] });
      expect(all.err).toBe(`Exported ${events.length} events after position -1, up to position ${head}\n`);
      const middle = events[Math.floor(events.length / 2)].position;
      const rest = await ar(dir, 'export', 'events', '--after', String(middle));
      expect(rest.out.trim().split('\n').map((l) => JSON.parse(l).position)).toEqual(events.filter((e) => e.position > middle).map((e) => e.position));
      expect((await ar(dir, 'export', 'events', '--after', String(head))).out).toBe('');
    } finally {
      await store.close();
    }
    expect((await ar(dir, 'export', 'events', '--after', '-3')).code).toBe(2);
  }, 30_000);

  it('verifies the whole log, and against stream heads exported earlier catches a deleted tail every chain accepts', async () => {
    const headsFile = join(dir, 'heads.json');
    const exported = await ar(dir, 'export', 'heads', '--output', headsFile);
    expect(exported.code).toBe(0);
    expect(exported.err).toMatch(/^Exported \d+ stream heads up to position \d+, digest [0-9a-f]{64} to /);
    const clean = await ar(dir, 'verify', '--heads', headsFile);
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/^verified \d+ events in \d+ streams, \d+ heads matched, \d+ workflow steps complete up to position \d+\n$/);

    // A whole log copy, so that the other tests keep theirs: delete the last event of one invoice stream.
    const copy = mkdtempSync(join(tmpdir(), 'ar-cli-heads-'));
    try {
      // The data keys go with the log (the personal fields it holds are sealed with them, ADR 0082).
      for (const f of ['events.sqlite', 'read-models.sqlite', 'data-keys.sqlite']) {
        const db = new Database(join(dir, f));
        await db.backup(join(copy, f));
        db.close();
      }
      const db = new Database(join(copy, 'events.sqlite'));
      const tail = db.prepare("SELECT stream_id AS streamId, MAX(revision) AS revision FROM events WHERE stream_id LIKE 'invoice-demo-s7-c01-%' GROUP BY stream_id HAVING MAX(revision) > 0 LIMIT 1").get() as { streamId: string; revision: number };
      db.prepare('DELETE FROM events WHERE stream_id = ? AND revision = ?').run(tail.streamId, tail.revision);
      db.close();
      expect((await ar(copy, 'verify')).code).toBe(0); // every chain alone still holds
      const cut = await ar(copy, 'verify', '--heads', headsFile, '--json');
      expect(cut.code).toBe(3);
      expect(JSON.parse(cut.out).firstBreak).toEqual({ streamId: tail.streamId, revision: tail.revision, reason: 'truncated', position: null });
      expect(cut.err).toContain(`BROKEN: stream ${tail.streamId}, revision ${tail.revision} (missing from the log, truncated)`);
      // The history replay catches it too, from the customer-streams anchor.
      expect((await ar(copy, 'history', 'demo-s7-c01', '--verify')).code).toBe(3);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    // A heads file edited by hand is refused (usage error), before anything is checked.
    const edited = JSON.parse(readFileSync(headsFile, 'utf8'));
    edited.heads[0].revision += 1;
    writeFileSync(headsFile, JSON.stringify(edited));
    const refused = await ar(dir, 'verify', '--heads', headsFile);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('HEADS_FILE_INVALID');
  }, 60_000);

  it('--verify catches an event edited in the SQLite file behind the engine: first broken link, exit 3', async () => {
    const db = new Database(join(dir, 'events.sqlite'));
    const target = db.prepare("SELECT position, stream_id AS streamId, revision, data FROM events WHERE stream_id LIKE 'payment-demo-s7-c03-%' ORDER BY position LIMIT 1").get() as { position: number; streamId: string; revision: number; data: string };
    const data = JSON.parse(target.data);
    data.amount += 100; // a payment made to look larger
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), target.position);
    db.close();
    const r = await ar(dir, 'history', 'demo-s7-c03', '--verify');
    expect(r.code).toBe(3);
    expect(r.out).toContain(`BROKEN hash chain: stream ${target.streamId}, revision ${target.revision} (position ${target.position}, hash_mismatch)`);
    const json = await ar(dir, 'history', 'demo-s7-c03', '--verify', '--json');
    expect(json.code).toBe(3);
    expect(JSON.parse(json.out).verification.firstBreak).toEqual({ streamId: target.streamId, revision: target.revision, position: target.position, reason: 'hash_mismatch' });
    // Without --verify the replay still answers (what the log now says), with exit 0.
    expect((await ar(dir, 'history', 'demo-s7-c03')).code).toBe(0);
  }, 30_000);
});

/**
 * A log of ~30,000 events in `dir`, live generation 1 of every projection, then `ar projections rebuild …args` in a
 * child process flushing after every log batch (time budget 0), killed with SIGKILL at its first stderr line matching
 * `when`.
 */
async function killRebuildMidway(dir: string, seed: number, args: string[], when: RegExp): Promise<void> {
  // Make sure the built CLI is current (bin/ar.js builds when stale).
  expect(spawnSync(process.execPath, [join(ROOT, 'bin', 'ar.js'), '--help'], { cwd: ROOT, encoding: 'utf8' }).status).toBe(0);
  const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  await loadCommands(store, simulateLedger({ seed, minEvents: 30_000, customers: 300, invoicesPerDay: 60 }));
  await store.close();
  expect((await ar(dir, 'report', 'aging', '--as-of', '2023-06-30')).code).toBe(0);
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), 'projections', 'rebuild', ...args], { env: { ...process.env, AR_DATA_DIR: dir, AR_REBUILD_FLUSH_MS: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (c) => { if (when.test(String(c))) resolve(); });
    child.on('exit', () => reject(new Error('rebuild finished before it could be killed')));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('close', resolve));
}

describe('ar projections rebuild after kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-cli-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes the interrupted generation and ends identical to a fresh rebuild', async () => {
    // The kill once a flush has been written (durable ≥ 0).
    await killRebuildMidway(dir, 3, [], /rebuild [a-z-]+: position \d+\/\d+ \(\d+%\), durable \d+/);

    const during = JSON.parse((await ar(dir, 'projections', 'status', '--json')).out).projections;
    const building = during.filter((p: { building: unknown }) => p.building !== null);
    expect(building.length).toBeGreaterThan(0);
    for (const p of during) expect(p.collection).toMatch(/_g1$/); // the old generation kept serving

    const resumed = await ar(dir, 'projections', 'rebuild');
    expect(resumed.code).toBe(0);
    // The projections killed mid-way read only what their generation had not reached yet.
    const runs = [...resumed.err.matchAll(/rebuild ([a-z-]+): done at position (\d+), (\d+) events/g)].map((m) => ({ name: m[1], head: Number(m[2]), read: Number(m[3]) }));
    for (const b of building) {
      const run = runs.find((r) => r.name === b.name)!;
      expect(run.read).toBeLessThan(run.head + 1);
    }
    const after = JSON.parse((await ar(dir, 'projections', 'status', '--json')).out).projections;
    for (const p of after) expect({ name: p.name, building: p.building, lag: p.lag }).toEqual({ name: p.name, building: null, lag: 0 });
    const verify = await ar(dir, 'projections', 'verify', '--json');
    expect(verify.code).toBe(0);
  }, 180_000);
});

describe('ar projections rebuild --workers 2 after kill -9 (ADR 0119)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-cli-kill-staged-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the live generations serving, then a new run replaces the staging files and ends identical to a rebuild in one thread', async () => {
    // Killed while the workers are building (their first progress line).
    await killRebuildMidway(dir, 5, ['--workers', '2'], /rebuild [a-z-]+: position \d+/);
    const left = readdirSync(dir).filter((f) => /^read-models\.sqlite\.rebuild-\d+-\d+$/.test(f));
    expect(left.length).toBeGreaterThan(0);
    // Owner-only, as the read store (the projections hold personal data).
    for (const f of left) expect({ f, mode: statSync(join(dir, f)).mode & 0o777 }).toEqual({ f, mode: 0o600 });
    const during = JSON.parse((await ar(dir, 'projections', 'status', '--json')).out).projections as Array<{ collection: string; building: unknown }>;
    expect(during.filter((p) => p.building !== null).length).toBeGreaterThan(0);
    for (const p of during) expect(p.collection).toMatch(/_g1$/); // the old generation kept serving

    const resumed = await ar(dir, 'projections', 'rebuild', '--workers', '2');
    expect({ code: resumed.code, err: resumed.code === 0 ? '' : resumed.err }).toEqual({ code: 0, err: '' });
    expect(readdirSync(dir).filter((f) => f.includes('.rebuild-'))).toEqual([]);
    const after = JSON.parse((await ar(dir, 'projections', 'status', '--json')).out).projections as Array<{ name: string; collection: string; building: unknown; lag: number }>;
    for (const p of after) expect({ name: p.name, building: p.building, lag: p.lag, g2: /_g2$/.test(p.collection) }).toEqual({ name: p.name, building: null, lag: 0, g2: true });
    const verify = await ar(dir, 'projections', 'verify', '--json');
    expect(verify.code).toBe(0);
    for (const r of JSON.parse(verify.out).projections) expect({ p: r.projection, identical: r.identical }).toEqual({ p: r.projection, identical: true });
  }, 180_000);
});
