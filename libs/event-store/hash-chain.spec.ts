import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { StoredEvent } from './event-store.port';
import { canonicalJson, chainEvents, eventHash, GENESIS_HASH, UnhashedEvent, verifyChain } from './hash-chain';

const STREAM = 'invoice-INV-2024-0042';

function unhashed(n: number): UnhashedEvent {
  return {
    id: `evt-${n}`,
    type: n === 0 ? 'InvoiceIssued' : 'PaymentAllocated',
    data: { invoiceId: 'INV-2024-0042', amount: { minor: 1000 * (n + 1), currency: 'EUR' }, lines: [n, n + 1] },
    metadata: {
      actor: 'clerk@example.test',
      recordedAt: `2024-03-0${n + 1}T10:00:00.000Z`,
      commandId: `cmd-${n}`,
      correlationId: 'corr-1',
      causationId: `cmd-${n}`,
      schemaVersion: 1,
    },
  };
}

/** A stream of `count` events, stored in two appends, as a store would return it. */
function storedStream(count = 5): StoredEvent[] {
  const first = chainEvents(STREAM, null, [0, 1].map(unhashed));
  const last = first[first.length - 1];
  const rest = chainEvents(STREAM, { revision: 1, hash: last.metadata.hash }, Array.from({ length: count - 2 }, (_, i) => unhashed(i + 2)));
  return [...first, ...rest].map((e, revision) => ({ ...e, streamId: STREAM, revision, position: 10 + revision * 3 }));
}

describe('hash chain', () => {
  it('chains every event to the previous one of its stream, from the genesis hash', () => {
    const events = storedStream();
    expect(events[0].metadata.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i].metadata.prevHash).toBe(events[i - 1].metadata.hash);
    expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.metadata.hash))).toBe(true);
    expect(verifyChain(events)).toBeNull();
    expect(verifyChain([])).toBeNull();
  });

  it('does not depend on key order (canonical JSON), so a JSON round trip still verifies', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    const roundTripped = JSON.parse(JSON.stringify(storedStream())) as StoredEvent[];
    const reordered = roundTripped.map((e) => ({ ...e, data: Object.fromEntries(Object.entries(e.data).reverse()) }));
    expect(verifyChain(reordered)).toBeNull();
  });

  it('canonical JSON is byte-for-byte the original definition (so recorded hashes still verify), and the hash its sha-256', () => {
    // The definition every recorded hash was computed with.
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value);
      if (Array.isArray(value)) return '[' + value.map(reference).join(',') + ']';
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + reference(obj[k])).join(',') + '}';
    };
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    // eslint-disable-next-line no-console
    console.log(`canonical JSON property seed ${seed}`);
    const values = fc.oneof(fc.jsonValue(), fc.anything({ withNullPrototype: false, withBigInt: false, withMap: false, withSet: false }));
    fc.assert(
      fc.property(values, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { seed, numRuns: 500 },
    );
    const [event] = storedStream(2);
    const { hash: stored, ...meta } = event.metadata;
    const text = reference({ streamId: STREAM, revision: 0, id: event.id, type: event.type, data: event.data, metadata: meta });
    expect(eventHash(STREAM, 0, event)).toBe(createHash('sha256').update(text).digest('hex'));
    expect(stored).toBe(eventHash(STREAM, 0, event));
  });

  it('detects tampered data at the tampered revision', () => {
    const events = storedStream();
    events[2] = { ...events[2], data: { ...events[2].data, amount: { minor: 1, currency: 'EUR' } } };
    expect(verifyChain(events)).toEqual({ streamId: STREAM, revision: 2, reason: 'hash_mismatch' });
  });

  it.each(['actor', 'recordedAt', 'commandId', 'schemaVersion'] as const)('detects tampered metadata (%s)', (field) => {
    const events = storedStream();
    events[3] = { ...events[3], metadata: { ...events[3].metadata, [field]: field === 'schemaVersion' ? 2 : 'forged' } };
    expect(verifyChain(events)).toEqual({ streamId: STREAM, revision: 3, reason: 'hash_mismatch' });
  });

  it('detects a changed type or id', () => {
    const typed = storedStream();
    typed[1] = { ...typed[1], type: 'InvoiceVoided' };
    expect(verifyChain(typed)).toEqual({ streamId: STREAM, revision: 1, reason: 'hash_mismatch' });
    const renamed = storedStream();
    renamed[4] = { ...renamed[4], id: 'evt-forged' };
    expect(verifyChain(renamed)).toEqual({ streamId: STREAM, revision: 4, reason: 'hash_mismatch' });
  });

  it('detects an event rewritten with a recomputed hash at the next revision', () => {
    const events = storedStream();
    const forged = { ...events[1], data: { ...events[1].data, amount: { minor: 1, currency: 'EUR' } } };
    forged.metadata = { ...forged.metadata, hash: eventHash(STREAM, 1, forged) };
    events[1] = forged;
    expect(verifyChain(events)).toEqual({ streamId: STREAM, revision: 2, reason: 'prev_hash_mismatch' });
  });

  it('detects swapped events, whether or not their revisions were renumbered', () => {
    const swapped = storedStream();
    [swapped[2], swapped[3]] = [swapped[3], swapped[2]];
    expect(verifyChain(swapped)).toEqual({ streamId: STREAM, revision: 3, reason: 'revision_gap' });
    const renumbered = swapped.map((e, revision) => ({ ...e, revision }));
    expect(verifyChain(renumbered)).toEqual({ streamId: STREAM, revision: 2, reason: 'prev_hash_mismatch' });
  });

  it('detects a removed event, and a stream whose first event is missing', () => {
    const removed = storedStream();
    removed.splice(2, 1);
    expect(verifyChain(removed)).toEqual({ streamId: STREAM, revision: 3, reason: 'revision_gap' });
    const renumbered = removed.map((e, revision) => ({ ...e, revision }));
    expect(verifyChain(renumbered)).toEqual({ streamId: STREAM, revision: 2, reason: 'prev_hash_mismatch' });
    expect(verifyChain(storedStream().slice(1))).toEqual({ streamId: STREAM, revision: 1, reason: 'revision_gap' });
  });

  it('detects an event moved to another stream', () => {
    const events = storedStream().map((e) => ({ ...e, streamId: 'invoice-INV-2024-0043' }));
    expect(verifyChain(events)).toEqual({ streamId: 'invoice-INV-2024-0043', revision: 0, reason: 'hash_mismatch' });
  });
});
