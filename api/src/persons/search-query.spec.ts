import { nationalPhoneDigits, parseSearchQuery } from './search-query';
import { nextPrefix } from './persons.repository';

describe('parseSearchQuery: what the agent typed', () => {
  it.each([
    ['06 12 34 56 78', '0612345678'],
    ['06.12.34.56.78', '0612345678'],
    ['+33 6 12 34 56 78', '0612345678'],
    ['+33 (0)6 12 34 56 78', '0612345678'],
    ['0033 6 12 34 56 78', '0612345678'],
    ['06 12 34', '061234'],
    ['+33 6 12', '0612'],
    ['0492', '0492'],
  ])('%s is a phone number: %s', (q, digits) => {
    expect(parseSearchQuery(q)).toEqual({ kind: 'phone', digits });
  });

  it.each([
    ['Jean.Dupont@Example.org', 'jean.dupont@example.org', true],
    [' jp.ndiaye@exemple.fr ', 'jp.ndiaye@exemple.fr', true],
    ['jean.dupont@', 'jean.dupont@', false],
    ['jean.dupont@exam', 'jean.dupont@exam', false],
  ])('%s is an e-mail address (%s, complete: %s)', (q, email, complete) => {
    expect(parseSearchQuery(q)).toEqual({ kind: 'email', email, complete });
  });

  it.each([
    ['Jean-Pierre N’Diaye', 'Jean-Pierre N’Diaye', ['jean', 'pierre', 'n', 'diaye']],
    ['  ndiaye   jean pierre ', 'ndiaye jean pierre', ['ndiaye', 'jean', 'pierre']],
    ['Zoé', 'Zoé', ['zoe']],
    ['LEFÈVRE zoé', 'LEFÈVRE zoé', ['lefevre', 'zoe']],
    ['lef z', 'lef z', ['lef', 'z']],
    ['Ng', 'Ng', ['ng']],
    ['D’Almeida-Søren', 'D’Almeida-Søren', ['d', 'almeida', 'søren']],
    ['Haddad محمد', 'Haddad محمد', ['haddad']],
  ])('%s is a name query: %j', (q, text, words) => {
    expect(parseSearchQuery(q)).toEqual({ kind: 'name', text, words, birth: null });
  });

  it.each([
    ['dupont marie 1984', 'dupont marie', { date: '1984-01-01', precision: 'year' }],
    ['martin 12/06/1984', 'martin', { date: '1984-06-12', precision: 'day' }],
    ['1984-06-12 martin', 'martin', { date: '1984-06-12', precision: 'day' }],
    ['martin 3.2.1951 paul', 'martin paul', { date: '1951-02-03', precision: 'day' }],
  ])('%s: names with a birth date inside', (q, text, birth) => {
    expect(parseSearchQuery(q)).toEqual({ kind: 'name', text, words: text.split(' '), birth });
  });

  it('keeps the first words only', () => {
    expect(parseSearchQuery('aa bb cc dd ee ff gg hh')).toMatchObject({ kind: 'name', words: ['aa', 'bb', 'cc', 'dd', 'ee', 'ff'] });
  });

  it.each(['', '   ', 'a', 'j p', '1984', '12', '06', '061', '12/06/1984', '-', "'", 'محمد'])('%j: nothing to look for yet', (q) => {
    expect(parseSearchQuery(q)).toEqual({ kind: 'none' });
  });

  it('does not take a foreign or malformed number for a French one', () => {
    expect(nationalPhoneDigits('+44 20 7946 0958')).toBeNull();
    expect(nationalPhoneDigits('06 12 34 56 78 90')).toBeNull();
    expect(nationalPhoneDigits('1234')).toBeNull();
  });
});

describe('nextPrefix: upper bound of the numbers beginning with the typed digits', () => {
  it.each([
    ['0612', '0613'],
    ['0619', '062'],
    ['0699', '07'],
    ['0612345678', '0612345679'],
    ['9999', null],
  ])('%s → %s', (digits, next) => {
    expect(nextPrefix(digits)).toBe(next);
  });
});
