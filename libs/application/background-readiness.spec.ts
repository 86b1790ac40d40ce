import type { FollowHealth } from '../projection-runtime/resilient-subscription';
import { backgroundReadiness } from './workflow-health';

const at = '2026-03-01T10:00:00.000Z';
const live: FollowHealth = { state: 'live', failures: 0, lastError: null, since: at };
const catching: FollowHealth = { state: 'catching_up', failures: 0, lastError: null, since: at };
const retrying: FollowHealth = { state: 'retrying', failures: 3, lastError: 'UnavailableError unavailable', since: at };

describe('readiness of the background work (ADR 0061, ADR 0063)', () => {
  it('the active instance is ready while its subscriptions are live or catching up, not while one retries', () => {
    expect(backgroundReadiness('active', live, catching)).toEqual({ ready: true, reasons: [], role: 'active' });
    expect(backgroundReadiness('active', retrying, live)).toEqual({
      ready: false, role: 'active', reasons: ['projector subscription retrying (3 failure(s)): UnavailableError unavailable'],
    });
    expect(backgroundReadiness('unleased', live, null)).toMatchObject({ ready: false, reasons: ['process manager subscription not running'] });
  });

  it('a standby instance, or one that does not project, is ready: it serves what the holder projects', () => {
    expect(backgroundReadiness('standby', null, null)).toEqual({ ready: true, reasons: [], role: 'standby' });
    expect(backgroundReadiness('off', null, null)).toEqual({ ready: true, reasons: [], role: 'off' });
  });
});
