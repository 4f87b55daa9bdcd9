import { Structure } from '@passerelle/contracts';
import { groupStructuresByType } from './structures-by-type';

function structure(name: string, type: Structure['type']): Structure {
  return {
    id: name,
    name,
    type,
    siret: null,
    email: null,
    phone: null,
    communeInsee: null,
    communeName: null,
    active: true,
    siteCount: 1,
  };
}

describe('groupStructuresByType', () => {
  it('groups by type in the reference order, sorts names and drops empty types', () => {
    const groups = groupStructuresByType([
      structure('Mairie de Veynes', 'mairie'),
      structure('CCAS de Gap', 'ccas'),
      structure('Mairie de Briançon', 'mairie'),
    ]);
    expect(groups.map((g) => [g.type, g.structures.map((s) => s.name)])).toEqual([
      ['ccas', ['CCAS de Gap']],
      ['mairie', ['Mairie de Briançon', 'Mairie de Veynes']],
    ]);
  });
});
