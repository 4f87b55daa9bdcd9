import { bouquetOfThematique } from '@passerelle/contracts';
import { list, mapService, mapStructure, parseCsv, parseSourceFile, SourceFileError, type Territory } from './data-inclusion';

const territory: Territory = {
  departement: '05',
  communes: new Map([
    ['05046', '200067742'],
    ['05040', '200067742'],
    ['05061', '200067825'],
  ]),
};

describe('data·inclusion files', () => {
  it('reads CSV with quotes, doubled quotes, line breaks inside quotes, a BOM and “;” as separator', () => {
    const csv = '\uFEFFid;nom;presentation_detail\r\n1;"CCAS; Embrun";"Sur ""rendez-vous""\nle mardi"\r\n\r\n2;Mairie;\n';
    expect(parseSourceFile(csv, 'services')).toEqual([
      { row: 2, values: { id: '1', nom: 'CCAS; Embrun', presentation_detail: 'Sur "rendez-vous"\nle mardi' } },
      { row: 5, values: { id: '2', nom: 'Mairie', presentation_detail: '' } }, // line 4 is empty
    ]);
    expect(() => parseCsv('id,nom\n1,"ouvert', 'services')).toThrow(SourceFileError);
  });

  it('reads JSON arrays and data·inclusion API pages; refuses other JSON', () => {
    expect(parseSourceFile('[{"id":"a"},{"id":"b"}]', 'structures').map((r) => [r.row, r.values['id']])).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(parseSourceFile('{"items":[{"id":"a"}],"total":1}', 'structures')).toHaveLength(1);
    expect(() => parseSourceFile('{"id":"a"}', 'structures')).toThrow('doit être un tableau');
    expect(() => parseSourceFile('[{"id":', 'structures')).toThrow('n’est pas un JSON valide');
  });

  it('reads lists written as JSON, PostgreSQL arrays or separated values', () => {
    expect(list(['a', ' b ', ''])).toEqual(['a', 'b']);
    expect(list('["a","b"]')).toEqual(['a', 'b']);
    expect(list('{a,b}')).toEqual(['a', 'b']);
    expect(list('a|b')).toEqual(['a', 'b']);
    expect(list('a; b')).toEqual(['a', 'b']);
    expect(list('')).toEqual([]);
  });
});

describe('data·inclusion structures', () => {
  it('maps typologies, normalises the phone, drops an invalid SIRET with a warning, and keeps the site', () => {
    const mapped = mapStructure(
      { row: 1, values: { id: 'x', nom: 'CCAS', typologie: 'cias', code_insee: '05046', telephone: '+33 4 92 43 00 00', siret: '123', adresse: 'Place', complement_adresse: 'Bât. B' } },
      territory,
    );
    expect(mapped).toEqual({
      kind: 'ok',
      warnings: ['SIRET « 123 » ignoré : 14 chiffres avec une clé de contrôle correcte attendus.'],
      value: expect.objectContaining({ type: 'ccas', phone: '0492430000', siret: null, communeInsee: '05046', site: { address: 'Place, Bât. B', openingHours: null } }),
    });
    const asso = mapStructure({ row: 1, values: { id: 'y', nom: 'Asso', typologie: 'ASSO_XYZ', code_insee: '05061' } }, territory);
    expect(asso.kind === 'ok' && asso.value.type).toBe('association');
    const other = mapStructure({ row: 1, values: { id: 'z', nom: 'Autre', typologie: 'BIB' } }, territory);
    expect(other.kind === 'ok' && [other.value.type, other.value.site]).toEqual(['other', null]);
  });

  it('leaves out structures of other départements, and rejects rows without id or name', () => {
    expect(mapStructure({ row: 1, values: { id: 'g', nom: 'Grenoble', code_insee: '38185' } }, territory)).toEqual({ kind: 'outside' });
    expect(mapStructure({ row: 1, values: { nom: 'Sans id' } }, territory)).toEqual({ kind: 'rejected', message: 'Identifiant data·inclusion (« id ») manquant.' });
    expect(mapStructure({ row: 1, values: { id: 'n' } }, territory)).toMatchObject({ kind: 'rejected' });
    expect(mapStructure({ row: 1, values: { id: 'n', nom: 'X', code_insee: '5046' } }, territory)).toMatchObject({ kind: 'rejected', message: expect.stringContaining('Code INSEE') });
  });
});

describe('data·inclusion services', () => {
  const base = { id: 's', structure_id: 'x', nom: 'Service', thematiques: 'logement-hebergement' };

  it('takes the bouquets from the thématiques (with the second-level overrides) and the vocabularies from data·inclusion codes', () => {
    const mapped = mapService(
      {
        row: 2,
        values: {
          ...base,
          thematiques: '["famille--garde-denfants","sante","cuisine"]',
          frais: 'gratuit-sous-conditions',
          modes_accueil: 'en-presentiel|a-distance',
          modes_orientation_beneficiaire: '["se-presenter","envoyer-un-mail","par-pigeon"]',
          publics: 'familles',
          profils: 'familles,jeunes',
          justificatifs: 'Pièce d’identité|RIB',
          pre_requis: 'Habiter la commune',
          recurrence: 'Mo 09:00-12:00',
          date_maj: '2026-01-15',
        },
      },
      territory,
    );
    expect(mapped.kind).toBe('ok');
    if (mapped.kind !== 'ok') return;
    expect(mapped.value.columns).toMatchObject({
      bouquets: [6, 8],
      thematiques: ['famille--garde-denfants', 'sante'],
      cost: 'free_under_conditions',
      receptionModes: ['in_person', 'remote'],
      mobilizationModes: ['show_up', 'email'],
      publics: ['familles', 'jeunes'],
      documentsToBring: ['Pièce d’identité', 'RIB'],
      accessConditions: 'Habiter la commune',
      openingHours: 'Mo 09:00-12:00',
      zoneKind: 'departement',
    });
    expect(mapped.value.verifiedAt?.toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(mapped.warnings).toEqual(['Thématique « cuisine » inconnue, ignorée.', 'Mode de mobilisation « par-pigeon » inconnu(e), ignoré(e).']);
  });

  it('maps the zone: a commune, an EPCI (its communes of the tenant), the tenant’s département; others are outside', () => {
    const zone = (type: string, code: string) => {
      const mapped = mapService({ row: 2, values: { ...base, zone_diffusion_type: type, zone_diffusion_code: code } }, territory);
      return mapped.kind === 'ok' ? [mapped.value.columns.zoneKind, mapped.value.columns.zoneCommunes] : mapped.kind;
    };
    expect(zone('commune', '05046')).toEqual(['communes', ['05046']]);
    expect(zone('epci', '200067742')).toEqual(['communes', ['05040', '05046']]);
    expect(zone('departement', '05')).toEqual(['departement', []]);
    expect(zone('region', '93')).toEqual(['departement', []]);
    expect(zone('commune', '38185')).toBe('outside');
    expect(zone('epci', '200040715')).toBe('outside');
    expect(zone('departement', '38')).toBe('outside');
  });

  it('rejects a service without a recognised thématique, without a name or structure', () => {
    expect(mapService({ row: 2, values: { ...base, thematiques: 'cuisine' } }, territory)).toMatchObject({ kind: 'rejected', message: expect.stringContaining('Aucune thématique reconnue') });
    expect(mapService({ row: 2, values: { ...base, nom: ' ' } }, territory)).toMatchObject({ kind: 'rejected', message: 'Nom du service (« nom ») manquant.' });
    expect(mapService({ row: 2, values: { ...base, structure_id: '' } }, territory)).toMatchObject({ kind: 'rejected', message: expect.stringContaining('structure_id') });
  });

  it('maps every first-level thématique to a bouquet', () => {
    expect(bouquetOfThematique('logement-hebergement--mal-loges-sans-logis')).toBe(14);
    expect(bouquetOfThematique('famille--violences-intrafamiliales')).toBe(2);
    expect(bouquetOfThematique('inconnu')).toBeNull();
  });
});
