import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { deterministicUuid } from '../../../../libs/domain/shared/ids';
import type { CommandContext } from '../../../../libs/application/command-context';

export interface HttpCommand extends CommandContext {
  /** The entity id to use when the body has none: derived from the Idempotency-Key, else random. */
  newId(): string;
}

const HEADER_VALUE = /^[\x21-\x7e]{1,200}$/;

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  if (v === undefined) return undefined;
  const s = Array.isArray(v) ? v[0] : v;
  if (!HEADER_VALUE.test(s)) {
    throw new BadRequestException({ code: 'HEADER_MALFORMED', message: `${name} must be 1–200 visible ASCII characters`, details: { field: name } });
  }
  return s;
}

/**
 * The command's context from the request: actor (X-Actor, default `anonymous`), the instant it arrived,
 * and its id: `Idempotency-Key` scoped by route, so the same key on the same route is the same command.
 */
export const Command = createParamDecorator((_: unknown, ctx: ExecutionContext): HttpCommand => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const key = header(req, 'idempotency-key');
  const actor = header(req, 'x-actor') ?? 'anonymous';
  const route = `${req.method} ${req.route?.path ?? req.path}`;
  const commandId = key ? `${route}|${key}|${Object.values(req.params ?? {}).join('|')}` : randomUUID();
  const correlationId = header(req, 'x-correlation-id') ?? commandId;
  return {
    actor,
    recordedAt: new Date().toISOString(),
    commandId,
    correlationId,
    causationId: commandId,
    newId: () => (key ? deterministicUuid(commandId) : randomUUID()),
  };
});
