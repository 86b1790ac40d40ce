/**
 * Aggregate loads: read a whole 10-event stream and fold it, as a command handler does before deciding.
 */
import { join } from 'node:path';
import type { InvoiceIssued, InvoiceSettled, PaymentApplied } from '../../libs/domain/invoice/invoice.events';
import { addDays } from '../../libs/domain/shared/dates';
import { streams } from '../../libs/domain/shared/ids';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import type { StoredEvent } from '../../libs/event-store/event-store.port';
import { CommandIds, loadCommands, Rng, type Command } from './fixtures';
import { now } from './harness';

/**
 * Invoice streams of exactly 10 events: InvoiceIssued, 7 instalments (PaymentApplied), and the last
 * PaymentApplied + InvoiceSettled in one command.
 */
function* invoiceStreams(count: number, seed: number): Generator<Command> {
  const rng = new Rng(seed);
  const ids = new CommandIds(`loads:${seed}`);
  for (let s = 0; s < count; s++) {
    const invoiceId = `L${s}`;
    const customerId = `LC${s % 97}`;
    const streamId = streams.invoice(invoiceId);
    const issueDate = addDays('2024-01-01', rng.int(0, 300));
    const unitPrice = rng.int(100, 2_000) * 100;
    const net = 8 * unitPrice;
    const tax = Math.round(net / 5);
    const total = net + tax;
    const issued: InvoiceIssued['data'] = {
      invoiceId, customerId, number: `L-${String(s).padStart(6, '0')}`, currency: 'EUR', issueDate,
      dueDate: addDays(issueDate, 30), paymentTermsDays: 30,
      lines: [{ description: 'Monthly service', quantity: '8', unitPrice, taxRate: '0.20', net, tax, gross: total }],
      net, tax, total,
      creditDecision: { decision: 'approved', creditLimit: 100_000_000, outstanding: 0, exposure: total },
    };
    yield { streamId, events: ids.build(issueDate, [{ type: 'InvoiceIssued', data: issued }]) };
    const instalment = Math.floor(total / 8);
    let outstanding = total;
    for (let k = 1; k <= 8; k++) {
      const amount = k === 8 ? outstanding : instalment;
      outstanding -= amount;
      const on = addDays(issueDate, k * 7);
      const applied: PaymentApplied['data'] = { invoiceId, customerId, paymentId: `LP${s}-${k}`, amount, receivedOn: on, outstanding };
      const evs: Array<{ type: string; data: Record<string, unknown> }> = [{ type: 'PaymentApplied', data: applied }];
      if (k === 8) {
        const settled: InvoiceSettled['data'] = { invoiceId, customerId, settledOn: on };
        evs.push({ type: 'InvoiceSettled', data: settled });
      }
      yield { streamId, events: ids.build(on, evs) };
    }
  }
}

/** A trivial aggregate state and evolve: enough to touch every event's data once. */
interface InvoiceState {
  revision: number;
  total: number;
  outstanding: number;
  settled: boolean;
}

function evolve(state: InvoiceState, event: StoredEvent): InvoiceState {
  switch (event.type) {
    case 'InvoiceIssued':
      return { revision: event.revision, total: event.data.total as number, outstanding: event.data.total as number, settled: false };
    case 'PaymentApplied':
      return { ...state, revision: event.revision, outstanding: event.data.outstanding as number };
    case 'InvoiceSettled':
      return { ...state, revision: event.revision, settled: true };
    default:
      return { ...state, revision: event.revision };
  }
}

const INITIAL: InvoiceState = { revision: -1, total: 0, outstanding: 0, settled: false };

export interface LoadMeasure {
  perSec: number;
  loads: number;
  seconds: number;
  streams: number;
  eventsPerStream: number;
}

export async function streamLoads(dir: string, streamCount: number, warmupSeconds: number, maxSeconds: number): Promise<LoadMeasure> {
  const store = new SqliteEventStore({ path: join(dir, 'events.db') });
  try {
    const written = await loadCommands(store, invoiceStreams(streamCount, 4242));
    const ids = Array.from({ length: streamCount }, (_, s) => streams.invoice(`L${s}`));
    const rng = new Rng(7);
    // Random visiting order (deterministic), not log order.
    const order = Array.from({ length: 8192 }, () => ids[rng.int(0, ids.length - 1)]);
    let checksum = 0;
    const run = async (seconds: number): Promise<{ loads: number; secs: number }> => {
      const start = now();
      const deadline = start + seconds * 1000;
      let loads = 0;
      while (now() < deadline) {
        for (let i = 0; i < 256; i++) {
          const events = await store.readStream(order[(loads + i) & 8191]);
          const state = events.reduce(evolve, INITIAL);
          if (state.revision !== 9 || !state.settled) throw new Error(`Stream loaded at revision ${state.revision}`);
          checksum += state.total;
        }
        loads += 256;
      }
      return { loads, secs: (now() - start) / 1000 };
    };
    await run(warmupSeconds);
    const { loads, secs } = await run(maxSeconds);
    if (checksum <= 0) throw new Error('Nothing loaded');
    return { perSec: loads / secs, loads, seconds: secs, streams: streamCount, eventsPerStream: written / streamCount };
  } finally {
    await store.close();
  }
}
