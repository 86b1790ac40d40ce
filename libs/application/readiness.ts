/**
 * What an extra readiness check answers: `up` false takes this instance out of rotation (`GET /health/ready`
 * answers 503); `details` are shown under the check's name either way.
 */
export interface ReadinessResult {
  up: boolean;
  details?: Record<string, unknown>;
}

export type ReadinessCheck = () => Promise<ReadinessResult> | ReadinessResult;

/**
 * The pluggable part of readiness (ADR 0065): a component whose state decides whether this instance may serve —
 * the projector lease, a subscription that keeps failing — registers a named check here, and `GET /health/ready`
 * runs every registered check beside the built-in ones (stores, projection lag, workflow). Provided once per
 * application by the ApplicationModule.
 */
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds (or replaces) the check of that name; returns a function that removes it. */
  register(name: string, check: ReadinessCheck): () => void {
    if (!/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/.test(name)) throw new Error(`Readiness check name must be an identifier, got "${name}"`);
    this.checks.set(name, check);
    return () => {
      if (this.checks.get(name) === check) this.checks.delete(name);
    };
  }

  list(): Array<[string, ReadinessCheck]> {
    return [...this.checks.entries()];
  }
}
