import { DATA_CATEGORIES } from '@passerelle/contracts';
import { PERSON_FIELD_CATEGORIES, projectPerson, type FullPerson } from './person-projection';

const full: FullPerson = {
  id: 'p1',
  usageLastName: 'Martin',
  birthLastName: null,
  firstNames: 'Zoé',
  birthDate: '1980-01-01',
  birthDatePrecision: 'year',
  communeInsee: '05023',
  communeName: 'Briançon',
  noStableHome: true,
  domiciliation: 'CCAS de Gap',
  phone: '0611223344',
  email: null,
  languages: ['fr'],
  needsInterpreter: false,
  contactPreference: 'phone',
  household: 'alone',
  dependentChildren: 0,
  nationalityGroup: 'france',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('projectPerson', () => {
  it('gives a following structure every field', () => {
    const person = projectPerson(full, { reason: 'followed_by_my_structure', categories: [...DATA_CATEGORIES] });
    expect(person).toEqual({ ...full, access: 'followed_by_my_structure', categories: [...DATA_CATEGORIES] });
  });

  it('leaves the fields of unshared categories out of the object (absent, not null)', () => {
    const person = projectPerson(full, { reason: 'consent', categories: ['family_housing'] });
    expect(Object.keys(person).sort()).toEqual(['access', 'categories', 'createdAt', 'dependentChildren', 'domiciliation', 'household', 'id', 'noStableHome', 'updatedAt']);
    expect(JSON.stringify(person)).not.toContain('Martin');
  });

  it('gives only the id and dates when no field category is shared', () => {
    const person = projectPerson(full, { reason: 'consent', categories: ['documents'] });
    expect(Object.keys(person).sort()).toEqual(['access', 'categories', 'createdAt', 'id', 'updatedAt']);
  });

  it('says when the file was anonymised, whatever the categories; the key is absent otherwise', () => {
    const anonymized = { ...full, anonymizedAt: '2026-12-01T03:15:00.000Z' };
    expect(projectPerson(anonymized, { reason: 'consent', categories: ['documents'] }).anonymizedAt).toBe('2026-12-01T03:15:00.000Z');
    expect('anonymizedAt' in projectPerson({ ...full, anonymizedAt: null }, { reason: 'followed_by_my_structure', categories: [...DATA_CATEGORIES] })).toBe(false);
  });

  it('assigns every identity field of the full file to a category', () => {
    const fields = Object.keys(full).filter((k) => !['id', 'createdAt', 'updatedAt'].includes(k));
    expect(Object.keys(PERSON_FIELD_CATEGORIES).sort()).toEqual(fields.sort());
  });
});
