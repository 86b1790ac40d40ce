import { ChildProcess, execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startServer(dataDir: string, port: number): Promise<{ child: ChildProcess; stdout: string }> {
  const { AR_BOOTSTRAP_API_KEY: _none, ...env } = process.env;
  const child = spawn(process.execPath, [MAIN], { env: { ...env, AR_DATA_DIR: dataDir, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('API did not start in 20 s')), 20_000);
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); if (stdout.includes('listening')) { clearTimeout(timer); resolve(); } });
    child.on('exit', (code) => reject(new Error(`API exited with ${code}`)));
  });
  return { child, stdout };
}

/** The admin key the first start of the empty data directory generated (and printed once). */
let adminKey = '';
const auth = () => ({ authorization: `Bearer ${adminKey}` });
const get = (port: number, path: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: auth() });
const post = (port: number, path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: JSON.stringify(body) });

/** The real server process, killed with SIGKILL mid-traffic: every acknowledged write is there after restart. */
describe('API process killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ar-kill9-'));
  let child: ChildProcess | null = null;

  beforeAll(() => {
    if (!existsSync(MAIN)) execSync('npx tsc -p tsconfig.build.json', { cwd: ROOT, stdio: 'inherit' });
  }, 120_000);
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing that was acknowledged', async () => {
    const port = await freePort();
    const first = await startServer(dataDir, port);
    child = first.child;
    // First start of an empty data directory: one admin key, printed once and written to admin-api-key (0600).
    adminKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    expect(adminKey).toMatch(/^ark_[A-Za-z0-9_-]{43}$/);
    expect(first.stdout).toContain(adminKey);
    expect(statSync(join(dataDir, 'admin-api-key')).mode & 0o777).toBe(0o600);
    expect((await fetch(`http://127.0.0.1:${port}/customers/k9/balance`)).status).toBe(401);
    expect((await post(port, '/customers', { id: 'k9', name: 'Kill Nine', currency: 'EUR', creditLimit: '100000000.00' })).status).toBe(201);

    const acked: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await post(port, '/invoices', { id: `k9-${w}-${i}`, customerId: 'k9', issueDate: '2026-01-01', lines: [{ description: 'x', quantity: '1', unitPrice: '10.00', taxRate: '0.20' }] });
          if (res.status === 201) acked.push(((await res.json()) as { id: string }).id);
        } catch {
          return; // connection cut by the kill
        }
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    while (acked.length < 60) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    const killed = child;
    if (killed.exitCode === null && killed.signalCode === null) await new Promise((r) => killed.once('exit', r));

    const second = await startServer(dataDir, port);
    child = second.child;
    expect(second.stdout).not.toContain('ark_'); // the key is shown once, at the first start only
    // The killed process still held the background-work lease (15 s term, ADR 0063): its pid is gone, so the new
    // process takes it over at start instead of standing by for the rest of the term; new token.
    const { lease } = await (await get(port, '/projections')).json() as { lease: { role: string; lease: { token: number; holder: string } } };
    expect(lease.role).toBe('active');
    expect(lease.lease.token).toBe(2);
    expect(lease.lease.holder).toContain(`:${second.child.pid}:`);
    const balance = await (await get(port, '/customers/k9/balance')).json() as { invoiceCount: number; invoiced: string };
    expect(balance.invoiceCount).toBeGreaterThanOrEqual(acked.length);
    for (const id of acked) {
      const res = await get(port, `/invoices/${id}`);
      expect({ id, status: res.status }).toEqual({ id, status: 200 });
    }
    // Gap-free numbering survives the crash: numbers 1..invoiceCount, each once.
    const history = await (await get(port, '/customers/k9/history')).json() as { events: Array<{ type: string; data: { number?: string } }> };
    const numbers = history.events.filter((e) => e.type === 'InvoiceIssued').map((e) => Number(e.data.number!.slice(4))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
  }, 90_000);
});
