import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { BackgroundWorkers } from '../../../../libs/application/application.module';
import { ProcessManager } from '../../../../libs/application/process-manager';
import { workflowHealth } from '../../../../libs/application/workflow-health';
import { Projector } from '../../../../libs/projection-runtime/projector';
import { Requires } from '../auth/requires.decorator';
import { ApiRead } from '../http/api-contract';

@ApiTags('operations')
@Controller('projections')
export class ProjectionsController {
  constructor(private readonly projector: Projector, private readonly processManager: ProcessManager, private readonly workers: BackgroundWorkers) {}

  @Get()
  @ApiRead({ freshness: false })
  @Requires('projections:read')
  @ApiOperation({ summary: 'Each projection’s state (live, retrying with the error, parked), version, live collection, checkpoint and lag; the process manager’s state, step being retried and parked steps' })
  async status() {
    return {
      projections: await this.projector.status(),
      processManager: await this.processManager.status(),
      // Each log subscription of this process: catching_up, live or retrying with the last error (null: not run here).
      subscriptions: { projector: this.projector.subscriptionHealth(), processManager: this.processManager.subscriptionHealth() },
      // active (this instance holds the lease and projects), standby (another does), unleased or off (ADR 0063).
      lease: this.workers.role(),
    };
  }

  @Requires('projections:read')
  @Get('health')
  @ApiRead({ freshness: false })
  @ApiOperation({ summary: 'ok, or degraded with the reasons: a projection retrying or parked, a workflow step retrying or parked (always 200: the API serves)' })
  async health() {
    return workflowHealth(await this.projector.status(), await this.processManager.status());
  }
}
