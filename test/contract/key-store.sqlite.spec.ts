import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteKeyStore } from '../../libs/identity/adapters/sqlite/sqlite-key-store';
import { describeKeyStoreContract } from './key-store.contract';

describeKeyStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-keys-'));
  const path = join(dir, 'api-keys.sqlite');
  return {
    store: new SqliteKeyStore(path),
    reopen: async () => new SqliteKeyStore(path),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SqliteKeyStore file', () => {
  it('is readable by its owner only (0600)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ar-keys-mode-'));
    const store = new SqliteKeyStore(join(dir, 'api-keys.sqlite'));
    try {
      expect(statSync(join(dir, 'api-keys.sqlite')).mode & 0o777).toBe(0o600);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
