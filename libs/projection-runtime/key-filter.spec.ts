import { KeyFilter } from './key-filter';

describe('KeyFilter (keys a rebuilt collection may hold, fixed memory)', () => {
  it('given keys added, when asked, then every one of them might be held (no false negatives)', () => {
    const filter = new KeyFilter(16);
    const keys = Array.from({ length: 5_000 }, (_, i) => `invoice-${i}:${(i * 7919) % 1000}`);
    for (const key of keys) filter.add(key);
    expect(keys.every((key) => filter.mightHold(key))).toBe(true);
  });

  it('given an empty filter, when asked about any key, then none is held', () => {
    const filter = new KeyFilter(10);
    expect(['', 'a', 'cust-1', 'é€'].some((key) => filter.mightHold(key))).toBe(false);
  });

  it('given 2^20 bits, 5 probes and 50,000 keys, then keys never added are rarely reported (≈ 0.04 % in theory; at most 1 % allowed)', () => {
    // Expected false-positive rate (1 - e^(-k·n/m))^k with k = 5, n = 50,000, m = 1,048,576: k·n/m = 0.2384,
    // 1 - e^-0.2384 = 0.2121, 0.2121^5 ≈ 0.00043, i.e. ~43 of the 100,000 keys never added; 1,000 allowed for a poor hash.
    const filter = new KeyFilter(20, 5);
    for (let i = 0; i < 50_000; i++) filter.add(`entry-${i}`);
    let positives = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mightHold(`other-${i}`)) positives++;
    expect(positives).toBeLessThan(1_000);
  });

  it('refuses a size it cannot allocate as whole 32-bit words', () => {
    expect(() => new KeyFilter(4)).toThrow(/bitsLog2/);
    expect(() => new KeyFilter(32)).toThrow(/bitsLog2/);
  });
});
