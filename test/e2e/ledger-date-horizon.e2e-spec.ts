import { addDays } from '../../libs/domain/shared/dates';
import { line, startApi, type Harness } from '../support/api-harness';

/** Issue 10: dates far in the future are refused with a clear code, for every command, in one place (ADR 0031). */
describe('effective dates beyond the horizon over HTTP', () => {
  // The API counts from the day the request was received (UTC); the test reads the same clock.
  const today = new Date().toISOString().slice(0, 10);

  describe('default horizon: 366 days after the day of receipt', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startApi();
      await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
      await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: today, lines: [line('100.00')] }).expect(201);
      await h.http().post('/payments').send({ id: 'p0', customerId: 'acme', amount: '500.00', receivedOn: today, method: 'sepa' }).expect(201); // 120.00 on i1, 380.00 credit
    });
    afterAll(async () => { await h.close(); });

    const refused = async (path: string, body: Record<string, unknown>, field: string, date: string) => {
      const head = await h.head();
      const r = await h.http().post(path).send(body);
      expect({ status: r.status, code: r.body.code }).toEqual({ status: 422, code: 'DATE_BEYOND_HORIZON' });
      expect(r.body.details).toEqual({ field, date, horizon: addDays(today, 366), receivedOn: today, horizonDays: 366 });
      expect(await h.head()).toBe(head);
    };

    it.each([
      ['POST /payments', '/payments', { id: 'p9', customerId: 'acme', amount: '10.00', receivedOn: '9999-12-31', method: 'sepa' }, 'receivedOn'],
      ['POST /invoices', '/invoices', { id: 'i9', customerId: 'acme', issueDate: '9999-12-31', lines: [line('1.00')] }, 'issueDate'],
      ['apply-credit', '/customers/acme/apply-credit', { on: '9999-12-31' }, 'on'],
      ['refunds', '/customers/acme/refunds', { amount: '1.00', method: 'transfer', on: '9999-12-31' }, 'on'],
      ['write-off', '/invoices/i1/write-off', { reason: 'x', approvedBy: 'cfo', on: '9999-12-31' }, 'on'],
      ['dispute', '/invoices/i1/disputes', { amount: '1.00', reason: 'x', on: '9999-12-31' }, 'on'],
      ['reverse', '/payments/p0/reverse', { reason: 'bounced', on: '9999-12-31' }, 'on'],
      ['dunning run', '/dunning/runs', { asOf: '9999-12-31' }, 'asOf'],
    ])('%s: 9999-12-31 → 422 DATE_BEYOND_HORIZON naming the field, nothing written', async (_name, path, body, field) => {
      await refused(path, body, field, '9999-12-31');
    });

    it('accepts the last day of the horizon and refuses the day after', async () => {
      // today + 366 days is still inside; + 367 is not.
      await refused('/payments', { id: 'p2', customerId: 'acme', amount: '10.00', receivedOn: addDays(today, 367), method: 'sepa' }, 'receivedOn', addDays(today, 367));
      await h.http().post('/payments').send({ id: 'p1', customerId: 'acme', amount: '10.00', receivedOn: addDays(today, 366), method: 'sepa' }).expect(201);
    });
  });

  describe('AR_DATE_HORIZON_DAYS=0: nothing after today', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startApi(undefined, { AR_DATE_HORIZON_DAYS: '0' });
      await h.http().post('/customers').send({ id: 'acme', name: 'ACME SAS', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    });
    afterAll(async () => { await h.close(); });

    it('refuses tomorrow and accepts today', async () => {
      const r = await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: addDays(today, 1), lines: [line('1.00')] }).expect(422);
      expect(r.body).toMatchObject({ code: 'DATE_BEYOND_HORIZON', details: { field: 'issueDate', horizon: today, horizonDays: 0 } });
      await h.http().post('/invoices').send({ id: 'i1', customerId: 'acme', issueDate: today, lines: [line('1.00')] }).expect(201);
    });
  });
});
