import { FailureLimiter } from './failure-limiter';

describe('FailureLimiter', () => {
  it('given 3 failures allowed per 60 s, refuses the 4th attempt until the oldest failure is 60 s old', () => {
    const limiter = new FailureLimiter(3, 60_000);
    for (const t of [0, 10_000, 20_000]) {
      expect(limiter.retryAfterMs('ip:1.2.3.4', t)).toBe(0);
      limiter.record('ip:1.2.3.4', t);
    }
    // 3 failures at 0, 10 s, 20 s: at 30 s the oldest leaves the window at 60 s → retry after 30 s.
    expect(limiter.retryAfterMs('ip:1.2.3.4', 30_000)).toBe(30_000);
    expect(limiter.retryAfterMs('ip:5.6.7.8', 30_000)).toBe(0);
    // At 60 s + 1 ms the failure at 0 is out of the window: 2 left, below the limit.
    expect(limiter.retryAfterMs('ip:1.2.3.4', 60_001)).toBe(0);
  });
});
