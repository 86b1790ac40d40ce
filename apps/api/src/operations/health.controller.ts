import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { Response } from 'express';
import type { AppConfig } from '../../../../libs/application/config';
import { ProcessManager } from '../../../../libs/application/process-manager';
import { ReadinessChecks } from '../../../../libs/application/readiness';
import { EVENT_STORE, type EventStore } from '../../../../libs/event-store/event-store.port';
import { eventsAfter } from '../../../../libs/projection-runtime/lag';
import { Projector } from '../../../../libs/projection-runtime/projector';
import { READ_STORE, type ReadStore } from '../../../../libs/read-store/read-store.port';
import { describeFailure } from '../../../../libs/resilience/retry';
import { ApiRead } from '../http/api-contract';
import { Public } from '../auth/requires.decorator';

/** A check that takes longer than `ms` is down: a probe must answer before the orchestrator's own timeout. */
function within<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([Promise.resolve().then(work), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Probes for orchestrators (ADR 0065), with @nestjs/terminus, unauthenticated:
 * - `GET /health/live`: the process answers (no store is touched: a store outage must not get it restarted);
 * - `GET /health/ready`: the stores accept writes now, every projection and the process manager are within
 *   AR_READY_MAX_LAG_EVENTS events of the log's head, parked workflow steps (reported, or failing with
 *   AR_READY_PARKED_STEPS=fail), and every check registered in ReadinessChecks (the projector lease);
 * - `GET /health`: the same as ready.
 * 200 `{status: "ok", info, error, details}`, or 503 with `code: "NOT_READY"` and the failing checks.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly projector: Projector,
    private readonly processManager: ProcessManager,
    private readonly readiness: ReadinessChecks,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly configService: ConfigService<AppConfig, true>,
  ) {}

  private get config(): Pick<AppConfig, 'healthTimeoutMs' | 'readyMaxLagEvents' | 'readyParkedSteps' | 'eventStore' | 'readStore'> {
    const c = this.configService;
    return {
      healthTimeoutMs: c.get('healthTimeoutMs', { infer: true }), readyMaxLagEvents: c.get('readyMaxLagEvents', { infer: true }),
      readyParkedSteps: c.get('readyParkedSteps', { infer: true }), eventStore: c.get('eventStore', { infer: true }), readStore: c.get('readStore', { infer: true }),
    };
  }

  @Get('live')
  @Public()
  @ApiRead({ freshness: false })
  @ApiOperation({ summary: 'Liveness: 200 while the process answers (stores are not checked: see /health/ready)' })
  async live(@Res({ passthrough: true }) res: Response) {
    return this.run(res, [() => this.indicator.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  @Get('ready')
  @Public()
  @ApiRead({ freshness: false })
  @ApiOperation({ summary: 'Readiness: stores accept writes, projections and workflow within AR_READY_MAX_LAG_EVENTS of the log, parked steps, lease; 503 NOT_READY otherwise' })
  async ready(@Res({ passthrough: true }) res: Response) {
    return this.run(res, this.readyChecks());
  }

  @Get()
  @Public()
  @ApiRead({ freshness: false })
  @ApiOperation({ summary: 'The same as /health/ready' })
  async index(@Res({ passthrough: true }) res: Response) {
    return this.ready(res);
  }

  private readyChecks(): HealthIndicatorFunction[] {
    const timeoutMs = this.config.healthTimeoutMs;
    const guarded = (key: string, work: () => Promise<Record<string, unknown>>): HealthIndicatorFunction => async () => {
      const session = this.indicator.check(key);
      try {
        return session.up(await within(timeoutMs, work));
      } catch (err) {
        return session.down({ message: describeFailure(err) });
      }
    };
    const bound = this.config.readyMaxLagEvents;
    const checks: HealthIndicatorFunction[] = [
      guarded('eventStore', async () => {
        if (this.events.probe) await this.events.probe();
        else await this.events.headPosition();
        return { store: this.config.eventStore };
      }),
      guarded('readStore', async () => {
        if (this.reads.probe) await this.reads.probe();
        else await this.reads.listCheckpoints();
        return { store: this.config.readStore };
      }),
      async () => {
        const session = this.indicator.check('projections');
        try {
          const statuses = await within(timeoutMs, () => this.projector.status());
          const behind: string[] = [];
          const each: Record<string, { state: string; lagEvents: number }> = {};
          const counted = new Map<number, Promise<number>>();
          for (const p of statuses) {
            if (!counted.has(p.checkpoint)) counted.set(p.checkpoint, eventsAfter(this.events, p.checkpoint, bound + 1));
            const lagEvents = await within(timeoutMs, () => counted.get(p.checkpoint)!);
            each[p.name] = { state: p.state, lagEvents };
            if (lagEvents > bound) behind.push(p.name);
          }
          const details = { maxLagEvents: bound, projections: each };
          return behind.length === 0 ? session.up(details) : session.down({ ...details, message: `more than ${bound} events behind the log: ${behind.join(', ')}` });
        } catch (err) {
          return session.down({ message: describeFailure(err) });
        }
      },
      async () => {
        const session = this.indicator.check('workflow');
        try {
          const pm = await within(timeoutMs, () => this.processManager.status());
          const lagEvents = await within(timeoutMs, () => eventsAfter(this.events, pm.checkpoint, bound + 1));
          const details = { state: pm.state, lagEvents, maxLagEvents: bound, parkedSteps: pm.parked.length, retrying: pm.retrying ? `${pm.retrying.type}@${pm.retrying.position}` : null };
          if (lagEvents > bound) return session.down({ ...details, message: `the process manager is more than ${bound} events behind the log` });
          if (pm.parked.length > 0 && this.config.readyParkedSteps === 'fail') {
            return session.down({ ...details, message: `${pm.parked.length} workflow step(s) parked (ar process status; ar process retry once fixed)` });
          }
          return session.up(details);
        } catch (err) {
          return session.down({ message: describeFailure(err) });
        }
      },
    ];
    for (const [name, check] of this.readiness.list()) {
      checks.push(async () => {
        const session = this.indicator.check(name);
        try {
          const r = await within(timeoutMs, async () => check());
          return r.up ? session.up(r.details ?? {}) : session.down(r.details ?? {});
        } catch (err) {
          return session.down({ message: describeFailure(err) });
        }
      });
    }
    return checks;
  }

  /** Terminus answers 503 by throwing: the body keeps its shape and gains the error JSON's `code` and `message`. */
  private async run(res: Response, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult | Record<string, unknown>> {
    try {
      return await this.health.check(checks);
    } catch (err) {
      const body = (err as { getResponse?: () => unknown }).getResponse?.() as HealthCheckResult | undefined;
      if (!body || typeof body !== 'object' || !('status' in body)) throw err;
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      res.setHeader('Cache-Control', 'no-store');
      return { code: 'NOT_READY', message: `Not ready: ${Object.keys(body.error ?? {}).join(', ')}`, ...body };
    }
  }
}
