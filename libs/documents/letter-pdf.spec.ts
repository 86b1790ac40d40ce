import { createHash } from 'node:crypto';
import { pdfInfo, pdfText } from '../../test/support/pdf-tools';
import { renderReminder } from '../application/dunning/templates';
import { BUYER_EN, BUYER_FR, SELLER } from './documents.fixtures';
import { renderLetterPdf } from './letter-pdf';

/**
 * The dunning letter of each level, French and English, read back with pdftotext. Figures (ADR 0039):
 * principal 1 200.00 due 2026-01-31; as of 2026-03-10 (38 days late) at level 3 and 4: interest
 * 1 200.00 × 12.15 % × 38 / 365 = 15.18 and the EUR 40 compensation, total 1 255.18; levels 1–2 nothing charged.
 */
const figures = (charged: boolean) => ({
  number: 'INV-000007', currency: 'EUR', dueDate: '2026-01-31', asOf: '2026-03-10', daysLate: 38, principal: 120_000,
  interest: charged ? 1518 : 0, annualRatesBp: charged ? [1215] : [], compensation: charged ? 4000 : 0, total: charged ? 125_518 : 120_000, deadline: '2026-03-18',
});

const LEVELS = [
  { level: 1, template: 'reminder-1', action: 'reminder' as const, fr: 'Rappel : facture INV-000007 échue le 2026-01-31', en: 'Reminder: invoice INV-000007 was due on 2026-01-31', charged: false },
  { level: 2, template: 'reminder-2', action: 'reminder' as const, fr: 'Deuxième rappel : facture INV-000007', en: 'Second reminder: invoice INV-000007', charged: false },
  { level: 3, template: 'formal-notice', action: 'formal_notice' as const, fr: 'Mise en demeure : facture INV-000007', en: 'Formal notice: invoice INV-000007', charged: true },
  { level: 4, template: 'collection-agency', action: 'collection_agency' as const, fr: 'Transmission au recouvrement : facture INV-000007', en: 'Handed to collection: invoice INV-000007', charged: true },
];

async function letter(level: (typeof LEVELS)[number], lang: 'fr' | 'en') {
  const buyer = lang === 'fr' ? BUYER_FR : BUYER_EN;
  const r = renderReminder({
    customerName: buyer.name, invoiceNumber: 'INV-000007', dueDate: '2026-01-31', currency: 'EUR', figures: figures(level.charged),
    event: { invoiceId: 'i7', customerId: buyer.customerId, level: level.level, name: level.template, action: level.action, template: level.template, language: lang, asOf: '2026-03-10', daysPastDue: 38, outstanding: 120_000, creditHold: false },
  });
  return renderLetterPdf({ subject: r.subject, text: r.text, date: '2026-03-10', reference: `INV-000007-level-${level.level}`, seller: SELLER, buyer, lang });
}

describe('dunning letter PDF', () => {
  for (const level of LEVELS) {
    it(`level ${level.level} (${level.template}) in French and English: letterhead, addressee, date, subject, the engine's figures`, async () => {
      const fr = pdfText(await letter(level, 'fr'));
      for (const m of ['Atelier Durand SAS', 'SIREN 732829320 — RCS Lyon', 'Boulangerie Martin SARL', '3 place du Marché', 'Le 10/03/2026', `Objet : ${level.fr}`, '38 jours de retard', 'Principal restant dû : 1200.00 EUR']) expect(fr).toContain(m);
      const en = pdfText(await letter(level, 'en'));
      for (const m of ['Nordwind GmbH', 'Hafenstraße 5', 'Date 2026-03-10', `Subject : ${level.en}`, '38 days late', 'Principal outstanding : 1200.00 EUR']) expect(en).toContain(m);
      if (level.charged) {
        expect(fr).toContain('Pénalités de retard au taux annuel de 12.15 % (article L441-10 du Code de commerce) : 15.18 EUR');
        expect(fr).toContain('Indemnité forfaitaire pour frais de recouvrement (article D441-5 du Code de commerce) : 40.00 EUR');
        expect(fr).toContain('Total dû au 2026-03-10 : 1255.18 EUR');
        expect(en).toContain('Total owed as of 2026-03-10 : 1255.18 EUR');
      } else {
        expect(fr).not.toMatch(/Pénalités|Indemnité/);
        expect(fr).toContain('Total dû au 2026-03-10 : 1200.00 EUR');
      }
    });
  }

  it('is reproducible and dated the run’s date', async () => {
    const a = await letter(LEVELS[2], 'fr');
    const b = await letter(LEVELS[2], 'fr');
    expect(createHash('sha256').update(a).digest('hex')).toBe(createHash('sha256').update(b).digest('hex'));
    expect(pdfInfo(a)).toMatch(/CreationDate:\s+2026-03-10T00:00:00Z/);
  });
});
