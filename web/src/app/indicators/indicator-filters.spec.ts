import { apiFiltersOf, defaultPeriod, isIsoDay, periodTooLong, queryParamsOf, resolveFilters, sameFilters } from './indicator-filters';

const today = new Date(2026, 10, 24);
const coordinator = { scope: 'territory' as const, ownStructureId: null, today };
const admin = { scope: 'structure' as const, ownStructureId: 'structure-1', today };

describe('indicator filters', () => {
  it('defaults to the last three full months', () => {
    expect(defaultPeriod(today)).toEqual({ from: '2026-08-01', to: '2026-10-31' });
    expect(defaultPeriod(new Date(2026, 0, 15))).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(defaultPeriod(new Date(2024, 2, 1))).toEqual({ from: '2023-12-01', to: '2024-02-29' });
  });

  it('checks calendar days and the 5-year limit', () => {
    expect(isIsoDay('2026-02-28')).toBe(true);
    expect(isIsoDay('2026-02-30')).toBe(false);
    expect(isIsoDay('28/02/2026')).toBe(false);
    expect(periodTooLong('2021-01-01', '2025-12-31')).toBe(false);
    expect(periodTooLong('2021-01-01', '2026-01-01')).toBe(true);
  });

  it('reads the URL for a coordinator, ignoring malformed values, and builds the API query', () => {
    const resolved = resolveFilters(
      { du: '2026-01-01', au: '2026-03-31', territoire: 'epci:200067825', structure: 's-1', besoin: '5', canal: 'phone', lieu: 'site-1' },
      coordinator,
    );
    expect(apiFiltersOf(resolved, 'territory')).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      territory: 'epci:200067825',
      structureId: 's-1',
      bouquet: 5,
      channel: 'phone',
      siteId: 'site-1',
    });
    const odd = resolveFilters({ du: '2026-03-31', au: '2026-01-01', territoire: 'région', besoin: '99', canal: 'pigeon', lieu: 'site-1' }, coordinator);
    // A reversed period is the default one; a site without its structure means nothing.
    expect(apiFiltersOf(odd, 'territory')).toEqual({ from: '2026-08-01', to: '2026-10-31' });
  });

  it('gives a structure admin their structure, or the territory with scope=territory', () => {
    const own = resolveFilters({ lieu: 'site-1', structure: 'other' }, admin);
    expect(apiFiltersOf(own, 'structure')).toEqual({ from: '2026-08-01', to: '2026-10-31', structureId: 'structure-1', siteId: 'site-1' });
    const territory = resolveFilters({ perimetre: 'territoire', lieu: 'site-1', territoire: 'commune:05061' }, admin);
    expect(apiFiltersOf(territory, 'structure')).toEqual({ from: '2026-08-01', to: '2026-10-31', territory: 'commune:05061', scope: 'territory' });
  });

  it('writes the form back to query parameters (null removes one)', () => {
    const value = resolveFilters({ du: '2026-01-01', au: '2026-01-31', structure: 's-1', lieu: 'site-1' }, coordinator);
    expect(queryParamsOf(value, 'territory')).toEqual({
      du: '2026-01-01',
      au: '2026-01-31',
      territoire: null,
      structure: 's-1',
      besoin: null,
      canal: null,
      lieu: 'site-1',
      perimetre: null,
    });
    const territory = resolveFilters({ perimetre: 'territoire' }, admin);
    expect(queryParamsOf({ ...territory, siteId: 'site-1' }, 'structure')).toMatchObject({ structure: null, lieu: null, perimetre: 'territoire' });
  });

  it('compares filters by value', () => {
    expect(sameFilters({ from: 'a', to: 'b', bouquet: 5 }, { bouquet: 5, to: 'b', from: 'a' })).toBe(true);
    expect(sameFilters({ from: 'a', to: 'b' }, { from: 'a', to: 'b', scope: 'territory' })).toBe(false);
  });
});
