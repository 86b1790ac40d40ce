import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { StoredEvent } from './event-store.port';
import { canonicalJson, chainEvents, ChainBreak, checkAnchors, eventHash, eventHashInput, GENESIS_HASH, StreamAnchor, UnhashedEvent, verifyChain, verifyChainsInLogOrder } from './hash-chain';

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
    // The hash input, written without building the envelope, is the canonical JSON of the envelope.
    const key = fc.oneof(fc.constantFrom('hash', 'prevHash', 'actor', '__proto__', '10', '9', 'a"b', 'é', '\ud800'), fc.string());
    const metadataArb = fc.dictionary(key, fc.oneof(fc.jsonValue(), fc.constant(undefined)));
    const eventArb = fc.record({
      streamId: fc.string(),
      revision: fc.oneof(fc.nat(), fc.double()),
      id: fc.string(),
      type: fc.string(),
      data: fc.oneof(fc.dictionary(key, fc.jsonValue()), fc.jsonValue(), fc.anything({ withBigInt: false, withMap: false, withSet: false })),
      metadata: metadataArb,
    });
    fc.assert(
      fc.property(eventArb, ({ streamId, revision, ...e }) => {
        const { hash: _h, ...meta } = e.metadata as Record<string, unknown>;
        const event = e as unknown as StoredEvent;
        expect(eventHashInput(streamId, revision, event)).toBe(reference({ streamId, revision, id: e.id, type: e.type, data: e.data, metadata: meta }));
      }),
      { seed, numRuns: 500 },
    );
    // Metadata of the shape chainEvents writes (its fast path), with any strings, and slightly off shapes.
    const anyText = fc.oneof(fc.string(), fc.constantFrom('a"b', 'x\\y', '\u0001', '\ud800', '\ud83d\ude00', '\u2028'));
    const knownMetadata = fc.record({
      actor: anyText, recordedAt: anyText, commandId: anyText, correlationId: anyText, causationId: anyText,
      schemaVersion: fc.oneof(fc.integer(), fc.double()), prevHash: anyText, hash: fc.option(anyText, { nil: undefined }),
    }).chain((m) => fc.constantFrom(
      m as Record<string, unknown>,
      { ...m, hash: undefined },
      (({ hash: _x, ...rest }) => rest)(m),
      { ...m, extra: 1 },
      Object.fromEntries([['schemaVersion', m.schemaVersion], ...Object.entries(m).filter(([k]) => k !== 'schemaVersion')]),
      // The principal's id and the user acted for (ADR 0041), right after actor; and out of place, or not strings.
      (({ actor, ...rest }) => ({ actor, actorId: m.commandId, ...rest }))(m),
      (({ actor, ...rest }) => ({ actor, actorId: m.commandId, onBehalfOf: m.prevHash, ...rest }))(m),
      (({ actor, ...rest }) => ({ actor, onBehalfOf: m.prevHash, ...rest }))(m),
      (({ actor, ...rest }) => ({ actor, actorId: 7, ...rest }))(m),
      { ...m, actorId: m.commandId },
    ));
    fc.assert(
      fc.property(fc.string(), fc.nat(), fc.dictionary(key, fc.jsonValue()), knownMetadata, (streamId, revision, data, metadata) => {
        const { hash: _h, ...meta } = metadata;
        const event = { id: 'e', type: 't', data, metadata } as unknown as StoredEvent;
        expect(eventHashInput(streamId, revision, event)).toBe(reference({ streamId, revision, id: 'e', type: 't', data, metadata: meta }));
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

  describe('several streams in one pass over the log (verifyChainsInLogOrder)', () => {
    /** Streams of 1-6 events each, interleaved at random into one log with increasing positions. */
    function interleavedLog(rng: () => number, streams: number): StoredEvent[] {
      const pending = Array.from({ length: streams }, (_, s) => {
        const id = `invoice-S${s}`;
        const events = chainEvents(id, null, Array.from({ length: 1 + Math.floor(rng() * 6) }, (_, n) => unhashed(n)));
        return events.map((e, revision) => ({ ...e, streamId: id, revision, position: 0 }));
      });
      const log: StoredEvent[] = [];
      while (pending.some((p) => p.length > 0)) {
        const open = pending.filter((p) => p.length > 0);
        const next = open[Math.floor(rng() * open.length)].shift()!;
        log.push({ ...next, position: 1 + log.length * 2 });
      }
      return log;
    }

    /** The definition it replaces: verifyChain per stream, then the break with the smallest position. */
    function perStreamFirstBreak(log: readonly StoredEvent[]): (ChainBreak & { position: number }) | null {
      const byStream = new Map<string, StoredEvent[]>();
      for (const e of log) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
      let first: (ChainBreak & { position: number }) | null = null;
      for (const events of byStream.values()) {
        const broken = verifyChain(events);
        if (broken === null) continue;
        const position = events.find((e) => e.revision === broken.revision)!.position;
        if (first === null || position < first.position) first = { ...broken, position };
      }
      return first;
    }

    it('verifies interleaved streams, and reports the broken link earliest in the log', () => {
      let x = 7;
      const rng = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const log = interleavedLog(rng, 12);
      expect(verifyChainsInLogOrder(log)).toBeNull();
      expect(verifyChainsInLogOrder([])).toBeNull();
      const tampered = [...log];
      const late = tampered.length - 2;
      const early = tampered.findIndex((e) => e.streamId !== tampered[late].streamId && e.revision > 0);
      for (const i of [late, early]) tampered[i] = { ...tampered[i], data: { ...tampered[i].data, forged: true } };
      expect(verifyChainsInLogOrder(tampered)).toEqual({ streamId: log[early].streamId, revision: log[early].revision, reason: 'hash_mismatch', position: log[early].position });
      // A stream whose first event is gone.
      const headless = log.filter((e) => !(e.streamId === 'invoice-S3' && e.revision === 0));
      const s3 = headless.find((e) => e.streamId === 'invoice-S3');
      expect(verifyChainsInLogOrder(headless)).toEqual(s3 ? { streamId: 'invoice-S3', revision: 1, reason: 'revision_gap', position: s3.position } : null);
    });

    it('finds the same first broken link as verifying stream by stream (random logs and tamperings)', () => {
      const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
      // eslint-disable-next-line no-console
      console.log(`log-order verification property seed ${seed}`);
      const tamper = fc.record({ at: fc.nat(), kind: fc.constantFrom('data', 'metadata', 'remove', 'rehash', 'prevHash', 'type') });
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(tamper, { maxLength: 3 }), (streams, rngSeed, tamperings) => {
          let x = rngSeed;
          const rng = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
          let log = interleavedLog(rng, streams);
          for (const { at, kind } of tamperings) {
            if (log.length === 0) break;
            const i = at % log.length;
            const e = log[i];
            if (kind === 'remove') log = log.filter((_, j) => j !== i);
            else if (kind === 'data') log[i] = { ...e, data: { ...e.data, forged: at } };
            else if (kind === 'type') log[i] = { ...e, type: 'InvoiceVoided' };
            else if (kind === 'prevHash') log[i] = { ...e, metadata: { ...e.metadata, prevHash: GENESIS_HASH.replace(/^0/, '1') } };
            else if (kind === 'metadata') log[i] = { ...e, metadata: { ...e.metadata, actor: 'forger' } };
            else {
              const forged = { ...e, data: { ...e.data, forged: at } };
              log[i] = { ...forged, metadata: { ...forged.metadata, hash: eventHash(e.streamId, e.revision, forged) } };
            }
          }
          expect(verifyChainsInLogOrder(log)).toEqual(perStreamFirstBreak(log));
        }),
        { seed, numRuns: 300 },
      );
    });
  });
});

describe('stream anchors (what was projected, recorded outside the stream)', () => {
  const stream = storedStream(5);
  const anchorAt = (revision: number): StreamAnchor => ({
    streamId: STREAM, firstPosition: stream[0].position, lastRevision: revision, lastHash: stream[revision].metadata.hash, lastPosition: stream[revision].position,
  });

  it('accepts the stream as anchored, and events appended after the anchor was recorded', () => {
    expect(checkAnchors(stream, [anchorAt(4)])).toBeNull();
    expect(checkAnchors(stream, [anchorAt(2)])).toBeNull();
  });

  it('reports a stream cut short at its first missing revision, whose chain alone still verifies', () => {
    const cut = stream.slice(0, 3);
    expect(verifyChain(cut)).toBeNull();
    expect(checkAnchors(cut, [anchorAt(4)])).toEqual({ streamId: STREAM, revision: 3, reason: 'truncated', position: null });
  });

  it('reports a stream deleted whole at its first position', () => {
    expect(checkAnchors([], [anchorAt(4)])).toEqual({ streamId: STREAM, revision: 0, reason: 'stream_missing', position: stream[0].position });
  });

  it('reports a stream rewritten with every hash recomputed (a chain that verifies on its own) at the anchored revision', () => {
    const forged = chainEvents(STREAM, null, stream.map((e, i) => ({
      id: e.id, type: e.type, data: i === 1 ? { ...e.data, amount: { minor: 1, currency: 'EUR' } } : e.data,
      metadata: { actor: e.metadata.actor, recordedAt: e.metadata.recordedAt, commandId: e.metadata.commandId, correlationId: e.metadata.correlationId, causationId: e.metadata.causationId, schemaVersion: e.metadata.schemaVersion },
    }))).map((e, i) => ({ ...e, streamId: STREAM, revision: i, position: stream[i].position }));
    expect(verifyChain(forged)).toBeNull();
    expect(checkAnchors(forged, [anchorAt(4)])).toEqual({ streamId: STREAM, revision: 4, reason: 'anchor_mismatch', position: stream[4].position });
  });

  it('gives the disagreement earliest in the log when several streams disagree', () => {
    const other: StreamAnchor = { streamId: 'payment-p9', firstPosition: 2, lastRevision: 0, lastHash: 'a'.repeat(64), lastPosition: 2 };
    expect(checkAnchors(stream.slice(0, 3), [anchorAt(4), other])).toMatchObject({ streamId: 'payment-p9', reason: 'stream_missing', position: 2 });
  });
});
