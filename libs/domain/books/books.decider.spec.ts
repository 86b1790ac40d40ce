import { given } from '../shared/testing';
import { assertPeriodOpen, booksDecider, ClosePeriod, ReopenPeriod } from './books.decider';
import type { BooksEvent } from './books.events';

const close = (through: string, patch: Partial<ClosePeriod> = {}): ClosePeriod =>
  ({ type: 'ClosePeriod', through, reason: 'Q1 closing', actor: 'controller', today: '2026-04-10', ...patch });
const reopen = (from: string, patch: Partial<ReopenPeriod> = {}): ReopenPeriod =>
  ({ type: 'ReopenPeriod', from, reason: 'Auditor adjustment', actor: 'admin', ...patch });
const closedMarch: BooksEvent = { type: 'PeriodClosed', data: { through: '2026-03-31', previousThrough: null, reason: 'Q1 closing', closedBy: 'controller' } };

/** Closing of the books (PCG, ANC 2014-03 art. 911-4: a closing procedure fixes the chronology and the entries of a closed period; corrections go in the open one). */
describe('books decider — closed periods', () => {
  it('closes the books through a date that has ended', () => {
    const s = given(booksDecider).when(close('2026-03-31')).then([closedMarch]);
    expect(s.closedThrough).toBe('2026-03-31');
  });

  it('moves the closing forward, recording the previous one', () => {
    given(booksDecider, [closedMarch]).when(close('2026-04-09')).then([
      { type: 'PeriodClosed', data: { through: '2026-04-09', previousThrough: '2026-03-31', reason: 'Q1 closing', closedBy: 'controller' } },
    ]);
  });

  it('refuses a period that has not ended, a date already closed, a malformed date and an empty reason', () => {
    // today 2026-04-10: the latest closable date is 2026-04-09.
    given(booksDecider).when(close('2026-04-10')).thenThrows('PERIOD_NOT_ENDED', { details: { field: 'through', today: '2026-04-10' } });
    given(booksDecider, [closedMarch]).when(close('2026-02-28')).thenThrows('PERIOD_ALREADY_CLOSED', { details: { field: 'through', closedThrough: '2026-03-31' } });
    given(booksDecider).when(close('2026-02-30')).thenThrows('DATE_MALFORMED', { kind: 'invalid', details: { field: 'through' } });
    given(booksDecider).when(close('2026-03-31', { reason: '  ' })).thenThrows('REASON_REQUIRED', { kind: 'invalid', details: { field: 'reason' } });
  });

  it('treats the same closing again as done (nothing new)', () => {
    given(booksDecider, [closedMarch]).when(close('2026-03-31')).then([]);
  });

  it('reopens from a date: the closing goes back to the day before', () => {
    const s = given(booksDecider, [closedMarch]).when(reopen('2026-03-01')).then([
      { type: 'PeriodReopened', data: { from: '2026-03-01', through: '2026-02-28', previousThrough: '2026-03-31', reason: 'Auditor adjustment', reopenedBy: 'admin' } },
    ]);
    expect(s.closedThrough).toBe('2026-02-28');
  });

  it('refuses to reopen what is not closed, and a reopening without a reason', () => {
    given(booksDecider).when(reopen('2026-03-01')).thenThrows('PERIOD_NOT_CLOSED', { details: { field: 'from', closedThrough: null } });
    given(booksDecider, [closedMarch]).when(reopen('2026-04-01')).thenThrows('PERIOD_NOT_CLOSED', { details: { closedThrough: '2026-03-31' } });
    given(booksDecider, [closedMarch]).when(reopen('2026-03-01', { reason: '' })).thenThrows('REASON_REQUIRED', { kind: 'invalid' });
  });

  it('refuses a fact dated on or before the closing date, and accepts the next day', () => {
    const s = booksDecider.evolve(booksDecider.initialState(), closedMarch);
    expect(() => assertPeriodOpen(s, 'issueDate', '2026-03-31')).toThrow(expect.objectContaining({
      code: 'PERIOD_CLOSED', kind: 'rule', details: { field: 'issueDate', date: '2026-03-31', closedThrough: '2026-03-31', firstOpenDate: '2026-04-01' },
    }));
    expect(() => assertPeriodOpen(s, 'issueDate', '2026-04-01')).not.toThrow();
    expect(() => assertPeriodOpen(booksDecider.initialState(), 'issueDate', '1999-01-01')).not.toThrow();
  });
});
