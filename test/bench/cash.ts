/**
 * Issue 18: cash application measured on generated statements nobody tuned the matcher for (the generator's
 * scenarios and weights are fixed in libs/application/cash/statement-generator.ts). Per seed: share applied
 * automatically, wrong automatic applications (target 0), suggestions whose first candidate is right, unmatched;
 * and the throughput of matching 10,000 entries against 100,000 open items (target ≤ 10 s).
 */
import { generateStatement, isRight, seeded, type MatchingScore } from '../../libs/application/cash/statement-generator';
import { DEFAULT_MATCHING_SETTINGS, MatchingIndex, type OpenItem } from '../../libs/domain/cash/matching';
import { atMost, now, round, scaled, type Result } from './harness';

const WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Hooli', 'Vandelay', 'Wonka', 'Oscorp', 'Aperture', 'Massive', 'Dynamic', 'Blue', 'Nord', 'Alpine', 'Atlas'];
const KINDS = ['Industries', 'Logistique', 'Conseil', 'Bâtiment', 'Distribution', 'Systems', 'Transports', 'Services', 'Énergie', 'Médical'];
const FORMS = ['SAS', 'SARL', 'SA', 'GmbH', 'Ltd'];

/** A ledger: `customers` customers, `items` open invoices spread over them (some with a discount window, 1 % disputed). */
export function syntheticLedger(customers: number, items: number, seed = 7): { openItems: OpenItem[]; customers: Array<{ customerId: string; name: string }> } {
  const r = seeded(seed);
  const cs = Array.from({ length: customers }, (_, k) => ({
    customerId: `c${k + 1}`,
    name: `${WORDS[k % WORDS.length]} ${KINDS[Math.floor(k / WORDS.length) % KINDS.length]} ${k >= WORDS.length * KINDS.length ? `${Math.floor(k / (WORDS.length * KINDS.length)) + 1} ` : ''}${FORMS[k % FORMS.length]}`,
  }));
  const openItems: OpenItem[] = Array.from({ length: items }, (_, k) => {
    const c = cs[Math.floor(r() * cs.length)];
    const outstanding = 5_000 + Math.floor(r() * 2_000_000);
    const day = 1 + Math.floor(r() * 28);
    return {
      invoiceId: `i${k + 1}`, number: `INV-${String(k + 1).padStart(6, '0')}`, customerId: c.customerId, customerName: c.name, currency: 'EUR', outstanding,
      disputed: r() < 0.01 ? Math.floor(outstanding / 2) : 0, issueDate: `2026-05-${String(day).padStart(2, '0')}`, dueDate: `2026-06-${String(day).padStart(2, '0')}`,
      discount: r() < 0.05 ? { until: '2026-06-30', maxAmount: Math.floor(outstanding / 50) } : null,
    };
  });
  return { openItems, customers: cs };
}

export function scoreMatching(seed: number, entries: number, ledger: ReturnType<typeof syntheticLedger>): MatchingScore & { seconds: number; entriesPerSec: number } {
  const statement = generateStatement(ledger.openItems, ledger.customers, { seed, count: entries, bookingDate: '2026-06-15', account: 'FR7630006000011234567890189' });
  const t0 = now();
  const index = new MatchingIndex({ openItems: ledger.openItems, knownIbans: statement.knownIbans, customers: ledger.customers, settings: DEFAULT_MATCHING_SETTINGS });
  const score: MatchingScore = { entries: 0, applied: 0, appliedShare: 0, wrongAutomatic: 0, suggested: 0, suggestionsFirstRight: 0, unmatched: 0, unmatchedWithTruth: 0, byScenario: {} };
  for (const g of statement.entries) {
    const out = index.match(g.entry);
    const s = (score.byScenario[g.scenario] ??= { n: 0, applied: 0, wrong: 0, suggested: 0, firstRight: 0, unmatched: 0 });
    score.entries += 1;
    s.n += 1;
    const best = out.candidates[0];
    if (out.decision === 'auto') {
      score.applied += 1; s.applied += 1;
      if (!isRight(best, g.truth)) { score.wrongAutomatic += 1; s.wrong += 1; }
      index.applied(best.allocations, g.entry.debtorIban, best.customerId);
    } else if (out.decision === 'suggest') {
      score.suggested += 1; s.suggested += 1;
      if (isRight(best, g.truth)) { score.suggestionsFirstRight += 1; s.firstRight += 1; }
    } else {
      score.unmatched += 1; s.unmatched += 1;
      if (g.truth !== null) score.unmatchedWithTruth += 1;
    }
  }
  const seconds = (now() - t0) / 1000;
  score.appliedShare = round(score.applied / score.entries);
  return { ...score, seconds: round(seconds), entriesPerSec: Math.round(score.entries / seconds) };
}

export async function cashBenchmark(): Promise<{ results: Record<string, unknown>; checks: Array<[string, Result]> }> {
  const ledger = syntheticLedger(scaled(5_000, 200), scaled(100_000, 2_000));
  const entries = scaled(10_000, 500);
  const seeds = [1, 2, 3].map((seed) => ({ seed, ...scoreMatching(seed, entries, ledger) }));
  const wrong = seeds.reduce((s, x) => s + x.wrongAutomatic, 0);
  const slowest = Math.max(...seeds.map((x) => x.seconds));
  return {
    results: {
      openItems: ledger.openItems.length, customers: ledger.customers.length, entriesPerSeed: entries, seeds,
      wrongAutomatic: atMost(wrong, 'entries', 0),
      matchingSeconds: atMost(slowest, `s for ${entries} entries against ${ledger.openItems.length} open items`, 10),
    },
    checks: [],
  };
}

if (require.main === module) {
  void cashBenchmark().then((r) => process.stdout.write(`${JSON.stringify(r.results, null, 2)}\n`));
}
