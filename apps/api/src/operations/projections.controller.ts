import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProcessManager } from '../../../../libs/application/process-manager';
import { Projector } from '../../../../libs/projection-runtime/projector';
import { Requires } from '../auth/requires.decorator';

@ApiTags('operations')
@Controller('projections')
export class ProjectionsController {
  constructor(private readonly projector: Projector, private readonly processManager: ProcessManager) {}

  @Get()
  @Requires('projections:read')
  @ApiOperation({ summary: 'Each projection’s version, live collection, checkpoint, lag behind the log and last error; the process manager’s last error' })
  async status() {
    return {
      projections: await this.projector.status(),
      processManager: { lastError: this.processManager.lastError },
    };
  }
}
