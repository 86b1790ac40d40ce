import { seeded } from '../../../../libs/application/cash/statement-generator';
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
  | { kind: 'payment'; paymentId: string; customerId: string; invoiceId: string; share: number; extra?: string; method: string; earlyDiscountBp?: number }
  /** Payment terms in the HTTP form ("2/10 net 30", "end of month + 45"…). */
  | { kind: 'terms'; customerId: string; terms: string; reason: string }
  | { kind: 'dispute'; customerId: string; invoiceId: string; disputeId: string; share: number; reason: string }
  /** Accepted: a credit note for the disputed amount (issued by the engine); rejected: dunning resumes. */
  | { kind: 'resolve-dispute'; customerId: string; invoiceId: string; disputeId: string; outcome: 'accepted' | 'rejected'; note: string }
  | { kind: 'credit-note'; customerId: string; invoiceId: string; creditNoteId: string; share: number; reason: string }
  /** The whole outstanding, approved by the finance director. */
  | { kind: 'write-off'; customerId: string; invoiceId: string; reason: string }
  | { kind: 'reversal'; customerId: string; paymentId: string; reason: string }
  /** The month-end dunning run over every customer. */
  | { kind: 'dunning'; customerId: null }
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

function monthStart(start: CalendarDate, k: number): CalendarDate {
  const [y, m] = start.split('-').map(Number);
  const idx = y * 12 + (m - 1) + k;
  return `${String(Math.floor(idx / 12)).padStart(4, '0')}-${String((idx % 12) + 1).padStart(2, '0')}-01`;
}

export function demoScenario(o: DemoOptions): DemoStep[] {
  const rnd = seeded(o.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const end = monthStart(o.start, o.months);
  const steps: DatedStep[] = [];
  const tag = `s${o.seed}`;
  /** A dispute some days after issue, resolved weeks later (accepted: credit note), then the rest paid. */
  const disputeThenPay = (issueDate: CalendarDate, due: CalendarDate, invoiceId: string, pay: (on: CalendarDate, share: number, i: number) => unknown) => {
    const customerId = invoiceId.slice(0, invoiceId.lastIndexOf('-inv'));
    const disputeId = `${invoiceId}-d1`;
    const opened = addDays(issueDate, int(5, 20));
    const outcome = rnd() < 0.5 ? 'accepted' as const : 'rejected' as const;
    const resolved = addDays(opened, int(10, 40));
    if (opened >= end) return;
    steps.push({ kind: 'dispute', on: opened, customerId, invoiceId, disputeId, share: pick([0.1, 0.2, 0.3]), reason: pick(['Goods damaged on delivery', 'Quantity invoiced above quantity delivered', 'Service not performed as agreed']) });
    if (resolved >= end) return;
    steps.push({ kind: 'resolve-dispute', on: resolved, customerId, invoiceId, disputeId, outcome, note: outcome === 'accepted' ? 'Claim checked with the delivery note: credited' : 'Delivery signed without reservation: claim rejected' });
    pay(addDays(resolved > due ? resolved : due, int(3, 20)), 1, 1);
  };
  for (let c = 0; c < o.customers; c++) {
    let reversed = false;
    const customerId = `demo-${tag}-c${String(c + 1).padStart(2, '0')}`;
    const profile = PROFILES[c % PROFILES.length];
    const registeredDays = pick([30, 30, 45, 60]);
    const limit = profile === 'struggling' ? int(6, 10) * 1000 : int(40, 90) * 1000;
    steps.push({ kind: 'register', on: o.start, customerId, name: NAMES[c % NAMES.length] + (c >= NAMES.length ? ` ${Math.floor(c / NAMES.length) + 1}` : ''), creditLimit: `${limit}.00`, termsDays: registeredDays, profile });
    // Prompt payers take the early-payment discount; some others negotiated end-of-month terms.
    const terms = profile === 'prompt' ? '2/10 net 30' : profile === 'slow' && rnd() < 0.5 ? 'end of month + 45' : null;
    if (terms) steps.push({ kind: 'terms', on: o.start, customerId, terms, reason: terms === '2/10 net 30' ? 'Early-payment agreement' : 'Framework contract: end-of-month terms' });
    // Days from issue to due, near enough for the payer's timing (end of month + 45 is 45 to 75 days).
    const termsDays = terms === '2/10 net 30' ? 30 : terms === 'end of month + 45' ? 60 : registeredDays;
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
        const pay = (on: CalendarDate, share: number, i: number, earlyDiscountBp?: number) => {
          if (on >= end) return null;
          const p: DatedStep = { kind: 'payment', on, paymentId: `${invoiceId}-pay${i}`, customerId, invoiceId, share, method: pick(['bank_transfer', 'bank_transfer', 'card', 'direct_debit']), ...(earlyDiscountBp ? { earlyDiscountBp } : {}) };
          steps.push(p);
          return p;
        };
        const roll = rnd();
        if (profile === 'prompt') {
          if (roll < 0.75) pay(addDays(issueDate, int(2, 10)), 1, 1, 200); // inside the 10 days: gross − 2 %
          else pay(addDays(due, int(-10, 3)), 1, 1);
        } else if (profile === 'slow') {
          if (roll < 0.15) {
            // A commercial gesture on the invoice, then the rest paid late.
            steps.push({ kind: 'credit-note', on: addDays(issueDate, int(2, 8)), customerId, invoiceId, creditNoteId: `${invoiceId}-cn`, share: pick([0.05, 0.1]), reason: pick(['Volume rebate', 'Pricing error on one line', 'Late delivery gesture']) });
          }
          if (roll >= 0.15 && roll < 0.35) disputeThenPay(issueDate, due, invoiceId, pay);
          else pay(addDays(due, int(15, 50)), 1, 1);
        } else if (profile === 'partial') {
          if (roll < 0.2) disputeThenPay(issueDate, due, invoiceId, pay);
          else {
            const first = pay(addDays(due, int(0, 15)), 0.5, 1);
            if (!reversed && first && first.kind === 'payment') {
              // One direct debit comes back unpaid: the payment is reversed and paid again later.
              reversed = true;
              first.method = 'direct_debit';
              steps.push({ kind: 'reversal', on: addDays(first.on, int(3, 6)), customerId, paymentId: first.paymentId, reason: 'Direct debit returned: insufficient funds (AM04)' });
            }
            if (rnd() < 0.7) pay(addDays(due, int(30, 70)), 1, 2);
          }
        } else if (rnd() < 0.6) pay(addDays(due, int(20, 60)), 0.3, 1);
        if (profile === 'struggling' && k === 0 && j === 0 && o.months > 3) {
          // Its first invoice, given up on after months of dunning.
          steps.push({ kind: 'write-off', on: addDays(monthStart(o.start, o.months - 1), int(5, 20)), customerId, invoiceId, reason: 'Customer in receivership: claim filed, recovery unlikely' });
        }
      }
    }
    if (profile === 'prompt') {
      // A customer who pays a rounded-up amount: the difference stays as customer credit.
      const last = [...steps].reverse().find((x) => x.kind === 'payment' && x.customerId === customerId);
      if (last && last.kind === 'payment') last.extra = `${int(1, 9) * 10}.00`;
    }
  }
  for (let k = 0; k < o.months; k++) steps.push({ kind: 'dunning', on: addDays(monthStart(o.start, k + 1), -1), customerId: null });
  return steps
    .map((s, i): DemoStep => ({ ...s, seq: i }))
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.seq - b.seq));
}
