import { checkDepth, inSequence, MAX_JSON_DEPTH, MAX_JSON_ITEMS } from './edge';
import { canonicalJson, requestFingerprint } from './idempotency';

describe('JSON depth check on the raw bytes', () => {
  const depthOk = (text: string) => { try { checkDepth(null, null, Buffer.from(text)); return true; } catch { return false; } };

  it('allows MAX_JSON_DEPTH levels of arrays and objects and refuses one more', () => {
    expect(MAX_JSON_DEPTH).toBe(20);
    expect(depthOk(`${'['.repeat(20)}${']'.repeat(20)}`)).toBe(true);
    expect(depthOk(`${'['.repeat(21)}${']'.repeat(21)}`)).toBe(false);
    expect(depthOk(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`)).toBe(true);
    expect(depthOk(`${'{"a":'.repeat(21)}1${'}'.repeat(21)}`)).toBe(false);
  });

  it('counts depth, not the number of brackets: siblings do not add up', () => {
    expect(depthOk(`[${'[1],'.repeat(999)}[1]]`)).toBe(true);
  });

  it('allows MAX_JSON_ITEMS elements per array and keys per object, counted per container, and refuses one more', () => {
    expect(MAX_JSON_ITEMS).toBe(1000);
    const array = (n: number) => `[${Array(n).fill('1').join(',')}]`;
    const object = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`;
    expect(depthOk(array(1000))).toBe(true);
    expect(depthOk(array(1001))).toBe(false);
    expect(depthOk(object(1000))).toBe(true);
    expect(depthOk(object(1001))).toBe(false);
    // Two sibling arrays of 1,000 each, and commas inside strings, do not add up.
    expect(depthOk(`{"a":${array(1000)},"b":${array(1000)},"c":"${','.repeat(5000)}"}`)).toBe(true);
  });

  it('ignores brackets inside strings, including after escaped quotes and backslashes', () => {
    expect(depthOk(JSON.stringify({ a: '['.repeat(100) }))).toBe(true);
    expect(depthOk(JSON.stringify({ a: `\\"${'{'.repeat(100)}` }))).toBe(true);
    expect(depthOk(JSON.stringify({ a: 'x\\', b: '['.repeat(100) }))).toBe(true);
  });
});

describe('request fingerprint', () => {
  it('is the same for the same JSON whatever the key order or whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }] })).toBe('{"a":[{"c":null,"d":"x"}],"b":1}');
    expect(requestFingerprint('POST', '/customers', JSON.parse('{ "b" : 1.0, "a": "x" }')))
      .toBe(requestFingerprint('post', '/customers', { a: 'x', b: 1 }));
  });

  it('differs by method, path, array order and value, and an absent body counts as {}', () => {
    const base = requestFingerprint('POST', '/invoices/a/approve', { reason: 'ok' });
    expect(requestFingerprint('PUT', '/invoices/a/approve', { reason: 'ok' })).not.toBe(base);
    expect(requestFingerprint('POST', '/invoices/b/approve', { reason: 'ok' })).not.toBe(base);
    expect(requestFingerprint('POST', '/invoices/a/approve', { reason: 'ok ' })).not.toBe(base);
    expect(requestFingerprint('POST', '/x', { l: [1, 2] })).not.toBe(requestFingerprint('POST', '/x', { l: [2, 1] }));
    // "10.00" and "10.0" are different strings: amounts are compared as sent, before validation.
    expect(requestFingerprint('POST', '/x', { amount: '10.00' })).not.toBe(requestFingerprint('POST', '/x', { amount: '10.0' }));
    expect(requestFingerprint('POST', '/x', undefined)).toBe(requestFingerprint('POST', '/x', {}));
  });
});

describe('inSequence (several middleware as one Express layer)', () => {
  const req = {} as never;
  const res = {} as never;
  it('runs every step in order, then the next layer', () => {
    const seen: string[] = [];
    const step = (name: string) => (_q: unknown, _s: unknown, next: (err?: unknown) => void) => { seen.push(name); next(); };
    inSequence(step('a'), step('b'), step('c'))(req, res, ((err?: unknown) => seen.push(`next:${String(err)}`)) as never);
    expect(seen).toEqual(['a', 'b', 'c', 'next:undefined']);
  });

  it('passes the first error on and skips the rest', () => {
    const seen: string[] = [];
    const failing = (_q: unknown, _s: unknown, next: (err?: unknown) => void) => { seen.push('fails'); next(new Error('refused')); };
    const after = (_q: unknown, _s: unknown, next: (err?: unknown) => void) => { seen.push('after'); next(); };
    inSequence(failing, after)(req, res, ((err?: unknown) => seen.push(`next:${(err as Error).message}`)) as never);
    expect(seen).toEqual(['fails', 'next:refused']);
  });
});
