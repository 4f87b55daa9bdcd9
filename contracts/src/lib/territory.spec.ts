import { parseTerritoryCode } from './territory';

describe('territory codes', () => {
  it('reads an EPCI (SIREN) or a commune (INSEE, Corsica included)', () => {
    expect(parseTerritoryCode('epci:200067742')).toEqual({ kind: 'epci', code: '200067742' });
    expect(parseTerritoryCode('commune:05061')).toEqual({ kind: 'commune', code: '05061' });
    expect(parseTerritoryCode('commune:2A004')).toEqual({ kind: 'commune', code: '2A004' });
  });

  it.each(['epci:2000', 'commune:5061', 'region:93', 'epci:200067742;', '05061', 'commune:05061 '])('refuses %s', (value) => {
    expect(parseTerritoryCode(value)).toBeNull();
  });
});
