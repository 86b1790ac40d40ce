import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { line, startApi, type Harness } from '../support/api-harness';

/** Dunning over HTTP: report, run (idempotent), reminders in the file outbox, charges at the formal notice, agency. */
describe('collections over HTTP — dunning', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
    for (const id of ['acme', 'beta']) await h.http().post('/customers').send({ id, name: `${id.toUpperCase()} SAS`, currency: 'EUR', creditLimit: '100000.00', billingEmails: [`billing@${id}.example`] }).expect(201);
    await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: '2026-01-01', lines: [line('1000.00')] }).expect(201); // 1200.00 due 01-31
    await h.http().post('/invoices').send({ id: 'b1', customerId: 'beta', issueDate: '2026-01-01', lines: [line('100.00')] }).expect(201); // 120.00
    await h.http().post('/invoices').send({ id: 'i2', customerId: 'acme', issueDate: '2026-01-15', lines: [line('500.00')] }).expect(201); // 600.00 due 02-14
    await h.http().post('/invoices/i2/disputes').send({ id: 'd1', amount: '100.00', reason: 'damaged', on: '2026-02-01' }).expect(201);
    // beta paid a little on b1 and holds more unapplied credit than it owes.
    await h.http().post('/payments').send({ id: 'pb', customerId: 'beta', amount: '500.00', receivedOn: '2026-01-05', method: 'sepa', allocations: [{ invoiceId: 'b1', amount: '0.01' }] }).expect(201);
  });
  afterAll(async () => { await h.close(); });

  const outbox = () => { try { return readdirSync(join(h.dataDir, 'outbox')).sort(); } catch { return []; } };

  it('reports what the next run would do, and why', async () => {
    const r = await h.http().get('/reports/dunning?asOf=2026-03-10').expect(200);
    // 38 days late on the first run: the first reminder, never a formal notice before it (ADR 0039).
    expect(r.body.actions).toEqual([expect.objectContaining({ invoiceId: 'i1', level: 1, name: 'First reminder', daysPastDue: 38, assessCharges: false })]);
    expect(r.body.skipped).toEqual(expect.arrayContaining([
      expect.objectContaining({ invoiceId: 'i2', reason: expect.stringMatching(/disputed/) }),
      expect.objectContaining({ invoiceId: 'b1', reason: expect.stringMatching(/credit covers/) }),
    ]));
    expect(outbox()).toEqual([]);
  });

  it('runs: records the level, delivers a French text and HTML reminder with its figures; a second run for the same date does nothing', async () => {
    const run = await h.http().post('/dunning/runs').send({ asOf: '2026-03-10' }).expect(201);
    expect(run.body.sent).toEqual([expect.objectContaining({ invoiceId: 'i1', level: 1, creditHold: false, collectionAgency: false, chargesAssessed: 0 })]);
    const files = outbox();
    expect(files.filter((f) => f.endsWith('.txt'))).toHaveLength(1);
    const text = readFileSync(join(h.dataDir, 'outbox', files.find((f) => f.endsWith('.txt'))!), 'utf8');
    expect(text).toMatch(/Subject: Rappel : facture INV-000001/);
    expect(text).toMatch(/38 jours de retard/);
    // Nothing charged yet: no interest, no indemnity named; 2026-03-10 + 8 days = 2026-03-18.
    expect(text).toContain('Principal restant dû : 1200.00 EUR\nTotal dû au 2026-03-10 : 1200.00 EUR\nÀ régler au plus tard le 2026-03-18');
    expect(text).not.toMatch(/Pénalités|Indemnité/);
    expect(readFileSync(join(h.dataDir, 'outbox', files.find((f) => f.endsWith('.html'))!), 'utf8')).toMatch(/<html lang="fr">/);

    const head = await h.head();
    const again = await h.http().post('/dunning/runs').send({ asOf: '2026-03-10' }).expect(201);
    expect(again.body.sent).toEqual([]);
    expect(await h.head()).toBe(head);
    expect(outbox()).toEqual(files);
    expect((await h.http().get('/invoices/i1').expect(200)).body.reminders).toEqual([expect.objectContaining({ level: 1, name: 'First reminder', daysPastDue: 38 })]);
  });

  it('escalates in ladder order at the ladder intervals; a rejected dispute resumes at the first level; the agency level holds credit', async () => {
    await h.http().post('/invoices/i2/disputes/d1/resolve').send({ outcome: 'rejected', on: '2026-03-15' }).expect(200);
    const sent = async (asOf: string) => ((await h.http().post('/dunning/runs').send({ asOf }).expect(201)).body.sent as Array<{ invoiceId: string; level: number }>)
      .map((x) => [x.invoiceId, x.level]);
    // i1: level 1 on 03-10, so level 2 on max(due + 21 = 02-21, 03-10 + 14) = 03-24, level 3 on 03-24 + 14 = 04-07,
    // level 4 on max(due + 60 = 04-01, 04-07 + 25) = 05-02. i2 (due 02-14) resumed on 03-15 at level 1 (ADR 0038):
    // level 2 on max(03-15 + 14, 03-24 + 14) = 04-07, level 3 on max(03-15 + 28, 04-07 + 14) = 04-21.
    expect(await sent('2026-03-24')).toEqual([['i1', 2], ['i2', 1]]);
    expect(await sent('2026-04-06')).toEqual([]);
    expect(await sent('2026-04-07')).toEqual([['i1', 3], ['i2', 2]]);
    expect(await sent('2026-05-01')).toEqual([['i2', 3]]);
    const run = await h.http().post('/dunning/runs').send({ asOf: '2026-05-02' }).expect(201);
    expect(run.body.sent).toEqual([expect.objectContaining({ invoiceId: 'i1', level: 4, creditHold: true, collectionAgency: true })]);
    expect((await h.http().get('/invoices/i1').expect(200)).body.status).toBe('in_collection');
    const types = (await h.http().get('/customers/acme/history').expect(200)).body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['ReminderSent', 'HandedToCollectionAgency', 'LateChargesAssessed']));
    expect((await h.http().get('/reports/dunning?asOf=2026-05-02').expect(200)).body.actions).toEqual([]);
  });

  it('a run dated in the past states that date\'s figures: a receipt received later is not in its letter', async () => {
    // gamma's i3: 1 200.00 due 2026-02-14 (issued on i2's date: numbers follow the dates, ADR 0049); 500.00
    // received 2026-05-01, recorded now; then a run dated 2026-02-21, due + 7: the first reminder.
    await h.http().post('/customers').send({ id: 'gamma', name: 'GAMMA SAS', currency: 'EUR', creditLimit: '100000.00', billingEmails: ['billing@gamma.example'] }).expect(201);
    await h.http().post('/invoices').send({ id: 'i3', customerId: 'gamma', issueDate: '2026-01-15', lines: [line('1000.00')] }).expect(201);
    await h.http().post('/payments').send({ id: 'p3', customerId: 'gamma', amount: '500.00', receivedOn: '2026-05-01', method: 'sepa', allocations: [{ invoiceId: 'i3', amount: '500.00' }] }).expect(201);
    const run = await h.http().post('/dunning/runs').send({ asOf: '2026-02-21' }).expect(201);
    expect(run.body.sent).toEqual([expect.objectContaining({ invoiceId: 'i3', level: 1 })]);
    const letter = JSON.parse(readFileSync(join(h.dataDir, 'outbox', `${run.body.sent[0].messageId}.json`), 'utf8')) as { text: string };
    expect(letter.text).toMatch(/7 jours de retard/);
    expect(letter.text).toContain('Total dû au 2026-02-21 : 1200.00 EUR');
    expect((await h.http().get('/invoices/i3').expect(200)).body.outstanding).toBe('700.00');
  });

  it('every letter in the outbox states the engine\'s figures as of its date: principal, interest and its rate, the indemnity only where charged, the total (ADR 0039)', async () => {
    type Event = { id: string; type: string; data: Record<string, any> };
    const letters = outbox().filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(h.dataDir, 'outbox', f), 'utf8')) as { id: string; customerId: string; invoiceId: string; text: string });
    // i1: 4 levels, i2: 3, i3: 1.
    expect(letters.length).toBe(8);
    let checkedCharges = 0;
    for (const letter of letters) {
      const history = (await h.http().get(`/customers/${letter.customerId}/history`).expect(200)).body.events as Event[];
      const sent = history.find((e) => e.id === letter.id);
      expect(sent?.type).toBe('ReminderSent');
      const asOf = sent!.data.asOf as string;
      const state = (await h.http().get(`/customers/${letter.customerId}/history?asOf=${asOf}`).expect(200)).body.state;
      const inv = state.invoices.find((i: { invoiceId: string }) => i.invoiceId === letter.invoiceId);
      // The total is what the replay says the invoice owed that day.
      expect({ id: letter.id, total: letter.text.match(/Total dû au (\S+) : (\S+) EUR/)?.slice(1) }).toEqual({ id: letter.id, total: [asOf, inv.outstanding] });
      // Interest and indemnity exactly as assessed by then (LateChargesAssessed effective on `through`).
      const assessed = history.filter((e) => e.type === 'LateChargesAssessed' && e.data.invoiceId === letter.invoiceId && e.data.through <= asOf);
      const interest = assessed.reduce((a, e) => a + e.data.interest, 0);
      const compensation = assessed.reduce((a, e) => a + e.data.compensation, 0);
      const shown = (re: RegExp) => letter.text.match(re)?.[1] ?? null;
      expect(shown(/Pénalités de retard au taux annuel de [\d. %/]+ \(article L441-10 du Code de commerce\) : (\S+) EUR/)).toBe(interest > 0 ? (interest / 100).toFixed(2) : null);
      expect(shown(/Indemnité forfaitaire pour frais de recouvrement \(article D441-5 du Code de commerce\) : (\S+) EUR/)).toBe(compensation > 0 ? (compensation / 100).toFixed(2) : null);
      if (interest > 0) {
        // The rate stated is the rate the engine computed with (late-charges endpoint, same day).
        const lc = (await h.http().get(`/invoices/${letter.invoiceId}/late-charges?asOf=${asOf}`).expect(200)).body;
        const rates = [...new Set(lc.lines.map((l: { annualRate: string }) => `${l.annualRate} %`))].join(' / ');
        expect(letter.text).toContain(`au taux annuel de ${rates} (article L441-10`);
        checkedCharges++;
      }
      // The formal notice comes only after the reminders of its invoice.
      if (sent!.data.action === 'formal_notice') {
        const before = history.filter((e) => e.type === 'ReminderSent' && e.data.invoiceId === letter.invoiceId && e.data.level < sent!.data.level);
        expect(before.map((e) => e.data.level)).toEqual([1, 2]);
        expect(letter.text).toMatch(/au plus tard le \d{4}-\d{2}-\d{2} \(article 1344 du Code civil\)/);
      }
    }
    expect(checkedCharges).toBeGreaterThanOrEqual(2);
  });

  it('rebuilds projections identical to the live ones, with no process-manager error', async () => {
    for (const name of ['open-balances', 'invoices', 'open-items', 'audit-trail', 'customer-credit']) {
      expect({ name, identical: (await h.projector().verify(name)).identical }).toEqual({ name, identical: true });
    }
    expect((await h.http().get('/projections').expect(200)).body.processManager).toMatchObject({ state: 'live', lastError: null, retrying: null, parked: [] });
  });
});
