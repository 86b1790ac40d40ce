/**
 * Who asks, when, and under which ids: everything a command needs that is not its payload.
 * Built at the edge (HTTP, CLI) so that handlers, deciders and projections never read the clock.
 */
export interface CommandContext {
  actor: string;
  /** Instant the command was received, ISO-8601 UTC. */
  recordedAt: string;
  /** Stable id of this command: the Idempotency-Key when given, so a retry is recognised. */
  commandId: string;
  correlationId: string;
  causationId: string;
}

/** Context for a follow-on command caused by an event (process manager). */
export function causedBy(parent: Pick<CommandContext, 'actor' | 'correlationId' | 'recordedAt'>, eventId: string, commandId: string): CommandContext {
  return { actor: parent.actor, recordedAt: parent.recordedAt, correlationId: parent.correlationId, causationId: eventId, commandId };
}
