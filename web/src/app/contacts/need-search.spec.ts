import { needLabel, searchNeeds } from './need-search';

const codes = (text: string, exclude: number[] = []) =>
  searchNeeds(text, exclude as never).map((bouquet) => bouquet.code);

describe('searchNeeds', () => {
  it('finds a bouquet by a keyword, whatever the case and accents', () => {
    expect(codes('logement')[0]).toBe(14);
    expect(codes('CAF')).toEqual([5]);
    expect(codes('rsa')).toEqual([5]);
    expect(codes('papiers')).toEqual([4]);
    expect(codes('creche')).toEqual([6]);
    expect(codes('électricité')).toEqual([17]);
  });

  it('matches the beginning of words, every word typed', () => {
    expect(codes('log')).toContain(14);
    expect(codes('aide alim')).toEqual([10]);
  });

  it('puts label matches before keyword matches', () => {
    // "Santé" is a label (8) and a keyword of Prestations sociales (5, "complémentaire santé").
    expect(codes('sante')).toEqual([8, 5]);
    expect(codes('emploi')[0]).toBe(11);
  });

  it('takes the bouquet number', () => {
    expect(codes('14')).toEqual([14]);
  });

  it('proposes all 18 for an empty text, minus the ones already chosen', () => {
    expect(codes('')).toHaveLength(18);
    expect(codes('', [1, 14])).toHaveLength(16);
    expect(codes('logement', [14])).toEqual([]);
  });

  it('labels a bouquet by its code', () => {
    expect(needLabel(14)).toBe('Hébergement / logement');
  });
});
