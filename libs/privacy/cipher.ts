import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Sealed personal fields: AES-256-GCM (NIST SP 800-38D) with the customer's 256-bit data key, a random 96-bit IV
 * per value and a 128-bit tag. The customer id is both in the clear prefix (so a reader knows which key opens it)
 * and the additional authenticated data (so a value moved to another customer's event fails to open).
 *
 *   pii:1:<customerId>:<base64url(iv ‖ ciphertext ‖ tag)>
 *
 * The plaintext is the JSON of the value, so strings, lists and objects seal alike.
 */
export const SEALED_PREFIX = 'pii:1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

export class CipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CipherError';
  }
}

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

/** The customer whose key opens a sealed value. */
export function sealedFor(sealed: string): string {
  const end = sealed.indexOf(':', SEALED_PREFIX.length);
  if (!isSealed(sealed) || end < 0) throw new CipherError('not a sealed value');
  return sealed.slice(SEALED_PREFIX.length, end);
}

const aad = (customerId: string) => Buffer.from(`${SEALED_PREFIX}${customerId}`, 'utf8');

export function seal(key: Buffer, customerId: string, value: unknown): string {
  if (key.length !== DATA_KEY_BYTES) throw new CipherError(`a data key is ${DATA_KEY_BYTES} bytes`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(customerId));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `${SEALED_PREFIX}${customerId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** Throws CipherError when the key is not the one it was sealed with or a byte of it changed (GCM tag). */
export function open<T = unknown>(key: Buffer, sealed: string): T {
  const customerId = sealedFor(sealed);
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length + customerId.length + 1), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new CipherError('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(customerId));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    const clear = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(clear.toString('utf8')) as T;
  } catch {
    throw new CipherError(`sealed value of ${customerId} does not open: wrong key or altered ciphertext`);
  }
}
