import { assertNever, Decider } from '../shared/decider';
import { DomainError } from '../shared/errors';
import type { ApiKeyCreated, ApiKeyEvent } from './api-key.events';

export type ApiKeyState = { status: 'none' } | { status: 'active'; keyId: string; name: string } | { status: 'revoked'; keyId: string; name: string };

export type ApiKeyCommand =
  | { type: 'RecordApiKeyCreated'; key: ApiKeyCreated['data'] }
  | { type: 'RevokeApiKey'; keyId: string; via: 'http' | 'cli' };

/** The life of one API key as facts: created once, revoked at most once (a second revocation records nothing). */
export const apiKeyDecider: Decider<ApiKeyCommand, ApiKeyEvent, ApiKeyState> = {
  initialState: () => ({ status: 'none' }),
  evolve(state, event) {
    switch (event.type) {
      case 'ApiKeyCreated': return { status: 'active', keyId: event.data.keyId, name: event.data.name };
      case 'ApiKeyRevoked': return state.status === 'none' ? state : { status: 'revoked', keyId: state.keyId, name: state.name };
      default: return assertNever(event);
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'RecordApiKeyCreated':
        if (state.status !== 'none') throw new DomainError('API_KEY_ALREADY_EXISTS', `API key ${command.key.keyId} exists`, { keyId: command.key.keyId }, 'conflict');
        return [{ type: 'ApiKeyCreated', data: command.key }];
      case 'RevokeApiKey':
        if (state.status === 'none') throw new DomainError('API_KEY_NOT_FOUND', `No API key ${command.keyId}`, { keyId: command.keyId }, 'not_found');
        if (state.status === 'revoked') return [];
        return [{ type: 'ApiKeyRevoked', data: { keyId: state.keyId, name: state.name, via: command.via } }];
      default: return assertNever(command);
    }
  },
};
