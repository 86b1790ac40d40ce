/**
 * Whether a second API process on the same data directory adds invoice throughput (issue 14): one process with 32
 * clients, then two processes (the second a standby of the projector's lease) with 16 clients each, then the first
 * alone again. Both number invoices from the same series (ADR 0057): each process chains on the tail it knows, so
 * the other's commits refuse its reservations and they are decided again.
 *
 *   node dist/test/bench/http-two-processes.js [seconds=5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, invoiceBody, KEY, run, startApiProcess, summarise } from './http';
import { log } from './harness';

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'ar-bench-two-'));
  const a = await startApiProcess(dir);
  let b: Awaited<ReturnType<typeof startApiProcess>> | null = null;
  try {
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const ids = Array.from({ length: 256 }, (_, i) => `two-c${i}`);
    for (const id of ids) {
      const r = await call(a.url, 'POST', '/customers', { id, name: `Customer ${id}`, currency: 'EUR', creditLimit: '999999999.00', country: 'FR' });
      if (r.status !== 201) throw new Error(`seeding ${id}: ${r.status}`);
    }
    let n = 0;
    const next = () => ids[n++ % ids.length];
    const load = async (url: string, connections: number, duration: number) => summarise(await run({
      url, connections, duration, headers, requests: [{ method: 'POST', path: '/invoices', setupRequest: (req) => ({ ...req, body: invoiceBody(next()) }) }],
    }), connections);
    await load(a.url, 32, 3);
    const one = await load(a.url, 32, seconds);
    log(`one process, 32 clients: ${one.perSec} invoices/s, p99 ${one.p99Ms} ms, ${one.non2xx} non-2xx`);
    b = await startApiProcess(dir);
    await load(b.url, 16, 2);
    const [first, second] = await Promise.all([load(a.url, 16, seconds), load(b.url, 16, seconds)]);
    log(`two processes, 16 clients each: ${first.perSec} + ${second.perSec} = ${Math.round(first.perSec + second.perSec)} invoices/s, p99 ${first.p99Ms} / ${second.p99Ms} ms, ${first.non2xx} / ${second.non2xx} non-2xx`);
    const again = await load(a.url, 32, seconds);
    log(`one process again (the second idle), 32 clients: ${again.perSec} invoices/s, p99 ${again.p99Ms} ms`);
    process.stdout.write(JSON.stringify({ one, two: [first, second], again }, null, 2) + '\n');
  } finally {
    await b?.stop();
    await a.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
