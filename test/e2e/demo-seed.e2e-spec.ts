import { DEMO_DEFAULTS } from '../../apps/cli/src/demo/demo-scenario';
import { runDemoSeed } from '../../apps/cli/src/demo/demo-seed';
import { startApi, type Harness } from '../support/api-harness';

/** `ar demo seed` through the real command path: the collections events are in the log, and replays agree. */
describe('demo seed — collections events', () => {
  let h: Harness;
  let first: Awaited<ReturnType<typeof runDemoSeed>>;
  beforeAll(async () => { h = await startApi(); });
  afterAll(async () => { await h.close(); });

  it('appends disputes, credit notes, discounts, write-offs, a reversal, terms changes, dunning and its credit holds', async () => {
    const summary = await runDemoSeed(h.app, DEMO_DEFAULTS);
    first = summary;
    expect(summary).toMatchObject({ customers: 8, alreadySeeded: false });
    expect(summary.disputes.accepted).toBeGreaterThan(0);
    expect(summary.disputes.rejected).toBeGreaterThan(0);
    expect(summary.dunning.runs).toBe(6);
    const types = new Set<string>();
    for (let c = 1; c <= 8; c++) {
      const r = await h.http().get(`/customers/demo-s42-c0${c}/history`).expect(200);
      for (const e of r.body.events as Array<{ type: string }>) types.add(e.type);
    }
    for (const t of ['PaymentTermsChanged', 'DiscountApplied', 'DisputeOpened', 'DisputeResolved', 'CreditNoteIssued', 'CreditNoteApplied',
      'InvoiceWrittenOff', 'PaymentReversed', 'ReminderSent', 'LateChargesAssessed', 'HandedToCollectionAgency', 'CreditHoldPlaced']) {
      expect({ t, present: types.has(t) }).toEqual({ t, present: true });
    }
  }, 60_000);

  it('rebuilds every projection identical to the live one', async () => {
    for (const name of ['open-balances', 'invoices', 'open-items', 'audit-trail', 'customer-credit', 'journal']) {
      expect({ name, identical: (await h.projector().verify(name)).identical }).toEqual({ name, identical: true });
    }
  }, 60_000);

  it('on the same log appends nothing; on a fresh log the same seed gives the same summary', async () => {
    const head = await h.head();
    expect(await runDemoSeed(h.app, DEMO_DEFAULTS)).toMatchObject({ alreadySeeded: true, invoices: 0 });
    expect(await h.head()).toBe(head);
    await h.close();
    h = await startApi();
    expect(await runDemoSeed(h.app, DEMO_DEFAULTS)).toEqual(first);
  }, 60_000);
});
