import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AppMetrics } from '../../../../libs/application/metrics';
import { Requires } from '../auth/requires.decorator';
import { ApiRead } from '../http/api-contract';

/**
 * Prometheus metrics (ADR 0045, ADR 0065): HTTP latency by route template and status, commands by type and
 * outcome, append latency, and the background work read at scrape time (projection states, lag in events and in
 * seconds, rebuild progress, subscription states, parked and retried workflow steps). docs/operations.md names them.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly appMetrics: AppMetrics) {}

  @Get()
  @ApiRead({ freshness: false })
  @Requires('projections:read')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics: HTTP latency, commands, append latency, projection states and lags, rebuilds, subscriptions, workflow steps' })
  metrics(): Promise<string> {
    return this.appMetrics.metrics();
  }
}
