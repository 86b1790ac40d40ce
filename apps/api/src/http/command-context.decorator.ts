import { BadRequestException, createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { deterministicUuid } from '../../../../libs/domain/shared/ids';
import type { CommandContext } from '../../../../libs/application/command-context';
import type { Principal } from '../../../../libs/identity/principal';

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
 * The command's context from the request: the actor is the authenticated principal (set by the AuthGuard);
 * `X-Actor` is ignored, except for a principal with `act_on_behalf`, where it names the user acted for
 * (`onBehalfOf`). The command id is the `Idempotency-Key` scoped by route and by principal (ADR 0041), so the
 * same key on the same route from the same principal is the same command, and another principal's is not.
 */
export const Command = createParamDecorator((_: unknown, ctx: ExecutionContext): HttpCommand => {
  const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
  const principal = req.principal;
  if (!principal) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: 'Authentication required', details: { field: 'Authorization', reason: 'missing' } });
  const key = header(req, 'idempotency-key');
  const onBehalfOf = principal.permissions.has('act_on_behalf') ? header(req, 'x-actor') : undefined;
  const route = `${req.method} ${req.route?.path ?? req.path}`;
  const commandId = key ? `${route}|${principal.id}|${key}|${Object.values(req.params ?? {}).join('|')}` : randomUUID();
  // The request id of the access line (X-Request-Id, else X-Correlation-Id, else generated: ADR 0066).
  const correlationId = header(req, 'x-correlation-id') ?? (typeof (req as { id?: unknown }).id === 'string' ? (req as unknown as { id: string }).id : commandId);
  return {
    actor: principal.name,
    actorId: principal.id,
    ...(onBehalfOf !== undefined ? { onBehalfOf } : {}),
    recordedAt: new Date().toISOString(),
    commandId,
    correlationId,
    causationId: commandId,
    newId: () => (key ? deterministicUuid(commandId) : randomUUID()),
  };
});
