import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { GetAgingHandler, GetAgingQuery } from '../queries/queries';
import { ReadModels } from '../read-models';
import { GetEclHandler, GetEclQuery } from './reports';
import type { ArEvent } from '../../domain/events';
import { SqliteEventStore } from '../../event-store/adapters/sqlite/sqlite-event-store';
import { chainEvents } from '../../event-store/hash-chain';
import { Projector } from '../../projection-runtime/projector';
import { SqliteReadStore } from '../../read-store/adapters/sqlite/sqlite-read-store';
import { AGING_FIELDS, ALL_PROJECTIONS, agingReport, eclReport, openItemsFilter, parseLossRates, DEFAULT_ECL_RATES, type AgingItem } from '../../../projections';
import { applied, issued, settled, streamOf } from '../../../projections/testing';

/**
 * The aging and the ECL over the open items as the store hands them one by one (ADR 0106) against the
 * figures worked out by hand, and against the way before it (every item in one array, then `agingReport`).
 */
describe('aging and ECL read item by item from the open-items model', () => {
  const ASOF = '2024-05-01';
  // Amounts in cents. As of 2024-05-01:
  //  i1 c1 1,000.00 due 04-01, 300.00 received 04-15, 500.00 on 05-10 (later): 700.00 open, 30 days → 1-30
  //  i2 c1   250.50 due 01-20: 102 days → 90+
  //  i3 c2   123.45 due 05-20: current
  //  i4 c2   400.00 due 03-02, 100.01 received 03-10: 299.99 open, 60 days → 31-60
  //  i5 c3    50.00 paid in full and settled 04-30: closed by then, left out
  //  i6 c3    80.00 issued 05-02: not yet issued, left out
  //  i7 c3    77.00 due 03-01, paid in full and settled 05-05 (later): 77.00 open, 61 days → 61-90
  const events: ArEvent[] = [
    issued('i1', 'c1', 100_000, { issueDate: '2024-03-02', dueDate: '2024-04-01' }),
    applied('i1', 'c1', 'p1', 30_000, '2024-04-15', 70_000),
    applied('i1', 'c1', 'p2', 50_000, '2024-05-10', 20_000),
    issued('i2', 'c1', 25_050, { issueDate: '2024-01-05', dueDate: '2024-01-20' }),
    issued('i3', 'c2', 12_345, { issueDate: '2024-04-20', dueDate: '2024-05-20' }),
    issued('i4', 'c2', 40_000, { issueDate: '2024-02-01', dueDate: '2024-03-02' }),
    applied('i4', 'c2', 'p3', 10_001, '2024-03-10', 29_999),
    issued('i5', 'c3', 5_000, { issueDate: '2024-01-10', dueDate: '2024-02-09' }),
    applied('i5', 'c3', 'p4', 5_000, '2024-04-30', 0),
    settled('i5', 'c3', '2024-04-30'),
    issued('i6', 'c3', 8_000, { issueDate: '2024-05-02', dueDate: '2024-06-01' }),
    issued('i7', 'c3', 7_700, { issueDate: '2024-02-15', dueDate: '2024-03-01' }),
    applied('i7', 'c3', 'p5', 7_700, '2024-05-05', 0),
    settled('i7', 'c3', '2024-05-05'),
  ];

  let dir: string;
  let eventStore: SqliteEventStore;
  let readStore: SqliteReadStore;
  let projector: Projector;
  let rm: ReadModels;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ar-aging-read-'));
    eventStore = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    readStore = new SqliteReadStore({ path: join(dir, 'read.sqlite') });
    projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
    const heads = new Map<string, { revision: number; hash: string }>();
    let n = 0;
    for (const e of events) {
      const streamId = streamOf(e);
      const prev = heads.get(streamId) ?? null;
      const [stored] = chainEvents(streamId, prev, [{ id: `e-${n}`, type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: 't', recordedAt: '2024-12-01T00:00:00.000Z', commandId: `c${n}`, correlationId: `c${n}`, causationId: `c${n}`, schemaVersion: 1 } }]);
      const r = await eventStore.append(streamId, prev ? prev.revision : 'no_stream', [stored]);
      heads.set(streamId, { revision: r.nextRevision, hash: stored.metadata.hash });
      n++;
    }
    await projector.start();
    rm = new ReadModels(readStore, eventStore, projector, loadConfig({ AR_READ_WAIT_MS: '5000' }));
  });
  afterAll(async () => {
    await projector.stop();
    await eventStore.close();
    await readStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const zero = { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 };
  const oldAging = async (asOf: string, options = {}) => agingReport(await rm.find<AgingItem>('open-items', openItemsFilter(asOf), { fields: AGING_FIELDS }), asOf, options);

  it('GET /reports/aging: the figures worked out by hand, to the cent, and the same report as the way before', async () => {
    const report = (await new GetAgingHandler(rm).execute(new GetAgingQuery(ASOF))).value;
    expect(report).toEqual({
      asOf: ASOF, currency: 'EUR', total: 145_094,
      buckets: { current: 12_345, '1-30': 70_000, '31-60': 29_999, '61-90': 7_700, '90+': 25_050 },
      customers: [
        { customerId: 'c1', buckets: { ...zero, '1-30': 70_000, '90+': 25_050 }, total: 95_050 },
        { customerId: 'c2', buckets: { ...zero, current: 12_345, '31-60': 29_999 }, total: 42_344 },
        { customerId: 'c3', buckets: { ...zero, '61-90': 7_700 }, total: 7_700 },
      ],
    });
    expect(report).toEqual(await oldAging(ASOF));
    for (const asOf of ['2024-01-01', '2024-03-10', '2024-04-30', '2024-05-10', '2024-12-31']) {
      expect((await new GetAgingHandler(rm).execute(new GetAgingQuery(asOf, [15, 45]))).value).toEqual(await oldAging(asOf, { buckets: [15, 45] }));
    }
  });

  it('GET /reports/ecl: the losses worked out by hand (half up per bucket), and the same report as the way before', async () => {
    const ecl = (await new GetEclHandler(rm).execute(new GetEclQuery(ASOF))).value;
    // 123.45 × 0.3 % = 0.37035 → 0.37; 700.00 × 1.6 % = 11.20; 299.99 × 3.6 % = 10.79964 → 10.80;
    // 77.00 × 6.6 % = 5.082 → 5.08; 250.50 × 10.6 % = 26.553 → 26.55.
    expect(ecl.buckets.map((b) => [b.label, b.balance, b.loss])).toEqual([
      ['current', 12_345, 37], ['1-30', 70_000, 1_120], ['31-60', 29_999, 1_080], ['61-90', 7_700, 508], ['90+', 25_050, 2_655],
    ]);
    expect(ecl).toMatchObject({ totalBalance: 145_094, totalLoss: 5_400 });
    const { rates, bounds } = parseLossRates(DEFAULT_ECL_RATES);
    expect(ecl).toEqual(eclReport(await oldAging(ASOF, { buckets: bounds }), rates));
  });
});
