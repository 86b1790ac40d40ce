import { CipherError, isSealed, newDataKey, open, seal, sealedFor, SEALED_PREFIX } from './cipher';

describe('cipher: AES-256-GCM sealed personal fields (NIST SP 800-38D)', () => {
  const key = newDataKey();

  it('seals any JSON value so it opens with the same key; the clear text is not in the sealed string; two seals differ (random IV)', () => {
    const address = { lines: ['12 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' };
    const a = seal(key, 'c1', address);
    expect(a.startsWith(`${SEALED_PREFIX}c1:`)).toBe(true);
    expect(isSealed(a) && sealedFor(a)).toBe('c1');
    expect(a).not.toMatch(/Paix|Paris/);
    expect(open(key, a)).toEqual(address);
    expect(seal(key, 'c1', address)).not.toBe(a);
    expect(open(key, seal(key, 'c1', ['a@x.example']))).toEqual(['a@x.example']);
  });

  it('refuses the wrong key', () => {
    const sealed = seal(key, 'c1', 'Dupont SARL');
    expect(() => open(newDataKey(), sealed)).toThrow(CipherError);
  });

  it('refuses a tampered ciphertext (any flipped byte fails the tag) and a value moved to another customer (AAD)', () => {
    const sealed = seal(key, 'c1', 'Dupont SARL');
    const body = Buffer.from(sealed.slice(`${SEALED_PREFIX}c1:`.length), 'base64url');
    for (const i of [0, 12, body.length - 1]) {
      const bad = Buffer.from(body);
      bad[i] ^= 0x01;
      expect(() => open(key, `${SEALED_PREFIX}c1:${bad.toString('base64url')}`)).toThrow(CipherError);
    }
    expect(() => open(key, sealed.replace(`${SEALED_PREFIX}c1:`, `${SEALED_PREFIX}c2:`))).toThrow(CipherError);
    expect(() => open(key, `${SEALED_PREFIX}c1:AAAA`)).toThrow(CipherError);
  });

  it('refuses a key that is not 256 bits', () => {
    expect(() => seal(Buffer.alloc(16), 'c1', 'x')).toThrow(CipherError);
  });
});
