import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../libs/application/config';
import { GetAgingHandler, GetAgingQuery } from '../../libs/application/queries/queries';
import { ReadModels } from '../../libs/application/read-models';
import { GetStatementHandler, GetStatementQuery } from '../../libs/application/reporting/reports';
import type { ArEvent } from '../../libs/domain/events';
import { foldAccount } from '../../libs/domain/reporting/account-state';
import type { RecordedFact } from '../../libs/domain/reporting/effective-date';
import { addDays, daysBetween } from '../../libs/domain/shared/dates';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { chainEvents } from '../../libs/event-store/hash-chain';
import { Projector } from '../../libs/projection-runtime/projector';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { ALL_PROJECTIONS } from '../../projections';
import { allocated, applied, issued, received, registered, settled, streamOf } from '../../projections/testing';

/**
 * Point-in-time correctness: for random histories (payments recorded out of business-date order, partial,
 * spread over several invoices, or left unapplied) and random as-of dates, the read-model answers — aging
 * and statement through the real query handlers over SQLite — equal a fold of the log up to that date.
 * Reproduce a failure with FC_SEED=<seed>.
 */
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`point-in-time property seed: FC_SEED=${seed}`);

const DAY0 = '2025-01-01';
type Op =
  | { kind: 'issue'; customer: number; day: number; terms: number; total: number }
  | { kind: 'pay'; customer: number; day: number; amount: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('issue' as const), customer: fc.nat(2), day: fc.nat(150), terms: fc.integer({ min: 0, max: 60 }), total: fc.integer({ min: 1, max: 200_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pay' as const), customer: fc.nat(2), day: fc.nat(220), amount: fc.integer({ min: 1, max: 250_000 }) }) },
);

/** Turns operations (in record order) into the events the engine writes: oldest due first, rest unapplied. */
function eventsOf(ops: readonly Op[]): ArEvent[] {
  const log: ArEvent[] = [0, 1, 2].map((c) => registered(`c${c}`));
  const open = new Map<string, Array<{ invoiceId: string; dueDate: string; outstanding: number }>>();
  ops.forEach((op, i) => {
    const customerId = `c${op.customer}`;
    const list = open.get(customerId) ?? [];
    open.set(customerId, list);
    if (op.kind === 'issue') {
      const issueDate = addDays(DAY0, op.day);
      const dueDate = addDays(issueDate, op.terms);
      log.push(issued(`i${i}`, customerId, op.total, { issueDate, dueDate }));
      list.push({ invoiceId: `i${i}`, dueDate, outstanding: op.total });
      return;
    }
    const receivedOn = addDays(DAY0, op.day);
    log.push(received(`p${i}`, customerId, op.amount, receivedOn));
    let left = op.amount;
    for (const inv of [...list].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0))) {
      if (left === 0 || inv.outstanding === 0) continue;
      const amount = Math.min(left, inv.outstanding);
      left -= amount;
      inv.outstanding -= amount;
      log.push(allocated(`p${i}`, customerId, inv.invoiceId, amount, receivedOn, left));
      log.push(applied(inv.invoiceId, customerId, `p${i}`, amount, receivedOn, inv.outstanding));
      if (inv.outstanding === 0) log.push(settled(inv.invoiceId, customerId, receivedOn));
    }
  });
  return log;
}

function bucketOf(age: number): string {
  return age <= 0 ? 'current' : age <= 30 ? '1-30' : age <= 60 ? '31-60' : age <= 90 ? '61-90' : '90+';
}

describe('point in time: read models as of a date = fold of the log up to that date', () => {
  it('aging per customer and bucket, outstanding, statement opening and closing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(240), { minLength: 1, maxLength: 4 }), fc.nat(240), async (ops, asOfDays, fromDay) => {
        const dir = mkdtempSync(join(tmpdir(), 'ar-pit-'));
        const eventStore = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
        const readStore = new SqliteReadStore({ path: ':memory:' });
        const projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
        try {
          const heads = new Map<string, { revision: number; hash: string }>();
          const facts: RecordedFact[] = [];
          let n = 0;
          for (const e of eventsOf(ops)) {
            const streamId = streamOf(e);
            const prev = heads.get(streamId) ?? null;
            const [stored] = chainEvents(streamId, prev, [{ id: `e-${n}`, type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: 't', recordedAt: '2024-12-01T00:00:00.000Z', commandId: `c${n}`, correlationId: `c${n}`, causationId: `c${n}`, schemaVersion: 1 } }]);
            const r = await eventStore.append(streamId, prev ? prev.revision : 'no_stream', [stored]);
            heads.set(streamId, { revision: r.nextRevision, hash: stored.metadata.hash });
            facts.push({ ...stored, streamId, revision: r.nextRevision, position: r.position });
            n++;
          }
          await projector.start();
          const rm = new ReadModels(readStore, eventStore, projector, loadConfig({ AR_READ_WAIT_MS: '5000' }));
          const aging = new GetAgingHandler(rm);
          const statement = new GetStatementHandler(rm);
          for (const d of asOfDays) {
            const asOf = addDays(DAY0, d);
            const report = (await aging.execute(new GetAgingQuery(asOf))).value;
            expect(report.total).toBe(report.customers.reduce((a, c) => a + c.total, 0));
            for (const c of ['c0', 'c1', 'c2']) {
              const state = foldAccount(c, facts.filter((f) => f.data.customerId === c), asOf);
              const expected: Record<string, number> = { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 };
              for (const inv of Object.values(state.invoices)) if (inv.outstanding > 0) expected[bucketOf(daysBetween(inv.dueDate, asOf))] += inv.outstanding;
              const row = report.customers.find((x) => x.customerId === c);
              expect({ c, asOf, buckets: row?.buckets ?? { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 } }).toEqual({ c, asOf, buckets: expected });
              expect(row?.total ?? 0).toBe(state.totals.outstanding);

              const from = addDays(DAY0, Math.min(fromDay, d));
              const s = (await statement.execute(new GetStatementQuery(c, from, asOf))).value;
              const before = foldAccount(c, facts.filter((f) => f.data.customerId === c), addDays(from, -1));
              expect({ c, from, asOf, opening: s.opening, closing: s.closing }).toEqual({ c, from, asOf, opening: before.totals.balance, closing: state.totals.balance });
            }
          }
        } finally {
          await projector.stop();
          await eventStore.close();
          await readStore.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed, numRuns: 30 },
    );
  }, 120_000);
});
