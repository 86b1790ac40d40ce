import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../../apps/api/src/app.factory';
import { DEMO_DEFAULTS } from '../../apps/cli/src/demo/demo-scenario';
import { runDemoSeed } from '../../apps/cli/src/demo/demo-seed';
import { loadConfig } from '../../libs/application/config';
import { CONSOLE_ENV, DEMO_AS_OF, launchChromium, listen, stageQueues } from './console-demo';

/**
 * `npm run screenshots`: the demo data in a fresh temp store, one item staged in each queue, and a 1280×800 PNG of
 * each console screen in docs/screenshots/ (shown in the README).
 */
const ADMIN = 'ark_screenshots-admin-key-000000000000000000000000000000';
const SCREENS: Array<{ name: string; hash: string; ready: string }> = [
  { name: 'dashboard', hash: '#/', ready: '#debtors-h ~ table tbody tr' },
  { name: 'worklist', hash: '#/worklist', ready: '#worklist-h ~ .table-wrap tbody tr' },
  { name: 'customer', hash: '#/customers/demo-s42-c03', ready: '[data-testid=verification]' },
  { name: 'approvals', hash: '#/approvals', ready: '#requests-h ~ ul.queue li' },
  { name: 'disputes', hash: '#/disputes', ready: '#disputes-h ~ ul.queue li' },
];

async function main(): Promise<void> {
  const out = resolve(__dirname, '..', '..', '..', 'docs', 'screenshots');
  mkdirSync(out, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'ar-screens-'));
  const app = await createApp(loadConfig({ ...process.env, AR_DATA_DIR: dataDir, PORT: '0', AR_CREDIT_HOLD_SCHEDULE: 'off', AR_DUNNING_SCHEDULE: 'off', AR_BOOTSTRAP_API_KEY: ADMIN, ...CONSOLE_ENV }), { logger: false });
  const browser = await launchChromium();
  try {
    await runDemoSeed(app, DEMO_DEFAULTS);
    const base = await listen(app);
    await stageQueues(base, ADMIN);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/app/?asOf=${DEMO_AS_OF}`);
    await page.screenshot({ path: join(out, 'sign-in.png') });
    await page.getByLabel('API key or token').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    for (const s of SCREENS) {
      await page.evaluate(`location.hash = ${JSON.stringify(s.hash)}`);
      await page.locator(s.ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      const file = join(out, `${s.name}.png`);
      await page.screenshot({ path: file });
      process.stdout.write(`${file} (${Math.round(statSync(file).size / 1024)} KiB)\n`);
    }
  } finally {
    await browser.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
