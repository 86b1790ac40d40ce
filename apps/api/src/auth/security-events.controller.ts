import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeys } from '../../../../libs/identity/api-keys';
import { Requires } from './requires.decorator';
import { ApiRead } from '../http/api-contract';

/** The auditor's view of the security facts: who was given which key and role, when, by whom, and revocations. */
@ApiTags('audit')
@Controller('security/events')
export class SecurityEventsController {
  constructor(private readonly keys: ApiKeys) {}

  @Get()
  @ApiRead({ freshness: false })
  @Requires('audit:read')
  @ApiOperation({ summary: 'Every ApiKeyCreated / ApiKeyRevoked fact from the log, in log order, with metadata and hashes (never a key or its hash)' })
  async list() {
    const events = await this.keys.securityEvents();
    return { events: events.map((e) => ({ position: e.position, streamId: e.streamId, revision: e.revision, id: e.id, type: e.type, data: e.data, metadata: e.metadata })) };
  }
}
