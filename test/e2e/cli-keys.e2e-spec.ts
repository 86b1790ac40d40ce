import { mkdtempSync } from 'node:fs';
import { runAr } from '../support/cli';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port';
import { startApi, type Harness } from '../support/api-harness';

const ar = (dataDir: string, ...argv: string[]) => runAr({ AR_DATA_DIR: dataDir }, argv);

/** `ar keys` on the data directory of a running API: the API sees a key created or revoked by the CLI at once. */
describe('ar keys, as the local operator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-cli-keys-'));
  let h: Harness;
  beforeAll(async () => { h = await startApi(dir); });
  afterAll(async () => { await h.close(); });

  it('creates a key the API accepts, lists it without the key, and revokes it for the next request', async () => {
    const created = await ar(dir, 'keys', 'create', '--name', 'batch-import', '--role', 'clerk', '--json');
    expect(created.code).toBe(0);
    const { id, key } = JSON.parse(created.out) as { id: string; key: string };
    expect(key).toMatch(/^ark_[A-Za-z0-9_-]{43}$/);
    await h.as(key).post('/customers').send({ id: 'from-batch', name: 'Batch', currency: 'EUR', creditLimit: '1.00' }).expect(201);

    const list = await ar(dir, 'keys', 'list', '--json');
    expect(list.code).toBe(0);
    expect(list.out).not.toContain(key);
    expect(JSON.parse(list.out).keys.map((k: { name: string; role: string; createdBy: string }) => [k.name, k.role, k.createdBy]))
      .toEqual([['bootstrap-admin', 'admin', 'system:api'], ['batch-import', 'clerk', expect.stringMatching(/^local:/)]]);

    expect((await ar(dir, 'keys', 'revoke', id)).code).toBe(0);
    expect((await h.as(key).get('/customers/from-batch/balance').expect(401)).body.details.reason).toBe('revoked');

    // The security facts name the local operator as actor, with its id.
    const events = await h.app.get<EventStore>(EVENT_STORE).readStream(`apikey-${id}`);
    expect(events.map((e) => e.type)).toEqual(['ApiKeyCreated', 'ApiKeyRevoked']);
    expect(events[0].metadata).toMatchObject({ actor: expect.stringMatching(/^local:/), actorId: expect.stringMatching(/^local:.+@/) });
    expect(events[0].data).toMatchObject({ via: 'cli', role: 'clerk' });
  });

  it('refuses an unknown role (exit 2) and an unknown id (exit 4); generate prints a key and stores nothing', async () => {
    expect((await ar(dir, 'keys', 'create', '--name', 'x', '--role', 'boss')).code).toBe(2);
    expect((await ar(dir, 'keys', 'revoke', 'nope')).code).toBe(4);
    const before = JSON.parse((await ar(dir, 'keys', 'list', '--json')).out).keys.length;
    const generated = await ar(dir, 'keys', 'generate');
    expect(generated.out.trim()).toMatch(/^ark_[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse((await ar(dir, 'keys', 'list', '--json')).out).keys).toHaveLength(before);
  });
});
