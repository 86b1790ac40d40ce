import type { Response } from 'express';
import type { Freshness } from '../../../../libs/application/read-models';

/** Says whether the read models had caught up with every acknowledged write when the query ran. */
export function setFreshness(res: Response, f: Freshness): void {
  res.setHeader('X-Read-Model-Consistency', f.fresh ? 'fresh' : 'stale');
  res.setHeader('X-Log-Position', String(f.position));
}
