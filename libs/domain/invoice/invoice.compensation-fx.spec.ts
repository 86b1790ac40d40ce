import { compensationFor, computeLateCharges, SHIPPED_ECB_RATES } from '../collections/late-charges';
import { fold } from '../shared/decider';
import { parseFxRates } from '../shared/fx-rates';
import { given } from '../shared/testing';
import { invoiceDecider, type InvoiceCommand } from './invoice.decider';
import type { InvoiceEvent } from './invoice.events';
import { dueJan31 } from './invoice.fixtures';

/**
 * Code de commerce D441-5: a late payer owes a fixed EUR 40 recovery indemnity, whatever the invoice's currency
 * (L441-10 II). A non-EUR invoice bears it in its own currency, converted at the rate of the due date or the
 * latest before it (ADR 0053), the rates being units per 1 EUR (ECB convention, AR_FX_RATES). Rates stated by the
 * test: USD 1.0825 on 2026-01-29 (none on the 30th or the 31st, a Saturday), 1.20 from 2026-02-02; JPY 161.87.
 * Interest as for the EUR fixture (ADR 0037 spec): 10 000.00 due 2026-01-31, 2026-H1 reference 2.15 % + 10 points.
 */
const fx = parseFxRates('date,currency,rate\n2026-01-29,USD,1.0825\n2026-02-02,USD,1.20\n2026-01-29,JPY,161.87\n');
const usdInvoice = { ...dueJan31, data: { ...dueJan31.data, currency: 'USD' } } as InvoiceEvent;
const assess = (asOf: string, rates = fx): InvoiceCommand => ({ type: 'AssessLateCharges', invoiceId: 'i1', asOf, country: 'FR', rates: SHIPPED_ECB_RATES, dayBasis: 365, fxRates: rates });
const pay = (amount: number, receivedOn: string): InvoiceCommand => ({ type: 'ApplyPayment', invoiceId: 'i1', paymentId: 'p1', amount, receivedOn });

describe('the EUR 40 recovery indemnity (D441-5) in any currency', () => {
  it('converts EUR 40 at the due date\'s rate, or the latest before it', () => {
    // 40.00 × 1.0825 = 43.30 USD (the 01-29 rate: none is published on 01-30 or 01-31).
    expect(compensationFor('USD', '2026-01-31', fx)).toEqual({ amount: 4_330, eur: 4_000, rate: '1.0825', rateDate: '2026-01-29' });
    // 40 × 161.87 = 6 474.8 → 6 475 JPY (no minor unit; rounded half-up once).
    expect(compensationFor('JPY', '2026-01-31', fx).amount).toBe(6_475);
    expect(compensationFor('EUR', '2026-01-31')).toEqual({ amount: 4_000, eur: 4_000, rate: '1', rateDate: '2026-01-31' });
  });

  it('refuses with 422 FX_RATE_UNKNOWN when no rate is known on or before the due date; an invoice paid on time needs none', () => {
    const base = { dueDate: '2026-01-31', total: 1_000_000, changes: [], from: '2026-02-01', through: '2026-03-31', country: 'FR', currency: 'GBP', compensationDue: true, rates: SHIPPED_ECB_RATES, dayBasis: 365, fx };
    expect(() => computeLateCharges(base)).toThrow(expect.objectContaining({ code: 'FX_RATE_UNKNOWN', details: { currency: 'GBP', date: '2026-01-31' } }));
    expect(computeLateCharges({ ...base, changes: [{ on: '2026-01-31', amount: 1_000_000 }] })).toMatchObject({ compensation: 0, compensationBasis: null });
    given(invoiceDecider, [usdInvoice]).when(assess('2026-03-31', parseFxRates('date,currency,rate\n2026-02-02,USD,1.2\n'))).thenThrows('FX_RATE_UNKNOWN', { details: { currency: 'USD', date: '2026-01-31' } });
  });

  it('given a late USD invoice, when assessed, then the charge bears 43.30 USD and records how it was converted', () => {
    // 02-01…03-31 = 59 d: 1 000 000 × 1 215 × 59 / 3 650 000 = 19 639.73 → 196.40 USD interest; + 43.30 = 239.70.
    // The 02-02 rate (1.20) is later than the due date and plays no part.
    given(invoiceDecider, [usdInvoice]).when(assess('2026-03-31')).then([{
      type: 'LateChargesAssessed',
      data: {
        invoiceId: 'i1', customerId: 'c1', from: '2026-02-01', through: '2026-03-31', interest: 19_640, compensation: 4_330, amount: 23_970, dayBasis: 365,
        rateSource: SHIPPED_ECB_RATES.source,
        lines: [{ from: '2026-02-01', to: '2026-03-31', days: 59, principal: 1_000_000, referenceRateBp: 215, marginBp: 1000, annualRateBp: 1215 }],
        outstanding: 1_023_970, reopened: false, compensationBasis: { eur: 4_000, rate: '1.0825', rateDate: '2026-01-29' },
      },
    }]);
  });

  it('a receipt back-dated to the due date cancels the 43.30 as assessed (EUR 40.00), whatever today\'s rates', () => {
    const log: InvoiceEvent[] = [usdInvoice, ...invoiceDecider.decide(assess('2026-03-31'), fold(invoiceDecider, [usdInvoice]))];
    // No day late: interest and indemnity cancelled in full (D441-5 applies to late payers only), 196.40 + 43.30 = 239.70.
    const state = given(invoiceDecider, log).when(pay(1_000_000, '2026-01-31')).then([
      { type: 'PaymentApplied', data: { invoiceId: 'i1', customerId: 'c1', paymentId: 'p1', amount: 1_000_000, receivedOn: '2026-01-31', outstanding: 23_970 } },
      {
        type: 'LateChargesCorrected',
        data: {
          invoiceId: 'i1', customerId: 'c1', on: '2026-03-31', interest: 19_640, compensation: 4_330, amount: 23_970,
          cause: { type: 'PaymentApplied', reference: 'p1', on: '2026-01-31' }, recomputed: { interest: 0, compensation: 0 }, outstanding: 0, compensationEur: 4_000,
        },
      },
      { type: 'InvoiceSettled', data: { invoiceId: 'i1', customerId: 'c1', settledOn: '2026-01-31' } },
    ]);
    expect(state).toMatchObject({ outstanding: 0, charged: 0 });
  });

  it('a later receipt keeps the indemnity: the correction recomputes it with the recorded 43.30, not a new conversion', () => {
    const log: InvoiceEvent[] = [usdInvoice, ...invoiceDecider.decide(assess('2026-03-31'), fold(invoiceDecider, [usdInvoice]))];
    // Paid 02-15: 15 d late, 1 000 000 × 1 215 × 15 / 3 650 000 = 4 993.15 → 49.93 + 43.30 stays; cancelled 196.40 − 49.93 = 146.47.
    const [, corrected] = invoiceDecider.decide(pay(1_000_000, '2026-02-15'), fold(invoiceDecider, log));
    expect(corrected.data).toMatchObject({ interest: 14_647, compensation: 0, amount: 14_647, recomputed: { interest: 4_993, compensation: 4_330 } });
    expect(corrected.data).not.toHaveProperty('compensationEur');
  });

  it('an EUR invoice records no conversion (its events keep their v2 shape)', () => {
    const [e] = invoiceDecider.decide(assess('2026-03-31'), fold(invoiceDecider, [dueJan31]));
    expect(e.data).toMatchObject({ compensation: 4_000 });
    expect(e.data).not.toHaveProperty('compensationBasis');
  });

  it('the whole amount disputed: the 43.30 USD is deferred with its conversion, and reinstated as EUR 40.00 when the dispute is rejected (ADR 0038)', () => {
    // Everything is disputed from 02-10: nothing is owed yet, so interest (196.40 on 02-01…03-31) and the indemnity are
    // deferred: 19 640 + 4 330 = 23 970. Rejected on 04-10: all of it is owed from the due date, the EUR 40 at the rate
    // recorded when it was deferred (1.0825 of 01-29), whatever the rates then.
    const open: InvoiceCommand = { type: 'OpenDispute', invoiceId: 'i1', disputeId: 'd1', amount: 1_000_000, reason: 'damaged', on: '2026-02-10' };
    let log: InvoiceEvent[] = [usdInvoice];
    for (const c of [open, assess('2026-03-31')]) log = [...log, ...invoiceDecider.decide(c, fold(invoiceDecider, log))];
    expect(log.at(-1)).toEqual({
      type: 'LateChargesDeferred',
      data: {
        invoiceId: 'i1', customerId: 'c1', disputeId: 'd1', from: '2026-02-01', through: '2026-03-31', principal: 1_000_000, interest: 19_640, compensation: 4_330, amount: 23_970,
        compensationBasis: { eur: 4_000, rate: '1.0825', rateDate: '2026-01-29' },
      },
    });
    const reject: InvoiceCommand = { type: 'ResolveDispute', invoiceId: 'i1', disputeId: 'd1', outcome: 'rejected', agreedAmount: null, note: '', on: '2026-04-10' };
    const [, reinstated] = invoiceDecider.decide(reject, fold(invoiceDecider, log));
    expect(reinstated).toMatchObject({ type: 'LateChargesReinstated', data: { interest: 19_640, compensation: 4_330, amount: 23_970, compensationEur: 4_000 } });
  });
});
