import type { RecordedEvent } from '@eventstore/db-client';
import { PositionBeyondNumberError, toPortPosition, toStoredEvent } from './eventstoredb-mapping';

/**
 * The client gives commit positions as bigints (byte offsets in the server's log). The port holds them as numbers
 * (ADR 0061 addendum): exact up to 2^53 − 1 = 9 007 199 254 740 991; beyond it the conversion throws, never rounds.
 */
describe('EventStoreDB commit positions into the port', () => {
  const recorded = (commit: bigint): RecordedEvent => ({
    streamId: 'invoice-i1', id: '0b6d1f3e-1c4b-4c5e-9a0e-6e3f8c1a2b3c', revision: 0n, type: 'InvoiceIssued', data: { invoiceId: 'i1' },
    metadata: { actor: 'test' }, isJson: true, created: new Date(0), position: { commit, prepare: commit },
  } as unknown as RecordedEvent);

  it('converts a position up to 2^53 − 1 exactly', () => {
    expect(toPortPosition(0n)).toBe(0);
    expect(toPortPosition(1_234_567_890_123n)).toBe(1_234_567_890_123);
    expect(toPortPosition(9_007_199_254_740_991n)).toBe(9_007_199_254_740_991);
    expect(toStoredEvent(recorded(9_007_199_254_740_991n))?.position).toBe(9_007_199_254_740_991);
  });

  it('throws a clear error for 2^53 and beyond instead of rounding (2^53 + 1 would become 2^53)', () => {
    expect(() => toPortPosition(9_007_199_254_740_992n)).toThrow(PositionBeyondNumberError);
    expect(() => toPortPosition(9_007_199_254_740_993n)).toThrow(/commit position 9007199254740993 is beyond 9007199254740991 \(2\^53 − 1\)/);
    // Still a valid server position (below 2^63): the event is not dropped as "unknown position", it is refused.
    expect(() => toStoredEvent(recorded(2n ** 62n))).toThrow(PositionBeyondNumberError);
  });
});
