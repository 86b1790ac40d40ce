import fc from 'fast-check';
import { DomainError } from './errors';
import { addDays, dateOfInstant, daysBetween, daysInMonth, fromEpochDay, isCalendarDate, parseDate, toEpochDay } from './dates';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 0x7fffffff;
console.log(`dates property seed: FC_SEED=${seed}`);

/** Tests may use the clock's calendar as an oracle; the domain never does. */
const oracle = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return Math.round(t.getTime() / 86_400_000);
};

const calendarDate = fc
  .record({ y: fc.integer({ min: 1, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .map(({ y, m, d }) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, daysInMonth(y, m))).padStart(2, '0')}`);

describe('calendar dates', () => {
  it.each(['2024-02-29', '2000-02-29', '1970-01-01', '9999-12-31', '0001-01-01'])('accepts %s', (d) => {
    expect(isCalendarDate(d)).toBe(true);
    expect(parseDate(d, 'issueDate')).toBe(d);
  });

  it.each(['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-1-5', '2024-01-05T00:00:00Z', '', 20240105])(
    'refuses %p',
    (d) => {
      expect(isCalendarDate(d)).toBe(false);
      try {
        parseDate(d, 'dueDate');
        throw new Error('expected a refusal');
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ code: 'DATE_MALFORMED', kind: 'invalid', details: { field: 'dueDate' } });
      }
    },
  );

  it('knows month lengths, leap years included', () => {
    expect([2023, 2024, 1900, 2000].map((y) => daysInMonth(y, 2))).toEqual([28, 29, 28, 29]);
    expect([1, 4, 12].map((m) => daysInMonth(2024, m))).toEqual([31, 30, 31]);
  });

  it('takes the UTC date of an instant', () => {
    expect(dateOfInstant('2024-03-10T23:59:59.999Z')).toBe('2024-03-10');
  });
});

describe('epoch days', () => {
  it.each([
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['2000-01-01', 10_957],
    ['2000-02-29', 11_016],
    ['2000-03-01', 11_017],
    ['2024-02-29', 19_782],
    ['2038-01-19', 24_855],
    ['1900-03-01', -25_508],
    ['1600-02-29', -135_081],
  ])('%s is day %i', (date, day) => {
    expect(toEpochDay(date)).toBe(day);
    expect(fromEpochDay(day)).toBe(date);
  });

  it.each([
    ['2024-01-31', 1, '2024-02-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2023-12-31', 1, '2024-01-01'],
    ['2024-01-01', -1, '2023-12-31'],
    ['2024-01-31', 30, '2024-03-01'],
    ['2023-01-31', 30, '2023-03-02'],
    ['2024-12-15', 60, '2025-02-13'],
    ['2024-06-15', 0, '2024-06-15'],
    ['2024-01-01', 366, '2025-01-01'],
  ])('%s + %i days = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(days);
  });

  it('counts calendar days between dates, negative backwards', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2023-01-01', '2024-01-01')).toBe(365);
    expect(daysBetween('2024-03-10', '2024-02-10')).toBe(-29);
  });

  it('property: epoch-day conversion round-trips and agrees with the UTC calendar', () => {
    fc.assert(
      fc.property(calendarDate, (d) => {
        expect(isCalendarDate(d)).toBe(true);
        expect(fromEpochDay(toEpochDay(d))).toBe(d);
        expect(toEpochDay(d)).toBe(oracle(d));
      }),
      { seed, verbose: true },
    );
  });

  it('property: addDays and daysBetween are inverse', () => {
    fc.assert(
      fc.property(calendarDate, fc.integer({ min: -200_000, max: 200_000 }), (d, n) => {
        const later = addDays(d, n);
        fc.pre(isCalendarDate(later)); // YYYY-MM-DD spans years 0001..9999 only
        expect(daysBetween(d, later)).toBe(n);
        expect(addDays(later, -n)).toBe(d);
        expect(toEpochDay(later)).toBe(oracle(later));
      }),
      { seed, verbose: true },
    );
    fc.assert(
      fc.property(calendarDate, calendarDate, (a, b) => {
        expect(addDays(a, daysBetween(a, b))).toBe(b);
        expect(daysBetween(a, b)).toBe(-daysBetween(b, a));
      }),
      { seed, verbose: true },
    );
  });
});
