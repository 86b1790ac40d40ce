/**
 * Issue 17: what sealing personal fields costs (ADR 0082), measured in the same run. The decrypting view over an
 * in-memory key store (the key store's own I/O is one indexed read per customer, cached): sealing a registration
 * with its details, opening them warm (keys cached) and cold (cache smaller than the customers), and the
 * names of every customer for an export's labels. The command path opens nothing (streams fold as stored), so
 * these costs fall on registrations, detail changes and reads only.
 */
import { PersonalData } from '../../libs/application/privacy/personal-data';
import { MemoryDataKeyStore } from '../../libs/privacy/adapters/memory/memory-data-key-store';
import { atMost, now, round, scaled, type Result } from './harness';

const perEventUs = (ms: number, n: number) => (ms * 1000) / n;

export async function privacyBenchmark(): Promise<{ results: Record<string, unknown>; checks: Array<[string, Result]> }> {
  const customers = scaled(20_000, 1_000);
  const at = '2026-12-02T00:00:00.000Z';
  const events = Array.from({ length: customers }, (_, i) => [
    { type: 'CustomerRegistered', data: { customerId: `p${i}`, name: `Customer number ${i} SAS`, currency: 'EUR', creditLimit: 0, paymentTermsDays: 30 } },
    { type: 'CustomerDetailsChanged', data: { customerId: `p${i}`, reason: 'Registration', changes: { billingEmails: [`billing${i}@example.com`], phone: '+33123456789', address: { lines: ['1 rue X'], postalCode: '75001', city: 'Paris', country: 'FR' }, siren: '732829320' } } },
  ]).flat();
  const store = new MemoryDataKeyStore();
  const pii = new PersonalData(store, { dataKeyCacheSize: customers });
  let t = now();
  const sealed = await pii.seal(events, at);
  const sealMs = now() - t;
  t = now();
  await pii.open(sealed);
  const openWarmMs = now() - t;
  const cold = new PersonalData(store, { dataKeyCacheSize: Math.max(1, Math.floor(customers / 10)) });
  t = now();
  await cold.open(sealed);
  const openColdMs = now() - t;
  const names = new Map(sealed.filter((e) => e.type === 'CustomerRegistered').map((e) => [(e.data as { customerId: string }).customerId, (e.data as { name: string }).name]));
  const exportPii = new PersonalData(store, { dataKeyCacheSize: customers });
  t = now();
  await exportPii.names(names);
  const namesMs = now() - t;
  t = now();
  await exportPii.names(names);
  const namesAgainMs = now() - t;
  const fields = customers * 4;
  const results = {
    sealUsPerField: atMost(perEventUs(sealMs, fields), 'µs per personal field sealed (key created on first use)', null),
    openWarmUsPerField: atMost(perEventUs(openWarmMs, fields), 'µs per personal field opened, key cached', null),
    openColdUsPerField: atMost(perEventUs(openColdMs, fields), 'µs per personal field opened, cache 1/10 of the customers', null),
    exportNamesMs: atMost(namesMs, `ms to open ${customers} customers' names (journal/FEC labels), keys read from the store`, null),
    exportNamesAgainMs: atMost(namesAgainMs, `ms for the same names again (keys and names cached)`, null),
    details: { customers, events: events.length, fields, sealMs: round(sealMs), openWarmMs: round(openWarmMs), openColdMs: round(openColdMs) },
  };
  return { results, checks: [] };
}
