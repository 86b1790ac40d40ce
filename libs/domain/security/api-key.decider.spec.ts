import { given } from '../shared/testing';
import { apiKeyDecider } from './api-key.decider';
import type { ApiKeyCreated } from './api-key.events';

const created: ApiKeyCreated = { type: 'ApiKeyCreated', data: { keyId: 'k1', name: 'billing-app', role: 'clerk', actOnBehalf: false, via: 'http' } };

describe('API key decider (security facts)', () => {
  it('records a creation once', () => {
    given(apiKeyDecider, []).when({ type: 'RecordApiKeyCreated', key: created.data }).then([created]);
    given(apiKeyDecider, [created]).when({ type: 'RecordApiKeyCreated', key: created.data }).thenThrows('API_KEY_ALREADY_EXISTS', { kind: 'conflict' });
  });

  it('revokes an active key, names it, and records a second revocation as nothing', () => {
    const revoked = { type: 'ApiKeyRevoked' as const, data: { keyId: 'k1', name: 'billing-app', via: 'cli' as const } };
    given(apiKeyDecider, [created]).when({ type: 'RevokeApiKey', keyId: 'k1', via: 'cli' }).then([revoked]);
    given(apiKeyDecider, [created, revoked]).when({ type: 'RevokeApiKey', keyId: 'k1', via: 'http' }).then([]);
    given(apiKeyDecider, []).when({ type: 'RevokeApiKey', keyId: 'k1', via: 'http' }).thenThrows('API_KEY_NOT_FOUND', { kind: 'not_found' });
  });
});
