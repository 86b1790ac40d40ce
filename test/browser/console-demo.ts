import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

/**
 * What the console's browser tests and `npm run screenshots` share: Debian's Chromium (never a downloaded browser),
 * the demo data's "as of" date, the env that makes four-eyes queues appear, and the staging of one item per queue.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The demo seed covers 2026-01-01 .. 2026-06-30 (apps/cli/src/demo, 6 months): the console reads it the next day. */
export const DEMO_AS_OF = '2026-07-01';

/** Write-offs above 1,000.00 EUR and limit increases above 10,000.00 EUR wait for a second principal (ADR 0042). */
export const CONSOLE_ENV = { AR_WRITE_OFF_APPROVAL_ABOVE: 'EUR:1000.00', AR_CREDIT_LIMIT_INCREASE_APPROVAL_ABOVE: 'EUR:10000.00' };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

/** Listens on a free loopback port; the base URL of the API. */
export async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

async function call(base: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

export interface Staged {
  writeOff: { invoiceId: string; customerId: string; amount: string };
  limit: { customerId: string; amount: string };
  held: { invoiceId: string; customerId: string; total: string };
}

/**
 * One item in each approval queue, requested by `key` (so another principal can approve it): a write-off of the
 * oldest open item of Cabinet Moreau (demo-s42-c04), a limit increase for Atelier Dubois (c02), and an invoice
 * over the available credit of Hôtel du Lac (c06) under the hold-for-approval policy.
 */
export async function stageQueues(base: string, key: string): Promise<Staged> {
  const expect = (r: { status: number; body: unknown }, status: number, what: string) => {
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as any;
  };
  const wo = expect(await call(base, key, 'POST', '/invoices/demo-s42-c04-inv004/write-off', { reason: 'Debtor in liquidation: claim filed, no dividend expected', on: DEMO_AS_OF }), 202, 'write-off request');
  expect(await call(base, key, 'PUT', '/customers/demo-s42-c02/credit-limit', { amount: '60000.00', reason: 'Bank guarantee received for the second half' }), 202, 'limit increase');
  expect(await call(base, key, 'PUT', '/customers/demo-s42-c06/credit-policy', { policy: 'hold_for_approval', reason: 'Orders over the limit go to the credit manager' }), 200, 'credit policy');
  const credit = expect(await call(base, key, 'GET', '/customers/demo-s42-c06/credit'), 200, 'credit');
  const over = (BigInt(credit.availableCredit.replace('.', '')) + 150000n).toString();
  const price = `${over.slice(0, -2)}.${over.slice(-2)}`;
  const held = expect(await call(base, key, 'POST', '/invoices', {
    id: 'console-held-1', customerId: 'demo-s42-c06', issueDate: DEMO_AS_OF,
    lines: [{ description: 'Renovation of the lobby', quantity: '1', unitPrice: price, taxRate: '0.20' }],
  }), 201, 'held invoice');
  if (held.status !== 'pending_approval') throw new Error(`held invoice: ${held.status}`);
  return {
    writeOff: { invoiceId: 'demo-s42-c04-inv004', customerId: 'demo-s42-c04', amount: wo.amount ?? wo.request?.amount },
    limit: { customerId: 'demo-s42-c02', amount: '60000.00' },
    held: { invoiceId: 'console-held-1', customerId: 'demo-s42-c06', total: held.total },
  };
}
