import { jitteredBackoffMs } from './resilient-subscription';

describe('resubscription backoff with jitter', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 5_000 };

  it('scales the capped exponential delay into [½, 1) of it by the injected draw', () => {
    // Failure 3: 100 · 2² = 400 → 200 + 200 · r: r = 0 → 200, r = 0.5 → 300, r = 0.999 → 399.8 ≈ 400 (rounded).
    expect([0, 0.5, 0.999].map((r) => jitteredBackoffMs(policy, 3, () => r))).toEqual([200, 300, 400]);
    // Failure 20: capped at 5 000 → 2 500 + 2 500 · 0.2 = 3 000.
    expect(jitteredBackoffMs(policy, 20, () => 0.2)).toBe(3000);
  });

  it('keeps a draw outside [0, 1] within the bounds', () => {
    expect(jitteredBackoffMs(policy, 1, () => -3)).toBe(50);
    expect(jitteredBackoffMs(policy, 1, () => 7)).toBe(100);
  });
});
