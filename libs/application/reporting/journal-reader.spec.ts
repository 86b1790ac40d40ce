import { SqliteReadStore } from '../../read-store/adapters/sqlite/sqlite-read-store';
import type { Filter, FindOptions } from '../../read-store/read-store.port';
import { journalKey } from '../../../projections/journal/journal.projection';
import type { PersonalData } from '../privacy/personal-data';
import type { ReadModels } from '../read-models';
import { JournalReader } from './reports';

/** The journal of a period, in key order (accounting date, then log position), a page at a time. */
describe('JournalReader.entries', () => {
  let store: SqliteReadStore;
  let reader: JournalReader;
  // Written out of order: the reader's order is the key's, not the writes'.
  const entries: Array<[string, number]> = [
    ['2024-03-01', 2], ['2024-02-01', 9], ['2024-01-31', 1], ['2024-02-15', 5], ['2024-02-01', 3], ['2024-02-29', 8], ['2024-02-01', 4],
  ];

  beforeAll(async () => {
    store = new SqliteReadStore({ path: ':memory:' });
    const upserts = entries.map(([date, position]) => ({ key: journalKey(date, position), doc: { sortKey: journalKey(date, position), date, position } }));
    await store.commitBatch('journal', [{ collection: 'journal_g1', upserts, deletes: [] }], 10, '2024-03-02T00:00:00.000Z');
    const rm = { find: (_p: string, filter: Filter, options?: FindOptions) => store.find('journal_g1', filter, options) } as unknown as ReadModels;
    reader = new JournalReader(rm, {} as PersonalData);
  });
  afterAll(() => store.close());

  const read = async (from: string, to: string, pageSize: number) => {
    const pages: Array<Array<[string, number]>> = [];
    for await (const page of reader.entries(from, to, pageSize)) pages.push(page.map((e) => [e.date, e.position]));
    return pages;
  };

  it('gives the period\'s entries, by date then position, in pages of the size asked, and nothing outside the period', async () => {
    // February: 2024-02-01 at positions 3, 4, 9; 2024-02-15 at 5; 2024-02-29 at 8 — five entries, pages of 2: 2 + 2 + 1.
    expect(await read('2024-02-01', '2024-02-29', 2)).toEqual([
      [['2024-02-01', 3], ['2024-02-01', 4]],
      [['2024-02-01', 9], ['2024-02-15', 5]],
      [['2024-02-29', 8]],
    ]);
  });

  it('ends after a full last page without an empty one, and reads one day alone', async () => {
    // 2024-02-01 alone: three entries, pages of 3: one page, then the next read finds only later dates.
    expect(await read('2024-02-01', '2024-02-01', 3)).toEqual([[['2024-02-01', 3], ['2024-02-01', 4], ['2024-02-01', 9]]]);
    // The whole journal in one page of 7.
    expect((await read('2024-01-01', '2024-12-31', 7)).flat()).toEqual([
      ['2024-01-31', 1], ['2024-02-01', 3], ['2024-02-01', 4], ['2024-02-01', 9], ['2024-02-15', 5], ['2024-02-29', 8], ['2024-03-01', 2],
    ]);
    expect(await read('2025-01-01', '2025-12-31', 2)).toEqual([]);
  });
});
