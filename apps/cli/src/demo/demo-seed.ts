import { CommandBus } from '@nestjs/cqrs';
import type { INestApplicationContext } from '@nestjs/common';
import type { CommandContext } from '../../../../libs/application/command-context';
import { ChangeCreditLimitCommand, RegisterCustomerCommand } from '../../../../libs/application/commands/customer.commands';
import { IssueInvoiceCommand, type IssuedInvoice } from '../../../../libs/application/commands/invoice.commands';
import { RecordPaymentCommand } from '../../../../libs/application/commands/payment.commands';
import { DomainError } from '../../../../libs/domain/shared/errors';
import { divideHalfUp, formatAmount, parseAmount } from '../../../../libs/domain/shared/money';
import { demoScenario, type DemoOptions, type DemoStep } from './demo-scenario';

export interface SeedSummary {
  steps: number;
  customers: number;
  invoices: number;
  payments: number;
  limitChanges: number;
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
  const paid = new Map<string, number>();
  const summary: SeedSummary = { steps: steps.length, customers: 0, invoices: 0, payments: 0, limitChanges: 0, refused: [], replayed: 0, alreadySeeded: false };
  let done = 0;
  for (const step of steps) {
    if (done === 1 && summary.replayed === 1) {
      // The first registration was already in the log: this seed ran before. Replaying it now would decide
      // against today's state (an invoice refused then might pass now), so stop: the data is already there.
      summary.alreadySeeded = true;
      break;
    }
    const ctx: CommandContext = {
      actor: 'demo.seed', recordedAt: new Date().toISOString(),
      commandId: `demo-seed|${o.seed}|${step.seq}`, correlationId: `demo-seed|${o.seed}`, causationId: `demo-seed|${o.seed}|${step.seq}`,
    };
    try {
      const replayed = await execute(bus, step, ctx, invoices, summary, paid);
      if (replayed) summary.replayed++;
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'rule') throw error;
      summary.refused.push({ step: step.seq, kind: step.kind, code: error.code });
    }
    onStep?.(++done, steps.length);
  }
  return summary;
}

async function execute(bus: CommandBus, step: DemoStep, ctx: CommandContext, invoices: Map<string, IssuedInvoice>, s: SeedSummary, paid: Map<string, number>): Promise<boolean> {
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
    case 'invoice': {
      const r: IssuedInvoice = await bus.execute(new IssueInvoiceCommand(step.invoiceId, step.customerId, step.on, step.lines, ctx));
      invoices.set(step.invoiceId, r);
      s.invoices++;
      return r.replayed;
    }
    case 'payment': {
      const inv = invoices.get(step.invoiceId);
      if (!inv) return false; // the invoice was refused: nothing to pay
      const already = paid.get(step.invoiceId) ?? 0;
      const share = step.share === 1 ? inv.total - already : Number(divideHalfUp(BigInt(inv.total) * BigInt(Math.round(step.share * 1000)), 1000n));
      if (share <= 0) return false;
      paid.set(step.invoiceId, already + share);
      const amount = formatAmount(share + (step.extra ? parseAmount(step.extra, inv.currency) : 0), inv.currency);
      const allocations = [{ invoiceId: step.invoiceId, amount: formatAmount(share, inv.currency) }];
      const r = await bus.execute(new RecordPaymentCommand(step.paymentId, step.customerId, amount, step.on, step.method, null, allocations, ctx));
      s.payments++;
      return r.replayed;
    }
  }
}
