import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../libs/application/config';
import { GetAgingHandler, GetAgingQuery } from '../../libs/application/queries/queries';
import { ReadModels } from '../../libs/application/read-models';
import { GetStatementHandler, GetStatementQuery } from '../../libs/application/reporting/reports';
import type { ArEvent } from '../../libs/domain/events';
import { foldAccount } from '../../libs/domain/reporting/account-state';
import { effectiveDate, type RecordedFact } from '../../libs/domain/reporting/effective-date';
import { addDays, daysBetween } from '../../libs/domain/shared/dates';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { chainEvents } from '../../libs/event-store/hash-chain';
import { Projector } from '../../libs/projection-runtime/projector';
import { SqliteReadStore } from '../../libs/read-store/adapters/sqlite/sqlite-read-store';
import { ALL_PROJECTIONS } from '../../projections';
import { allocated, applied, issued, received, registered, settled, streamOf } from '../../projections/testing';

/**
 * Point-in-time correctness: for random histories (payments recorded out of business-date order, partial,
 * spread over several invoices, or left unapplied; write-offs, credit notes against invoices, late charges
 * and payment reversals; receipts received before charges already assessed, with the charges corrected
 * (ADR 0037); early-payment discounts taken back with their bounced payment (ADR 0036); disputes accepted
 * with a credit note or rejected with deferred charges reinstated (ADR 0038)) and random as-of dates, the read-model answers — aging
 * and statement through the real query handlers over SQLite — equal a fold of the log up to that date.
 * Reproduce a failure with FC_SEED=<seed>.
 */
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`point-in-time property seed: FC_SEED=${seed}`);

const DAY0 = '2025-01-01';
type Op =
  | { kind: 'issue'; customer: number; day: number; terms: number; total: number }
  | { kind: 'pay'; customer: number; day: number; amount: number }
  | { kind: 'writeOff'; customer: number; pick: number; day: number; full: boolean }
  | { kind: 'creditNote'; customer: number; pick: number; day: number; share: number }
  | { kind: 'charge'; customer: number; pick: number; day: number; interest: number; compensation: boolean }
  | { kind: 'reverse'; customer: number; pick: number; day: number }
  | { kind: 'backPay'; customer: number; pick: number; back: number; amount: number; correct: number }
  | { kind: 'discountPay'; customer: number; pick: number; day: number; discount: number }
  | { kind: 'dispute'; customer: number; pick: number; day: number; share: number }
  | { kind: 'resolve'; customer: number; pick: number; day: number; accept: boolean; interest: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('issue' as const), customer: fc.nat(2), day: fc.nat(150), terms: fc.integer({ min: 0, max: 60 }), total: fc.integer({ min: 1, max: 200_000 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pay' as const), customer: fc.nat(2), day: fc.nat(220), amount: fc.integer({ min: 1, max: 250_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('writeOff' as const), customer: fc.nat(2), pick: fc.nat(20), day: fc.nat(240), full: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('creditNote' as const), customer: fc.nat(2), pick: fc.nat(20), day: fc.nat(220), share: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('charge' as const), customer: fc.nat(2), pick: fc.nat(20), day: fc.nat(240), interest: fc.integer({ min: 0, max: 5_000 }), compensation: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), customer: fc.nat(2), pick: fc.nat(20), day: fc.nat(240) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('backPay' as const), customer: fc.nat(2), pick: fc.nat(20), back: fc.integer({ min: 1, max: 60 }), amount: fc.integer({ min: 1, max: 250_000 }), correct: fc.integer({ min: 0, max: 100 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('discountPay' as const), customer: fc.nat(2), pick: fc.nat(20), day: fc.nat(220), discount: fc.integer({ min: 1, max: 5_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('dispute' as const), customer: fc.nat(2), pick: fc.nat(20), day: fc.nat(220), share: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('resolve' as const), customer: fc.nat(2), pick: fc.nat(20), day: fc.nat(240), accept: fc.boolean(), interest: fc.integer({ min: 0, max: 3_000 }) }) },
);

const latest = (...dates: string[]) => dates.reduce((a, b) => (a > b ? a : b));

/**
 * `raisedOn`: the latest date a movement raised what is owed (charges, a payment taken back); `unappliedOn`: the
 * latest date a payment was taken back; `charges`: each assessment's date and what of it is still charged.
 */
type OpenInvoice = {
  invoiceId: string; issueDate: string; dueDate: string; outstanding: number; raisedOn: string; unappliedOn: string;
  charges: Array<{ through: string; amount: number }>; discount: { paymentId: string; amount: number; on: string } | null;
  dispute: { disputeId: string; amount: number; openedOn: string } | null;
};
/** `on` of an allocation: the day it took effect (the invoice's issue date for cash received before it, `appliedOn`). */
type Paid = { paymentId: string; amount: number; receivedOn: string; allocations: Array<{ inv: OpenInvoice; amount: number; on: string }>; reversed: boolean };

/**
 * Turns operations (in record order) into the events the engine writes: oldest due first, rest unapplied;
 * write-offs, credit notes against an invoice, late charges and reversals on what is open. As the domain
 * does, nothing lowers an invoice on a date before the latest movement that raised it (charges, a payment
 * taken back): payments skip such invoices, write-offs and credit notes are dated no earlier. Cash received
 * before an invoice is issued is applied to it on its issue date (`appliedOn`, issue 10 item 3), and a payment
 * is reversed no earlier than its allocations took effect (DATE_BEFORE_ALLOCATION, ADR 0032).
 */
function eventsOf(ops: readonly Op[]): ArEvent[] {
  const log: ArEvent[] = [0, 1, 2].map((c) => registered(`c${c}`));
  const open = new Map<string, OpenInvoice[]>();
  const paid = new Map<string, Paid[]>();
  ops.forEach((op, i) => {
    const customerId = `c${op.customer}`;
    const list = open.get(customerId) ?? [];
    open.set(customerId, list);
    const payments = paid.get(customerId) ?? [];
    paid.set(customerId, payments);
    const owing = list.filter((x) => x.outstanding > 0);
    switch (op.kind) {
      case 'issue': {
        const issueDate = addDays(DAY0, op.day);
        const dueDate = addDays(issueDate, op.terms);
        log.push(issued(`i${i}`, customerId, op.total, { issueDate, dueDate }));
        list.push({ invoiceId: `i${i}`, issueDate, dueDate, outstanding: op.total, raisedOn: DAY0, unappliedOn: DAY0, charges: [], discount: null, dispute: null });
        return;
      }
      case 'pay': {
        const receivedOn = addDays(DAY0, op.day);
        log.push(received(`p${i}`, customerId, op.amount, receivedOn));
        const p: Paid = { paymentId: `p${i}`, amount: op.amount, receivedOn, allocations: [], reversed: false };
        payments.push(p);
        let left = op.amount;
        for (const inv of [...list].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0))) {
          // As the payment decider does: cash received before the invoice takes effect on it on its issue date.
          const on = latest(receivedOn, inv.issueDate);
          const later = on > receivedOn ? { appliedOn: on } : {};
          if (left === 0 || inv.outstanding === 0 || inv.raisedOn > on) continue;
          const amount = Math.min(left, inv.outstanding);
          left -= amount;
          inv.outstanding -= amount;
          p.allocations.push({ inv, amount, on });
          const a = allocated(`p${i}`, customerId, inv.invoiceId, amount, receivedOn, left);
          const b = applied(inv.invoiceId, customerId, `p${i}`, amount, receivedOn, inv.outstanding);
          log.push({ ...a, data: { ...a.data, ...later } }, { ...b, data: { ...b.data, ...later } });
          if (inv.outstanding === 0) log.push(settled(inv.invoiceId, customerId, on));
        }
        return;
      }
      case 'writeOff': {
        if (owing.length === 0) return;
        const inv = owing[op.pick % owing.length];
        const writtenOffOn = latest(addDays(DAY0, op.day), inv.issueDate, inv.raisedOn);
        const amount = op.full ? inv.outstanding : Math.ceil(inv.outstanding / 2);
        inv.outstanding -= amount;
        log.push({ type: 'InvoiceWrittenOff', data: { invoiceId: inv.invoiceId, customerId, amount, reason: 'insolvent', approvedBy: 'cfo', writtenOffOn, outstanding: inv.outstanding } });
        return;
      }
      case 'creditNote': {
        if (owing.length === 0) return;
        const inv = owing[op.pick % owing.length];
        const on = latest(addDays(DAY0, op.day), inv.issueDate, inv.raisedOn);
        const amount = Math.max(1, Math.floor((inv.outstanding * op.share) / 100));
        const tax = Math.floor(amount / 6);
        inv.outstanding -= amount;
        log.push({
          type: 'CreditNoteIssued',
          data: {
            creditNoteId: `n${i}`, customerId, number: `CN-${i}`, currency: 'EUR', issueDate: on, invoiceId: inv.invoiceId, reason: 'returned',
            lines: [], net: amount - tax, tax, total: amount, appliedToInvoice: amount, unapplied: 0, disputeId: null,
          },
        });
        log.push({ type: 'CreditNoteApplied', data: { invoiceId: inv.invoiceId, customerId, creditNoteId: `n${i}`, amount, on, outstanding: inv.outstanding } });
        if (inv.outstanding === 0) log.push(settled(inv.invoiceId, customerId, on));
        return;
      }
      case 'charge': {
        if (owing.length === 0) return;
        const inv = owing[op.pick % owing.length];
        const from = addDays(inv.dueDate, 1);
        const through = latest(addDays(DAY0, op.day), from);
        const compensation = op.compensation ? 4_000 : 0;
        const amount = op.interest + compensation;
        if (amount === 0) return;
        inv.outstanding += amount;
        inv.raisedOn = latest(inv.raisedOn, through);
        inv.charges.push({ through, amount });
        log.push({
          type: 'LateChargesAssessed',
          data: {
            invoiceId: inv.invoiceId, customerId, from, through, interest: op.interest, compensation, amount, dayBasis: 365,
            rateSource: 'test', lines: [], outstanding: inv.outstanding, reopened: false,
          },
        });
        return;
      }
      case 'reverse': {
        const live = payments.filter((p) => !p.reversed);
        if (live.length === 0) return;
        const p = live[op.pick % live.length];
        p.reversed = true;
        const on = latest(addDays(DAY0, op.day), p.receivedOn, ...p.allocations.map((a) => a.on));
        let unapplied = p.amount - p.allocations.reduce((a, x) => a + x.amount, 0);
        for (const { inv, amount } of p.allocations) {
          unapplied += amount;
          const reopened = inv.outstanding === 0;
          inv.outstanding += amount;
          inv.raisedOn = latest(inv.raisedOn, on);
          inv.unappliedOn = latest(inv.unappliedOn, on);
          log.push({ type: 'PaymentDeallocated', data: { paymentId: p.paymentId, customerId, invoiceId: inv.invoiceId, amount, on, reason: 'reversal', unapplied } });
          log.push({ type: 'PaymentUnapplied', data: { invoiceId: inv.invoiceId, customerId, paymentId: p.paymentId, amount, on, reason: 'reversal', recoveryReversed: 0, outstanding: inv.outstanding, reopened } });
          if (inv.discount !== null) {
            // ADR 0036: the discount goes with any payment that counted towards it.
            // It carries the DiscountApplied payload it reverses.
            const discount = { invoiceId: inv.invoiceId, customerId, paymentId: inv.discount.paymentId, amount: inv.discount.amount, discountBp: 200, on: inv.discount.on, outstanding: 0 };
            inv.outstanding += inv.discount.amount;
            log.push({ type: 'DiscountReversed', data: { invoiceId: inv.invoiceId, customerId, paymentId: p.paymentId, amount: inv.discount.amount, on, reason: 'reversal', discount, outstanding: inv.outstanding } });
            inv.discount = null;
          }
        }
        log.push({ type: 'PaymentReversed', data: { paymentId: p.paymentId, customerId, amount: p.amount, reason: 'bounced', reversedOn: on, creditRemoved: unapplied } });
        return;
      }
      case 'backPay': {
        // A receipt received before the last charge of an invoice (and after any payment taken back), recorded now:
        // it pays at most what was owed then, and the charges after it are corrected (ADR 0037).
        const charged = owing.filter((x) => x.charges.length > 0);
        if (charged.length === 0) return;
        const inv = charged[op.pick % charged.length];
        const last = inv.charges[inv.charges.length - 1].through;
        const receivedOn = latest(addDays(last, -op.back), inv.issueDate, inv.unappliedOn);
        if (receivedOn >= last) return;
        const after = inv.charges.filter((c) => c.through > receivedOn);
        const amount = Math.min(op.amount, inv.outstanding - after.reduce((a, c) => a + c.amount, 0));
        if (amount <= 0) return;
        log.push(received(`p${i}`, customerId, amount, receivedOn));
        payments.push({ paymentId: `p${i}`, amount, receivedOn, allocations: [{ inv, amount, on: receivedOn }], reversed: false });
        inv.outstanding -= amount;
        log.push(allocated(`p${i}`, customerId, inv.invoiceId, amount, receivedOn, 0));
        log.push(applied(inv.invoiceId, customerId, `p${i}`, amount, receivedOn, inv.outstanding));
        for (const c of after) {
          const cancel = Math.min(c.amount, Math.floor((c.amount * op.correct) / 100), inv.outstanding);
          if (cancel === 0) continue;
          c.amount -= cancel;
          inv.outstanding -= cancel;
          log.push({
            type: 'LateChargesCorrected',
            data: {
              invoiceId: inv.invoiceId, customerId, on: c.through, interest: cancel, compensation: 0, amount: cancel,
              cause: { type: 'PaymentApplied', reference: `p${i}`, on: receivedOn }, recomputed: { interest: 0, compensation: 0 }, outstanding: inv.outstanding,
            },
          });
        }
        if (inv.outstanding === 0) log.push(settled(inv.invoiceId, customerId, receivedOn));
        return;
      }
      case 'discountPay': {
        // Paid in full less a discount (ADR 0015), no earlier than anything that raised what is owed.
        const eligible = owing.filter((x) => x.outstanding > 1 && x.discount === null && x.dispute === null);
        if (eligible.length === 0) return;
        const inv = eligible[op.pick % eligible.length];
        const receivedOn = latest(addDays(DAY0, op.day), inv.issueDate, inv.raisedOn);
        const discount = Math.min(inv.outstanding - 1, op.discount);
        const amount = inv.outstanding - discount;
        log.push(received(`p${i}`, customerId, amount, receivedOn));
        payments.push({ paymentId: `p${i}`, amount, receivedOn, allocations: [{ inv, amount, on: receivedOn }], reversed: false });
        log.push(allocated(`p${i}`, customerId, inv.invoiceId, amount, receivedOn, 0));
        log.push(applied(inv.invoiceId, customerId, `p${i}`, amount, receivedOn, discount));
        log.push({ type: 'DiscountApplied', data: { invoiceId: inv.invoiceId, customerId, paymentId: `p${i}`, amount: discount, discountBp: 200, on: receivedOn, outstanding: 0 } });
        log.push(settled(inv.invoiceId, customerId, receivedOn));
        inv.outstanding = 0;
        inv.discount = { paymentId: `p${i}`, amount: discount, on: receivedOn };
        return;
      }
      case 'dispute': {
        const free = owing.filter((x) => x.dispute === null);
        if (free.length === 0) return;
        const inv = free[op.pick % free.length];
        const openedOn = latest(addDays(DAY0, op.day), inv.issueDate);
        const amount = Math.max(1, Math.floor((inv.outstanding * op.share) / 100));
        inv.dispute = { disputeId: `d${i}`, amount, openedOn };
        log.push({ type: 'DisputeOpened', data: { invoiceId: inv.invoiceId, customerId, disputeId: `d${i}`, amount, reason: 'damaged', openedOn } });
        return;
      }
      case 'resolve': {
        const disputed = list.filter((x) => x.dispute !== null);
        if (disputed.length === 0) return;
        const inv = disputed[op.pick % disputed.length];
        const d = inv.dispute!;
        inv.dispute = null;
        const on = latest(addDays(DAY0, op.day), d.openedOn, inv.raisedOn);
        const agreed = op.accept ? Math.min(d.amount, inv.outstanding) : 0;
        log.push({
          type: 'DisputeResolved',
          data: { invoiceId: inv.invoiceId, customerId, disputeId: d.disputeId, outcome: op.accept ? 'accepted' : 'rejected', agreedAmount: agreed, resolvedOn: on, note: '', creditNoteId: op.accept ? `cn-${d.disputeId}` : null },
        });
        if (op.accept && agreed > 0) {
          // The dispute's credit note, against the invoice, on the resolution date.
          inv.outstanding -= agreed;
          log.push({
            type: 'CreditNoteIssued',
            data: {
              creditNoteId: `cn-${d.disputeId}`, customerId, number: `CN-${i}`, currency: 'EUR', issueDate: on, invoiceId: inv.invoiceId, reason: 'dispute accepted',
              lines: [], net: agreed, tax: 0, total: agreed, appliedToInvoice: agreed, unapplied: 0, disputeId: d.disputeId,
            },
          });
          log.push({ type: 'CreditNoteApplied', data: { invoiceId: inv.invoiceId, customerId, creditNoteId: `cn-${d.disputeId}`, amount: agreed, on, outstanding: inv.outstanding } });
          if (inv.outstanding === 0) log.push(settled(inv.invoiceId, customerId, on));
        } else if (!op.accept && op.interest > 0) {
          // Rejected: the interest deferred while disputed is owed from the resolution (ADR 0038).
          const reopened = inv.outstanding === 0;
          inv.outstanding += op.interest;
          inv.raisedOn = latest(inv.raisedOn, on);
          inv.charges.push({ through: on, amount: op.interest });
          log.push({
            type: 'LateChargesReinstated',
            data: { invoiceId: inv.invoiceId, customerId, disputeId: d.disputeId, on, periods: [], interest: op.interest, compensation: 0, amount: op.interest, outstanding: inv.outstanding, reopened },
          });
        }
        return;
      }
    }
  });
  return log;
}

function bucketOf(age: number): string {
  return age <= 0 ? 'current' : age <= 30 ? '1-30' : age <= 60 ? '31-60' : age <= 90 ? '61-90' : '90+';
}

describe('point in time: read models as of a date = fold of the log up to that date', () => {
  it('aging per customer and bucket, outstanding, statement opening and closing', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 60 }), fc.array(fc.nat(240), { minLength: 1, maxLength: 4 }), fc.nat(240), async (ops, asOfDays, fromDay) => {
        const dir = mkdtempSync(join(tmpdir(), 'ar-pit-'));
        const eventStore = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
        const readStore = new SqliteReadStore({ path: ':memory:' });
        const projector = new Projector({ eventStore, readStore, projections: ALL_PROJECTIONS });
        try {
          const heads = new Map<string, { revision: number; hash: string }>();
          const facts: RecordedFact[] = [];
          let n = 0;
          const log = eventsOf(ops);
          // The histories are ones the engine can write: nothing takes effect on an invoice before its issue date
          // (DATE_BEFORE_INVOICE / DATE_BEFORE_ISSUE; a payment is reversed no earlier than it was applied).
          const issuedOn = new Map(log.flatMap((e) => (e.type === 'InvoiceIssued' ? [[e.data.invoiceId, e.data.issueDate] as const] : [])));
          const early = log.filter((e) => e.type !== 'InvoiceIssued' && 'invoiceId' in e.data && typeof e.data.invoiceId === 'string' && issuedOn.has(e.data.invoiceId)
            && effectiveDate({ type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { recordedAt: '2024-12-01T00:00:00.000Z' } }) < issuedOn.get(e.data.invoiceId)!);
          expect(early).toEqual([]);
          for (const e of log) {
            seen.add(e.type);
            const streamId = streamOf(e);
            const prev = heads.get(streamId) ?? null;
            const [stored] = chainEvents(streamId, prev, [{ id: `e-${n}`, type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: 't', recordedAt: '2024-12-01T00:00:00.000Z', commandId: `c${n}`, correlationId: `c${n}`, causationId: `c${n}`, schemaVersion: 1 } }]);
            const r = await eventStore.append(streamId, prev ? prev.revision : 'no_stream', [stored]);
            heads.set(streamId, { revision: r.nextRevision, hash: stored.metadata.hash });
            facts.push({ ...stored, streamId, revision: r.nextRevision, position: r.position });
            n++;
          }
          await projector.start();
          const rm = new ReadModels(readStore, eventStore, projector, loadConfig({ AR_READ_WAIT_MS: '5000' }));
          const aging = new GetAgingHandler(rm);
          const statement = new GetStatementHandler(rm);
          for (const d of asOfDays) {
            const asOf = addDays(DAY0, d);
            const report = (await aging.execute(new GetAgingQuery(asOf))).value;
            expect(report.total).toBe(report.customers.reduce((a, c) => a + c.total, 0));
            for (const c of ['c0', 'c1', 'c2']) {
              const state = foldAccount(c, facts.filter((f) => f.data.customerId === c), asOf);
              const expected: Record<string, number> = { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 };
              for (const inv of Object.values(state.invoices)) if (inv.outstanding > 0) expected[bucketOf(daysBetween(inv.dueDate, asOf))] += inv.outstanding;
              const row = report.customers.find((x) => x.customerId === c);
              expect({ c, asOf, buckets: row?.buckets ?? { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 } }).toEqual({ c, asOf, buckets: expected });
              expect(row?.total ?? 0).toBe(state.totals.outstanding);

              const from = addDays(DAY0, Math.min(fromDay, d));
              const s = (await statement.execute(new GetStatementQuery(c, from, asOf))).value;
              const before = foldAccount(c, facts.filter((f) => f.data.customerId === c), addDays(from, -1));
              expect({ c, from, asOf, opening: s.opening, closing: s.closing }).toEqual({ c, from, asOf, opening: before.totals.balance, closing: state.totals.balance });
            }
          }
        } finally {
          await projector.stop();
          await eventStore.close();
          await readStore.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      // FC_PATH (with FC_SEED): replay the counterexample a failure printed, at once.
      { seed, numRuns: 30, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) },
    );
    // The histories must reach the corrections, or the agreement was checked on too little (measured: none of
    // these missed in 1 000 seeds of 30 histories; LateChargesReinstated, missed in ~0.6 %, is left to the specs).
    const required = ['LateChargesCorrected', 'DiscountReversed', 'DisputeResolved', 'CreditNoteApplied', 'PaymentUnapplied', 'LateChargesAssessed'];
    // A replay (FC_PATH) checks one history only: coverage is a property of the 30.
    if (!process.env.FC_PATH) expect(required.filter((t) => !seen.has(t))).toEqual([]);
  }, 120_000);
});
