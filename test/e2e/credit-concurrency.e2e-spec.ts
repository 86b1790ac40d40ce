import { line, startApi, type Harness } from '../support/api-harness';

/**
 * The exposure check and the append do not race: concurrent invoices of one customer never pass a limit that only
 * some fit under, with pending approvals counted, under both policies; approvals and rejections racing with new
 * invoices keep numbers unique and gap-free. Run over several rounds, each on fresh customers.
 */
describe('concurrent credit decisions over HTTP', () => {
  let h: Harness;
  // Invoices are submitted with the admin key; a credit manager's key approves them (four eyes by identity).
  let approver: string;
  beforeAll(async () => {
    h = await startApi();
    approver = (await h.createKey('credit_manager', 'approver')).key;
  });
  afterAll(async () => { await h.close(); });

  const numbers: number[] = [];
  const invoice = (customerId: string, amount: string) =>
    h.http().post('/invoices').send({ customerId, issueDate: '2026-05-01', lines: [line(amount, '1', '0')] });

  it.each([1, 2, 3, 4, 5, 6])('round %i: only what fits under the limit is issued automatically', async (round) => {
    const policy = round % 2 === 0 ? 'reject' : 'hold_for_approval';
    const customer = `cc-${round}`;
    await h.http().post('/customers').send({ id: customer, name: `Concurrent ${round}`, currency: 'EUR', creditLimit: '1000.00', creditPolicy: policy }).expect(201);
    // Unapplied credit of 50.00 raises what fits by 50.00: 10 × 100.00 fit (1000.00), the 11th would need 1050.00 < 1100.00.
    await h.http().post('/payments').send({ customerId: customer, amount: '50.00', receivedOn: '2026-04-30', method: 'sepa' }).expect(201);

    const results = await Promise.all(Array.from({ length: 14 }, () => invoice(customer, '100.00')));
    const issued = results.filter((r) => r.status === 201 && r.body.status === 'issued');
    const others = results.filter((r) => !(r.status === 201 && r.body.status === 'issued'));
    expect(issued).toHaveLength(10);
    if (policy === 'reject') {
      expect(others.map((r) => [r.status, r.body.code])).toEqual(Array(4).fill([422, 'CREDIT_LIMIT_EXCEEDED']));
    } else {
      expect(others.map((r) => [r.status, r.body.status, r.body.number])).toEqual(Array(4).fill([201, 'pending_approval', null]));
      // Each held invoice saw the ones held before it: pending amounts 0, 100, 200, 300 in some order.
      expect(others.map((r) => r.body.creditDecision.pendingApproval).sort()).toEqual(['0.00', '100.00', '200.00', '300.00']);
    }
    for (const r of issued) expect(Number(r.body.creditDecision.exposure)).toBeLessThanOrEqual(1000);
    numbers.push(...issued.map((r) => Number(r.body.number.slice(4))));

    if (policy === 'hold_for_approval') {
      // Approvals, a rejection and new invoices race: held amounts move to receivables or vanish, numbers stay unique.
      const [a, b, c, d] = others.map((r) => r.body.id as string);
      const race = await Promise.all([
        h.as(approver).post(`/invoices/${a}/approve`).send({ reason: `round ${round}` }),
        h.as(approver).post(`/invoices/${b}/approve`).send({ reason: `round ${round}` }),
        h.http().post(`/invoices/${c}/reject`).send({ reason: `round ${round}` }),
        invoice(customer, '10.00'),
        h.as(approver).post(`/invoices/${d}/approve`).send({ reason: `round ${round}` }),
        invoice(customer, '10.00'),
      ]);
      expect(race.map((r) => r.status)).toEqual([200, 200, 200, 201, 200, 201]);
      expect([race[3].body.status, race[5].body.status]).toEqual(['pending_approval', 'pending_approval']);
      numbers.push(...[race[0], race[1], race[4]].map((r) => Number(r.body.number.slice(4))));
      const credit = await h.http().get(`/customers/${customer}/credit`).expect(200);
      expect(credit.body.exposure).toEqual({ openReceivables: '1300.00', pendingApproval: '20.00', unappliedCredit: '50.00', exposure: '1270.00' });
    } else {
      const credit = await h.http().get(`/customers/${customer}/credit`).expect(200);
      expect(credit.body.exposure).toEqual({ openReceivables: '1000.00', pendingApproval: '0.00', unappliedCredit: '50.00', exposure: '950.00' });
    }
    // Two customers racing on one tight limit each: exactly one of the two invoices fits.
    await h.http().post('/customers').send({ id: `${customer}-tight`, name: 'Tight', currency: 'EUR', creditLimit: '150.00' }).expect(201);
    const pair = await Promise.all([invoice(`${customer}-tight`, '100.00'), invoice(`${customer}-tight`, '100.00')]);
    expect(pair.map((r) => r.status).sort()).toEqual([201, 422]);
    numbers.push(...pair.filter((r) => r.status === 201).map((r) => Number(r.body.number.slice(4))));

    // Every number given so far is unique and the series has no gap.
    const sorted = [...numbers].sort((x, y) => x - y);
    expect(sorted).toEqual(Array.from({ length: sorted.length }, (_, i) => i + 1));
  });
});
