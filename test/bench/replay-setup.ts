/**
 * The fixed cost of one paged history replay on SQLite (ADR 0109): its own read-only connection opened, the
 * statement it steps prepared, one row read, closed — with the adapter's whole statement set prepared (as before)
 * and with the one statement alone, alternately, best CPU µs of several rounds. Not part of `npm run bench`.
 *
 *   node dist/test/bench/replay-setup.js [rounds]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { NewEvent } from '../../libs/event-store/event-store.port';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { openDatabase, prepareReadStreamsUpTo, prepareStatements } from '../../libs/event-store/adapters/sqlite/sqlite-schema';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ar-replay-setup-'));
  const file = join(dir, 'events.sqlite');
  try {
    const store = new SqliteEventStore({ path: file });
    const event = { id: '00000000-0000-4000-8000-000000000001', type: 'X', data: {}, metadata: { actor: 'bench', recordedAt: '2026-12-02T00:00:00.000Z' } };
    await store.append('s-1', 'no_stream', [event as unknown as NewEvent]);
    await store.close();
    const rounds = Number(process.argv[2] ?? 2000);
    const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
    const ways: Array<[string, (db: Database.Database) => { iterate: (...a: unknown[]) => Iterator<unknown> }]> = [
      ['allStatements', (db) => { prepareStatements(db); return prepareReadStreamsUpTo(db); }],
      ['oneStatement', (db) => prepareReadStreamsUpTo(db)],
    ];
    const best: Record<string, number> = {};
    for (let r = 0; r < 4; r++) {
      for (const [name, prepare] of r % 2 === 0 ? ways : [...ways].reverse()) {
        const t = cpu();
        for (let i = 0; i < rounds; i++) {
          const db = openDatabase(file, true, 5000);
          const rows = prepare(db).iterate('["s-1"]', Number.MAX_SAFE_INTEGER);
          if (rows.next().done === true) throw new Error('the event was not read back');
          rows.return?.();
          db.close();
        }
        best[name] = Math.min(best[name] ?? Infinity, (cpu() - t) / rounds);
      }
    }
    console.log(JSON.stringify({ rounds, bestCpuMicrosPerReplaySetup: best }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
