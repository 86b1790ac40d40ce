import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { line, startApi, type Harness } from '../support/api-harness';

/** Customer master data over HTTP: register with details, PATCH with a reason, GET, validation naming the field, dunning to the billing contact. */
describe('customer master data over HTTP', () => {
  let h: Harness;
  beforeAll(async () => { h = await startApi(); });
  afterAll(async () => { await h.close(); });

  const address = { lines: ['12 rue de la Paix', 'Bâtiment B'], postalCode: '75002', city: 'Paris', country: 'FR' };

  it('registers with contacts and legal identifiers; GET /customers/:id shows them, normalised', async () => {
    await h.http().post('/customers').send({
      id: 'dupont', name: 'Dupont SARL', currency: 'EUR', creditLimit: '10000.00',
      billingEmails: ['compta@dupont.example'], phone: '+33 1 23 45 67 89', address, siren: '732829320', siret: '73282932000074', vatNumber: 'FR 44 732829320',
      defaultPaymentMethod: 'transfer', accountManager: 'Claire Martin',
    }).expect(201);
    const r = await h.http().get('/customers/dupont').expect(200);
    expect(r.body).toMatchObject({
      id: 'dupont', name: 'Dupont SARL', currency: 'EUR', country: 'FR', language: 'fr',
      contacts: { billingEmails: ['compta@dupont.example'], phone: '+33123456789', address },
      legal: { siren: '732829320', siret: '73282932000074', vatNumber: 'FR44732829320' },
      defaultPaymentMethod: 'transfer', accountManager: 'Claire Martin', erased: false,
    });
  });

  it('a customer registered without details has empty contacts, null identifiers, and the language of its country', async () => {
    await h.http().post('/customers').send({ id: 'globex', name: 'Globex Ltd', currency: 'EUR', creditLimit: '0.00', country: 'GB' }).expect(201);
    expect((await h.http().get('/customers/globex').expect(200)).body).toMatchObject({
      language: 'en', contacts: { billingEmails: [], phone: null, address: null }, legal: { siren: null, siret: null, vatNumber: null }, defaultPaymentMethod: null, accountManager: null,
    });
    const missing = await h.http().get('/customers/nobody').expect(404);
    expect(missing.body.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('PATCH changes only the fields given, with a reason, as one CustomerDetailsChanged holding only what differs', async () => {
    const r = await h.http().patch('/customers/dupont').send({ phone: '+33123456789', language: 'en', billingEmails: ['a@dupont.example', 'b@dupont.example'], reason: 'New contacts, letter of 2026-11-30' }).expect(200);
    // The phone was already +33123456789: not recorded again.
    expect(r.body.changed.sort()).toEqual(['billingEmails', 'language']);
    expect(r.body.contacts.billingEmails).toEqual(['a@dupont.example', 'b@dupont.example']);
    const history = await h.http().get('/customers/dupont/history').expect(200);
    const changes = history.body.events.filter((e: { type: string }) => e.type === 'CustomerDetailsChanged');
    expect(changes).toHaveLength(2);
    expect(changes[1].data.reason).toBe('New contacts, letter of 2026-11-30');
    expect(Object.keys(changes[1].data.changes).sort()).toEqual(['billingEmails', 'language']);
    const head = await h.head();
    const same = await h.http().patch('/customers/dupont').send({ language: 'en', reason: 'again' }).expect(200);
    expect(same.body.changed).toEqual([]);
    expect(await h.head()).toBe(head);
  });

  it('refuses bad input naming the field, and writes nothing: a bad e-mail, a bad VAT key, a missing reason, an unknown field', async () => {
    const head = await h.head();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ billingEmails: ['ok@x.example', 'nope'], reason: 'r' }, 'EMAIL_INVALID', 'billingEmails[1]'],
      [{ vatNumber: 'FR45732829320', reason: 'r' }, 'VAT_NUMBER_CHECK_DIGITS', 'vatNumber'],
      [{ siren: '732829321', reason: 'r' }, 'SIREN_CHECK_DIGIT', 'siren'],
      [{ address: { ...address, postalCode: 'ABC' }, reason: 'r' }, 'POSTAL_CODE_INVALID', 'address.postalCode'],
      [{ language: 'de', reason: 'r' }, 'LANGUAGE_INVALID', 'language'],
    ];
    for (const [body, code, field] of cases) {
      const r = await h.http().patch('/customers/dupont').send(body).expect(400);
      expect(r.body).toMatchObject({ code, details: { field } });
    }
    const noReason = await h.http().patch('/customers/dupont').send({ phone: null }).expect(400);
    expect(JSON.stringify(noReason.body)).toMatch(/reason/);
    await h.http().patch('/customers/dupont').send({ iban: 'FR76', reason: 'r' }).expect(400);
    await h.http().patch('/customers/nobody').send({ phone: null, reason: 'r' }).expect(404);
    const atRegistration = await h.http().post('/customers').send({ id: 'bad', name: 'Bad', currency: 'EUR', creditLimit: '0.00', siret: '73282932000075' }).expect(400);
    expect(atRegistration.body).toMatchObject({ code: 'SIRET_CHECK_DIGIT', details: { field: 'siret' } });
    expect(await h.head()).toBe(head);
  });

  it('an analyst may read but not change master data', async () => {
    const viewer = await h.createKey('analyst');
    await h.as(viewer.key).get('/customers/dupont').expect(200);
    await h.as(viewer.key).patch('/customers/dupont').send({ phone: null, reason: 'r' }).expect(403);
  });

  it('dunning writes to the billing contacts in the customer\'s language; a customer without a billing e-mail gets its reminder recorded, not sent', async () => {
    await h.http().post('/customers').send({ id: 'nomail', name: 'Sans Mail SA', currency: 'EUR', creditLimit: '100000.00' }).expect(201);
    await h.http().post('/invoices').send({ id: 'd1', customerId: 'dupont', issueDate: '2026-01-01', lines: [line('1000.00')] }).expect(201);
    await h.http().post('/invoices').send({ id: 'n1', customerId: 'nomail', issueDate: '2026-01-01', lines: [line('1000.00')] }).expect(201);
    const run = await h.http().post('/dunning/runs').send({ asOf: '2026-03-10' }).expect(201);
    const sent = new Map((run.body.sent as Array<{ invoiceId: string; delivered: boolean; messageId: string }>).map((s) => [s.invoiceId, s]));
    expect(sent.get('d1')?.delivered).toBe(true);
    expect(sent.get('n1')?.delivered).toBe(false);
    const files = readdirSync(join(h.dataDir, 'outbox'));
    expect(files.filter((f) => f.endsWith('.json'))).toEqual([`${sent.get('d1')!.messageId}.json`]);
    const letter = JSON.parse(readFileSync(join(h.dataDir, 'outbox', `${sent.get('d1')!.messageId}.json`), 'utf8')) as { to: string; subject: string };
    // French customer, language set to English by the PATCH above.
    expect(letter.to).toBe('a@dupont.example, b@dupont.example');
    expect(letter.subject).toMatch(/^Reminder: invoice/);
  });
});
