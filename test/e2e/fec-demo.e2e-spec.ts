import { DEMO_DEFAULTS } from '../../apps/cli/src/demo/demo-scenario';
import { runDemoSeed } from '../../apps/cli/src/demo/demo-seed';
import { ReadModels } from '../../libs/application/read-models';
import { FEC_COLUMNS, type InvoiceView } from '../../projections';
import { startApi, type Harness } from '../support/api-harness';

/**
 * The FEC of the demo seed, checked line by line against LPF art. A47 A-1 (and BOI-CF-IOR-60-40-20): 18 columns;
 * EcritureNum a continuous sequence per journal in chronological order of validation; balanced entries;
 * lettering of the 411 lines of settled items only, DateLet the day they became settled (ADR 0055); the EUR 40 recovery
 * compensation (Code de commerce D441-5) on 7588, interest on 763; amounts in euros; file <SIREN>FEC<date>.txt.
 */
const SIREN = '732829320'; // 9 digits, Luhn check digit valid
const cents = (s: string) => {
  const [i, f = ''] = s.split(',');
  return Number(i) * 100 + Number(f.padEnd(2, '0'));
};
const C = Object.fromEntries(FEC_COLUMNS.map((c, i) => [c, i])) as Record<(typeof FEC_COLUMNS)[number], number>;

describe('FEC of the demo seed', () => {
  let h: Harness;
  let text: string;
  let lines: string[][];
  beforeAll(async () => {
    h = await startApi(undefined, { AR_COMPANY_SIREN: SIREN });
    await runDemoSeed(h.app, DEMO_DEFAULTS);
    const r = await h.http().get('/exports/journal?format=fec&from=2026-01-01&to=2026-12-31').expect(200);
    expect(r.headers['content-disposition']).toContain(`filename="${SIREN}FEC20261231.txt"`);
    text = r.text;
    lines = text.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  }, 120_000);
  afterAll(async () => { await h.close(); });

  const body = () => lines.slice(1);

  it('has the 18 columns, dates of the fiscal year and euro amounts only', () => {
    expect(lines[0]).toEqual([...FEC_COLUMNS]);
    expect(body().length).toBeGreaterThan(200);
    for (const l of body()) {
      expect(l).toHaveLength(18);
      expect(l[C.EcritureDate]).toMatch(/^2026\d{4}$/);
      expect(l[C.ValidDate]).toMatch(/^\d{8}$/);
      expect(l[C.Debit]).toMatch(/^\d+,\d\d$/);
      expect(l[C.Credit]).toMatch(/^\d+,\d\d$/);
      expect([l[C.Montantdevise], l[C.Idevise]]).toEqual(['', '']); // every demo customer is invoiced in EUR
    }
  });

  it('numbers each journal 1, 2, 3… with no gap, in the order of validation, each entry balanced on one date and piece', () => {
    const seen = new Map<string, number>(); // journal → last number
    const entries = new Map<string, string[][]>();
    let previous = '';
    let lastValid = '';
    for (const l of body()) {
      const key = `${l[C.JournalCode]}|${l[C.EcritureNum]}`;
      if (key !== previous) {
        // A new entry: the next number of its journal, never one seen before (an entry's lines are contiguous).
        expect({ key, n: Number(l[C.EcritureNum]) }).toEqual({ key, n: (seen.get(l[C.JournalCode]) ?? 0) + 1 });
        seen.set(l[C.JournalCode], Number(l[C.EcritureNum]));
        entries.set(key, []);
        previous = key;
      }
      entries.get(key)!.push(l);
      expect(l[C.ValidDate] >= lastValid).toBe(true);
      lastValid = l[C.ValidDate];
    }
    expect([...seen.keys()].sort()).toEqual(['BQ', 'OD', 'VT']);
    for (const [key, ls] of entries) {
      const debit = ls.reduce((a, l) => a + cents(l[C.Debit]), 0);
      const credit = ls.reduce((a, l) => a + cents(l[C.Credit]), 0);
      expect({ key, debit }).toEqual({ key, debit: credit });
      expect(new Set(ls.map((l) => `${l[C.EcritureDate]} ${l[C.PieceRef]}`)).size).toBe(1);
    }
  });

  it('letters only 411 lines, each code balanced, on one customer, dated the day it became settled; no DateLet without a code', () => {
    const codes = new Map<string, string[][]>();
    for (const l of body()) {
      if (l[C.EcritureLet] === '') {
        expect(l[C.DateLet]).toBe('');
        continue;
      }
      expect(l[C.CompteNum]).toBe('411');
      codes.set(l[C.EcritureLet], [...(codes.get(l[C.EcritureLet]) ?? []), l]);
    }
    expect(codes.size).toBeGreaterThan(10);
    for (const [code, ls] of codes) {
      expect({ code, lines: ls.length > 1 }).toEqual({ code, lines: true });
      expect({ code, balance: ls.reduce((a, l) => a + cents(l[C.Debit]) - cents(l[C.Credit]), 0) }).toEqual({ code, balance: 0 });
      expect(new Set(ls.map((l) => l[C.CompAuxNum])).size).toBe(1);
      // One DateLet per code, the day it became settled (ADR 0055): the lines dated up to it already balance.
      const dates = new Set(ls.map((l) => l[C.DateLet]));
      expect({ code, dates: dates.size }).toEqual({ code, dates: 1 });
      const [dateLet] = [...dates];
      expect({ code, byDateLet: ls.filter((l) => l[C.EcritureDate] <= dateLet).reduce((a, l) => a + cents(l[C.Debit]) - cents(l[C.Credit]), 0) }).toEqual({ code, byDateLet: 0 });
      expect({ code, settledLines: ls.some((l) => l[C.EcritureDate] <= dateLet) }).toEqual({ code, settledLines: true });
    }
  });

  it('letters the invoice line of a settled invoice or none, and never the line of one still owing', async () => {
    await h.app.get(ReadModels).catchUp(['invoices']);
    const invoices = await h.app.get(ReadModels).find<InvoiceView>('invoices', {});
    const invoiceLine = new Map(body().filter((l) => l[C.JournalCode] === 'VT' && l[C.CompteNum] === '411' && l[C.EcritureLib].startsWith('Facture')).map((l) => [l[C.PieceRef], l]));
    let lettered = 0;
    let owing = 0;
    for (const inv of invoices) {
      const l = invoiceLine.get(inv.number);
      expect({ number: inv.number, inFile: l !== undefined }).toEqual({ number: inv.number, inFile: true });
      if (inv.outstanding > 0) {
        owing++;
        expect({ number: inv.number, letter: l![C.EcritureLet] }).toEqual({ number: inv.number, letter: '' });
      } else if (l![C.EcritureLet] !== '') lettered++;
    }
    expect(lettered).toBeGreaterThan(10);
    expect(owing).toBeGreaterThan(0);
  });

  it('books the EUR 40 compensation to 7588 once per late invoice and the interest to 763', () => {
    const charges = body().filter((l) => l[C.EcritureLib].startsWith('Pénalités de retard'));
    const compensation = charges.filter((l) => l[C.CompteNum] === '7588');
    expect(compensation.length).toBeGreaterThan(0);
    for (const l of compensation) expect([l[C.Debit], l[C.Credit]]).toEqual(['0,00', '40,00']);
    expect(new Set(compensation.map((l) => l[C.PieceRef])).size).toBe(compensation.length);
    const accounts = new Set(charges.map((l) => l[C.CompteNum]));
    expect([...accounts].sort()).toEqual(['411', '7588', '763']);
  });

  it('rebuilds the journal and the lettering links identical to the live ones', async () => {
    for (const name of ['journal', 'lettering-links']) {
      expect({ name, identical: (await h.projector().verify(name)).identical }).toEqual({ name, identical: true });
    }
  }, 60_000);

  it('gives the same file again, and keeps every number when a back-dated fact is added', async () => {
    expect((await h.http().get('/exports/journal?format=fec&from=2026-01-01&to=2026-12-31').expect(200)).text).toBe(text);
    const before = new Map(body().map((l) => [`${l[C.JournalCode]}|${l[C.EcritureNum]}|${l[C.CompteNum]}|${l[C.Debit]}|${l[C.Credit]}`, l[C.PieceRef]]));
    const bqCount = Math.max(...body().filter((l) => l[C.JournalCode] === 'BQ').map((l) => Number(l[C.EcritureNum])));
    // A receipt of 10.00 dated 2026-01-20, recorded now: validated last, it takes the next BQ number.
    await h.http().post('/payments').send({ id: 'late-entry', customerId: 'demo-s42-c01', amount: '10.00', receivedOn: '2026-01-20', method: 'cheque', allocations: [] }).expect(201);
    const again = (await h.http().get('/exports/journal?format=fec&from=2026-01-01&to=2026-12-31').expect(200)).text
      .split('\n').filter((l) => l !== '').slice(1).map((l) => l.split('\t'));
    const after = new Map(again.map((l) => [`${l[C.JournalCode]}|${l[C.EcritureNum]}|${l[C.CompteNum]}|${l[C.Debit]}|${l[C.Credit]}`, l[C.PieceRef]]));
    for (const [k, piece] of before) expect({ k, piece: after.get(k) }).toEqual({ k, piece });
    const added = again.filter((l) => l[C.PieceRef] === 'late-entry');
    expect(added.map((l) => [l[C.JournalCode], l[C.EcritureNum], l[C.EcritureDate], l[C.CompteNum], l[C.Debit], l[C.Credit]])).toEqual([
      ['BQ', String(bqCount + 1), '20260120', '512', '10,00', '0,00'],
      ['BQ', String(bqCount + 1), '20260120', '411', '0,00', '10,00'],
    ]);
  }, 60_000);
});
