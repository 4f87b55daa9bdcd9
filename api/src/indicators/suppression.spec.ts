import { SECONDARY_SUPPRESSED as S2, SUPPRESSED as S } from '@passerelle/contracts';
import { CountSheet, isSmallCount, suppressCount, suppressLinked, suppressStatistic } from './suppression';

describe('small-count suppression', () => {
  it('primary: 1 to 4 become "< 5"; 0 and 5+ stay', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 120].map(suppressCount)).toEqual([0, S, S, S, S, 5, 6, 120]);
    expect(isSmallCount(0)).toBe(false);
    expect(isSmallCount(4)).toBe(true);
    expect(isSmallCount(5)).toBe(false);
  });

  it('a rate or median over fewer than 5 items is null; 0 items too', () => {
    expect(suppressStatistic(0.5, 4)).toBeNull();
    expect(suppressStatistic(0.5, 0)).toBeNull();
    expect(suppressStatistic(0.5, 5)).toBe(0.5);
    expect(suppressStatistic(null, 10)).toBeNull();
  });

  describe('complementary suppression', () => {
    it('one hidden part beside its total: the next smallest non-zero part is hidden too', () => {
      // parts 3, 0, 7, 12 → total 22: 3 = 22 − 0 − 7 − 12 unless 7 is hidden as well.
      const values = [22, 3, 0, 7, 12];
      expect(suppressLinked(values, [{ members: [1, 2, 3, 4, 0], preferred: [1, 2, 3, 4] }])).toEqual([22, S, 0, S2, 12]);
    });

    it('two hidden parts already protect each other: nothing more is hidden', () => {
      expect(suppressLinked([9, 3, 2, 4], [{ members: [1, 2, 3, 0], preferred: [1, 2, 3] }])).toEqual([9, S, S, S]);
      expect(suppressLinked([13, 3, 2, 8], [{ members: [1, 2, 3, 0], preferred: [1, 2, 3] }])).toEqual([13, S, S, 8]);
    });

    it('a hidden total protects its parts: nothing more is hidden', () => {
      // total 4 and parts 4, 0: both hidden, the zero stays.
      expect(suppressLinked([4, 4, 0], [{ members: [1, 2, 0], preferred: [1, 2] }])).toEqual([S, S, 0]);
    });

    it('without a hidden member, nothing is hidden; zeros are never hidden', () => {
      expect(suppressLinked([15, 5, 10, 0], [{ members: [1, 2, 3, 0], preferred: [1, 2, 3] }])).toEqual([15, 5, 10, 0]);
      // One hidden part, every other part 0 but the total: the part equals the total, itself hidden.
      expect(suppressLinked([2, 2, 0, 0], [{ members: [1, 2, 3, 0], preferred: [1, 2, 3] }])).toEqual([S, S, 0, 0]);
    });

    it('ties go to the first part; parts before the total', () => {
      // 3 hidden; candidates 6 (index 2), 6 (index 3), total 15: index 2.
      expect(suppressLinked([15, 3, 6, 6], [{ members: [1, 2, 3, 0], preferred: [1, 2, 3] }])).toEqual([15, S, S2, 6]);
    });

    it('a total known from elsewhere (not a member) still protects the parts', () => {
      expect(suppressLinked([1, 9, 30], [{ members: [0, 1, 2] }])).toEqual([S, S2, 30]);
    });

    it('cross table with row and column totals: repeats until every line has 0 or 2+ hidden cells', () => {
      //            l1  l2  l3 | total
      //   row A     3  10  20 |   33
      //   row B     8   6  40 |   54
      //   ------------------------------
      //   column   11  16  60 |   87
      // A.l1 = 3 is hidden. Row A: hide A.l2 (10, smallest other). Column l1: hide B.l1 (8). Column l2:
      // A.l2 and B.l2? A.l2 hidden only → hide B.l2 (6). Row B: B.l1, B.l2 hidden → fine. Column l3:
      // nothing hidden. Row totals column (33, 54 → 87): nothing hidden.
      const sheet = new CountSheet();
      const cells = [sheet.addAll([3, 10, 20]), sheet.addAll([8, 6, 40])];
      const rowTotals = cells.map((row, i) => sheet.add([33, 54][i]));
      const colTotals = sheet.addAll([11, 16, 60]);
      const grand = sheet.add(87);
      cells.forEach((row, i) => sheet.sumOf(row, rowTotals[i]));
      [0, 1, 2].forEach((j) =>
        sheet.sumOf(
          cells.map((row) => row[j]),
          colTotals[j],
        ),
      );
      sheet.sumOf(rowTotals, grand);
      sheet.sumOf(colTotals, grand);
      const d = sheet.disclose(true);
      expect(cells.map((row) => row.map((h) => d.count(h)))).toEqual([
        [S, S2, 20],
        [S2, S2, 40],
      ]);
      expect(rowTotals.map((h) => d.count(h))).toEqual([33, 54]);
      expect(colTotals.map((h) => d.count(h))).toEqual([11, 16, 60]);
      expect(d.count(grand)).toBe(87);
    });

    it('a balance relation (before + opened = after + closed) hides a second member', () => {
      // open 10 → opened 2, closed 5 → open 7: opened would be 7 + 5 − 10.
      expect(suppressLinked([10, 2, 7, 5], [{ members: [0, 1, 2, 3] }])).toEqual([10, S, 7, S2]);
    });
  });

  describe('CountSheet', () => {
    it('discloses exact values when not suppressing', () => {
      const sheet = new CountSheet();
      const a = sheet.add(3);
      const b = sheet.add(0);
      sheet.sumOf([a, b]);
      const d = sheet.disclose(false);
      expect([d.count(a), d.count(b)]).toEqual([3, 0]);
      expect(d.statistic(0.75, { denominator: 4, linked: [{ handle: a }] })).toBe(0.75);
      expect(d.suppressed).toBe(false);
    });

    it('a statistic is null over fewer than 5 items, or beside a hidden or small count it would give back', () => {
      const sheet = new CountSheet();
      const total = sheet.add(20);
      const part = sheet.add(3);
      const d = sheet.disclose(true);
      expect(d.statistic(0.15, { denominator: 20, linked: [{ handle: part }, { handle: total }] })).toBeNull();
      expect(d.statistic(0.5, { denominator: 20, linked: [{ handle: total }] })).toBe(0.5);
      expect(d.statistic(0.5, { denominator: 4 })).toBeNull();
      // An unpublished numerator: checked for smallness.
      expect(d.statistic(0.1, { denominator: 20, linked: [2] })).toBeNull();
      expect(d.statistic(0.0, { denominator: 20, linked: [0] })).toBe(0);
      expect(d.exact(part)).toBe(3);
      expect(d.hidden(part)).toBe(true);
    });

    it('refuses counts added after disclosure', () => {
      const sheet = new CountSheet();
      sheet.disclose(true);
      expect(() => sheet.add(1)).toThrow();
    });
  });
});
