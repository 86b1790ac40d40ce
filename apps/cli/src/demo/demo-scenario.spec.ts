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
});
