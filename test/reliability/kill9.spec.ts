import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteEventStore } from '../../libs/event-store/adapters/sqlite/sqlite-event-store';
import { verifyChain } from '../../libs/event-store/hash-chain';
import { nextEvents } from '../contract/event-store.fixtures';

interface Ack {
  streamId: string;
  revision: number;
  position: number;
  eventId: string;
}

/** Runs append-child.js on `path`, SIGKILLs it once `acks` events are acknowledged, returns what it acknowledged. */
function appendUntilKilled(path: string, acks: number): Promise<{ acked: Ack[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'append-child.js'), path, '3'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: Ack[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [tag, streamId, revision, position, eventId] = line.split(' ');
      if (tag !== 'ack') return;
      acked.push({ streamId, revision: Number(revision), position: Number(position), eventId });
      if (acked.length === acks) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ acked, signal });
      else reject(new Error(`append-child exited with ${code}: ${stderr}`));
    });
  });
}

describe('SqliteEventStore survives kill -9', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ar-kill9-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([1, 2, 3])('keeps every acknowledged event, with intact hash chains (run %i)', async (run) => {
    const path = join(dir, 'events.db');
    const { acked, signal } = await appendUntilKilled(path, 300 + run * 157);
    expect(signal).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(300);

    const store = new SqliteEventStore({ path });
    try {
      const streams = [...new Set(acked.map((a) => a.streamId))];
      expect(streams.length).toBe(3);
      for (const streamId of streams) {
        const stored = await store.readStream(streamId);
        expect(verifyChain(stored)).toBeNull();
        for (const ack of acked.filter((a) => a.streamId === streamId)) {
          expect(stored[ack.revision]).toMatchObject({ id: ack.eventId, position: ack.position });
        }
      }
      const head = await store.headPosition();
      expect(head).toBeGreaterThanOrEqual(Math.max(...acked.map((a) => a.position)));
      const log = await store.readAll(-1, head + 1);
      expect(log.map((e) => e.position)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      // The file is writable again after recovery.
      const [last] = await store.readStream(streams[0], { direction: 'backward', maxCount: 1 });
      const next = await store.append(streams[0], last.revision, nextEvents(streams[0], last, 1));
      expect(next).toEqual({ nextRevision: last.revision + 1, position: head + 1, positions: [head + 1] });
    } finally {
      await store.close();
    }
  }, 60_000);
});
