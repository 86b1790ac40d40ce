import fc from 'fast-check';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port';
import { addDays } from '../../libs/domain/shared/dates';
import { line, startApi, type Harness } from '../support/api-harness';

/**
 * Issue 10 (ADR 0030, 0031): random multi-source apply-credit and refund commands, some with invalid parts
 * (a date before some sources, more than the credit, an unknown invoice, too many decimals, a date beyond the
 * horizon), over HTTP against the real stores. Every 4xx must leave the log unchanged — its head and every
 * stream's events — and every 2xx must write, with parts summing to the amount and no customer credit
 * negative on any date. Commands valid by construction must be accepted, and the share accepted is
 * reported and bounded, so a build that refuses everything fails. Reproduce with FC_SEED=<seed>.
 */
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`credit-all-or-nothing property seed: FC_SEED=${seed}`);

type Cmd = {
  kind: 'apply' | 'refund';
  /** Day offset from 2026-01-25; the sources arrive between 02-01 and 02-28. */
  day: number;
  /** Share of the customer's credit asked, in ‰ (up to 1.5×). */
  share: number;
  invoice: number;
  flaw: 'none' | 'unknown_invoice' | 'decimals' | 'far_date';
};
const cmdArb: fc.Arbitrary<Cmd> = fc.record({
  kind: fc.constantFrom('apply' as const, 'refund' as const),
  day: fc.integer({ min: 0, max: 60 }),
  share: fc.integer({ min: 1, max: 1500 }),
  invoice: fc.nat(2),
  flaw: fc.oneof({ arbitrary: fc.constant('none' as const), weight: 5 }, fc.constantFrom('unknown_invoice' as const, 'decimals' as const, 'far_date' as const)),
});
const sourcesArb = fc.array(fc.record({ day: fc.integer({ min: 7, max: 34 }), cents: fc.integer({ min: 1_000, max: 90_000 }) }), { minLength: 2, maxLength: 4 });

describe('apply-credit and refunds: a refusal writes nothing, on any stream (property, over HTTP)', () => {
  let h: Harness;
  let store: EventStore;
  beforeAll(async () => {
    h = await startApi();
    store = h.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(async () => { await h.close(); });

  /** Every event of the log, as stream@revision:id, and the head. */
  const snapshot = async () => ({ head: await store.headPosition(), events: (await store.readAll(-1, 1_000_000)).map((e) => `${e.streamId}@${e.revision}:${e.id}`) });

  it('holds for random commands with invalid parts', async () => {
    let run = 0;
    const tally = { accepted: 0, refused: 0, validByConstruction: 0 };
    const refusals = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(sourcesArb, fc.array(cmdArb, { minLength: 3, maxLength: 6 }), async (sources, cmds) => {
        const c = `c${++run}`;
        await h.http().post('/customers').send({ id: c, name: c, currency: 'EUR', creditLimit: '1000000.00' }).expect(201);
        // One issue date for every run's invoices: numbers follow the dates across customers (ADR 0049).
        for (const [i, issueDate] of ['2026-01-15', '2026-01-15', '2026-01-15'].entries()) {
          await h.http().post('/invoices').send({ id: `${c}-i${i}`, customerId: c, issueDate, lines: [line('1000.00')] }).expect(201); // 1200.00 each
        }
        // Each payment puts 1.00 on the first invoice; the rest is customer credit from its receipt date.
        for (const [i, s] of sources.entries()) {
          await h.http().post('/payments').send({
            id: `${c}-p${i}`, customerId: c, amount: (s.cents / 100).toFixed(2), receivedOn: addDays('2026-01-25', s.day), method: 'sepa',
            allocations: [{ invoiceId: `${c}-i0`, amount: '1.00' }],
          }).expect(201);
        }
        const lastSource = addDays('2026-01-25', Math.max(...sources.map((s) => s.day)));
        let latestUse = lastSource;
        for (const [n, cmd] of cmds.entries()) {
          const credit = (await h.http().get(`/reports/customer-credit?asOf=2026-12-31`).expect(200)).body.customers.find((x: { customerId: string }) => x.customerId === c);
          const balance = credit ? Math.round(Number(credit.credit) * 100) : 0;
          const invoiceId = cmd.flaw === 'unknown_invoice' ? 'c0-nope' : `${c}-i${cmd.invoice}`;
          const owed = cmd.flaw === 'unknown_invoice' ? 0 : Math.round(Number((await h.http().get(`/invoices/${invoiceId}`).expect(200)).body.outstanding) * 100);
          const cents = Math.max(1, Math.floor((balance * cmd.share) / 1000));
          const amount = cmd.flaw === 'decimals' ? '1.001' : (cents / 100).toFixed(2);
          const on = cmd.flaw === 'far_date' ? '9999-12-31' : addDays('2026-01-25', cmd.day);
          // Valid by construction: dated on or after every source and every earlier use (so all the credit is usable
          // on that date), within the credit and, for apply, within what the invoice owes.
          const valid = cmd.flaw === 'none' && on >= latestUse && cents <= balance && (cmd.kind === 'refund' || cents <= owed);
          const before = await snapshot();
          const r = cmd.kind === 'apply'
            ? await h.http().post(`/customers/${c}/apply-credit`).send({ invoiceId, amount, on })
            : await h.http().post(`/customers/${c}/refunds`).send({ id: `${c}-r${n}`, amount, on, method: 'transfer' });
          if (r.status >= 400) {
            expect({ status: r.status, valid, body: r.body }).toMatchObject({ valid: false });
            expect(r.status).toBeLessThan(500);
            expect(await snapshot()).toEqual(before);
            tally.refused += 1;
            refusals.set(r.body.code, (refusals.get(r.body.code) ?? 0) + 1);
            continue;
          }
          tally.accepted += 1;
          if (valid) tally.validByConstruction += 1;
          if (on > latestUse) latestUse = on;
          const after = await snapshot();
          expect(after.head).toBeGreaterThan(before.head);
          expect(after.events.slice(0, before.events.length)).toEqual(before.events);
          const parts = r.body.parts.reduce((s: number, p: { amount: string }) => s + Math.round(Number(p.amount) * 100), 0);
          expect(parts).toBe(Math.round(Number(r.body.amount) * 100));
          // No customer credit negative as of any date (the report lists a customer only with credit ≠ 0).
          for (let d = 0; d <= 70; d += 5) {
            const asOf = addDays('2026-01-25', d);
            const line = (await h.http().get(`/reports/customer-credit?asOf=${asOf}`).expect(200)).body.customers.find((x: { customerId: string }) => x.customerId === c);
            if (line) expect(Number(line.credit)).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { seed, numRuns: 20 },
    );
    const share = tally.accepted / (tally.accepted + tally.refused);
    console.log(`credit-all-or-nothing: ${tally.accepted} accepted (${tally.validByConstruction} valid by construction), ${tally.refused} refused — ${(share * 100).toFixed(0)} % accepted; refusals: ${JSON.stringify(Object.fromEntries(refusals))}`);
    expect(tally.validByConstruction).toBeGreaterThan(0);
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.95);
  }, 240_000);
});
