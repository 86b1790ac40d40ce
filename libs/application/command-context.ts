/**
 * Who asks, when, and under which ids: everything a command needs that is not its payload.
 * Built at the edge (HTTP, CLI) so that handlers, deciders and projections never read the clock.
 */
export interface CommandContext {
  /** The authenticated principal's name (API key name, token subject, local operator, or a system process). */
  actor: string;
  /** The principal's stable id (`key:<id>`, `oidc:<sub>`, `local:<user>@<host>`); absent for system processes. */
  actorId?: string;
  /** The person a service account acts for (X-Actor, only with the act_on_behalf permission). */
  onBehalfOf?: string;
  /** Instant the command was received, ISO-8601 UTC. */
  recordedAt: string;
  /** Stable id of this command: the Idempotency-Key when given, so a retry is recognised. */
  commandId: string;
  correlationId: string;
  causationId: string;
}

/**
 * Who is answerable for a command's decision: the person a service account acts for, else the principal.
 * What four-eyes rules compare (submitter ≠ approver, requester ≠ approver).
 */
export function responsible(ctx: Pick<CommandContext, 'actor' | 'onBehalfOf'>): string {
  return ctx.onBehalfOf ?? ctx.actor;
}

/** The identity fields of a context (or of an event's metadata), to carry over to a follow-on command. */
export function identityOf(parent: Pick<CommandContext, 'actor' | 'actorId' | 'onBehalfOf'>): Pick<CommandContext, 'actor' | 'actorId' | 'onBehalfOf'> {
  return {
    actor: parent.actor,
    ...(parent.actorId !== undefined ? { actorId: parent.actorId } : {}),
    ...(parent.onBehalfOf !== undefined ? { onBehalfOf: parent.onBehalfOf } : {}),
  };
}

/** Context for a follow-on command caused by an event (process manager): the same principal. */
export function causedBy(parent: Pick<CommandContext, 'actor' | 'actorId' | 'onBehalfOf' | 'correlationId' | 'recordedAt'>, eventId: string, commandId: string): CommandContext {
  return { ...identityOf(parent), recordedAt: parent.recordedAt, correlationId: parent.correlationId, causationId: eventId, commandId };
}
