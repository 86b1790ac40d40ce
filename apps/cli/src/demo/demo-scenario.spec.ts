import { demoScenario, DEMO_DEFAULTS } from './demo-scenario';

describe('demo scenario', () => {
  it('is reproducible: the same options give the same steps, another seed other ones', () => {
    expect(JSON.stringify(demoScenario(DEMO_DEFAULTS))).toBe(JSON.stringify(demoScenario({ ...DEMO_DEFAULTS })));
    expect(JSON.stringify(demoScenario({ ...DEMO_DEFAULTS, seed: 43 }))).not.toBe(JSON.stringify(demoScenario(DEMO_DEFAULTS)));
  });

  it('runs in business-date order, registers each customer before its other steps, and covers every payer profile', () => {
    const steps = demoScenario({ customers: 5, months: 4, seed: 1, start: '2026-01-01' });
    expect(steps.map((s) => s.on)).toEqual([...steps.map((s) => s.on)].sort());
    const registers = steps.filter((s) => s.kind === 'register');
    expect(registers).toHaveLength(5);
    expect(new Set(registers.map((r) => (r.kind === 'register' ? r.profile : null)))).toEqual(new Set(['prompt', 'slow', 'partial', 'struggling']));
    for (const r of registers) expect(steps.findIndex((s) => s.customerId === r.customerId)).toBe(steps.indexOf(r));
    // Every payment is for an invoice issued before it, and nothing is dated after the period.
    const issuedOn = new Map(steps.flatMap((s) => (s.kind === 'invoice' ? [[s.invoiceId, s.on] as const] : [])));
    for (const s of steps) {
      if (s.kind === 'payment') expect(s.on >= (issuedOn.get(s.invoiceId) ?? '9999')).toBe(true);
      expect(s.on < '2026-05-01').toBe(true);
    }
    expect(steps.some((s) => s.kind === 'change-limit')).toBe(true);
    expect(steps.some((s) => s.kind === 'payment' && s.share < 1)).toBe(true);
    expect(steps.some((s) => s.kind === 'payment' && s.extra !== undefined)).toBe(true);
  });

  it('covers collections: terms (2/10 net 30 for prompt payers), disputes both ways, credit notes, write-offs, a reversal, month-end dunning', () => {
    const steps = demoScenario(DEMO_DEFAULTS);
    const kinds = new Set(steps.map((s) => s.kind));
    for (const k of ['terms', 'dispute', 'resolve-dispute', 'credit-note', 'write-off', 'reversal', 'dunning'] as const) expect({ k, present: kinds.has(k) }).toEqual({ k, present: true });
    const registers = new Map(steps.flatMap((s) => (s.kind === 'register' ? [[s.customerId, s.profile] as const] : [])));
    for (const s of steps) if (s.kind === 'terms' && s.terms === '2/10 net 30') expect(registers.get(s.customerId)).toBe('prompt');
    expect(steps.some((s) => s.kind === 'payment' && s.earlyDiscountBp === 200)).toBe(true);
    expect(new Set(steps.flatMap((s) => (s.kind === 'resolve-dispute' ? [s.outcome] : [])))).toEqual(new Set(['accepted', 'rejected']));
    // A dispute is resolved after it is opened; a reversal follows its payment; dunning runs on each month's last day.
    const at = (pred: (s: (typeof steps)[number]) => boolean) => steps.findIndex(pred);
    for (const s of steps) {
      if (s.kind === 'resolve-dispute') expect(at((x) => x.kind === 'dispute' && x.disputeId === s.disputeId)).toBeLessThan(steps.indexOf(s));
      if (s.kind === 'reversal') expect(at((x) => x.kind === 'payment' && x.paymentId === s.paymentId)).toBeLessThan(steps.indexOf(s));
    }
    expect(steps.filter((s) => s.kind === 'dunning').map((s) => s.on)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30']);
  });
});
