import { CommandBus } from '@nestjs/cqrs';
import type { INestApplicationContext } from '@nestjs/common';
import type { CommandContext } from '../../../../libs/application/command-context';
import { ChangeCreditLimitCommand, RegisterCustomerCommand } from '../../../../libs/application/commands/customer.commands';
import { IssueInvoiceCommand, type IssuedInvoice } from '../../../../libs/application/commands/invoice.commands';
import { RecordPaymentCommand } from '../../../../libs/application/commands/payment.commands';
import { ChangePaymentTermsCommand } from '../../../../libs/application/commands/credit.commands';
import { ReversePaymentCommand, WriteOffInvoiceCommand } from '../../../../libs/application/commands/collection.commands';
import { IssueCreditNoteCommand, OpenDisputeCommand, ResolveDisputeCommand, type DisputeChange, type IssuedCreditNote } from '../../../../libs/application/commands/credit-note.commands';
import { RunDunningCommand, type DunningRunResult } from '../../../../libs/application/dunning/dunning';
import { DomainError } from '../../../../libs/domain/shared/errors';
import { divideHalfUp, formatAmount, parseAmount } from '../../../../libs/domain/shared/money';
import { localOperator } from '../../../../libs/identity/local-operator';
import { demoScenario, type DemoOptions, type DemoStep } from './demo-scenario';

export interface SeedSummary {
  steps: number;
  customers: number;
  invoices: number;
  payments: number;
  limitChanges: number;
  termsChanges: number;
  disputes: { opened: number; accepted: number; rejected: number };
  /** Credit notes issued, by hand or for an accepted dispute. */
  creditNotes: number;
  writeOffs: number;
  reversals: number;
  dunning: { runs: number; remindersSent: number; creditHolds: number };
  /** Commands a business rule refused (e.g. an invoice over the credit limit): part of a realistic dataset. */
  refused: Array<{ step: number; kind: string; code: string }>;
  /** Commands already in the log (the same seed was run before): nothing appended for them. */
  replayed: number;
  /** This seed had been run on this log before: nothing was appended. */
  alreadySeeded: boolean;
}

/**
 * Runs the demo scenario through the command bus, as the API would: one command per step, with a stable
 * command id per step (`demo-seed|<seed>|<step>`), so running the same seed twice appends nothing new.
 */
export async function runDemoSeed(app: INestApplicationContext, o: DemoOptions, onStep?: (done: number, total: number) => void): Promise<SeedSummary> {
  const bus = app.get(CommandBus);
  const steps = demoScenario(o);
  const invoices = new Map<string, IssuedInvoice>();
  const ledger: Ledger = { paid: new Map(), reduced: new Map(), payments: new Map(), disputed: new Map() };
  const summary: SeedSummary = {
    steps: steps.length, customers: 0, invoices: 0, payments: 0, limitChanges: 0, termsChanges: 0, disputes: { opened: 0, accepted: 0, rejected: 0 },
    creditNotes: 0, writeOffs: 0, reversals: 0, dunning: { runs: 0, remindersSent: 0, creditHolds: 0 }, refused: [], replayed: 0, alreadySeeded: false,
  };
  // The CLI's writes are the local operator's (ADR 0041).
  const operator = localOperator();
  let done = 0;
  for (const step of steps) {
    if (done === 1 && summary.replayed === 1) {
      // The first registration was already in the log: this seed ran before. Replaying it now would decide
      // against today's state (an invoice refused then might pass now), so stop: the data is already there.
      summary.alreadySeeded = true;
      break;
    }
    const ctx: CommandContext = {
      actor: operator.name, actorId: operator.id, recordedAt: new Date().toISOString(),
      commandId: `demo-seed|${o.seed}|${step.seq}`, correlationId: `demo-seed|${o.seed}`, causationId: `demo-seed|${o.seed}|${step.seq}`,
    };
    try {
      const replayed = await execute(bus, step, ctx, invoices, summary, ledger);
      if (replayed) summary.replayed++;
    } catch (error) {
      // Rules and conflicts (a hold already placed, a payment already reversed) are answers of the domain.
      if (!(error instanceof DomainError) || (error.kind !== 'rule' && error.kind !== 'conflict')) throw error;
      summary.refused.push({ step: step.seq, kind: step.kind, code: error.code });
    }
    done++; // not inside onStep?.(…): optional chaining would skip the increment when no callback is given
    onStep?.(done, steps.length);
  }
  return summary;
}

/** What the seed has moved on each invoice, to turn a step's share into an amount (minor units). */
interface Ledger {
  paid: Map<string, number>;
  /** Credit notes and write-offs. */
  reduced: Map<string, number>;
  payments: Map<string, { invoiceId: string; applied: number }>;
  disputed: Map<string, number>;
}

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const shareOf = (total: number, share: number) => Number(divideHalfUp(BigInt(total) * BigInt(Math.round(share * 1000)), 1000n));

async function execute(bus: CommandBus, step: DemoStep, ctx: CommandContext, invoices: Map<string, IssuedInvoice>, s: SeedSummary, l: Ledger): Promise<boolean> {
  switch (step.kind) {
    case 'register': {
      const r = await bus.execute(new RegisterCustomerCommand(step.customerId, step.name, 'EUR', parseAmount(step.creditLimit, 'EUR'), step.termsDays, ctx));
      s.customers++;
      return r.replayed;
    }
    case 'change-limit': {
      const r = await bus.execute(new ChangeCreditLimitCommand(step.customerId, step.amount, step.reason, ctx));
      s.limitChanges++;
      return r.replayed;
    }
    case 'terms': {
      const r = await bus.execute(new ChangePaymentTermsCommand(step.customerId, step.terms, step.reason, false, ctx));
      s.termsChanges++;
      return r.replayed;
    }
    case 'invoice': {
      const r: IssuedInvoice = await bus.execute(new IssueInvoiceCommand(step.invoiceId, step.customerId, step.on, step.lines, ctx));
      invoices.set(step.invoiceId, r);
      s.invoices++;
      return r.replayed;
    }
    case 'payment': {
      const inv = invoices.get(step.invoiceId);
      if (!inv) return false; // the invoice was refused: nothing to pay
      const open = inv.total - (l.paid.get(step.invoiceId) ?? 0) - (l.reduced.get(step.invoiceId) ?? 0);
      let share = step.share === 1 ? open : Math.min(open, shareOf(inv.total, step.share));
      // Early payment: gross less the discount (half-up), which the invoice settles by a DiscountApplied.
      if (step.earlyDiscountBp && share === inv.total) share -= Number(divideHalfUp(BigInt(inv.total) * BigInt(step.earlyDiscountBp), 10_000n));
      if (share <= 0) return false;
      const amount = formatAmount(share + (step.extra ? parseAmount(step.extra, inv.currency) : 0), inv.currency);
      const allocations = [{ invoiceId: step.invoiceId, amount: formatAmount(share, inv.currency) }];
      const r = await bus.execute(new RecordPaymentCommand(step.paymentId, step.customerId, amount, step.on, step.method, null, allocations, ctx));
      add(l.paid, step.invoiceId, share);
      if (step.earlyDiscountBp && share < open) add(l.reduced, step.invoiceId, open - share);
      l.payments.set(step.paymentId, { invoiceId: step.invoiceId, applied: share });
      s.payments++;
      return r.replayed;
    }
    case 'dispute': {
      const inv = invoices.get(step.invoiceId);
      if (!inv) return false;
      const amount = shareOf(inv.total, step.share);
      const r: DisputeChange = await bus.execute(new OpenDisputeCommand(step.invoiceId, step.disputeId, formatAmount(amount, inv.currency), step.reason, step.on, ctx));
      l.disputed.set(step.disputeId, amount);
      s.disputes.opened++;
      return r.replayed;
    }
    case 'resolve-dispute': {
      const amount = l.disputed.get(step.disputeId);
      if (amount === undefined) return false;
      const r: DisputeChange = await bus.execute(new ResolveDisputeCommand(step.invoiceId, step.disputeId, step.outcome, null, step.note, step.on, ctx));
      s.disputes[step.outcome]++;
      if (r.creditNote) {
        add(l.reduced, step.invoiceId, r.creditNote.total);
        s.creditNotes++;
      }
      return r.replayed;
    }
    case 'credit-note': {
      const inv = invoices.get(step.invoiceId);
      if (!inv) return false;
      const amount = formatAmount(shareOf(inv.total, step.share), inv.currency);
      const r: IssuedCreditNote = await bus.execute(new IssueCreditNoteCommand(step.creditNoteId, step.customerId, step.invoiceId, step.on, step.reason, undefined, amount, undefined, ctx));
      add(l.reduced, step.invoiceId, r.total);
      s.creditNotes++;
      return r.replayed;
    }
    case 'write-off': {
      if (!invoices.has(step.invoiceId)) return false;
      const r = await bus.execute(new WriteOffInvoiceCommand(step.invoiceId, null, step.reason, null, step.on, ctx));
      add(l.reduced, step.invoiceId, r.amount);
      s.writeOffs++;
      return r.replayed;
    }
    case 'reversal': {
      const p = l.payments.get(step.paymentId);
      if (!p) return false;
      const r = await bus.execute(new ReversePaymentCommand(step.paymentId, step.reason, step.on, ctx));
      add(l.paid, p.invoiceId, -p.applied);
      s.reversals++;
      return r.replayed;
    }
    case 'dunning': {
      const r: DunningRunResult = await bus.execute(new RunDunningCommand(step.on, ctx));
      s.dunning.runs++;
      s.dunning.remindersSent += r.sent.length;
      s.dunning.creditHolds += r.sent.filter((x) => x.creditHold).length;
      return false;
    }
  }
}
