import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandBus } from '@nestjs/cqrs';
import { BOOKS_STREAM } from '../../domain/books/books.decider';
import type { BooksEvent } from '../../domain/books/books.events';
import { SqliteEventStore } from '../../event-store/adapters/sqlite/sqlite-event-store';
import { chainEvents } from '../../event-store/hash-chain';
import type { EventStore } from '../../event-store/event-store.port';
import { IssueInvoiceCommand } from '../commands/invoice.commands';
import type { AppConfig } from '../config';
import { CommandGate } from './command-gate';

const ctx = { actor: 'a', recordedAt: '2026-04-10T00:00:00.000Z', commandId: 'c', correlationId: 'c', causationId: 'c' };
const meta = { actor: 'clerk', recordedAt: ctx.recordedAt, correlationId: 'k', causationId: 'k', schemaVersion: 1 };
const invoiceDated = (date: string) => new IssueInvoiceCommand('i', 'c', date, [], ctx);

/** Appends one books event the way a ClosePeriod / ReopenPeriod handler would (chained on the stream's tail). */
async function record(store: EventStore, event: BooksEvent): Promise<void> {
  const [tail] = await store.readStream(BOOKS_STREAM, { direction: 'backward', maxCount: 1 });
  const previous = tail ? { revision: tail.revision, hash: tail.metadata.hash } : null;
  const id = `books-${previous ? previous.revision + 1 : 0}`;
  await store.append(BOOKS_STREAM, previous ? previous.revision : 'no_stream', chainEvents(BOOKS_STREAM, previous, [
    { id, type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: { ...meta, commandId: id } },
  ]));
}

const closed = (through: string, previousThrough: string | null): BooksEvent => ({ type: 'PeriodClosed', data: { through, previousThrough, reason: 'month end', closedBy: 'clerk' } });
const reopened = (from: string, through: string, previousThrough: string): BooksEvent => ({ type: 'PeriodReopened', data: { from, through, previousThrough, reason: 'fix', reopenedBy: 'clerk' } });

describe('CommandGate: the books it checks are the log’s, also when another process closes or reopens a period', () => {
  let dir: string;
  let mine: SqliteEventStore;
  let other: SqliteEventStore;
  let gate: CommandGate;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ar-gate-'));
    mine = new SqliteEventStore({ path: join(dir, 'events.db') });
    other = new SqliteEventStore({ path: join(dir, 'events.db') }); // a second API process on the same file
    gate = new CommandGate({} as CommandBus, mine, { dateHorizonDays: 366 } as AppConfig);
  });
  afterEach(async () => {
    await mine.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a date in a period closed by another process after the gate has cached the books, and admits it again once reopened', async () => {
    expect(await gate.verdict(invoiceDated('2026-02-15'))).toBeNull();
    await record(other, closed('2026-01-31', null));
    expect(await gate.verdict(invoiceDated('2026-02-15'))).toBeNull();
    expect(await gate.verdict(invoiceDated('2026-01-15'))).toMatchObject({ code: 'PERIOD_CLOSED' });
    await record(other, closed('2026-02-28', '2026-01-31'));
    expect(await gate.verdict(invoiceDated('2026-02-15'))).toMatchObject({ code: 'PERIOD_CLOSED', details: { closedThrough: '2026-02-28' } });
    await record(mine, reopened('2026-02-01', '2026-01-31', '2026-02-28'));
    expect(await gate.verdict(invoiceDated('2026-02-15'))).toBeNull();
    await record(other, reopened('2026-01-01', '2025-12-31', '2026-01-31'));
    expect(await gate.verdict(invoiceDated('2026-01-15'))).toBeNull();
  });

  it('reads the whole books stream again only when its tail changed', async () => {
    await record(other, closed('2026-01-31', null));
    await record(other, closed('2026-02-28', '2026-01-31'));
    const read = jest.spyOn(mine, 'readStream');
    const wholeReads = () => read.mock.calls.filter(([, options]) => options?.direction !== 'backward').length;
    for (let i = 0; i < 5; i++) expect(await gate.verdict(invoiceDated('2026-02-15'))).toMatchObject({ code: 'PERIOD_CLOSED' });
    expect(wholeReads()).toBe(1);
    await record(other, closed('2026-03-31', '2026-02-28'));
    expect(await gate.verdict(invoiceDated('2026-03-15'))).toMatchObject({ code: 'PERIOD_CLOSED', details: { closedThrough: '2026-03-31' } });
    expect(wholeReads()).toBe(2);
  });
});
