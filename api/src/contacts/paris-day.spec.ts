import { parisDay, parisMidnight } from './paris-day';

describe('parisDay', () => {
  it('gives the Paris calendar day and its bounds in winter (UTC+1)', () => {
    expect(parisDay(new Date('2026-01-15T10:00:00Z'))).toEqual({
      date: '2026-01-15',
      start: new Date('2026-01-14T23:00:00Z'),
      end: new Date('2026-01-15T23:00:00Z'),
    });
  });

  it('gives the Paris calendar day in summer (UTC+2)', () => {
    expect(parisDay(new Date('2026-07-01T12:00:00Z'))).toEqual({
      date: '2026-07-01',
      start: new Date('2026-06-30T22:00:00Z'),
      end: new Date('2026-07-01T22:00:00Z'),
    });
  });

  it('is already tomorrow in Paris late in the UTC evening, and still today just after Paris midnight', () => {
    expect(parisDay(new Date('2026-07-01T22:30:00Z')).date).toBe('2026-07-02');
    expect(parisDay(new Date('2026-01-15T23:00:00Z')).date).toBe('2026-01-16');
    expect(parisDay(new Date('2026-01-15T22:59:59.999Z')).date).toBe('2026-01-15');
  });

  it('has 23 hours on the spring-forward day and 25 on the fall-back day', () => {
    const spring = parisDay(new Date('2026-03-29T12:00:00Z'));
    expect(spring.start).toEqual(new Date('2026-03-28T23:00:00Z'));
    expect(spring.end).toEqual(new Date('2026-03-29T22:00:00Z'));
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);

    const fall = parisDay(new Date('2026-10-25T12:00:00Z'));
    expect(fall.start).toEqual(new Date('2026-10-24T22:00:00Z'));
    expect(fall.end).toEqual(new Date('2026-10-25T23:00:00Z'));
    expect((fall.end.getTime() - fall.start.getTime()) / 3_600_000).toBe(25);
  });

  it('contains the instant it was computed from, across a year of hours', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 5 * 3_600_000 + 17_000) {
      const now = new Date(t);
      const day = parisDay(now);
      expect(day.start.getTime()).toBeLessThanOrEqual(t);
      expect(day.end.getTime()).toBeGreaterThan(t);
    }
  });

  it('crosses month and year ends', () => {
    expect(parisDay(new Date('2026-12-31T23:30:00Z'))).toEqual({
      date: '2027-01-01',
      start: new Date('2026-12-31T23:00:00Z'),
      end: new Date('2027-01-01T23:00:00Z'),
    });
    expect(parisMidnight(2026, 3, 1)).toEqual(new Date('2026-02-28T23:00:00Z'));
  });
});
