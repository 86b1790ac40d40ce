import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { join } from 'node:path';
import { letterFigures } from '../../domain/collections/dunning-letter';
import { DEFAULT_DUNNING_LEVELS, planDunning, type DunnableItem, type DunningDecision, type DunningLevel } from '../../domain/collections/dunning';
import { creditDecider } from '../../domain/credit/credit.decider';
import { invoiceDecider, isNotReceivable } from '../../domain/invoice/invoice.decider';
import type { ReminderSent } from '../../domain/invoice/invoice.collection.events';
import { dateOfInstant, parseDate } from '../../domain/shared/dates';
import { streams } from '../../domain/shared/ids';
import { OUTBOX, type Outbox } from '../../outbox/outbox.port';
import { FileOutbox } from '../../outbox/adapters/file/file-outbox';
import { SmtpOutbox } from '../../outbox/adapters/smtp/smtp-outbox';
import { creditAsOf, openItemsFilter, type CustomerCredit, type OpenBalance, type OpenItem } from '../../../projections';
import type { CommandContext } from '../command-context';
import type { AppConfig } from '../config';
import { EventSourcedRepository } from '../event-sourced-repository';
import type { QueryResult } from '../queries/queries';
import { ReadModels } from '../read-models';
import { APP_CONFIG } from '../tokens';
import { AssessLateChargesCommand } from '../commands/late-charges.commands';
import { CheckPaymentPlanCommand } from '../commands/payment-plan.commands';
import { languageFor, renderReminder } from './templates';
import { DocumentService } from '../documents/documents';

/** The outbox adapter chosen by configuration: files in <dataDir>/outbox (default) or SMTP. */
export function createOutbox(config: AppConfig): Outbox {
  if (config.outbox === 'smtp' && config.smtpUrl) return new SmtpOutbox(config.smtpUrl, config.smtpFrom, join(config.dataDir, 'outbox', 'smtp-sent.log'));
  return new FileOutbox(join(config.dataDir, 'outbox'));
}

/**
 * Port for the credit hold a dunning level asks for (recorded in `ReminderSent.creditHold`). The adapter is
 * `CommandBusCreditHolds`: the Credit aggregate's manual hold, placed once per reminder (ADR 0017). The process
 * manager repeats the request for a reminder whose run was cut off before it.
 */
export const CREDIT_HOLDS = Symbol('CREDIT_HOLDS');
export interface CreditHolds {
  requestHold(customerId: string, reason: string, causedBy: { eventId: string; ctx: CommandContext }): Promise<void>;
}
const levelsOf = (config: AppConfig): readonly DunningLevel[] => config.dunningLevels ?? DEFAULT_DUNNING_LEVELS;

/** Renders a ReminderSent and hands it to the outbox (id = event id: delivering twice sends once). */
@Injectable()
export class DunningMailer {
  constructor(
    private readonly repo: EventSourcedRepository, @Inject(OUTBOX) private readonly outbox: Outbox, @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly documents: DocumentService,
  ) {}

  async deliver(eventId: string, e: ReminderSent['data']): Promise<boolean> {
    const invoice = await this.repo.load(streams.invoice(e.invoiceId), invoiceDecider);
    const credit = await this.repo.load(streams.credit(e.customerId), creditDecider);
    if (isNotReceivable(invoice.state)) return false;
    const name = credit.state.status === 'active' ? credit.state.name : e.customerId;
    // The figures as of the run's date, from the invoice's own facts (ADR 0039): a past-dated run states that date's.
    const figures = letterFigures(invoice.events, e.asOf);
    if (figures === null) return false;
    const r = renderReminder({ customerName: name, invoiceNumber: invoice.state.number, dueDate: invoice.state.dueDate, currency: invoice.state.currency, event: e, figures });
    // The letter as a PDF on the seller's letterhead, dated the run's date (ADR 0076); none without AR_COMPANY_*.
    const letter = await this.documents.letterPdf({
      customerId: e.customerId, subject: r.subject, text: r.text, date: e.asOf, lang: e.language === 'fr' ? 'fr' : 'en',
      reference: `${invoice.state.number}-level-${e.level}`,
    });
    return this.outbox.deliver({
      id: eventId, to: this.config.dunningTo.replace('{customerId}', e.customerId), subject: r.subject, text: r.text, html: r.html, customerId: e.customerId, invoiceId: e.invoiceId,
      ...(letter ? { attachments: [{ filename: letter.filename, contentType: letter.contentType, content: letter.bytes }] } : {}),
    });
  }
}

/** Items as of a date with what dunning needs, and each customer's credit as of that date. */
async function dunningInputs(rm: ReadModels, asOf: string): Promise<{ items: DunnableItem[]; credit: Map<string, number>; fresh: boolean; position: number }> {
  const f = await rm.catchUp(['open-items', 'customer-credit']);
  const docs = await rm.find<OpenItem>('open-items', openItemsFilter(asOf));
  const items = docs.map((d) => ({
    invoiceId: d.invoiceId, customerId: d.customerId, number: d.number, currency: d.currency, dueDate: d.dueDate,
    outstanding: d.total - d.movements.reduce((s, m) => (m.on <= asOf ? s + m.amount : s), 0),
    disputed: d.disputed ?? 0, inPaymentPlan: d.inPaymentPlan ?? false, dunningLevel: d.dunningLevel ?? 0,
    ...(d.dunningResumedOn !== undefined && d.dunningResumedOn <= asOf ? { resumedOn: d.dunningResumedOn, resumedAtLevel: d.dunningResumedAtLevel ?? 0 } : {}),
    ...(d.dunningSentOn !== undefined ? { lastSentOn: d.dunningSentOn } : {}),
  }));
  const customers = [...new Set(items.map((i) => i.customerId))];
  const credit = new Map<string, number>();
  for (const id of customers) {
    const c = await rm.get<CustomerCredit>('customer-credit', id);
    if (c) credit.set(id, creditAsOf(c, asOf));
  }
  return { items, credit, ...f };
}

export class RunDunningCommand {
  constructor(readonly asOf: string, readonly ctx: CommandContext) {}
}

export interface DunningRunResult {
  asOf: string;
  sent: Array<{ invoiceId: string; customerId: string; level: number; name: string; messageId: string; chargesAssessed: number; creditHold: boolean; collectionAgency: boolean }>;
  skipped: Array<{ invoiceId: string; customerId: string; reason: string }>;
  position: number;
}

/**
 * The dunning run: plans from the read models, then per invoice (under the customer's lock) assesses the
 * charges the level asks for, records the level on the invoice (command id `dunning|<invoiceId>|<level>`, and
 * the decider refuses a level already reached), renders and delivers the reminder, asks for a credit hold.
 * Running it twice for the same date produces nothing the second time.
 */
@CommandHandler(RunDunningCommand)
export class RunDunningHandler implements ICommandHandler<RunDunningCommand, DunningRunResult> {
  constructor(
    private readonly rm: ReadModels,
    private readonly repo: EventSourcedRepository,
    private readonly bus: CommandBus,
    private readonly mailer: DunningMailer,
    @Inject(CREDIT_HOLDS) private readonly holds: CreditHolds,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(c: RunDunningCommand): Promise<DunningRunResult> {
    const asOf = parseDate(c.asOf, 'asOf');
    // Plans first: one broken by an instalment unpaid past its grace days releases its invoices to dunning.
    await this.rm.catchUp(['invoices']);
    const planned = await this.rm.find<{ planId: string | null }>('invoices', { planId: { $ne: null } });
    for (const planId of [...new Set(planned.map((p) => p.planId).filter((p): p is string => !!p))].sort()) {
      await this.bus.execute(new CheckPaymentPlanCommand(planId, asOf, { ...c.ctx, commandId: `plan-check|${planId}|${asOf}`, causationId: c.ctx.commandId }));
    }
    const { items, credit } = await dunningInputs(this.rm, asOf);
    const decisions = planDunning(items, asOf, levelsOf(this.config), credit);
    const result: DunningRunResult = { asOf, sent: [], skipped: [], position: -1 };
    for (const d of decisions) {
      if (d.outcome === 'skip') {
        result.skipped.push({ invoiceId: d.invoiceId, customerId: d.customerId, reason: d.reason });
        continue;
      }
      // No customer lock here: AssessLateCharges takes it itself, and SendDunning is one optimistic append.
      await (async () => {
        const level = d.level;
        const ctx = (commandId: string): CommandContext => ({ ...c.ctx, commandId, causationId: c.ctx.commandId });
        let chargesAssessed = 0;
        if (level.assessCharges) {
          const a = await this.bus.execute(new AssessLateChargesCommand(d.invoiceId, asOf, ctx(`dunning-charges|${d.invoiceId}|${level.level}`)));
          chargesAssessed = a.assessed?.amount ?? 0;
        }
        const balance = await this.rm.get<OpenBalance>('open-balances', d.customerId);
        const r = await this.repo.handle(streams.invoice(d.invoiceId), invoiceDecider, ctx(`dunning|${d.invoiceId}|${level.level}`), () => ({
          type: 'SendDunning' as const, invoiceId: d.invoiceId, level, asOf, language: languageFor(balance?.country ?? 'FR'),
        }));
        const sent = r.events.find((e) => e.type === 'ReminderSent') as unknown as (ReminderSent & { id: string }) | undefined;
        if (!sent || r.replayed) {
          result.skipped.push({ invoiceId: d.invoiceId, customerId: d.customerId, reason: `level ${level.level} already recorded` });
          return;
        }
        await this.mailer.deliver(sent.id, sent.data);
        if (level.creditHold) await this.holds.requestHold(d.customerId, `Dunning level ${level.level} (${level.name}) on invoice ${d.number}`, { eventId: sent.id, ctx: c.ctx });
        result.position = Math.max(result.position, r.position);
        result.sent.push({ invoiceId: d.invoiceId, customerId: d.customerId, level: level.level, name: level.name, messageId: sent.id, chargesAssessed, creditHold: level.creditHold, collectionAgency: level.collectionAgency });
      })();
    }
    return result;
  }
}

export class GetDunningReportQuery {
  constructor(readonly asOf: string) {}
}

/** What the next run as of a date would do, and why (read models only, nothing written). */
@QueryHandler(GetDunningReportQuery)
export class GetDunningReportHandler implements IQueryHandler<GetDunningReportQuery, QueryResult<DunningDecision[]>> {
  constructor(private readonly rm: ReadModels, @Inject(APP_CONFIG) private readonly config: AppConfig) {}
  async execute(q: GetDunningReportQuery): Promise<QueryResult<DunningDecision[]>> {
    const asOf = parseDate(q.asOf, 'asOf');
    const { items, credit, fresh, position } = await dunningInputs(this.rm, asOf);
    return { fresh, position, value: planDunning(items, asOf, levelsOf(this.config), credit) };
  }
}

/** The daily run inside the API process, at the configured UTC time (off in tests); as-of = that day. */
@Injectable()
export class DunningScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DunningScheduler');
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly bus: CommandBus, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (this.config.dunningSchedule !== null && this.config.projectorInProcess) this.scheduleNext();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private scheduleNext(): void {
    const [h, m] = (this.config.dunningSchedule as string).split(':').map(Number);
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m));
    if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
    this.timer = setTimeout(() => void this.run(next), next.getTime() - now.getTime());
    this.timer.unref();
  }

  private async run(at: Date): Promise<void> {
    const asOf = dateOfInstant(at.toISOString());
    const id = `dunning-run|${asOf}`;
    try {
      const r = await this.bus.execute<RunDunningCommand, DunningRunResult>(new RunDunningCommand(asOf, { actor: 'dunning-scheduler', recordedAt: new Date().toISOString(), commandId: id, correlationId: id, causationId: id }));
      this.logger.log(`dunning run ${asOf}: ${r.sent.length} sent, ${r.skipped.length} skipped`);
    } catch (err) {
      this.logger.error(`dunning run ${asOf} failed: ${(err as Error).message}`);
    } finally {
      this.scheduleNext();
    }
  }
}

export const DUNNING_PROVIDERS = [
  DunningMailer, RunDunningHandler, GetDunningReportHandler, DunningScheduler,
];
