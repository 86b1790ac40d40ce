import type { ProjectionStatus } from '../projection-runtime/projector';
import type { FollowHealth } from '../projection-runtime/resilient-subscription';
import type { ProcessManagerStatus } from './process-manager';

/**
 * What health says about the background work (ADR 0045): `ok` when every projection is live and no workflow step is
 * parked or being retried; `degraded` otherwise, with the reasons. Degraded is not down: the API serves, reads may
 * be stale (the X-Read-Model-Consistency header says so) and no step is lost; an operator acts on parked steps.
 */
export interface WorkflowHealth {
  status: 'ok' | 'degraded';
  reasons: string[];
  projections: Array<{ name: string; state: ProjectionStatus['state']; lag: number; lastError: string | null }>;
  processManager: { state: ProcessManagerStatus['state']; lag: number; parked: number; retrying: string | null };
}

export function workflowHealth(projections: readonly ProjectionStatus[], pm: ProcessManagerStatus): WorkflowHealth {
  const reasons: string[] = [];
  for (const p of projections) {
    if (p.state === 'retrying' || p.state === 'parked') reasons.push(`projection ${p.name} is ${p.state}: ${p.lastError ?? 'no error recorded'}`);
  }
  if (pm.parked.length > 0) reasons.push(`${pm.parked.length} workflow step(s) parked (ar process status; ar process retry once fixed)`);
  if (pm.retrying) reasons.push(`workflow step ${pm.retrying.type}@${pm.retrying.position} retrying (attempt ${pm.retrying.attempts}): ${pm.retrying.error}`);
  return {
    status: reasons.length === 0 ? 'ok' : 'degraded',
    reasons,
    projections: projections.map((p) => ({ name: p.name, state: p.state, lag: p.lag, lastError: p.lastError })),
    processManager: { state: pm.state, lag: pm.lag, parked: pm.parked.length, retrying: pm.retrying ? `${pm.retrying.type}@${pm.retrying.position}: ${pm.retrying.error}` : null },
  };
}

/** What readiness (GET /health/ready, wired by the health module) reads of the background work (ADR 0061, ADR 0063). */
export interface BackgroundReadiness {
  ready: boolean;
  reasons: string[];
  role: string;
}

/**
 * Ready unless this instance runs the background work and one of its log subscriptions is retrying (the store
 * dropped it) or has not started. A standby instance (another holds the lease) and one with `AR_PROJECTOR=off`
 * are ready: they serve, reading what the holder projects. Catching up is ready too: reads wait for freshness.
 */
export function backgroundReadiness(role: string, projector: FollowHealth | null, processManager: FollowHealth | null): BackgroundReadiness {
  const reasons: string[] = [];
  if (role === 'active' || role === 'unleased') {
    for (const [name, health] of [['projector', projector], ['process manager', processManager]] as const) {
      if (!health) reasons.push(`${name} subscription not running`);
      else if (health.state === 'retrying') reasons.push(`${name} subscription retrying (${health.failures} failure(s)): ${health.lastError ?? 'no error recorded'}`);
      else if (health.state === 'stopped') reasons.push(`${name} subscription stopped`);
    }
  }
  return { ready: reasons.length === 0, reasons, role };
}
