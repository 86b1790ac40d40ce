import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString } from 'class-validator';
import { ApiKeys } from '../../../../libs/identity/api-keys';
import type { ApiKeyRecord } from '../../../../libs/identity/key-store.port';
import { ROLES, type Role } from '../../../../libs/identity/permissions';
import { Command, type HttpCommand } from '../http/command-context.decorator';
import { Requires } from './requires.decorator';
import { ApiCommand, ApiRead } from '../http/api-contract';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'billing-app', description: 'Who uses the key: recorded as the actor of its events. Unique among active keys.' })
  @IsString()
  name!: string;

  @ApiProperty({ enum: ROLES, description: 'See docs/security.md for what each role may do' })
  @IsIn(ROLES as unknown as string[], { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({ default: false, description: 'A service account acting for named users: X-Actor is honoured and recorded as onBehalfOf' })
  @IsOptional() @IsBoolean()
  actOnBehalf?: boolean;
}

const view = (k: ApiKeyRecord) => ({
  id: k.id, name: k.name, role: k.role, actOnBehalf: k.actOnBehalf, createdAt: k.createdAt, createdBy: k.createdBy, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt,
});

@ApiTags('admin')
@Controller('admin/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeys) {}

  @Post()
  @ApiCommand()
  @HttpCode(201)
  @Requires('keys:manage')
  @ApiOperation({ summary: 'Create an API key: the key is in this answer only (stored as a hash); ApiKeyCreated is recorded in the log' })
  async create(@Body() dto: CreateApiKeyDto, @Command() cmd: HttpCommand) {
    const { record, key } = await this.keys.create(dto, 'http', cmd);
    return { ...view(record), key };
  }

  @Get()
  @ApiRead({ freshness: false })
  @Requires('keys:manage')
  @ApiOperation({ summary: 'List API keys (never the key): name, role, created, last used (to the minute), revoked' })
  async list() {
    return { keys: (await this.keys.list()).map(view) };
  }

  @Delete(':id')
  @ApiCommand({ status: 200, errors: { 404: ['API_KEY_NOT_FOUND'] } })
  @Requires('keys:manage')
  @ApiOperation({ summary: 'Revoke an API key: refused from the next request on; ApiKeyRevoked is recorded (revoking again records nothing)' })
  async revoke(@Param('id') id: string, @Command() cmd: HttpCommand) {
    return view(await this.keys.revoke(id, 'http', cmd));
  }
}
