/**
 * Deterministic, realistic AR events for the benchmarks: customers, invoices with 1-3 lines, payments
 * (received, allocated to invoices, applied, settled), each with full metadata and hash chain.
 * Everything derives from a seed through a small PRNG (mulberry32): two runs produce the same log.
 */
import type { CustomerRegistered } from '../../libs/domain/credit/credit.events';
import type { InvoiceIssued, InvoiceSettled, IssuedLine, PaymentApplied } from '../../libs/domain/invoice/invoice.events';
import type { PaymentAllocated, PaymentReceived } from '../../libs/domain/payment/payment.events';
import { addDays, type CalendarDate } from '../../libs/domain/shared/dates';
import { deterministicUuid, streams } from '../../libs/domain/shared/ids';
import type { EventStore, NewEvent } from '../../libs/event-store/event-store.port';
import { chainEvents, type UnhashedEvent } from '../../libs/event-store/hash-chain';

// ---------------------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: 32-bit state, good enough spread for test data, and identical on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Events and metadata

type Data = Record<string, unknown>;

/** One command's worth of events for one stream, before the hash chain is applied. */
export interface Command {
  streamId: string;
  events: UnhashedEvent[];
}

const CUSTOMER_NAMES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent'];
const SUFFIXES = ['SARL', 'SAS', 'GmbH', 'Ltd', 'Inc', 'BV', 'SpA'];
const LINE_ITEMS = [
  { description: 'Consulting days', unitPrice: 12_000, taxRate: '0.20' },
  { description: 'Software licence (annual)', unitPrice: 48_000, taxRate: '0.20' },
  { description: 'Books', unitPrice: 1_999, taxRate: '0.055' },
  { description: 'Training session', unitPrice: 85_000, taxRate: '0.10' },
  { description: 'Hosting (monthly)', unitPrice: 9_900, taxRate: '0.20' },
  { description: 'Support hours', unitPrice: 7_500, taxRate: '0.20' },
];
const METHODS = ['transfer', 'card', 'direct_debit', 'cheque'];
const RATE_BP: Record<string, number> = { '0.20': 2000, '0.10': 1000, '0.055': 550 };

/** Metadata of one command: ids are name-based UUIDs of the command number, so they are reproducible. */
export class CommandIds {
  private n = 0;
  constructor(private readonly prefix: string) {}

  build(day: CalendarDate, types: Array<{ type: string; data: Data }>, actor = 'bench'): UnhashedEvent[] {
    const n = this.n++;
    const commandId = deterministicUuid(`${this.prefix}:cmd:${n}`);
    // A plausible instant on the business day: seconds spread by the command number.
    const secs = (n * 7919) % 86_400;
    const hh = String(Math.floor(secs / 3600)).padStart(2, '0');
    const mm = String(Math.floor((secs % 3600) / 60)).padStart(2, '0');
    const ss = String(secs % 60).padStart(2, '0');
    const recordedAt = `${day}T${hh}:${mm}:${ss}.000Z`;
    return types.map((e, i) => ({
      id: deterministicUuid(`${commandId}:${i}`),
      type: e.type,
      data: e.data,
      metadata: { actor, recordedAt, commandId, correlationId: commandId, causationId: commandId, schemaVersion: 1 },
    }));
  }
}

function issuedLines(rng: Rng): { lines: IssuedLine[]; net: number; tax: number; total: number } {
  const lines: IssuedLine[] = [];
  let net = 0;
  let tax = 0;
  for (let i = rng.int(1, 3); i > 0; i--) {
    const item = rng.pick(LINE_ITEMS);
    const quantity = rng.int(1, 12);
    const lineNet = quantity * item.unitPrice;
    const lineTax = Math.floor((lineNet * RATE_BP[item.taxRate] * 2 + 10_000) / 20_000); // half-up
    lines.push({
      description: item.description, quantity: String(quantity), unitPrice: item.unitPrice, taxRate: item.taxRate,
      net: lineNet, tax: lineTax, gross: lineNet + lineTax,
    });
    net += lineNet;
    tax += lineTax;
  }
  return { lines, net, tax, total: net + tax };
}

// ---------------------------------------------------------------------------------------------------------
// Ledger simulation

export interface LedgerOptions {
  seed: number;
  /** Stop once at least this many events are generated (at a day boundary). */
  minEvents: number;
  customers: number;
  /** Invoices issued per business day (on average). */
  invoicesPerDay: number;
  startDate?: CalendarDate;
  /** Prefix of entity ids (keeps separate ledgers from colliding). */
  prefix?: string;
}

interface OpenInvoice {
  invoiceId: string;
  customer: Customer;
  customerId: string;
  total: number;
  outstanding: number;
  dueDate: CalendarDate;
}

interface Customer {
  customerId: string;
  currency: string;
  creditLimit: number;
  paymentTermsDays: number;
  outstanding: number;
}

/**
 * A day-by-day AR simulation, in the order the commands would be handled:
 *  - customers register first (`CustomerRegistered` on `credit-<id>`);
 *  - each day some invoices are issued (`InvoiceIssued` on `invoice-<id>`, 1-3 lines);
 *  - each invoice is given a fate: paid in full, paid in two instalments, or left open; payments are
 *    scheduled around the due date. A payment is one command on `payment-<id>` (`PaymentReceived` +
 *    `PaymentAllocated`), followed by one command on the invoice (`PaymentApplied`, plus
 *    `InvoiceSettled` when the outstanding reaches zero).
 */
export function* simulateLedger(options: LedgerOptions): Generator<Command> {
  const rng = new Rng(options.seed);
  const prefix = options.prefix ?? 'b';
  const ids = new CommandIds(`${prefix}:${options.seed}`);
  let day: CalendarDate = options.startDate ?? '2023-01-02';
  let events = 0;
  const customers: Customer[] = [];
  for (let c = 0; c < options.customers; c++) {
    const customer: Customer = {
      customerId: `${prefix}c${c}`,
      currency: 'EUR',
      creditLimit: rng.int(50, 5_000) * 100_000,
      paymentTermsDays: rng.pick([15, 30, 30, 45, 60]),
      outstanding: 0,
    };
    customers.push(customer);
    const data: CustomerRegistered['data'] = {
      customerId: customer.customerId,
      name: `${rng.pick(CUSTOMER_NAMES)} ${rng.pick(SUFFIXES)} #${c}`,
      currency: customer.currency,
      creditLimit: customer.creditLimit,
      paymentTermsDays: customer.paymentTermsDays,
    };
    events += 1;
    yield { streamId: streams.credit(customer.customerId), events: ids.build(day, [{ type: 'CustomerRegistered', data }]) };
  }

  const scheduled = new Map<CalendarDate, Array<{ invoice: OpenInvoice; amount: number }>>();
  const schedule = (on: CalendarDate, invoice: OpenInvoice, amount: number) => {
    const list = scheduled.get(on);
    if (list) list.push({ invoice, amount });
    else scheduled.set(on, [{ invoice, amount }]);
  };
  let invoiceNo = 0;
  let paymentNo = 0;

  while (events < options.minEvents) {
    day = addDays(day, 1);
    // Invoices issued today.
    const count = rng.int(Math.floor(options.invoicesPerDay / 2), Math.ceil(options.invoicesPerDay * 1.5));
    for (let i = 0; i < count; i++) {
      const customer = rng.pick(customers);
      const invoiceId = `${prefix}i${invoiceNo}`;
      const number = `F${day.slice(0, 4)}-${String(++invoiceNo).padStart(6, '0')}`;
      const figures = issuedLines(rng);
      const dueDate = addDays(day, customer.paymentTermsDays);
      const data: InvoiceIssued['data'] = {
        invoiceId, customerId: customer.customerId, number, currency: customer.currency,
        issueDate: day, dueDate, paymentTermsDays: customer.paymentTermsDays, ...figures,
        creditDecision: {
          decision: 'approved', creditLimit: customer.creditLimit, outstanding: customer.outstanding,
          exposure: customer.outstanding + figures.total,
        },
      };
      customer.outstanding += figures.total;
      events += 1;
      yield { streamId: streams.invoice(invoiceId), events: ids.build(day, [{ type: 'InvoiceIssued', data }]) };

      const invoice: OpenInvoice = { invoiceId, customer, customerId: customer.customerId, total: figures.total, outstanding: figures.total, dueDate };
      const fate = rng.next();
      const payDay = addDays(dueDate, rng.int(-10, 45));
      if (fate < 0.6) schedule(payDay, invoice, figures.total);
      else if (fate < 0.8) {
        const first = Math.max(1, Math.floor(figures.total * rng.int(20, 70) / 100));
        schedule(payDay, invoice, first);
        schedule(addDays(payDay, rng.int(5, 60)), invoice, figures.total - first);
      } // else: stays open (disputed, late payer…)
    }

    // Payments received today.
    for (const { invoice, amount } of scheduled.get(day) ?? []) {
      const paymentId = `${prefix}p${paymentNo++}`;
      const customer = invoice.customer;
      const received: PaymentReceived['data'] = {
        paymentId, customerId: invoice.customerId, amount, currency: customer.currency, receivedOn: day,
        method: rng.pick(METHODS), reference: rng.chance(0.7) ? `REF-${paymentNo}` : null,
      };
      const allocated: PaymentAllocated['data'] = {
        paymentId, customerId: invoice.customerId, invoiceId: invoice.invoiceId, amount, receivedOn: day,
        rule: received.reference ? 'reference' : 'oldest_due', unapplied: 0,
      };
      events += 2;
      yield {
        streamId: streams.payment(paymentId),
        events: ids.build(day, [{ type: 'PaymentReceived', data: received }, { type: 'PaymentAllocated', data: allocated }]),
      };
      invoice.outstanding -= amount;
      customer.outstanding -= amount;
      const applied: PaymentApplied['data'] = {
        invoiceId: invoice.invoiceId, customerId: invoice.customerId, paymentId, amount, receivedOn: day, outstanding: invoice.outstanding,
      };
      const onInvoice: Array<{ type: string; data: Data }> = [{ type: 'PaymentApplied', data: applied }];
      if (invoice.outstanding === 0) {
        const settled: InvoiceSettled['data'] = { invoiceId: invoice.invoiceId, customerId: invoice.customerId, settledOn: day };
        onInvoice.push({ type: 'InvoiceSettled', data: settled });
      }
      events += onInvoice.length;
      yield { streamId: streams.invoice(invoice.invoiceId), events: ids.build(day, onInvoice) };
    }
    scheduled.delete(day);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Writing commands to a store

/** Keeps each stream's last revision and hash in memory, so generated commands chain without reading back. */
export class Chainer {
  private readonly heads = new Map<string, { revision: number; hash: string }>();

  chain(command: Command): { streamId: string; expected: number | 'no_stream'; events: NewEvent[] } {
    const previous = this.heads.get(command.streamId) ?? null;
    const events = chainEvents(command.streamId, previous, command.events);
    const last = events[events.length - 1];
    this.heads.set(command.streamId, { revision: (previous?.revision ?? -1) + events.length, hash: last.metadata.hash });
    return { streamId: command.streamId, expected: previous ? previous.revision : 'no_stream', events };
  }
}

/**
 * Appends commands through the store's normal API, `window` appends in flight at a time (they share group
 * commits). Appends to one stream keep their order: the store flushes its queue in order.
 */
export async function loadCommands(store: EventStore, commands: Iterable<Command>, window = 512): Promise<number> {
  const chainer = new Chainer();
  let inFlight: Array<Promise<unknown>> = [];
  let events = 0;
  for (const command of commands) {
    const c = chainer.chain(command);
    events += c.events.length;
    inFlight.push(store.append(c.streamId, c.expected, c.events));
    if (inFlight.length >= window) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return events;
}
