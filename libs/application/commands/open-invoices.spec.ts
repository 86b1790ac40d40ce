import fc from 'fast-check';
import { automaticLettrage, byOldestDue, explicitAllocations, type OpenInvoice } from '../../domain/payment/payment.allocation';
import type { ReadModels } from '../read-models';
import { openInvoicesForPayment, TAKING_MONEY } from './open-invoices';

/**
 * ADR 0121: a payment reads only the open invoices it can touch. Over any customer's invoices (every status, dates
 * tied or not, disputes, write-offs, two currencies) and any payment (amount, currency, reference or none, explicit
 * allocations), the decision's allocations given what `openInvoicesForPayment` reads equal those given every open
 * invoice, as the application read them before. The read model is an in-memory stand-in answering `find` as the
 * stores do (filter on top-level fields, sort, limit, fields). Reproduce a failure with FC_SEED=<seed>.
 */
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`open-invoices property seed: FC_SEED=${seed}`);

type Doc = Record<string, unknown>;

function readModelsOver(docs: Doc[], reads: { rows: number }): ReadModels {
  const matches = (d: Doc, filter: Record<string, unknown>) => Object.entries(filter).every(([k, c]) =>
    c !== null && typeof c === 'object' && '$in' in (c as object) ? ((c as { $in: unknown[] }).$in).includes(d[k]) : d[k] === c);
  return {
    async find(projection: string, filter: Record<string, unknown>, options: { sort?: Array<[string, 1 | -1]>; limit?: number; fields?: readonly string[] } = {}) {
      expect(projection).toBe('invoices');
      let rows = docs.filter((d) => matches(d, filter));
      if (options.sort) {
        const keys = options.sort;
        rows = [...rows].sort((a, b) => {
          for (const [k, dir] of keys) if (a[k] !== b[k]) return (String(a[k]) < String(b[k]) ? -1 : 1) * dir;
          return 0;
        });
      }
      if (options.limit !== undefined) rows = rows.slice(0, options.limit);
      reads.rows += rows.length;
      return rows.map((d) => (options.fields ? Object.fromEntries(options.fields.map((f) => [f, d[f] ?? null])) : d));
    },
  } as unknown as ReadModels;
}

const STATUSES = [...TAKING_MONEY, 'paid', 'pending_approval', 'rejected'];

const invoiceArb = fc.record({
  status: fc.constantFrom(...STATUSES),
  due: fc.integer({ min: 1, max: 6 }),
  issue: fc.integer({ min: 1, max: 3 }),
  outstanding: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
  writtenOff: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 900 })),
  disputed: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_000 })),
  currency: fc.constantFrom('EUR', 'EUR', 'EUR', 'USD'),
  customer: fc.constantFrom('c1', 'c1', 'c1', 'c2'),
});

type InvoiceSpec = typeof invoiceArb extends fc.Arbitrary<infer T> ? T : never;

function docsOf(invoices: InvoiceSpec[]): Doc[] {
  return invoices.map((x, i) => ({
    invoiceId: `inv-${String(i).padStart(3, '0')}`, customerId: x.customer, status: x.status, number: `F-${String(1000 - i)}`,
    issueDate: `2026-01-0${x.issue}`, dueDate: `2026-02-0${x.due}`, outstanding: x.outstanding, currency: x.currency,
    ...(x.writtenOff > 0 ? { writtenOff: x.writtenOff } : {}),
    ...(x.disputed > 0 ? { openDispute: { amount: x.disputed } } : {}),
    lines: [{ description: 'not read by a payment' }],
  }));
}

/** Every open invoice of the customer, as the application read them before ADR 0121 (in the store's order). */
function everyOpen(docs: Doc[], customerId: string): OpenInvoice[] {
  return docs.filter((d) => d.customerId === customerId && (TAKING_MONEY as readonly string[]).includes(d.status as string)).map((d) => ({
    invoiceId: d.invoiceId as string, number: d.number as string, issueDate: d.issueDate as string, dueDate: d.dueDate as string,
    outstanding: d.outstanding as number, currency: d.currency as string,
    ...(d.writtenOff ? { recoverable: d.writtenOff as number } : {}),
    ...(d.openDispute ? { disputed: (d.openDispute as { amount: number }).amount } : {}),
  })).filter((o) => o.outstanding > 0 || (o.recoverable ?? 0) > 0);
}

describe('the open invoices a payment reads (ADR 0121)', () => {
  it('automatic lettrage allocates the same given them as given every open invoice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(invoiceArb, { maxLength: 150, size: 'max' }), fc.integer({ min: 1, max: 60_000 }), fc.constantFrom('EUR', 'USD'), fc.option(fc.integer({ min: 0, max: 130 }), { nil: null }),
        async (invoices, amount, currency, ref) => {
          const docs = docsOf(invoices);
          const reference = ref === null ? null : `F-${1000 - ref}`;
          const payment = { amount, currency, reference };
          const read = await openInvoicesForPayment(readModelsOver(docs, { rows: 0 }), 'c1', { kind: 'automatic', ...payment });
          expect(automaticLettrage(payment, read)).toEqual(automaticLettrage(payment, everyOpen(docs, 'c1')));
        },
      ),
      { seed, numRuns: 400 },
    );
  });

  it('the same with each open amount lowered first (apply-credit: what each invoice owes from a date on)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(invoiceArb, { maxLength: 150, size: 'max' }), fc.integer({ min: 1, max: 60_000 }), fc.nat(7), async (invoices, amount, salt) => {
        const docs = docsOf(invoices);
        // A charge assessed later is not owed yet: the open amount as of the date is lower, for some invoices.
        const lower = (o: OpenInvoice): OpenInvoice => {
          const cut = (Number(o.invoiceId.slice(4)) * 7 + salt) % 5 === 0 ? Math.min(o.outstanding, 900) : 0;
          return { ...o, outstanding: o.outstanding - cut };
        };
        const adjust = async (open: OpenInvoice[]) => open.map(lower);
        const credit = { amount, currency: 'EUR', reference: null };
        const read = (await openInvoicesForPayment(readModelsOver(docs, { rows: 0 }), 'c1', { kind: 'automatic', ...credit }, adjust)).filter((o) => o.outstanding > 0);
        const every = everyOpen(docs, 'c1').map(lower).filter((o) => o.outstanding > 0);
        expect(automaticLettrage(credit, read)).toEqual(automaticLettrage(credit, every));
      }),
      { seed, numRuns: 300 },
    );
  });

  it('explicit allocations are checked against the same invoices: accepted or refused alike', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(invoiceArb, { maxLength: 80, size: 'max' }), fc.array(fc.record({ i: fc.nat(70), amount: fc.integer({ min: 1, max: 6_000 }) }), { maxLength: 4 }), async (invoices, requested) => {
        const docs = docsOf(invoices);
        const allocations = requested.map((r) => ({ invoiceId: `inv-${String(r.i).padStart(3, '0')}`, amount: r.amount }));
        const payment = { amount: 20_000, currency: 'EUR', reference: null };
        const outcome = (open: OpenInvoice[]) => {
          try {
            return explicitAllocations(payment, open, allocations);
          } catch (error) {
            return { refused: (error as { code?: string }).code };
          }
        };
        const read = await openInvoicesForPayment(readModelsOver(docs, { rows: 0 }), 'c1', { kind: 'named', invoiceIds: allocations.map((a) => a.invoiceId) });
        expect(outcome(read)).toEqual(outcome(everyOpen(docs, 'c1')));
      }),
      { seed, numRuns: 300 },
    );
  });

  it('reads past a status whose first page ends late: what lies beyond the earliest full page is not yet a prefix', async () => {
    // Given 10 'issued' invoices of 10.00 due 1–10 February, and 10 'partially_paid' of 10.00 all due 1 February
    const docs: Doc[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ invoiceId: `a${i}`, customerId: 'c1', status: 'issued', number: `F-A${i}`, issueDate: '2026-01-01', dueDate: `2026-02-${String(i + 1).padStart(2, '0')}`, outstanding: 1_000, currency: 'EUR' })),
      ...Array.from({ length: 10 }, (_, i) => ({ invoiceId: `b${i}`, customerId: 'c1', status: 'partially_paid', number: `F-B${i}`, issueDate: '2026-01-01', dueDate: '2026-02-01', outstanding: 1_000, currency: 'EUR' })),
    ];
    const payment = { amount: 12_000, currency: 'EUR', reference: null };
    const read = await openInvoicesForPayment(readModelsOver(docs, { rows: 0 }), 'c1', { kind: 'automatic', ...payment });
    // Then 120.00 goes, oldest due first, to the 11 invoices due 1 February (a0, b0–b9) and a1 (due 2 February):
    // 12 × 10.00 — the first pages (a0–a7, b0–b7) would have paid a1–a3 instead of b8 and b9.
    const paid = automaticLettrage(payment, read).allocations.map((a) => a.invoiceId).sort();
    expect(paid).toEqual(['a0', 'a1', 'b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8', 'b9']);
    expect(automaticLettrage(payment, read)).toEqual(automaticLettrage(payment, everyOpen(docs, 'c1')));
  });

  it('reads a few rows, not every open invoice: a payment of 1.00 for a customer with 5,000 open', async () => {
    // Given 5,000 open invoices of 100.00 each, due on 28 dates, all 'issued'
    const docs: Doc[] = Array.from({ length: 5_000 }, (_, i) => ({
      invoiceId: `i${i}`, customerId: 'c1', status: 'issued', number: `F-${String(i).padStart(6, '0')}`, issueDate: '2026-01-01',
      dueDate: `2026-02-${String((i % 28) + 1).padStart(2, '0')}`, outstanding: 10_000, currency: 'EUR',
    }));
    const reads = { rows: 0 };
    // When a payment of 1.00 without reference is decided
    const read = await openInvoicesForPayment(readModelsOver(docs, reads), 'c1', { kind: 'automatic', amount: 100, currency: 'EUR', reference: null });
    // Then one page of the 'issued' status was read (8 rows), and the oldest due invoice is among them
    expect(reads.rows).toBe(8);
    expect(automaticLettrage({ amount: 100, currency: 'EUR', reference: null }, read).allocations).toEqual([{ invoiceId: 'i0', amount: 100, rule: 'oldest_due' }]);
    expect([...read].sort(byOldestDue)[0].invoiceId).toBe('i0');
  });
});
