import type { CommandBus } from '@nestjs/cqrs';
import { MongoNetworkError } from 'mongodb';
import type { AppConfig } from '../../libs/application/config';
import type { CreditHolds, DunningMailer } from '../../libs/application/dunning/dunning';
import { EventSourcedRepository } from '../../libs/application/event-sourced-repository';
import { loadProcessManagerCheckpoint } from '../../libs/application/parked-steps';
import { ProcessManager } from '../../libs/application/process-manager';
import { findOrphans } from '../../libs/application/reporting/workflow-orphans';
import type { InvoiceIssued } from '../../libs/domain/invoice/invoice.events';
import type { InvoiceNumberReserved } from '../../libs/domain/invoice/invoice-numbering.events';
import type { EventStore } from '../../libs/event-store/event-store.port';
import type { ReadStore } from '../../libs/read-store/read-store.port';
import type { AdapterCombination, World } from './projector.fixtures';

/**
 * What the process-manager suites share (test/contract/process-manager.spec.ts, the crash suite
 * test/reliability/kill9.spec.ts and its child process): a process manager over a world's stores, reserved invoice
 * numbers without their invoices (its steps), and the check that each was completed exactly once.
 */
export const FAST = { baseDelayMs: 10, maxDelayMs: 60, maxAttempts: 3 };
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The transient error each store's driver raises when the server is busy or unreachable. */
export function transientErrorOf(c: AdapterCombination, store: 'events' | 'reads'): () => Error {
  const kind = store === 'events' ? c.eventStore : c.readStore;
  if (kind === 'sqlite') return () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  if (kind === 'mongodb') return () => new MongoNetworkError('connection reset by peer (injected)');
  return () => Object.assign(new Error('14 UNAVAILABLE: Connection dropped (injected)'), { name: 'UnavailableError', type: 'unavailable' });
}

/** The real store, with `method` failing while `fail(args)` says so (a fault injected into the store), then normal. */
export function faulty<T extends object>(store: T, method: keyof T, fail: (args: unknown[]) => boolean, error: () => Error): T {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      if (prop !== method) return bound;
      return (...args: unknown[]) => (fail(args) ? Promise.reject(error()) : bound(...args));
    },
  });
}

/** A process manager over the given stores; its steps in this suite never go through the command bus. */
export function processManager(events: EventStore, reads: ReadStore): ProcessManager {
  const noBus = { execute: (c: unknown) => Promise.reject(new Error(`unexpected command ${String(c)}`)) } as unknown as CommandBus;
  return new ProcessManager(events, reads, noBus, new EventSourcedRepository(events), null as unknown as DunningMailer, null as unknown as CreditHolds, { stepRetry: FAST } as AppConfig);
}

/** Reserves `count` invoice numbers in the world's series, each without its InvoiceIssued (what a crash leaves). */
export async function reserve(world: World, from: number, count: number): Promise<string[]> {
  const repo = new EventSourcedRepository(world.eventStore);
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    const invoiceId = `${world.run}-n${i}`;
    const number = `INV-${String(i + 1).padStart(6, '0')}`;
    // 3 lines of 12.50 → net 37.50 = 3 750 minor units, no tax.
    const invoice: InvoiceIssued['data'] = {
      invoiceId, customerId: `c${i % 3}`, number, currency: 'EUR', issueDate: '2026-03-02', dueDate: '2026-04-01', paymentTermsDays: 30,
      net: 3_750, tax: 0, total: 3_750,
      lines: [{ description: 'service', quantity: '3', unitPrice: 1_250, taxRate: '0', net: 3_750, tax: 0, gross: 3_750 }],
      creditDecision: { decision: 'approved', creditLimit: 1_000_000, outstanding: 0, exposure: 3_750 },
    };
    const series = await repo.load(`invoicenumbers-${world.run}`, { initialState: () => null, evolve: (s) => s, decide: () => [] });
    const reservation: InvoiceNumberReserved = { type: 'InvoiceNumberReserved', data: { series: world.run, number, invoiceId, customerId: invoice.customerId, invoice } };
    const id = `issue-${invoiceId}`;
    await repo.append(series, [reservation], { actor: 'clerk', recordedAt: '2026-03-02T09:00:00.000Z', commandId: id, correlationId: id, causationId: id });
    ids.push(invoiceId);
  }
  return ids;
}

export async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`${what}: never reached, last ${JSON.stringify(value)}`);
    await sleep(20);
  }
}

/** Every reserved invoice has exactly one InvoiceIssued, with its reserved number; no step before the checkpoint is missing. */
export async function assertEveryStepOnce(world: World, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const stream = await world.eventStore.readStream(`invoice-${id}`);
    // `<run>-n<i>` was reserved as number i + 1.
    const number = `INV-${String(Number(id.split('-n')[1]) + 1).padStart(6, '0')}`;
    expect({ id, events: stream.map((e) => [e.type, e.data.number]) }).toEqual({ id, events: [['InvoiceIssued', number]] });
  }
  const checkpoint = await loadProcessManagerCheckpoint(world.readStore);
  expect(checkpoint).toBe(await world.eventStore.headPosition());
  expect((await findOrphans(world.eventStore, checkpoint)).orphans).toEqual([]);
}
