import { DomainEvent } from '../shared/decider';

/**
 * Security facts an auditor reads in the log (stream `apikey-<keyId>`). They never carry the key nor its hash:
 * the log is exported and copied, and a hash of a key is enough to look the key up.
 */
export type ApiKeyCreated = DomainEvent<'ApiKeyCreated', {
  keyId: string;
  name: string;
  role: string;
  /** The key may name another user in X-Actor (recorded as `onBehalfOf`). */
  actOnBehalf: boolean;
  /** `http` (admin API), `cli` (ar keys create), `bootstrap` (AR_BOOTSTRAP_API_KEY or the generated first key). */
  via: 'http' | 'cli' | 'bootstrap';
}>;

export type ApiKeyRevoked = DomainEvent<'ApiKeyRevoked', {
  keyId: string;
  name: string;
  via: 'http' | 'cli';
}>;

export type ApiKeyEvent = ApiKeyCreated | ApiKeyRevoked;

export const SECURITY_SCHEMA_VERSIONS: Readonly<Record<ApiKeyEvent['type'], number>> = { ApiKeyCreated: 1, ApiKeyRevoked: 1 };
