import { ALL_PROJECTIONS } from '../../../projections';
import { shareOut } from './staged-rebuild';

const jobs = ALL_PROJECTIONS.map((projection) => ({ projection, collection: `${projection.name.replace(/-/g, '_')}_g2` }));
const names = (shares: ReturnType<typeof shareOut>) => shares.map((s) => s.map((j) => j.projection.name));

describe('shareOut: the staged rebuild\'s shares (ADR 0119)', () => {
  it('gives every projection to exactly one share, at most one share per worker, none empty', () => {
    for (const workers of [1, 2, 3, 5, 40]) {
      const shares = shareOut(jobs, workers);
      expect(shares.length).toBe(Math.min(workers, jobs.length));
      expect(shares.every((s) => s.length > 0)).toBe(true);
      expect(names(shares).flat().sort()).toEqual(ALL_PROJECTIONS.map((p) => p.name).sort());
    }
  });

  it('puts the costliest projections in different shares, longest first', () => {
    const [a, b] = names(shareOut(jobs, 2));
    // journal (7.9) then audit-trail (6.5) are the two heaviest: each opens a share.
    expect(a[0]).toBe('journal');
    expect(b[0]).toBe('audit-trail');
    expect(shareOut(jobs.slice(0, 1), 2)).toHaveLength(1);
  });
});
