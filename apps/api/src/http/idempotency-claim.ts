/**
 * The claim a write holds on its Idempotency-Key while it runs (ADR 0044, 0098): set by the IdempotencyGuard,
 * released by the error filter when the write fails. Its own module: the filter must not depend on the guard's
 * (which depends on the edge, which depends on the filter's types).
 */
const CLAIM = Symbol('idempotency claim');
type ClaimedRequest = { [CLAIM]?: () => void };

/** What to do if the request's write fails (free the key, or mark a retry failed). */
export function holdIdempotencyClaim(req: object, onFailure: () => void): void {
  (req as ClaimedRequest)[CLAIM] = onFailure;
}

/**
 * The error filter calls this before it answers: a write that failed (validation, a domain refusal, a store error)
 * wrote nothing, so the key it claimed is free again (no-op for a request that claimed nothing).
 */
export function releaseIdempotencyClaim(req: object | undefined): void {
  const release = (req as ClaimedRequest | undefined)?.[CLAIM];
  if (release === undefined) return;
  delete (req as ClaimedRequest)[CLAIM];
  release();
}
