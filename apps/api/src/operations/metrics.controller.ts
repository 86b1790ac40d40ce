import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Gauge, Registry } from 'prom-client';
import { ProcessManager } from '../../../../libs/application/process-manager';
import { Projector, type ProjectionState } from '../../../../libs/projection-runtime/projector';
import { Requires } from '../auth/requires.decorator';
import { ApiRead } from '../http/api-contract';

const PROJECTION_STATES: readonly ProjectionState[] = ['live', 'retrying', 'parked', 'stopped'];
const PROCESS_MANAGER_STATES = ['live', 'retrying', 'stopped'] as const;

/**
 * Prometheus metrics of the background work (ADR 0045): what `GET /projections` and `/projections/health` say,
 * as gauges read at scrape time, so an alert can fire on a parked step or a projection that stopped healing.
 * One registry per application instance (tests run several in one process).
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly registry = new Registry();

  constructor(projector: Projector, processManager: ProcessManager) {
    const registers = [this.registry];
    new Gauge({
      name: 'ar_projection_state', help: 'Projection state: 1 for the state it is in (live, retrying, parked, stopped), 0 for the others',
      labelNames: ['projection', 'state'], registers,
      async collect() {
        this.reset();
        for (const p of await projector.status()) for (const s of PROJECTION_STATES) this.set({ projection: p.name, state: s }, p.state === s ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ar_projection_lag_events', help: 'Events of the log the projection has not applied yet', labelNames: ['projection'], registers,
      async collect() {
        this.reset();
        for (const p of await projector.status()) this.set({ projection: p.name }, p.lag);
      },
    });
    new Gauge({
      name: 'ar_projection_failures', help: 'Consecutive failed attempts of a retrying projection (0 when live)', labelNames: ['projection'], registers,
      async collect() {
        this.reset();
        for (const p of await projector.status()) this.set({ projection: p.name }, p.failures);
      },
    });
    new Gauge({
      name: 'ar_process_manager_state', help: 'Process manager state: 1 for the state it is in (live, retrying, stopped)', labelNames: ['state'], registers,
      async collect() {
        const { state } = await processManager.status();
        for (const s of PROCESS_MANAGER_STATES) this.set({ state: s }, state === s ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ar_process_manager_lag_events', help: 'Events of the log the process manager has not handled yet', registers,
      async collect() { this.set((await processManager.status()).lag); },
    });
    new Gauge({
      name: 'ar_workflow_steps_parked', help: 'Workflow steps parked after failing for a non-transient reason (ar process status; ar process retry once fixed)', registers,
      async collect() { this.set((await processManager.status()).parked.length); },
    });
    new Gauge({
      name: 'ar_workflow_step_retry_attempts', help: 'Attempts of the workflow step being retried (0 when none is)', registers,
      async collect() { this.set((await processManager.status()).retrying?.attempts ?? 0); },
    });
  }

  @Get()
  @ApiRead({ freshness: false })
  @Requires('projections:read')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics: projection and process-manager states, lags, parked steps, retry attempts' })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
