import { addDays, type CalendarDate } from '../../../../libs/domain/shared/dates';

/**
 * The demo dataset as a list of dated steps, generated from a seed (mulberry32): the same options always give
 * the same steps, ids and amounts. Each step is one command of the real command path. New kinds of steps
 * (disputes, credit notes, write-offs, reversals, dunning runs…) are a new member of `DemoStep`, generated
 * here and executed in demo-seed.ts.
 */
export type DemoStep = { seq: number } & DatedStep;
type DatedStep = { on: CalendarDate } & (
  | { kind: 'register'; customerId: string; name: string; creditLimit: string; termsDays: number; profile: Profile }
  | { kind: 'change-limit'; customerId: string; amount: string; reason: string }
  | { kind: 'invoice'; invoiceId: string; customerId: string; lines: Array<{ description: string; quantity: string; unitPrice: string; taxRate: string }> }
  /**
   * `share` of the invoice's total (resolved when the invoice exists; 1 = whatever remains open), plus an
   * overpayment `extra` that stays unapplied (customer credit).
   */
  | { kind: 'payment'; paymentId: string; customerId: string; invoiceId: string; share: number; extra?: string; method: string }
);

export type Profile = 'prompt' | 'slow' | 'partial' | 'struggling';

export interface DemoOptions {
  customers: number;
  months: number;
  seed: number;
  start: CalendarDate;
}

export const DEMO_DEFAULTS: DemoOptions = { customers: 8, months: 6, seed: 42, start: '2026-01-01' };

const NAMES = ['Boulangerie Martin SARL', 'Atelier Dubois', 'Transports Leroy SA', 'Cabinet Moreau', 'Garage Lefèvre', 'Hôtel du Lac SAS',
  'Imprimerie Roux', 'Menuiserie Fournier', 'Pharmacie Girard', 'Brasserie Bonnet', 'Studio Lambert', 'Ferme Fontaine',
  'Librairie Rousseau', 'Clinique Vincent', 'Agence Muller', 'Domaine Lefebvre'];
const SERVICES = ['Maintenance contract', 'Consulting day', 'Software licence', 'Training session', 'Spare parts', 'Installation', 'Audit', 'Hosting'];
const TAX_RATES = ['0.20', '0.20', '0.20', '0.10', '0.055'];
const PROFILES: Profile[] = ['prompt', 'slow', 'partial', 'struggling'];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function monthStart(start: CalendarDate, k: number): CalendarDate {
  const [y, m] = start.split('-').map(Number);
  const idx = y * 12 + (m - 1) + k;
  return `${String(Math.floor(idx / 12)).padStart(4, '0')}-${String((idx % 12) + 1).padStart(2, '0')}-01`;
}

export function demoScenario(o: DemoOptions): DemoStep[] {
  const rnd = mulberry32(o.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const end = monthStart(o.start, o.months);
  const steps: DatedStep[] = [];
  const tag = `s${o.seed}`;
  for (let c = 0; c < o.customers; c++) {
    const customerId = `demo-${tag}-c${String(c + 1).padStart(2, '0')}`;
    const profile = PROFILES[c % PROFILES.length];
    const termsDays = pick([30, 30, 45, 60]);
    const limit = profile === 'struggling' ? int(6, 10) * 1000 : int(40, 90) * 1000;
    steps.push({ kind: 'register', on: o.start, customerId, name: NAMES[c % NAMES.length] + (c >= NAMES.length ? ` ${Math.floor(c / NAMES.length) + 1}` : ''), creditLimit: `${limit}.00`, termsDays, profile });
    if (profile === 'slow' && o.months > 2) {
      steps.push({ kind: 'change-limit', on: monthStart(o.start, 2), customerId, amount: `${Math.round(limit * 0.6)}.00`, reason: 'Payments consistently 30+ days late: limit reduced at quarterly review' });
    }
    let n = 0;
    for (let k = 0; k < o.months; k++) {
      const invoices = int(1, 3);
      for (let j = 0; j < invoices; j++) {
        n++;
        const issueDate = addDays(monthStart(o.start, k), int(0, 27));
        const invoiceId = `${customerId}-inv${String(n).padStart(3, '0')}`;
        const lines = Array.from({ length: int(1, 3) }, () => ({
          description: pick(SERVICES), quantity: String(int(1, 4)), unitPrice: `${int(60, 1200)}.${String(int(0, 99)).padStart(2, '0')}`, taxRate: pick(TAX_RATES),
        }));
        steps.push({ kind: 'invoice', on: issueDate, invoiceId, customerId, lines });
        const due = addDays(issueDate, termsDays);
        const pay = (on: CalendarDate, share: number, i: number) => {
          if (on < end) steps.push({ kind: 'payment', on, paymentId: `${invoiceId}-pay${i}`, customerId, invoiceId, share, method: pick(['bank_transfer', 'bank_transfer', 'card', 'direct_debit']) });
        };
        if (profile === 'prompt') pay(addDays(due, int(-10, 3)), 1, 1);
        else if (profile === 'slow') pay(addDays(due, int(15, 50)), 1, 1);
        else if (profile === 'partial') {
          pay(addDays(due, int(0, 15)), 0.5, 1);
          if (rnd() < 0.7) pay(addDays(due, int(30, 70)), 1, 2);
        } else if (rnd() < 0.6) pay(addDays(due, int(20, 60)), 0.3, 1);
      }
    }
    if (profile === 'prompt') {
      // A customer who pays a rounded-up amount: the difference stays as customer credit.
      const last = [...steps].reverse().find((x) => x.kind === 'payment' && x.customerId === customerId);
      if (last && last.kind === 'payment') last.extra = `${int(1, 9) * 10}.00`;
    }
  }
  return steps
    .map((s, i): DemoStep => ({ ...s, seq: i }))
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.seq - b.seq));
}
