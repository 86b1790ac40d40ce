import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/adapters/sqlite/sqlite-event-store';
import type { EventStore, ReadStreamOptions, StoredEvent } from '../../event-store/event-store.port';
import { chainEvents } from '../../event-store/hash-chain';
import { SqliteReadStore } from '../../read-store/adapters/sqlite/sqlite-read-store';
import type { EventSourcedRepository } from '../event-sourced-repository';
import { pendingReservationIn } from './invoice-numbering';

/**
 * The pending-reservation lookup (ADR 0046, 0057): a retried command must find the number it took, so a lookup sees
 * every reservation appended before it began; concurrent lookups share the reads of the series' new events.
 */
describe('pendingReservationIn: the reservations after the process manager’s checkpoint', () => {
  const SERIES = 'invoicenumbers-SPEC';
  let dir: string;
  let real: SqliteEventStore;
  let readStore: SqliteReadStore;
  let head: { revision: number; hash: string } | null = null;
  let forwardReads = 0;
  /** When set, the next forward read of the series is answered only once `release` is called (its rows taken at the call). */
  let hold: { release: () => void } | null = null;
  let store: EventStore;
  let n = 0;

  const reserve = async (invoiceId: string) => {
    const [e] = chainEvents(SERIES, head, [{
      id: `r-${invoiceId}`, type: 'InvoiceNumberReserved', data: { series: 'SPEC', number: `SPEC-${++n}`, invoiceId },
      metadata: { actor: 't', recordedAt: '2026-12-03T00:00:00.000Z', commandId: invoiceId, correlationId: invoiceId, causationId: invoiceId, schemaVersion: 1 },
    }]);
    const r = await real.append(SERIES, head === null ? 'no_stream' : head.revision, [e]);
    head = { revision: r.nextRevision, hash: e.metadata.hash };
  };
  const lookup = (invoiceId: string) => pendingReservationIn(
    { store } as unknown as EventSourcedRepository, readStore, SERIES, 'InvoiceNumberReserved', (d) => d.invoiceId === invoiceId);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ar-numbering-'));
    real = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    readStore = new SqliteReadStore({ path: join(dir, 'read.sqlite') });
    store = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop !== 'readStream') return Reflect.get(target, prop, receiver);
        return async (streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> => {
          const forward = streamId === SERIES && options?.direction !== 'backward';
          if (forward) forwardReads++;
          const rows = target.readStream(streamId, options);
          if (forward && hold) {
            const gate = new Promise<void>((ok) => { hold = { release: ok }; });
            await gate;
          }
          return rows;
        };
      },
    });
  });
  afterAll(async () => {
    await real.close();
    await readStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given 32 new reservations, 32 concurrent lookups find each one and read the new events once or twice, not once each', async () => {
    await reserve('a0');
    expect((await lookup('a0'))?.data.invoiceId).toBe('a0'); // builds the window
    for (let i = 1; i <= 32; i++) await reserve(`a${i}`);
    forwardReads = 0;
    const found = await Promise.all(Array.from({ length: 32 }, (_, i) => lookup(`a${i + 1}`)));
    expect(found.map((e) => e?.data.invoiceId)).toEqual(Array.from({ length: 32 }, (_, i) => `a${i + 1}`));
    // The first lookup's read covers itself; the 31 begun while it was in flight share the next one.
    expect(forwardReads).toBeLessThanOrEqual(2);
  });

  it('a lookup begun after a reservation was appended finds it, even while an earlier read (blind to it) is in flight', async () => {
    hold = { release: () => undefined };
    const early = lookup('nobody'); // its read takes the rows now, before b1 exists, and is held
    await new Promise((ok) => setImmediate(ok));
    const held = hold;
    await reserve('b1');
    const late = lookup('b1'); // must not be satisfied by the read begun before b1 was appended
    hold = null;
    held.release();
    expect(await early).toBeNull();
    expect((await late)?.data.invoiceId).toBe('b1');
  });

  it('a lookup finds nothing for an invoice that took no number', async () => {
    expect(await lookup('never')).toBeNull();
  });
});
