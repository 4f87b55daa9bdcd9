import { formatBirth, identityFromSearch, parseBirth, personName, toSearchQuery } from './person-format';

const today = new Date(2026, 10, 24);

describe('person format', () => {
  it('reads a birth date, a month or a year typed at the desk', () => {
    expect(parseBirth('14/07/1984', today)).toEqual({ birthDate: '1984-07-14', birthDatePrecision: 'day' });
    expect(parseBirth('1.2.1990', today)).toEqual({ birthDate: '1990-02-01', birthDatePrecision: 'day' });
    expect(parseBirth('1984-07-14', today)).toEqual({ birthDate: '1984-07-14', birthDatePrecision: 'day' });
    expect(parseBirth('07/1984', today)).toEqual({ birthDate: '1984-07-01', birthDatePrecision: 'month' });
    expect(parseBirth(' 1984 ', today)).toEqual({ birthDate: '1984-01-01', birthDatePrecision: 'year' });
    expect(parseBirth('', today)).toBeNull();
  });

  it('refuses impossible or future dates', () => {
    expect(parseBirth('31/02/1984', today)).toBe('invalid');
    expect(parseBirth('13/1984', today)).toBe('invalid');
    expect(parseBirth('1850', today)).toBe('invalid');
    expect(parseBirth('25/11/2026', today)).toBe('invalid');
    expect(parseBirth('12/2026', today)).toBe('invalid');
    expect(parseBirth('né en 84', today)).toBe('invalid');
  });

  it('shows the birth with its precision, without gender', () => {
    expect(formatBirth('1984-01-01', 'year')).toBe('1984');
    expect(formatBirth('1984-07-01', 'month')).toBe('07/1984');
    expect(formatBirth('1984-07-14', 'day')).toBe('14/07/1984');
    expect(formatBirth(null, null)).toBe('');
  });

  it('names a person by first names and usage name, else birth name', () => {
    expect(personName({ firstNames: 'Jean-Pierre', usageLastName: "N'Diaye", birthLastName: null })).toBe("Jean-Pierre N'Diaye");
    expect(personName({ firstNames: 'Zoé', usageLastName: null, birthLastName: 'Lefèvre' })).toBe('Zoé Lefèvre');
    expect(personName({ firstNames: null, usageLastName: null, birthLastName: null })).toBe('Personne sans nom');
  });

  it('sends a birth year or date typed after the name as `birth`', () => {
    expect(toSearchQuery('dupont marie 1984', 8)).toEqual({ q: 'dupont marie', birth: '1984', limit: 8 });
    expect(toSearchQuery('durand 14/07/1984')).toEqual({ q: 'durand', birth: '1984-07-14' });
    expect(toSearchQuery('06 12 34 56 78')).toEqual({ q: '06 12 34 56 78' });
    expect(toSearchQuery('marie@exemple.fr')).toEqual({ q: 'marie@exemple.fr' });
  });

  it('prefills a new person from the search: "NOM Prénom", phone or e-mail', () => {
    expect(identityFromSearch('Martin Lucas 1984')).toEqual({
      usageLastName: 'Martin',
      firstNames: 'Lucas',
      birth: '1984',
      phone: '',
      email: '',
    });
    expect(identityFromSearch('06 12 34 56 78').phone).toBe('0612345678');
    expect(identityFromSearch('lucas@exemple.fr').email).toBe('lucas@exemple.fr');
    expect(identityFromSearch('')).toEqual({ usageLastName: '', firstNames: '', birth: '', phone: '', email: '' });
  });
});
