import { interestTermsOf, type PlanInterestTerms } from '../../libs/domain/payment-plan/plan-interest';
import fc from 'fast-check';
import { creditDecider } from '../../libs/domain/credit/credit.decider';
import { creditNoteDecider } from '../../libs/domain/credit-note/credit-note.decider';
import { SHIPPED_ECB_RATES } from '../../libs/domain/collections/late-charges';
import { DEFAULT_DUNNING_LEVELS, planDunning } from '../../libs/domain/collections/dunning';
import { paymentPlanDecider } from '../../libs/domain/payment-plan/payment-plan.decider';
import type { ArEvent } from '../../libs/domain/events';
import { invoiceDecider, type InvoiceState, isNotReceivable } from '../../libs/domain/invoice/invoice.decider';
import { paymentDecider, type OpenInvoice, type PaymentState } from '../../libs/domain/payment/payment.decider';
import { addDays } from '../../libs/domain/shared/dates';
import { fold, type Decider, type DomainEvent } from '../../libs/domain/shared/decider';
import { DomainError } from '../../libs/domain/shared/errors';
import {
  agingReport, creditAsOf, creditExposureProjection, customerCreditProjection, invoicesProjection, openBalancesProjection, openItemsProjection,
  type CreditExposure, type CustomerCredit, type InvoiceView, type OpenBalance, type OpenItem,
} from '../../projections';
import { project, streamOf } from '../../projections/testing';

/**
 * Random sequences of every collection command, wired as the application layer wires them (payment →
 * invoice steps, credit-note → invoice steps, accepted dispute → credit note, customer credit drawn oldest
 * first), with DOMAIN.md's invariants checked after every step:
 * - no invoice's outstanding is negative;
 * - per customer, outstanding = invoiced + charges − allocated − credit notes − discounts − write-offs − bank fees,
 *   each term computed from the side that decides it (payments, credit notes, invoices);
 * - the aging buckets sum to the outstanding total, at every date up to today;
 * - customer credit (read model) = Σ unapplied of payments and credit notes, never negative;
 * - a dunning run repeated for the same date appends nothing.
 * Dates only move forward, as business days do. Reproduce a failure with FC_SEED=<seed>.
 */
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`collections-invariants property seed: FC_SEED=${seed}`);

const CUSTOMERS = 2;
type Cmd =
  | { kind: 'issue'; c: number; cents: number; discount: boolean }
  | { kind: 'pay'; c: number; cents: number; mode: 'auto' | 'explicit' | 'reference' | 'settle'; pick: number }
  | { kind: 'payShort'; c: number; cents: number; pick: number }
  | { kind: 'reallocate'; pick: number; pick2: number; cents: number; toCredit: boolean }
  | { kind: 'reverse'; pick: number }
  | { kind: 'applyCredit'; c: number; pick: number; cents: number }
  | { kind: 'refund'; c: number; cents: number }
  | { kind: 'writeOff'; pick: number; cents: number; all: boolean }
  | { kind: 'creditNote'; c: number; pick: number; cents: number; standalone: boolean }
  | { kind: 'dispute'; pick: number; cents: number }
  | { kind: 'resolve'; pick: number; accept: boolean; cents: number }
  | { kind: 'assess'; pick: number }
  | { kind: 'dun' }
  | { kind: 'plan'; c: number; pick: number }
  | { kind: 'wait'; days: number };

const pick = fc.nat(50);
const cents = fc.integer({ min: 1, max: 300_000 });
const cust = fc.nat(CUSTOMERS - 1);
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('issue' as const), c: cust, cents, discount: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('pay' as const), c: cust, cents, mode: fc.constantFrom('auto' as const, 'explicit' as const, 'reference' as const, 'settle' as const), pick }), weight: 4 },
  fc.record({ kind: fc.constant('payShort' as const), c: cust, cents, pick }),
  fc.record({ kind: fc.constant('reallocate' as const), pick, pick2: pick, cents, toCredit: fc.boolean() }),
  fc.record({ kind: fc.constant('reverse' as const), pick }),
  { arbitrary: fc.record({ kind: fc.constant('applyCredit' as const), c: cust, pick, cents }), weight: 3 },
  fc.record({ kind: fc.constant('refund' as const), c: cust, cents }),
  fc.record({ kind: fc.constant('writeOff' as const), pick, cents, all: fc.boolean() }),
  { arbitrary: fc.record({ kind: fc.constant('creditNote' as const), c: cust, pick, cents, standalone: fc.boolean() }), weight: 2 },
  fc.record({ kind: fc.constant('dispute' as const), pick, cents }),
  fc.record({ kind: fc.constant('resolve' as const), pick, accept: fc.boolean(), cents }),
  { arbitrary: fc.record({ kind: fc.constant('assess' as const), pick }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('dun' as const) }), weight: 4 },
  fc.record({ kind: fc.constant('plan' as const), c: cust, pick }),
  { arbitrary: fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 40 }) }), weight: 3 },
);

/** Per command kind: accepted (wrote events), refused (DomainError), no-op (nothing to do or decided nothing). Reported and bounded below. */
const tally = new Map<Cmd['kind'], { accepted: number; refused: number; noop: number }>();
const refusals = new Map<string, number>();

class World {
  readonly log: ArEvent[] = [];
  today = '2026-01-01';
  private n = 0;
  private cnNumber = 0;
  constructor() {
    for (let c = 0; c < CUSTOMERS; c++) this.run(`credit-c${c}`, creditDecider, { type: 'RegisterCustomer', customerId: `c${c}`, name: `C${c}`, currency: 'EUR', creditLimit: 100_000_000, paymentTermsDays: 30 });
  }

  private stream(id: string): ArEvent[] { return this.log.filter((e) => streamOf(e) === id); }
  state<C, E extends DomainEvent, S>(id: string, d: Decider<C, E, S>): S { return fold(d, this.stream(id) as unknown as E[]); }
  /** The interest terms of the plans an invoice joined, as the assessment handler reads them (ADR 0051). */
  private planTerms(invoiceId: string): PlanInterestTerms[] {
    const ids = [...new Set(this.stream(`invoice-${invoiceId}`).filter((e) => e.type === 'PaymentPlanAttached').map((e) => (e.data as { planId: string }).planId))];
    return ids.map((id) => interestTermsOf(this.state(`paymentplan-${id}`, paymentPlanDecider))).filter((t): t is PlanInterestTerms => t !== null);
  }
  run<C, E extends DomainEvent, S>(id: string, d: Decider<C, E, S>, command: C): E[] {
    const events = d.decide(command, this.state(id, d));
    this.log.push(...(events as unknown as ArEvent[]));
    return events;
  }
  ids(prefix: string): string[] { return [...new Set(this.log.map(streamOf).filter((s) => s.startsWith(prefix)))].map((s) => s.slice(prefix.length)); }
  views(): InvoiceView[] { return [...(project(invoicesProjection, this.log) as Map<string, InvoiceView>).values()]; }
  credit(customerId: string): CustomerCredit | undefined { return (project(customerCreditProjection, this.log) as Map<string, CustomerCredit>).get(customerId); }
  open(customerId: string): OpenInvoice[] {
    return this.views().filter((v) => v.customerId === customerId && (v.outstanding > 0 || v.writtenOff > 0))
      .map((v) => ({ invoiceId: v.invoiceId, number: v.number, issueDate: v.issueDate, dueDate: v.dueDate, outstanding: v.outstanding, currency: v.currency, ...(v.writtenOff > 0 ? { recoverable: v.writtenOff } : {}) }));
  }
  private dun(): void {
    for (const planId of this.ids('paymentplan-')) {
      const plan = this.state(`paymentplan-${planId}`, paymentPlanDecider);
      if (plan.status !== 'active') continue;
      const agreed = this.stream(`paymentplan-${planId}`)[0];
      if (agreed.type !== 'PaymentPlanAgreed') continue;
      const covered = agreed.data.invoices.reduce((s, x) => {
        const inv = this.state(`invoice-${x.invoiceId}`, invoiceDecider);
        return s + x.outstanding - (isNotReceivable(inv) ? 0 : inv.outstanding);
      }, 0);
      const ended = this.run(`paymentplan-${planId}`, paymentPlanDecider, { type: 'CheckPaymentPlan', planId, asOf: this.today, covered });
      for (const e of ended) {
        const reason = e.type === 'PaymentPlanBroken' ? 'broken' as const : 'completed' as const;
        for (const id of plan.invoiceIds) this.run(`invoice-${id}`, invoiceDecider, { type: 'DetachFromPaymentPlan', invoiceId: id, planId, reason });
      }
    }
    const items = [...(project(openItemsProjection, this.log) as Map<string, OpenItem>).values()]
      .filter((d) => d.issueDate <= this.today && d.closedOn > this.today)
      .map((d) => ({ invoiceId: d.invoiceId, customerId: d.customerId, number: d.number, currency: d.currency, dueDate: d.dueDate,
        outstanding: d.total - d.movements.reduce((s, m) => (m.on <= this.today ? s + m.amount : s), 0), disputed: d.disputed ?? 0, inPaymentPlan: d.inPaymentPlan ?? false, dunningLevel: d.dunningLevel ?? 0,
        ...(d.dunningSentOn ? { lastSentOn: d.dunningSentOn } : {}), ...(d.dunningResumedOn && d.dunningResumedOn <= this.today ? { resumedOn: d.dunningResumedOn, resumedAtLevel: d.dunningResumedAtLevel ?? 0 } : {}) }));
    const credit = new Map([...(project(customerCreditProjection, this.log) as Map<string, CustomerCredit>).values()].map((c) => [c.customerId, creditAsOf(c, this.today)] as const));
    for (const d of planDunning(items, this.today, DEFAULT_DUNNING_LEVELS, credit)) {
      if (d.outcome !== 'send') continue;
      const id = `invoice-${d.invoiceId}`;
      if (d.level.assessCharges) this.run(id, invoiceDecider, { type: 'AssessLateCharges', invoiceId: d.invoiceId, asOf: this.today, country: 'FR', rates: SHIPPED_ECB_RATES, dayBasis: 365, plans: this.planTerms(d.invoiceId) });
      this.run(id, invoiceDecider, { type: 'SendDunning', invoiceId: d.invoiceId, level: d.level, asOf: this.today, language: 'fr' });
    }
  }

  private choose<T>(xs: T[], i: number): T | undefined { return xs.length === 0 ? undefined : xs[i % xs.length]; }

  /** Payment events → invoice steps, deallocations first (as applyToInvoices does). */
  private cascadePayment(events: ArEvent[]): void {
    for (const e of events) if (e.type === 'PaymentDeallocated') {
      this.run(`invoice-${e.data.invoiceId}`, invoiceDecider, { type: 'UnapplyPayment', invoiceId: e.data.invoiceId, paymentId: e.data.paymentId, amount: e.data.amount, on: e.data.on, reason: e.data.reason });
    }
    for (const e of events) if (e.type === 'PaymentAllocated') {
      const d = e.data;
      this.run(`invoice-${d.invoiceId}`, invoiceDecider, { type: 'ApplyPayment', invoiceId: d.invoiceId, paymentId: d.paymentId, amount: d.amount, receivedOn: d.receivedOn, ...(d.allocationId ? { allocationId: d.allocationId, appliedOn: d.appliedOn } : {}) });
    }
  }
  private cascadeCreditNote(events: ArEvent[]): void {
    for (const e of events) {
      if (e.type === 'CreditNoteIssued' && e.data.invoiceId) {
        // As the application layer does: the note's correction by rate is recorded on its invoice, even when all of it is credit.
        this.run(`invoice-${e.data.invoiceId}`, invoiceDecider, { type: 'ApplyCreditNote', invoiceId: e.data.invoiceId, creditNoteId: e.data.creditNoteId, amount: e.data.appliedToInvoice, on: e.data.issueDate, vatBreakdown: e.data.vatBreakdown });
      } else if (e.type === 'CreditNoteAllocated') {
        this.run(`invoice-${e.data.invoiceId}`, invoiceDecider, { type: 'ApplyCreditNote', invoiceId: e.data.invoiceId, creditNoteId: e.data.creditNoteId, amount: e.data.amount, on: e.data.on, allocationId: e.data.allocationId });
      }
    }
  }
  private issueCreditNote(customerId: string, invoiceId: string | null, amount: number, extra: { excessAsCredit?: boolean; disputeId?: string; creditNoteId?: string } = {}): void {
    const inv = invoiceId ? this.state(`invoice-${invoiceId}`, invoiceDecider) : null;
    const creditNoteId = extra.creditNoteId ?? `cn${++this.n}`;
    const events = this.run(`creditnote-${creditNoteId}`, creditNoteDecider, {
      type: 'IssueCreditNote', creditNoteId, customerId, number: `CN-${this.cnNumber + 1}`, issueDate: this.today, reason: 'r', currency: 'EUR',
      invoice: inv && !isNotReceivable(inv) ? { invoiceId: inv.invoiceId, customerId: inv.customerId, number: inv.number, currency: inv.currency, issueDate: inv.issueDate, total: inv.total, tax: 0, outstanding: inv.outstanding, vatBreakdown: inv.vatBreakdown, vatCorrected: inv.vatCorrected ?? [] } : null,
      amount, taxRate: '0.20', disputeId: extra.disputeId ?? null,
    });
    this.cnNumber++;
    this.cascadeCreditNote(events as ArEvent[]);
  }

  apply(cmd: Cmd): void {
    const before = this.log.length;
    const t = tally.get(cmd.kind) ?? { accepted: 0, refused: 0, noop: 0 };
    tally.set(cmd.kind, t);
    try {
      this.step(cmd);
      t[this.log.length > before ? 'accepted' : 'noop'] += 1;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err; // a refusal is fine; anything else is a defect
      // The application appends a command's streams all or nothing (ADR 0030): a refusal in a later step
      // (a second credit source, an invoice step) leaves nothing of the earlier ones.
      this.log.length = before;
      t.refused += 1;
      refusals.set(err.code, (refusals.get(err.code) ?? 0) + 1);
    }
  }

  private step(cmd: Cmd): void {
    const invoices = this.ids('invoice-');
    const payments = this.ids('payment-');
    switch (cmd.kind) {
      case 'wait':
        this.today = addDays(this.today, cmd.days);
        return;
      case 'issue': {
        const invoiceId = `i${++this.n}`;
        const [issued] = invoiceDecider.decide({
          type: 'IssueInvoice', invoiceId, customerId: `c${cmd.c}`, number: `INV-${invoiceId}`, issueDate: this.today,
          lines: [{ description: 'x', quantity: '1', unitPrice: cmd.cents, taxRate: '0.20' }], customer: { currency: 'EUR', creditLimit: 100_000_000, paymentTermsDays: 30 }, outstanding: 0,
        }, { status: 'none' });
        // "2/10 net 30" as issue 3's configurable terms will record them in InvoiceIssued.terms.
        if (issued.type !== 'InvoiceIssued') throw new Error('expected InvoiceIssued');
        this.log.push(cmd.discount ? { ...issued, data: { ...issued.data, terms: { type: 'early_discount', discountBp: 200, discountDays: 10, netDays: 30 } } } : issued);
        return;
      }
      case 'pay': {
        const customerId = `c${cmd.c}`;
        const open = this.open(customerId);
        // Half the referenced payments go to a written-off invoice, so recoveries happen.
        const recoverable = open.filter((o) => (o.recoverable ?? 0) > 0);
        const target = cmd.mode === 'reference' && recoverable.length > 0 && cmd.pick % 2 === 0 ? this.choose(recoverable, cmd.pick >> 1) : this.choose(open, cmd.pick);
        const paymentId = `p${++this.n}`;
        // 'settle': about what the target owes, up to 2.5 % short (so early-payment discounts happen, or just miss).
        const amount = cmd.mode === 'settle' && target && target.outstanding > 0 ? target.outstanding - (cmd.cents % Math.max(1, Math.floor(target.outstanding / 40))) : cmd.cents;
        const events = this.run(`payment-${paymentId}`, paymentDecider, {
          type: 'RecordPayment', paymentId, customerId, currency: 'EUR', amount, receivedOn: this.today, method: 'sepa',
          reference: (cmd.mode === 'reference' || cmd.mode === 'settle') && target ? target.number : null,
          allocations: cmd.mode === 'explicit' && target ? [{ invoiceId: target.invoiceId, amount: Math.max(1, Math.min(cmd.cents, target.outstanding)) }] : undefined,
          openInvoices: open,
        });
        this.cascadePayment(events as ArEvent[]);
        return;
      }
      case 'payShort': {
        // A statement receipt short of one invoice by at most 15.00, accepted with its bank fees, as the cash
        // application stages it: RecordPayment, ApplyPayment, WriteOffBankFees in one unit (ADR 0088).
        const customerId = `c${cmd.c}`;
        const open = this.open(customerId);
        const target = this.choose(open.filter((o) => o.outstanding > 1), cmd.pick);
        if (!target) return;
        const fee = 1 + (cmd.cents % Math.min(1_500, target.outstanding - 1));
        const paymentId = `p${++this.n}`;
        this.cascadePayment(this.run(`payment-${paymentId}`, paymentDecider, {
          type: 'RecordPayment', paymentId, customerId, currency: 'EUR', amount: target.outstanding - fee, receivedOn: this.today, method: 'bank_transfer',
          reference: null, allocations: [{ invoiceId: target.invoiceId, amount: target.outstanding - fee }], openInvoices: open,
        }) as ArEvent[]);
        this.run(`invoice-${target.invoiceId}`, invoiceDecider, { type: 'WriteOffBankFees', invoiceId: target.invoiceId, paymentId, bankEntryId: `e-${paymentId}`, amount: fee, on: this.today, tolerance: 1_500 });
        return;
      }
      case 'reallocate': {
        const paymentId = this.choose(payments, cmd.pick);
        if (!paymentId) return;
        const p = this.state(`payment-${paymentId}`, paymentDecider) as Extract<PaymentState, { status: 'recorded' }>;
        const from = this.choose(p.allocations, cmd.pick2);
        if (!from) return;
        const to = cmd.toCredit ? null : this.choose(this.open(p.customerId).filter((o) => o.invoiceId !== from.invoiceId), cmd.pick);
        const events = this.run(`payment-${paymentId}`, paymentDecider, {
          type: 'ReallocatePayment', paymentId, fromInvoiceId: from.invoiceId, toInvoiceId: to ? to.invoiceId : null, amount: Math.min(cmd.cents, from.amount), on: this.today, openInvoices: this.open(p.customerId),
        });
        this.cascadePayment(events as ArEvent[]);
        return;
      }
      case 'reverse': {
        const paymentId = this.choose(payments, cmd.pick);
        if (!paymentId) return;
        this.cascadePayment(this.run(`payment-${paymentId}`, paymentDecider, { type: 'ReversePayment', paymentId, reason: 'bounced', on: this.today }) as ArEvent[]);
        return;
      }
      case 'applyCredit': {
        // Oldest source first, as ApplyCreditHandler does; target = an open invoice.
        const customerId = `c${cmd.c}`;
        const target = this.choose(this.open(customerId).filter((o) => o.outstanding > 0), cmd.pick);
        const credit = this.credit(customerId);
        if (!target || !credit) return;
        let left = Math.min(cmd.cents, target.outstanding, credit.balance);
        for (const s of credit.sources) {
          const take = Math.min(left, s.unapplied);
          if (take <= 0) continue;
          const open = this.open(customerId);
          if (s.kind === 'payment') {
            this.cascadePayment(this.run(`payment-${s.id}`, paymentDecider, { type: 'AllocatePayment', paymentId: s.id, allocations: [{ invoiceId: target.invoiceId, amount: take }], on: this.today, openInvoices: open }) as ArEvent[]);
          } else {
            this.cascadeCreditNote(this.run(`creditnote-${s.id}`, creditNoteDecider, { type: 'AllocateCreditNote', creditNoteId: s.id, allocations: [{ invoiceId: target.invoiceId, amount: take }], on: this.today, openInvoices: open }) as ArEvent[]);
          }
          left -= take;
        }
        return;
      }
      case 'refund': {
        const customerId = `c${cmd.c}`;
        const credit = this.credit(customerId);
        if (!credit) return;
        let left = Math.min(cmd.cents, credit.balance);
        const refundId = `r${++this.n}`;
        for (const s of credit.sources) {
          const take = Math.min(left, s.unapplied);
          if (take <= 0) continue;
          if (s.kind === 'payment') this.run(`payment-${s.id}`, paymentDecider, { type: 'RefundPayment', paymentId: s.id, refundId, amount: take, on: this.today, method: 'sepa' });
          else this.run(`creditnote-${s.id}`, creditNoteDecider, { type: 'RefundCreditNote', creditNoteId: s.id, refundId, amount: take, on: this.today, method: 'sepa' });
          left -= take;
        }
        return;
      }
      case 'dun': {
        // The dunning run as RunDunningHandler does it; a second run for the same date must append nothing.
        this.dun();
        const after = this.log.length;
        this.dun();
        expect(this.log.length).toBe(after);
        return;
      }
      case 'plan': {
        // Two instalments over one or two open invoices, as AgreePaymentPlanHandler does; then attached.
        const customerId = `c${cmd.c}`;
        const candidates = this.views().filter((v) => v.customerId === customerId && v.outstanding > 0 && !v.planId && !v.openDispute);
        const chosen = candidates.slice(cmd.pick % Math.max(1, candidates.length), (cmd.pick % Math.max(1, candidates.length)) + 1 + (cmd.pick % 2));
        if (chosen.length === 0) return;
        const total = chosen.reduce((s, v) => s + v.outstanding, 0);
        const planId = `pl${++this.n}`;
        const events = this.run(`paymentplan-${planId}`, paymentPlanDecider, {
          type: 'AgreePaymentPlan', planId, customerId, requestedInvoiceIds: chosen.map((v) => v.invoiceId),
          invoices: chosen.map((v) => ({ invoiceId: v.invoiceId, customerId, currency: 'EUR', outstanding: v.outstanding, disputed: false, planId: null })),
          instalments: [{ dueDate: addDays(this.today, 10), amount: Math.floor(total / 2) }, { dueDate: addDays(this.today, 40), amount: total - Math.floor(total / 2) }],
          graceDays: 5, agreedOn: this.today, interest: cmd.pick % 3 === 0 ? 'waive' : 'accrue',
        });
        for (const v of chosen) if (events.length > 0) this.run(`invoice-${v.invoiceId}`, invoiceDecider, { type: 'AttachToPaymentPlan', invoiceId: v.invoiceId, planId });
        return;
      }
      case 'assess': {
        const invoiceId = this.choose(invoices, cmd.pick);
        if (!invoiceId) return;
        this.run(`invoice-${invoiceId}`, invoiceDecider, { type: 'AssessLateCharges', invoiceId, asOf: this.today, country: cmd.pick % 3 === 0 ? 'DE' : 'FR', rates: SHIPPED_ECB_RATES, dayBasis: 365, plans: this.planTerms(invoiceId) });
        return;
      }
      case 'writeOff': {
        const invoiceId = this.choose(invoices, cmd.pick);
        if (!invoiceId) return;
        this.run(`invoice-${invoiceId}`, invoiceDecider, { type: 'WriteOffInvoice', invoiceId, amount: cmd.all ? null : cmd.cents, reason: 'bad debt', approvedBy: 'cfo', on: this.today });
        return;
      }
      case 'creditNote': {
        const invoiceId = cmd.standalone ? null : this.choose(invoices, cmd.pick) ?? null;
        const customerId = invoiceId ? (this.state(`invoice-${invoiceId}`, invoiceDecider) as Extract<InvoiceState, { customerId: string }>).customerId : `c${cmd.c}`;
        this.issueCreditNote(customerId, invoiceId, cmd.cents);
        return;
      }
      case 'dispute': {
        const invoiceId = this.choose(invoices, cmd.pick);
        if (!invoiceId) return;
        const owed = this.views().find((v) => v.invoiceId === invoiceId)?.outstanding ?? 0;
        // Mostly within what is owed, sometimes just beyond it (refused).
        const amount = cmd.cents % 5 === 0 ? owed + 1 : Math.max(1, Math.min(cmd.cents, owed));
        this.run(`invoice-${invoiceId}`, invoiceDecider, { type: 'OpenDispute', invoiceId, disputeId: `d${++this.n}`, amount, reason: 'r', on: this.today });
        return;
      }
      case 'resolve': {
        const disputed = this.views().filter((v) => v.openDispute !== null);
        const v = this.choose(disputed, cmd.pick);
        if (!v || !v.openDispute) return;
        const [resolved] = this.run(`invoice-${v.invoiceId}`, invoiceDecider, {
          type: 'ResolveDispute', invoiceId: v.invoiceId, disputeId: v.openDispute.disputeId, outcome: cmd.accept ? 'accepted' : 'rejected',
          agreedAmount: Math.min(cmd.cents, v.openDispute.amount), note: '', on: this.today,
        });
        if (resolved.type === 'DisputeResolved' && resolved.data.creditNoteId) {
          this.issueCreditNote(v.customerId, v.invoiceId, resolved.data.agreedAmount, { excessAsCredit: true, disputeId: resolved.data.disputeId, creditNoteId: resolved.data.creditNoteId });
        }
        return;
      }
    }
  }
}

function checkInvariants(w: World): void {
  const views = w.views();
  const balances = project(openBalancesProjection, w.log) as Map<string, OpenBalance>;
  const items = [...(project(openItemsProjection, w.log) as Map<string, OpenItem>).values()];
  const credits = project(customerCreditProjection, w.log) as Map<string, CustomerCredit>;
  const exposures = project(creditExposureProjection, w.log) as Map<string, CreditExposure>;
  for (const v of views) {
    expect(v.outstanding).toBeGreaterThanOrEqual(0);
    const state = w.state(`invoice-${v.invoiceId}`, invoiceDecider);
    expect(!isNotReceivable(state) && state.outstanding).toBe(v.outstanding);
  }
  for (let c = 0; c < CUSTOMERS; c++) {
    const customerId = `c${c}`;
    const mine = views.filter((v) => v.customerId === customerId);
    const events = w.log.filter((e) => (e.data as { customerId?: string }).customerId === customerId);
    const sum = (f: (e: ArEvent) => number) => events.reduce((s, e) => s + f(e), 0);
    // Each term from the aggregate that decides it.
    const invoiced = sum((e) => (e.type === 'InvoiceIssued' ? e.data.total : 0));
    const allocated = sum((e) => (e.type === 'PaymentAllocated' ? e.data.amount : e.type === 'PaymentDeallocated' ? -e.data.amount : 0));
    const creditNotes = sum((e) => (e.type === 'CreditNoteIssued' ? e.data.appliedToInvoice : e.type === 'CreditNoteAllocated' ? e.data.amount : 0));
    const writeOffs = sum((e) => (e.type === 'InvoiceWrittenOff' ? e.data.amount : e.type === 'BadDebtRecovered' ? -e.data.amount : e.type === 'PaymentUnapplied' ? e.data.recoveryReversed : 0));
    const charges = sum((e) => (e.type === 'LateChargesAssessed' || e.type === 'LateChargesReinstated' ? e.data.amount : e.type === 'LateChargesCorrected' ? -e.data.amount : 0));
    const discounts = sum((e) => (e.type === 'DiscountApplied' ? e.data.amount : e.type === 'DiscountReversed' ? -e.data.amount : 0));
    const bankFees = sum((e) => (e.type === 'BankFeesWrittenOff' ? e.data.amount : e.type === 'BankFeesReversed' ? -e.data.amount : 0));
    const outstanding = mine.reduce((s, v) => s + v.outstanding, 0);
    expect(outstanding).toBe(invoiced + charges - allocated - creditNotes - discounts - writeOffs - bankFees);
    const b = balances.get(customerId)!;
    expect(b.outstanding).toBe(outstanding);
    // The credit position holds no map of open invoices (ADR 0120): its receivables are still their sum.
    const exposure = exposures.get(customerId)!;
    expect(exposure.receivables).toBe(outstanding);
    // Customer credit: the read model equals what the payments and credit notes hold unapplied.
    const unapplied = w.ids('payment-').map((id) => w.state(`payment-${id}`, paymentDecider)).filter((p) => p.status === 'recorded' && p.customerId === customerId)
      .reduce((s, p) => s + (p.status === 'recorded' ? p.unapplied : 0), 0)
      + w.ids('creditnote-').map((id) => w.state(`creditnote-${id}`, creditNoteDecider)).filter((n) => n.status === 'issued' && n.customerId === customerId)
        .reduce((s, n) => s + (n.status === 'issued' ? n.unapplied : 0), 0);
    const credit = credits.get(customerId);
    expect(credit?.balance ?? 0).toBe(unapplied);
    expect(b.unapplied).toBe(unapplied);
    expect(exposure.unapplied).toBe(unapplied);
    expect(exposure.exposure).toBe(outstanding + exposure.reserved + exposure.pendingApproval - unapplied);
    expect(unapplied).toBeGreaterThanOrEqual(0);
    if (credit) expect(creditAsOf(credit, w.today)).toBe(unapplied);
  }
  // Aging: buckets sum to the total at every date, and the total today is the outstanding.
  for (const asOf of ['2026-01-01', addDays(w.today, -20), addDays(w.today, -1), w.today]) {
    const aging = agingReport(items, asOf, { currency: 'EUR' });
    expect(Object.values(aging.buckets).reduce((s, n) => s + n, 0)).toBe(aging.total);
    expect(aging.customers.reduce((s, c) => s + c.total, 0)).toBe(aging.total);
  }
  expect(agingReport(items, w.today, { currency: 'EUR' }).total).toBe(views.reduce((s, v) => s + v.outstanding, 0));
}

/** Least share of each kind that must be accepted (of all tried, no-ops included): measured over seeds 1–5, with margin. */
const MIN_ACCEPTED: Array<[Cmd['kind'], number]> = [
  ['issue', 0.9], ['pay', 0.9], ['payShort', 0.1], ['applyCredit', 0.1], ['refund', 0.1], ['reallocate', 0.1], ['reverse', 0.1], ['writeOff', 0.1], ['creditNote', 0.1], ['dispute', 0.1], ['resolve', 0.05], ['assess', 0.05], ['plan', 0.05],
];

describe('collection invariants over random command sequences', () => {
  it('hold after every step', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(cmdArb, { minLength: 20, maxLength: 50 }), (cmds) => {
        const world = new World();
        for (const cmd of cmds) {
          world.apply(cmd);
          checkInvariants(world);
        }
        for (const e of world.log) seen.add(e.type);
      }),
      { seed, numRuns: 100 },
    );
    // The sequences must reach every collection fact, or the invariants were checked on too little.
    // (HandedToCollectionAgency is left to the decider spec and the dunning e2e: letters go in ladder order at the
    // ladder's intervals, ADR 0039, so the agency level takes four spaced runs on one unpaid invoice. The rarer
    // DiscountReversed, BankFeesReversed and LateChargesDeferred are checked here when they occur and required by their own specs.)
    const required = [
      'BadDebtRecovered', 'DiscountApplied', 'LateChargesAssessed', 'ReminderSent', 'PaymentPlanAgreed', 'PaymentPlanAttached', 'PaymentPlanBroken', 'PaymentPlanDetached', 'CreditNoteAllocated', 'CreditNoteApplied', 'CreditNoteIssued', 'CreditNoteRefunded', 'DisputeOpened', 'DisputeResolved',
      'InvoiceWrittenOff', 'PaymentAllocated', 'PaymentDeallocated', 'PaymentRefunded', 'PaymentReversed', 'PaymentUnapplied', 'BankFeesWrittenOff',
    ];
    expect(required.filter((t) => !seen.has(t))).toEqual([]);
    // A run where the commands are mostly refused proves little: count, report, bound per kind.
    console.log(`collections-invariants outcomes: ${JSON.stringify(Object.fromEntries(tally))}; refusals: ${JSON.stringify(Object.fromEntries(refusals))}`);
    const share = (k: Cmd['kind']) => { const t = tally.get(k)!; return t.accepted / (t.accepted + t.refused + t.noop); };
    const all = [...tally.values()].reduce((s, t) => ({ accepted: s.accepted + t.accepted, tried: s.tried + t.accepted + t.refused }), { accepted: 0, tried: 0 });
    expect(all.accepted / all.tried).toBeGreaterThan(0.6);
    expect(Object.fromEntries(MIN_ACCEPTED.map(([k, min]) => [k, share(k) >= min]))).toEqual(Object.fromEntries(MIN_ACCEPTED.map(([k]) => [k, true])));
  });
});
