import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { HoldPolicyFigures } from '../domain/credit/credit.events';
import { addDays, type CalendarDate, daysBetween, parseDate } from '../domain/shared/dates';
import { DomainError } from '../domain/shared/errors';
import type { CreditExposure } from '../../projections/credit-exposure/credit-exposure.projection';
import type { CommandContext } from './command-context';
import { PlaceCreditHoldCommand, ReleaseCreditHoldCommand } from './commands/credit.commands';
import type { AppConfig } from './config';
import { ReadModels } from './read-models';
import { APP_CONFIG } from './tokens';

export interface HoldPolicyRun {
  asOf: CalendarDate;
  maxDaysPastDue: number;
  release: 'automatic' | 'manual';
  placed: Array<{ customerId: string; overdue: number }>;
  released: string[];
  /** Policy holds kept: still overdue, or waiting for a person (manual release). */
  kept: string[];
}

interface OpenInvoiceDoc {
  invoiceId: string;
  number: string;
  customerId: string;
  dueDate: CalendarDate;
  outstanding: number;
}

/** Command id of one customer's step in the run of one as-of date: re-running that date appends nothing new. */
export const holdPolicyCommandId = (asOf: CalendarDate, customerId: string, step: 'place' | 'release') => `credit-hold-policy|${asOf}|${customerId}|${step}`;

/**
 * The credit-hold policy, run over the read side: a customer with an invoice more than N days past due as of the
 * date gets a policy hold (with the invoices it found); a customer whose policy hold no longer has such an invoice
 * is released when release is automatic. Disputed invoices (status `disputed`) are not counted.
 */
@Injectable()
export class CreditHoldPolicy {
  constructor(private readonly readModels: ReadModels, private readonly commands: CommandBus, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async run(asOfText: string, ctx: Omit<CommandContext, 'commandId' | 'causationId'>): Promise<HoldPolicyRun> {
    const asOf = parseDate(asOfText, 'asOf');
    const { fresh } = await this.readModels.catchUp(['invoices', 'credit-exposure']);
    if (!fresh) throw new DomainError('READ_MODEL_BEHIND', 'The read models are still catching up; retry', { projection: 'invoices, credit-exposure' }, 'conflict');
    const n = this.config.creditHoldDaysPastDue;
    const overdueDocs = await this.readModels.find<OpenInvoiceDoc>('invoices', {
      status: { $in: ['issued', 'partially_paid'] }, dueDate: { $lt: addDays(asOf, -n) },
    }, { sort: [['customerId', 1], ['dueDate', 1]] });
    const overdue = new Map<string, HoldPolicyFigures['overdue']>();
    for (const d of overdueDocs) {
      const list = overdue.get(d.customerId) ?? [];
      list.push({ invoiceId: d.invoiceId, number: d.number, dueDate: d.dueDate, daysPastDue: daysBetween(d.dueDate, asOf), outstanding: d.outstanding });
      overdue.set(d.customerId, list);
    }
    const held = await this.readModels.find<CreditExposure>('credit-exposure', { policyHold: true });
    const result: HoldPolicyRun = { asOf, maxDaysPastDue: n, release: this.config.creditHoldRelease, placed: [], released: [], kept: [] };
    const context = (customerId: string, step: 'place' | 'release'): CommandContext => {
      const commandId = holdPolicyCommandId(asOf, customerId, step);
      return { ...ctx, commandId, causationId: commandId };
    };
    for (const [customerId, list] of overdue) {
      if (held.some((h) => h.customerId === customerId)) {
        result.kept.push(customerId);
        continue;
      }
      const reason = `${list.length} invoice(s) more than ${n} days past due as of ${asOf} (oldest ${list[0].number}, ${list[0].daysPastDue} days)`;
      await this.commands.execute(new PlaceCreditHoldCommand(customerId, 'policy', reason, context(customerId, 'place'), { asOf, maxDaysPastDue: n, overdue: list }));
      result.placed.push({ customerId, overdue: list.length });
    }
    for (const h of held) {
      if (overdue.has(h.customerId)) continue;
      if (this.config.creditHoldRelease === 'manual') {
        result.kept.push(h.customerId);
        continue;
      }
      const reason = `No invoice more than ${n} days past due as of ${asOf}`;
      await this.commands.execute(new ReleaseCreditHoldCommand(h.customerId, 'policy', reason, context(h.customerId, 'release'), { asOf, maxDaysPastDue: n, overdue: [] }));
      result.released.push(h.customerId);
    }
    result.kept.sort();
    return result;
  }
}

/** Milliseconds from `now` to the next `HH:MM` UTC (tomorrow when today's has passed). */
export function msUntilNext(runAt: string, now: Date): number {
  const [h, m] = runAt.split(':').map(Number);
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime() - now.getTime();
}

/** Runs the credit-hold policy once a day inside the API process (AR_CREDIT_HOLD_SCHEDULE; off in tests). */
@Injectable()
export class CreditHoldScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CreditHoldPolicy');
  private timer: NodeJS.Timeout | null = null;
  lastError: string | null = null;

  constructor(private readonly policy: CreditHoldPolicy, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (this.config.creditHoldRunAt !== null && this.config.projectorInProcess) this.schedule();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.tick(), msUntilNext(this.config.creditHoldRunAt!, new Date()));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const now = new Date().toISOString();
    try {
      const r = await this.policy.run(now.slice(0, 10), { actor: 'system:credit-hold-policy', recordedAt: now, correlationId: `credit-hold-policy|${now.slice(0, 10)}` });
      this.logger.log(`as of ${r.asOf}: ${r.placed.length} placed, ${r.released.length} released, ${r.kept.length} kept`);
      this.lastError = null;
    } catch (err) {
      this.lastError = (err as Error).message;
      this.logger.error(`credit-hold policy run failed: ${this.lastError}`);
    }
    if (this.timer !== null) this.schedule();
  }
}
