import { DomainError } from './errors';
import { chronologicalNumber, type SeriesTail } from './chronological-numbering';

const tail = (series: string, count: number, last: [string, string] | null): SeriesTail =>
  ({ series, count, last: last ? { number: last[0], date: last[1] } : null });
const request = (date: string, primary: SeriesTail, backdated: SeriesTail | null = null) =>
  ({ date, primary, backdated, refusalCode: 'INVOICE_DATE_BEFORE_LAST_NUMBERED', document: 'invoice' });
const refusal = (f: () => unknown): DomainError => {
  try { f(); } catch (e) { return e as DomainError; }
  throw new Error('expected a refusal');
};

/** Chronological numbering within a series (CGI annex II art. 242 nonies A, I-2°). */
describe('chronological numbering', () => {
  const inv = tail('INV', 2, ['INV-000002', '2026-03-10']);

  it('given an empty series, when a document is numbered, then it takes number 1', () => {
    expect(chronologicalNumber(request('2019-01-01', tail('INV', 0, null)))).toEqual({ series: 'INV', number: 'INV-000001' });
  });

  it('given a last number dated 2026-03-10, when the document is dated that day or later, then it takes the next number', () => {
    expect(chronologicalNumber(request('2026-03-10', inv))).toEqual({ series: 'INV', number: 'INV-000003' });
    expect(chronologicalNumber(request('2026-12-31', inv))).toEqual({ series: 'INV', number: 'INV-000003' });
  });

  it('given a last number dated 2026-03-10, when the document is dated 2019-06-01, then it is refused with both dates', () => {
    const e = refusal(() => chronologicalNumber(request('2019-06-01', inv)));
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code: 'INVOICE_DATE_BEFORE_LAST_NUMBERED', kind: 'rule',
      details: { field: 'issueDate', issueDate: '2019-06-01', series: 'INV', lastNumber: 'INV-000002', lastIssueDate: '2026-03-10' } });
  });

  it('given a back-dated series, when the document is dated before the primary series, then it is numbered there, chronologically', () => {
    expect(chronologicalNumber(request('2019-06-01', inv, tail('INVR', 0, null)))).toEqual({ series: 'INVR', number: 'INVR-000001' });
    expect(chronologicalNumber(request('2019-06-01', inv, tail('INVR', 1, ['INVR-000001', '2019-06-01'])))).toEqual({ series: 'INVR', number: 'INVR-000002' });
    const e = refusal(() => chronologicalNumber(request('2019-01-01', inv, tail('INVR', 1, ['INVR-000001', '2019-06-01']))));
    expect(e).toMatchObject({ code: 'INVOICE_DATE_BEFORE_LAST_NUMBERED', details: { series: 'INVR', lastIssueDate: '2019-06-01', primarySeries: 'INV', primaryLastIssueDate: '2026-03-10' } });
  });

  it('leaves a malformed date to the decider', () => {
    expect(chronologicalNumber(request('10/03/2019', inv))).toEqual({ series: 'INV', number: 'INV-000003' });
  });
});
