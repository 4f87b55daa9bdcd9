import type { DirectoryImportReport, DirectorySearchHit, DirectoryService } from '@passerelle/contracts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { DemoSeeder } from '../demo/demo-seeder';
import { DEMO_SERVICES } from './demo-services';
import { searchSql } from './directory.repository';
import type { HsdsExport } from './hsds';
import { SiteEntity } from '../structures/site.entity';
import { TerritoryService } from '../territory/territory.service';
import { StructureEntity } from '../structures/structure.entity';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const EMBRUN = '05046';
const CHORGES = '05040'; // CC Serre-Ponçon, like Embrun
const GAP = '05061'; // CA Gap-Tallard-Durance

describe('directory of services (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const fields = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field);
  const auditRows = (entityId: string) =>
    t.dataSource.query(`SELECT action, entity_type, user_id, reason FROM audit_event WHERE entity_id = $1 ORDER BY id`, [entityId]);
  const addSite = (structureId: string, input: Partial<SiteEntity> = {}) =>
    t.dataSource.manager.save(
      t.dataSource.manager.create(SiteEntity, { tenantId: t.tenant.id, structureId, name: 'Accueil', kind: 'fixed', communeInsee: GAP, ...input }),
    );
  const ids = (hits: DirectorySearchHit[], among: string[]) => hits.filter((h) => among.includes(h.id)).map((h) => h.id);
  /** Moves a service's last verification back by `months`. */
  const ageService = (id: string, months: number) =>
    t.dataSource.query(`UPDATE service SET last_verified_at = now() - make_interval(months => $2) WHERE id = $1`, [id, months]);

  it('lets a structure admin create a complete service, normalised, verified by them and audited', async () => {
    const structure = await t.createStructure({ name: 'CCAS d’Embrun (test création)', communeInsee: EMBRUN });
    const site = await addSite(structure.id, { name: 'Accueil du CCAS', communeInsee: EMBRUN });
    const permanence = await addSite(structure.id, {
      name: 'Permanence de Crots',
      kind: 'itinerant',
      communeInsee: '05045',
      recurrence: 'FREQ=WEEKLY;BYDAY=TH',
    });
    const admin = await t.signIn('structure_admin', structure.id);
    await t.dataSource.query(`UPDATE app_user SET first_name = 'Lucie', last_name = 'Faure' WHERE id = $1`, [admin.userId]);

    const res = await admin.post(`/api/structures/${structure.id}/services`, {
      name: '  Aide au logement  ',
      description: 'Accompagnement dans la recherche d’un logement, demande de FSL.',
      bouquets: [14, 5],
      thematiques: ['logement-hebergement--etre-accompagne-pour-se-loger', 'Gestion-financiere'],
      publics: ['familles', 'jeunes'],
      accessConditions: 'Habiter la commune.',
      cost: 'free',
      costDetails: null,
      receptionModes: ['in_person', 'remote'],
      mobilizationModes: ['show_up', 'phone'],
      mobilizationUrl: 'https://www.embrun.fr/rendez-vous',
      documentsToBring: ['Pièce d’identité', '  ', 'Avis d’imposition '],
      openingHours: 'Mo-Fr 9-12',
      zoneKind: 'communes',
      zoneCommunes: [EMBRUN, '05045'],
      siteIds: [site.id, permanence.id],
      contactPhone: '04 92 43 00 00',
      contactEmail: 'logement@embrun.fr',
      website: 'https://www.embrun.fr',
    });
    expect(res.status).toBe(201);
    const service = res.body as DirectoryService;
    expect(service).toMatchObject({
      structure: { id: structure.id, name: structure.name, type: 'ccas' },
      name: 'Aide au logement',
      bouquets: [5, 14],
      thematiques: ['logement-hebergement--etre-accompagne-pour-se-loger', 'gestion-financiere'],
      publics: ['familles', 'jeunes'],
      cost: 'free',
      receptionModes: ['in_person', 'remote'],
      mobilizationModes: ['show_up', 'phone'],
      documentsToBring: ['Pièce d’identité', 'Avis d’imposition'],
      openingHours: 'Mo-Fr 09:00-12:00',
      zone: { kind: 'communes', communes: [{ insee: '05045', name: 'Crots' }, { insee: EMBRUN, name: 'Embrun' }] },
      contactPhone: '0492430000',
      contactEmail: 'logement@embrun.fr',
      active: true,
      lastVerifiedBy: 'Lucie Faure',
      stale: false,
      source: 'passerelle',
    });
    expect(service.sites).toEqual([
      { id: site.id, name: 'Accueil du CCAS', kind: 'fixed', communeInsee: EMBRUN, communeName: 'Embrun' },
      { id: permanence.id, name: 'Permanence de Crots', kind: 'itinerant', communeInsee: '05045', communeName: 'Crots' },
    ]);
    expect(Date.now() - Date.parse(service.lastVerifiedAt)).toBeLessThan(60_000);
    expect(await auditRows(service.id)).toEqual([{ action: 'service.create', entity_type: 'service', user_id: admin.userId, reason: null }]);

    // The whole offer of the structure, and one service by id, for any directory role.
    const list = await admin.get(`/api/structures/${structure.id}/services`);
    expect(list.status).toBe(200);
    expect((list.body as DirectoryService[]).map((s) => s.id)).toEqual([service.id]);
    const agent = await t.signIn('reception_agent');
    const one = await agent.get(`/api/directory/services/${service.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(service);
    expect((await agent.get(`/api/directory/services/${UNKNOWN_ID}`)).status).toBe(404);
  });

  it('refuses invalid services with 400 and French field messages', async () => {
    const structure = await t.createStructure({ name: 'Structure (test validation services)' });
    const other = await t.createStructure({ name: 'Autre structure (test validation services)' });
    const theirSite = await addSite(other.id, { name: 'Site d’une autre structure' });
    const closedSite = await addSite(structure.id, { name: 'Site fermé', active: false });
    const admin = await t.signIn('structure_admin', structure.id);
    const base = `/api/structures/${structure.id}/services`;
    const valid = { name: 'Service valide', bouquets: [10] };

    const badHours = await admin.post(base, { ...valid, openingHours: 'du lundi au vendredi de 9h à 12h' });
    expect(badHours.status).toBe(400);
    expect(badHours.body.code).toBe('VALIDATION_FAILED');
    expect(badHours.body.details).toEqual([{ field: 'openingHours', messages: [expect.stringContaining('syntaxe OpenStreetMap')] }]);

    const unknownCommune = await admin.post(base, { ...valid, zoneKind: 'communes', zoneCommunes: [EMBRUN, '38185'] });
    expect(unknownCommune.status).toBe(400);
    expect(fields(unknownCommune.body)).toEqual(['zoneCommunes']);
    expect(unknownCommune.body.message).toBe('La commune de code INSEE 38185 ne fait pas partie de votre département.');

    const noCommune = await admin.post(base, { ...valid, zoneKind: 'communes' });
    expect(noCommune.status).toBe(400);
    expect(fields(noCommune.body)).toEqual(['zoneCommunes']);

    const foreignSite = await admin.post(base, { ...valid, siteIds: [theirSite.id] });
    expect(foreignSite.status).toBe(400);
    expect(fields(foreignSite.body)).toEqual(['siteIds']);
    expect(foreignSite.body.message).toContain('lieux d’accueil ouverts de sa propre structure');
    expect((await admin.post(base, { ...valid, siteIds: [closedSite.id] })).status).toBe(400);

    const unknownField = await admin.post(base, { ...valid, price: 12 });
    expect(unknownField.status).toBe(400);
    expect(fields(unknownField.body)).toEqual(['price']);

    const many = await admin.post(base, {
      name: ' ',
      bouquets: [0, 19],
      thematiques: ['cuisine'],
      cost: 'cheap',
      receptionModes: ['by_pigeon'],
      mobilizationUrl: 'javascript:alert(1)',
      contactPhone: '12 34',
      contactEmail: 'pas-une-adresse',
      zoneKind: 'region',
      documentsToBring: [123],
    });
    expect(many.status).toBe(400);
    expect(fields(many.body)).toEqual(
      expect.arrayContaining([
        'name',
        'bouquets',
        'thematiques',
        'cost',
        'receptionModes',
        'mobilizationUrl',
        'contactPhone',
        'contactEmail',
        'zoneKind',
        'documentsToBring',
      ]),
    );
    expect(many.body.details.find((d: { field: string }) => d.field === 'bouquets').messages).toContain(
      'Bouquet de services inconnu : un code de 1 à 18 est attendu.',
    );
    expect((await admin.post(base, { name: 'Sans besoin', bouquets: [] })).status).toBe(400);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM service WHERE structure_id = $1`, [structure.id]);
    expect(n).toBe(0);

    const created = await admin.post(base, valid);
    expect(created.status).toBe(201);
    expect(created.body.zone).toEqual({ kind: 'departement', communes: [] });
    const patchBad = await admin.patch(`/api/services/${created.body.id}`, { openingHours: 'tous les jours', name: null });
    expect(patchBad.status).toBe(400);
    expect(fields(patchBad.body)).toEqual(expect.arrayContaining(['openingHours', 'name']));
    expect((await admin.patch(`/api/services/${UNKNOWN_ID}`, { name: 'x' })).status).toBe(404);
    expect((await admin.patch('/api/services/not-a-uuid', { name: 'x' })).status).toBe(400);
  });

  it('updates partially (editing verifies, withdrawing does not), replaces the sites, and audits each write', async () => {
    const structure = await t.createStructure({ name: 'Structure (test modification services)' });
    const site1 = await addSite(structure.id, { name: 'Site 1' });
    const site2 = await addSite(structure.id, { name: 'Site 2', communeInsee: EMBRUN });
    const admin = await t.signIn('structure_admin', structure.id);
    const created = await admin.post(`/api/structures/${structure.id}/services`, {
      name: 'Épicerie solidaire',
      bouquets: [10],
      zoneKind: 'communes',
      zoneCommunes: [GAP],
      siteIds: [site1.id],
      openingHours: 'We 14:00-17:00',
    });
    const id = created.body.id as string;

    await ageService(id, 7);
    const edited = await admin.patch(`/api/services/${id}`, { siteIds: [site2.id], zoneKind: 'departement', costDetails: '10 % du prix' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      name: 'Épicerie solidaire',
      openingHours: 'We 14:00-17:00',
      costDetails: '10 % du prix',
      zone: { kind: 'departement', communes: [] },
      stale: false,
    });
    expect((edited.body as DirectoryService).sites.map((s) => s.id)).toEqual([site2.id]);
    const [row] = await t.dataSource.query(`SELECT zone_communes FROM service WHERE id = $1`, [id]);
    expect(row.zone_communes).toEqual([]);

    await ageService(id, 7);
    const withdrawn = await admin.patch(`/api/services/${id}`, { active: false });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ active: false, stale: true });
    // Still in the structure's list, and readable by its admin, but not by others.
    expect((await admin.get(`/api/structures/${structure.id}/services`)).body[0]).toMatchObject({ id, active: false });
    expect((await admin.get(`/api/directory/services/${id}`)).status).toBe(200);
    const agent = await t.signIn('reception_agent');
    expect((await agent.get(`/api/directory/services/${id}`)).status).toBe(404);

    expect(await auditRows(id)).toEqual([
      expect.objectContaining({ action: 'service.create' }),
      expect.objectContaining({ action: 'service.update', reason: null }),
      expect.objectContaining({ action: 'service.update', reason: 'deactivated' }),
    ]);
  });

  it('keeps management to the structure’s admin (and the platform admin); others get 403', async () => {
    const mine = await t.createStructure({ name: 'Structure A (test droits services)' });
    const theirs = await t.createStructure({ name: 'Structure B (test droits services)' });
    const theirAdmin = await t.signIn('structure_admin', theirs.id);
    const theirService = (await theirAdmin.post(`/api/structures/${theirs.id}/services`, { name: 'Service de B', bouquets: [1] })).body as DirectoryService;

    const admin = await t.signIn('structure_admin', mine.id);
    expect((await admin.post(`/api/structures/${theirs.id}/services`, { name: 'Intrus', bouquets: [1] })).status).toBe(403);
    expect((await admin.patch(`/api/services/${theirService.id}`, { name: 'Renommé' })).status).toBe(403);
    expect((await admin.post(`/api/services/${theirService.id}/verify`)).status).toBe(403);
    expect((await admin.get(`/api/structures/${theirs.id}/services`)).status).toBe(403);
    expect((await admin.post(`/api/structures/${UNKNOWN_ID}/services`, { name: 'x', bouquets: [1] })).status).toBe(404);

    const agent = await t.signIn('reception_agent', mine.id);
    expect((await agent.post(`/api/structures/${mine.id}/services`, { name: 'Agent', bouquets: [1] })).status).toBe(403);
    expect((await agent.patch(`/api/services/${theirService.id}`, { name: 'Agent' })).status).toBe(403);
    const coordinator = await t.signIn('coordinator');
    expect((await coordinator.post(`/api/structures/${theirs.id}/services`, { name: 'Coordination', bouquets: [1] })).status).toBe(403);
    expect((await coordinator.get('/api/directory/services?q=service de b')).status).toBe(200);
    expect((await coordinator.get('/api/directory/stale')).status).toBe(403);

    const [row] = await t.dataSource.query(`SELECT name FROM service WHERE id = $1`, [theirService.id]);
    expect(row.name).toBe('Service de B');

    const platform = await t.signIn('platform_admin');
    expect((await platform.patch(`/api/services/${theirService.id}`, { name: 'Service de B (renommé)' })).status).toBe(200);
    expect((await platform.post(`/api/structures/${theirs.id}/services`, { name: 'Par la plateforme', bouquets: [2] })).status).toBe(201);
    // The platform admin manages, but does not search the directory (not an orienting role).
    expect((await platform.get('/api/directory/services')).status).toBe(403);
  });

  it('searches by need and commune: delivered in the commune, then in its EPCI, then further; out-of-zone services absent', async () => {
    const embrun = await t.createStructure({ name: 'Mairie d’Embrun (test recherche)', type: 'mairie', communeInsee: EMBRUN });
    const chorges = await t.createStructure({ name: 'CCAS de Chorges (test recherche)', communeInsee: CHORGES });
    const dept = await t.createStructure({ name: 'Département (test recherche)', type: 'departmental_social_service', communeInsee: GAP });
    const gapOnly = await t.createStructure({ name: 'CCAS de Gap (test recherche)', communeInsee: GAP });
    const embrunSite = await addSite(embrun.id, { name: 'Hôtel de ville', communeInsee: EMBRUN });
    const chorgesSite = await addSite(chorges.id, { name: 'CCAS de Chorges', communeInsee: CHORGES });
    const deptSite = await addSite(dept.id, { name: 'CMS de Gap', communeInsee: GAP });
    const gapSite = await addSite(gapOnly.id, { name: 'CCAS de Gap', communeInsee: GAP });
    const create = async (structureId: string, body: object) => {
      const admin = await t.signIn('structure_admin', structureId);
      const res = await admin.post(`/api/structures/${structureId}/services`, body);
      expect(res.status).toBe(201);
      return res.body as DirectoryService;
    };
    // Names chosen so that alphabetical order is the reverse of the expected ranking.
    const inCommune = await create(embrun.id, { name: 'Zz logement Embrun', description: 'Hébergement d’urgence', bouquets: [14], siteIds: [embrunSite.id] });
    const inEpci = await create(chorges.id, { name: 'Yy logement Chorges', bouquets: [14, 10], siteIds: [chorgesSite.id] });
    const deptWide = await create(dept.id, { name: 'Xx logement département', bouquets: [14], siteIds: [deptSite.id] });
    const zoneCovers = await create(gapOnly.id, {
      name: 'Ww logement hors site',
      bouquets: [14],
      siteIds: [gapSite.id],
      zoneKind: 'communes',
      zoneCommunes: [EMBRUN, GAP],
    });
    const outOfZone = await create(gapOnly.id, { name: 'Vv logement Gap seulement', bouquets: [14], siteIds: [gapSite.id], zoneKind: 'communes', zoneCommunes: [GAP] });
    const otherNeed = await create(embrun.id, { name: 'Uu emploi Embrun', bouquets: [11], siteIds: [embrunSite.id] });
    const fixture = [inCommune, inEpci, deptWide, zoneCovers, outOfZone, otherNeed].map((s) => s.id);

    const agent = await t.signIn('reception_agent');
    const res = await agent.get(`/api/directory/services?bouquet=14&commune=${EMBRUN}&limit=50`);
    expect(res.status).toBe(200);
    const hits = res.body as DirectorySearchHit[];
    expect(ids(hits, fixture)).toEqual([inCommune.id, inEpci.id, zoneCovers.id, deptWide.id]);
    expect(hits.filter((h) => fixture.includes(h.id)).map((h) => h.proximity)).toEqual(['commune', 'epci', 'departement', 'departement']);
    expect(hits.find((h) => h.id === inCommune.id)).toMatchObject({ name: 'Zz logement Embrun', structure: { name: embrun.name }, sites: [{ communeName: 'Embrun' }] });

    // In Gap: the out-of-zone service is there, the Gap sites first.
    const gap = (await agent.get(`/api/directory/services?bouquet=14&commune=${GAP}&limit=50`)).body as DirectorySearchHit[];
    expect(ids(gap, fixture)).toEqual([outOfZone.id, zoneCovers.id, deptWide.id, inEpci.id, inCommune.id]);

    // Without a commune: every active service of the need, by name, proximity not computed.
    const anywhere = (await agent.get('/api/directory/services?bouquet=14&limit=50')).body as DirectorySearchHit[];
    expect(ids(anywhere, fixture)).toEqual([outOfZone.id, zoneCovers.id, deptWide.id, inEpci.id, inCommune.id]);
    expect(new Set(anywhere.map((h) => h.proximity))).toEqual(new Set(['elsewhere']));

    // Words: accent-insensitive, every word required, on the name and description.
    const words = (await agent.get(`/api/directory/services?q=${encodeURIComponent('HEBERGEMENT urgence')}`)).body as DirectorySearchHit[];
    expect(ids(words, fixture)).toEqual([inCommune.id]);
    expect(ids((await agent.get('/api/directory/services?q=logement%20introuvablemot')).body, fixture)).toEqual([]);

    // excludeOwn: the caller's own structure is not an orientation target.
    const embrunAgent = await t.signIn('reception_agent', embrun.id);
    const own = (await embrunAgent.get(`/api/directory/services?bouquet=14&commune=${EMBRUN}&excludeOwn=true`)).body as DirectorySearchHit[];
    expect(ids(own, fixture)).toEqual([inEpci.id, zoneCovers.id, deptWide.id]);
    expect(ids((await embrunAgent.get(`/api/directory/services?bouquet=14&commune=${EMBRUN}&excludeOwn=false`)).body, fixture)).toHaveLength(4);

    // Stale services come after fresh ones of the same proximity.
    const deptWide2 = await create(dept.id, { name: 'Aa logement département', bouquets: [14], siteIds: [deptSite.id] });
    const stale = [...fixture, deptWide2.id];
    expect(ids((await agent.get(`/api/directory/services?bouquet=14&commune=${EMBRUN}&limit=50`)).body, stale)).toEqual([
      inCommune.id,
      inEpci.id,
      deptWide2.id, // "Aa…" before "Ww…" and "Xx…"
      zoneCovers.id,
      deptWide.id,
    ]);
    await ageService(deptWide2.id, 7);
    const ranked = (await agent.get(`/api/directory/services?bouquet=14&commune=${EMBRUN}&limit=50`)).body as DirectorySearchHit[];
    expect(ids(ranked, stale)).toEqual([inCommune.id, inEpci.id, zoneCovers.id, deptWide.id, deptWide2.id]);
    expect(ranked.find((h) => h.id === deptWide2.id)?.stale).toBe(true);

    // Inactive services, and services of inactive structures, are hidden.
    const admin = await t.signIn('structure_admin', chorges.id);
    expect((await admin.patch(`/api/services/${inEpci.id}`, { active: false })).status).toBe(200);
    await t.dataSource.query(`UPDATE structure SET active = false WHERE id = $1`, [dept.id]);
    const hidden = (await agent.get(`/api/directory/services?bouquet=14&commune=${EMBRUN}&limit=50`)).body as DirectorySearchHit[];
    expect(ids(hidden, stale)).toEqual([inCommune.id, zoneCovers.id]);
    expect((await agent.get(`/api/directory/services/${deptWide.id}`)).status).toBe(404);

    // Query validation.
    for (const bad of ['bouquet=19', 'bouquet=abc', 'commune=123', 'limit=51', 'limit=0', 'excludeOwn=oui', 'unknown=1']) {
      const refused = await agent.get(`/api/directory/services?${bad}`);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await agent.get('/api/directory/services?limit=2')).body.length).toBeLessThanOrEqual(2);
  });

  it('flags services not verified for 6 months to their structure admin; verifying resets it', async () => {
    const structure = await t.createStructure({ name: 'Structure (test fraîcheur)' });
    const admin = await t.signIn('structure_admin', structure.id);
    const base = `/api/structures/${structure.id}/services`;
    const old = (await admin.post(base, { name: 'Ancien service', bouquets: [4] })).body as DirectoryService;
    const recent = (await admin.post(base, { name: 'Service récent', bouquets: [4] })).body as DirectoryService;
    const withdrawn = (await admin.post(base, { name: 'Service retiré', bouquets: [4] })).body as DirectoryService;
    await admin.patch(`/api/services/${withdrawn.id}`, { active: false });
    expect((await admin.get('/api/directory/stale')).body).toEqual([]);

    await ageService(old.id, 7);
    await ageService(withdrawn.id, 8);
    await t.dataSource.query(`UPDATE service SET last_verified_at = now() - interval '5 months' WHERE id = $1`, [recent.id]);
    const stale = await admin.get('/api/directory/stale');
    expect(stale.status).toBe(200);
    expect((stale.body as DirectoryService[]).map((s) => [s.id, s.stale])).toEqual([[old.id, true]]);
    expect((await admin.get(`/api/directory/services/${recent.id}`)).body.stale).toBe(false);

    // Another structure's admin does not see them.
    const otherAdmin = await t.signIn('structure_admin');
    expect((await otherAdmin.get('/api/directory/stale')).body).toEqual([]);

    const verified = await admin.post(`/api/services/${old.id}/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id: old.id, stale: false });
    expect(Date.now() - Date.parse(verified.body.lastVerifiedAt)).toBeLessThan(60_000);
    expect((await admin.get('/api/directory/stale')).body).toEqual([]);
    expect(await auditRows(old.id)).toEqual([
      expect.objectContaining({ action: 'service.create' }),
      { action: 'service.verify', entity_type: 'service', user_id: admin.userId, reason: null },
    ]);
    expect((await admin.post(`/api/services/${UNKNOWN_ID}/verify`)).status).toBe(404);
  });

  it('isolates tenants: an Isère service is neither found nor managed', async () => {
    const isere = await t.app.get(TerritoryService).ensureTenant('38');
    const manager = t.dataSource.manager;
    const foreign = await manager.save(manager.create(StructureEntity, { tenantId: isere.id, name: 'CCAS de Grenoble (annuaire)', type: 'ccas', communeInsee: '38185' }));
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO service (tenant_id, structure_id, name, bouquets) VALUES ($1, $2, 'Logement Grenoble', '{14}') RETURNING id`,
      [isere.id, foreign.id],
    );
    const agent = await t.signIn('reception_agent');
    expect(((await agent.get('/api/directory/services?q=grenoble')).body as DirectorySearchHit[]).map((h) => h.id)).not.toContain(id);
    expect((await agent.get(`/api/directory/services/${id}`)).status).toBe(404);
    const platform = await t.signIn('platform_admin');
    expect((await platform.patch(`/api/services/${id}`, { name: 'Piraté' })).status).toBe(404);
    expect((await platform.get(`/api/structures/${foreign.id}/services`)).status).toBe(404);
  });

  it('refuses, in the database too, a site of another structure', async () => {
    const a = await t.createStructure({ name: 'Structure A (test contrainte)' });
    const b = await t.createStructure({ name: 'Structure B (test contrainte)' });
    const siteOfB = await addSite(b.id);
    const [{ id }] = await t.dataSource.query(`INSERT INTO service (tenant_id, structure_id, name, bouquets) VALUES ($1, $2, 'S', '{1}') RETURNING id`, [t.tenant.id, a.id]);
    await expect(
      t.dataSource.query(`INSERT INTO service_site (tenant_id, service_id, site_id, structure_id) VALUES ($1, $2, $3, $4)`, [t.tenant.id, id, siteOfB.id, a.id]),
    ).rejects.toThrow(/foreign key/);
  });

  it('searches through the indexes, not a scan of every service (3,000 services)', async () => {
    // 150 structures with a site each, spread over the communes; 3,000 services; a fifth limited to two communes. Bouquets 1–16 are
    // common (≈ 12 % of the services each), bouquet 17 is rare (1 %), as energy/water services are.
    await t.dataSource.query(
      `WITH st AS (
         INSERT INTO structure (tenant_id, name, type, commune_insee)
         SELECT $1, 'Structure volumineuse ' || g, 'association', '05061' FROM generate_series(1, 150) g RETURNING id
       ), numbered AS (
         SELECT id, (row_number() OVER ()) - 1 AS n FROM st
       ), communes AS (
         SELECT insee_code, (row_number() OVER (ORDER BY insee_code)) - 1 AS n, count(*) OVER () AS total FROM commune WHERE tenant_id = $1
       ), si AS (
         INSERT INTO site (tenant_id, structure_id, name, kind, commune_insee)
         SELECT $1, numbered.id, 'Site', 'fixed', communes.insee_code
           FROM numbered JOIN communes ON communes.n = numbered.n % communes.total
         RETURNING id, structure_id
       ), sv AS (
         INSERT INTO service (tenant_id, structure_id, name, description, bouquets, zone_kind, zone_communes)
         SELECT $1, numbered.id, 'Service ' || g,
                CASE WHEN g % 100 = 0 THEN 'Aide au paiement des factures d’électricité' ELSE 'Description du service numéro ' || g END,
                CASE WHEN g % 100 = 0 THEN '{17}'::smallint[] ELSE ARRAY[1 + (g % 16), 1 + ((g * 7) % 16)]::smallint[] END,
                CASE WHEN g % 5 = 0 THEN 'communes' ELSE 'departement' END,
                CASE WHEN g % 5 = 0 THEN ARRAY['05061', '05023']::varchar(5)[] ELSE '{}' END
           FROM generate_series(1, 3000) g JOIN numbered ON numbered.n = g % 150
         RETURNING id, structure_id
       )
       INSERT INTO service_site (tenant_id, service_id, site_id, structure_id)
       SELECT $1, sv.id, si.id, sv.structure_id FROM sv JOIN si ON si.structure_id = sv.structure_id`,
      [t.tenant.id],
    );
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM service WHERE bouquets @> '{17}'`);
    expect(n).toBe(30);
    await t.dataSource.query('ANALYZE service, service_site, site, structure');

    const explain = async (filter: Parameters<typeof searchSql>[0], forceIndex = false) => {
      const { sql, params } = searchSql(filter);
      return t.dataSource.transaction(async (manager) => {
        if (forceIndex) await manager.query('SET LOCAL enable_seqscan = off');
        const rows: { 'QUERY PLAN': string }[] = await manager.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    };
    const base = { tenantId: t.tenant.id, words: [], excludeStructureId: null, limit: 20 };
    const seqScanOfServices = /Seq Scan on service s\b/;

    // A selective need: the GIN index on bouquets (partial, active services).
    const rare = await explain({ ...base, bouquet: 17, commune: GAP });
    expect(rare).toContain('service_bouquets_idx');
    expect(rare).not.toMatch(seqScanOfServices);
    // A common need (≈ 12 % of the rows, spread over every page): at this size the planner reads the
    // small table once rather than the index and then almost every page. The index still serves the
    // predicate (the partial index's `active` is implied), as a plan without sequential scans shows.
    const common = await explain({ ...base, bouquet: 14, commune: EMBRUN });
    const commonIndexed = await explain({ ...base, bouquet: 14, commune: EMBRUN }, true);
    expect(commonIndexed).toContain('service_bouquets_idx');
    // Words: the search's LIKE on the normalised word is the trigram index's operator; on 3,000 short
    // texts, scanning them is cheaper than the trigram index (≈ 12 ms) and the planner says so.
    const words = await explain({ ...base, words: ['Électricité', 'factures'] });
    const wordsAlone = await t.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await manager.query(
        `EXPLAIN (COSTS OFF) SELECT id FROM service s WHERE s.search_text LIKE '%' || search_normalize($1::text) || '%'`,
        ['Électricité'],
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(wordsAlone).toContain('service_search_trgm');
    if (process.env['SHOW_PLANS']) console.log([rare, common, commonIndexed, words, wordsAlone].join('\n\n----\n\n'));
  });
});

describe('demo directory (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers “who can help with housing near Embrun?” for the demo reception agent, and flags a stale demo service', async () => {
    expect(await t.app.get(DemoSeeder).seedOnce()).toBe(true);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM service`);
    expect(n).toBe(DEMO_SERVICES.length);
    const agent = await t.login('accueil@demo.passerelle.fr', t.config.DEMO_PASSWORD);
    const hits = (await agent.get(`/api/directory/services?bouquet=14&commune=${EMBRUN}`)).body as DirectorySearchHit[];
    expect(hits.map((h) => [h.name, h.proximity])).toEqual([
      ['Demande de logement social', 'commune'],
      ['Logement des jeunes', 'commune'],
      ['Fonds de solidarité pour le logement (FSL)', 'departement'],
      ['Ouverture de droits aux prestations familiales et sociales', 'departement'],
    ]);
    const words = (await agent.get(`/api/directory/services?q=logement&commune=${EMBRUN}`)).body as DirectorySearchHit[];
    expect(words[0]).toMatchObject({ structure: { name: 'Mairie d’Embrun' }, sites: [{ communeName: 'Embrun' }] });

    const admin = await t.login('admin@demo.passerelle.fr', t.config.DEMO_PASSWORD);
    expect(((await admin.get('/api/directory/stale')).body as DirectoryService[]).map((s) => s.name)).toEqual(['Point d’accès au droit']);
  });
});

describe('data·inclusion import and HSDS export (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const SAMPLES = join(__dirname, 'testing');
  const importFiles = (session: TestSession, files: { structures?: string; services?: string }) => {
    let req = t.http().post('/api/directory/import').set('Cookie', session.cookies).set('X-XSRF-TOKEN', session.csrfToken);
    for (const [field, path] of Object.entries(files)) req = req.attach(field, join(SAMPLES, path));
    return req;
  };
  const count = async (sql: string) => ((await t.dataSource.query(sql)) as { n: number }[])[0].n;

  it('imports the sample twice: created, then updated, never duplicated; rejected rows reported with their row and a French reason', async () => {
    // Managed in Passerelle already, with a site in Briançon: linked by its name, not overwritten.
    const managed = await t.createStructure({ name: 'CCAS de Briançon (import)', communeInsee: '05023' });
    await t.dataSource.manager.save(
      t.dataSource.manager.create(SiteEntity, { tenantId: t.tenant.id, structureId: managed.id, name: 'Accueil du CCAS', kind: 'fixed', communeInsee: '05023' }),
    );
    const platform = await t.signIn('platform_admin');
    const files = { structures: 'data-inclusion-structures.json', services: 'data-inclusion-services.csv' };

    const first = await importFiles(platform, files);
    expect(first.status).toBe(200);
    const report = first.body as DirectoryImportReport;
    expect(report.structures).toEqual({ created: 3, updated: 0, linked: 1 });
    expect(report.services).toEqual({ created: 6, updated: 0 });
    expect(report.outsideTerritory).toEqual({ structures: 1, services: 1 });
    expect(report.rejected).toEqual([
      { file: 'structures', row: 6, id: null, message: 'Identifiant data·inclusion (« id ») manquant.' },
      { file: 'structures', row: 7, id: 'di-structure-sans-nom', message: 'Nom de la structure (« nom ») manquant.' },
      {
        file: 'services',
        row: 9,
        id: 'di-service-structure-inconnue',
        message: 'Structure « di-structure-inexistante » inconnue : elle doit figurer dans le fichier des structures (ou avoir été importée).',
      },
      {
        file: 'services',
        row: 10,
        id: 'di-service-sans-thematique',
        message: 'Aucune thématique reconnue (« thematiques ») : le service ne peut être rattaché à aucun besoin.',
      },
      { file: 'services', row: 11, id: 'di-service-sans-nom', message: 'Nom du service (« nom ») manquant.' },
      { file: 'services', row: 12, id: 'di-service-logement-embrun', message: 'Identifiant déjà présent plus haut dans le fichier.' },
    ]);
    expect(report.warnings.map((w) => [w.file, w.row, w.message])).toEqual(
      expect.arrayContaining([
        ['structures', 3, expect.stringContaining('Horaires « du lundi au vendredi » ignorés')],
        ['structures', 3, expect.stringContaining('SIRET « 12345678901234 » ignoré')],
        ['services', 4, expect.stringContaining('Horaires « Tous les mardis » ignorés')],
        ['services', 5, 'Téléphone « 12 34 » ignoré : 10 chiffres attendus.'],
        ['services', 5, 'Courriel « pas-une-adresse » ignoré : adresse invalide.'],
      ]),
    );

    // What was stored: structures, their sites, services with bouquets from the thématiques, zones, freshness.
    const [embrun] = await t.dataSource.query(`SELECT id, type, phone, email, source FROM structure WHERE source_id = 'di-structure-ccas-embrun'`);
    expect(embrun).toMatchObject({ type: 'ccas', phone: '0492430000', email: 'ccas@embrun.example.fr', source: 'data_inclusion' });
    const [chorges] = await t.dataSource.query(`SELECT siret, phone FROM structure WHERE source_id = 'di-structure-asso-chorges'`);
    expect(chorges).toEqual({ siret: '73282932000074', phone: '0492500000' });
    expect(await t.dataSource.query(`SELECT name, source, source_id FROM structure WHERE id = $1`, [managed.id])).toEqual([
      { name: 'CCAS de Briançon (import)', source: 'passerelle', source_id: 'di-structure-passerelle-briancon' },
    ]);
    const agent = await t.signIn('reception_agent');
    const get = async (sourceId: string) => {
      const [{ id }] = await t.dataSource.query(`SELECT id FROM service WHERE source_id = $1`, [sourceId]);
      return (await agent.get(`/api/directory/services/${id}`)).body as DirectoryService;
    };
    const logement = await get('di-service-logement-embrun');
    expect(logement).toMatchObject({
      name: "Aide à l'accès au logement",
      description: expect.stringContaining('la demande de logement social et les aides (FSL, APL)'),
      bouquets: [14],
      publics: ['familles', 'jeunes'],
      accessConditions: 'Habiter Embrun',
      cost: 'free',
      receptionModes: ['in_person'],
      mobilizationModes: ['show_up', 'phone'],
      documentsToBring: ['Pièce d\'identité', 'Avis d\'imposition'],
      openingHours: 'Mo-Fr 09:00-12:00',
      zone: { kind: 'communes', communes: [{ insee: '05046', name: 'Embrun' }] },
      sites: [{ name: 'CCAS d\'Embrun', communeName: 'Embrun' }],
      contactPhone: '0492430001',
      website: 'https://www.embrun.example.fr/logement',
      source: 'data_inclusion',
      lastVerifiedAt: '2026-10-01T00:00:00.000Z',
      lastVerifiedBy: null,
    });
    const colis = await get('di-service-colis-embrun');
    expect(colis).toMatchObject({ bouquets: [10], cost: 'free_under_conditions', costDetails: 'Selon les ressources', openingHours: 'Tu 14:00-16:00', stale: true });
    expect(colis.zone.communes.map((c) => c.insee)).toEqual(expect.arrayContaining(['05046', '05040', '05012']));
    expect(colis.zone.communes).toHaveLength(16); // CC Serre-Ponçon without Pontis (Alpes-de-Haute-Provence)
    expect(colis.sites.map((s) => s.communeName)).toEqual(['Embrun']); // the structure's site: received in person
    expect((await get('di-service-epicerie-chorges')).bouquets).toEqual([10]);
    expect(await get('di-service-rdv-numerique')).toMatchObject({
      bouquets: [4],
      receptionModes: ['remote'],
      sites: [],
      contactPhone: null,
      contactEmail: null,
      mobilizationUrl: 'https://www.entraide-serreponcon.example.fr/rdv',
    });
    expect((await get('di-service-fsl')).bouquets).toEqual([5, 14]);
    const domiciliation = await get('di-service-briancon');
    expect(domiciliation).toMatchObject({ structure: { id: managed.id }, sites: [{ name: 'Accueil du CCAS' }] });

    // Imported services are found by the desk like the others.
    const near = (await agent.get('/api/directory/services?bouquet=14&commune=05046')).body as DirectorySearchHit[];
    expect(near.slice(0, 1).map((h) => [h.name, h.proximity])).toEqual([[logement.name, 'commune']]);

    const before = {
      structures: await count(`SELECT count(*)::int AS n FROM structure`),
      sites: await count(`SELECT count(*)::int AS n FROM site`),
      services: await count(`SELECT count(*)::int AS n FROM service`),
      links: await count(`SELECT count(*)::int AS n FROM service_site`),
    };
    await t.dataSource.query(`UPDATE service SET name = 'Renommé localement' WHERE source_id = 'di-service-fsl'`);

    const second = await importFiles(platform, files);
    expect(second.status).toBe(200);
    expect(second.body.structures).toEqual({ created: 0, updated: 3, linked: 1 });
    expect(second.body.services).toEqual({ created: 0, updated: 6 });
    expect(second.body.rejected).toHaveLength(6);
    expect({
      structures: await count(`SELECT count(*)::int AS n FROM structure`),
      sites: await count(`SELECT count(*)::int AS n FROM site`),
      services: await count(`SELECT count(*)::int AS n FROM service`),
      links: await count(`SELECT count(*)::int AS n FROM service_site`),
    }).toEqual(before);
    expect((await get('di-service-fsl')).name).toBe('Fonds de solidarité logement');

    const audit = await t.dataSource.query(`SELECT action, reason, user_id FROM audit_event WHERE action = 'directory.import' ORDER BY id`);
    expect(audit).toEqual([
      { action: 'directory.import', reason: 'str:3+0~1 srv:6+0 rej:6', user_id: platform.userId },
      { action: 'directory.import', reason: 'str:0+3~1 srv:0+6 rej:6', user_id: platform.userId },
    ]);
  });

  it('refuses an import without files, a malformed file, and callers other than the platform admin', async () => {
    const platform = await t.signIn('platform_admin');
    const none = await t.http().post('/api/directory/import').set('Cookie', platform.cookies).set('X-XSRF-TOKEN', platform.csrfToken);
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('Joignez le fichier des structures');
    const broken = await t
      .http()
      .post('/api/directory/import')
      .set('Cookie', platform.cookies)
      .set('X-XSRF-TOKEN', platform.csrfToken)
      .attach('structures', Buffer.from('[{"id": "x",'), 'structures.json');
    expect(broken.status).toBe(400);
    expect(broken.body.message).toBe('Le fichier « structures » n’est pas un JSON valide.');
    const unknownField = await t
      .http()
      .post('/api/directory/import')
      .set('Cookie', platform.cookies)
      .set('X-XSRF-TOKEN', platform.csrfToken)
      .attach('autre', Buffer.from('[]'), 'autre.json');
    expect(unknownField.status).toBe(400);
    for (const role of ['structure_admin', 'coordinator', 'reception_agent'] as const) {
      const session = await t.signIn(role);
      expect((await importFiles(session, { structures: 'data-inclusion-structures.json' })).status).toBe(403);
    }
  });

  it('exports the published directory as HSDS 3.0 JSON, valid against the organization, service, location and service_at_location schemas', async () => {
    const structure = await t.createStructure({ name: 'Mairie de Savines-le-Lac (export)', type: 'mairie', communeInsee: '05164' });
    await t.dataSource.query(`UPDATE structure SET siret = '73282932000074', phone = '0492445000', email = 'mairie@savines.example.fr' WHERE id = $1`, [structure.id]);
    const fixed = await t.dataSource.manager.save(
      t.dataSource.manager.create(SiteEntity, { tenantId: t.tenant.id, structureId: structure.id, name: 'Mairie', kind: 'fixed', address: 'Place de la Mairie', communeInsee: '05164', openingHours: 'Mo-Fr 09:00-12:00' }),
    );
    const bus = await t.dataSource.manager.save(
      t.dataSource.manager.create(SiteEntity, {
        tenantId: t.tenant.id,
        structureId: structure.id,
        name: 'Permanence du Sauze',
        kind: 'itinerant',
        communeInsee: '05163',
        recurrence: 'FREQ=MONTHLY;BYDAY=1TH',
        recurrenceLabel: 'Le premier jeudi du mois',
      }),
    );
    const admin = await t.signIn('structure_admin', structure.id);
    const created = await admin.post(`/api/structures/${structure.id}/services`, {
      name: 'Aide aux démarches (export)',
      description: 'Démarches administratives.',
      bouquets: [4, 1],
      thematiques: ['acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives'],
      publics: ['seniors'],
      accessConditions: 'Habiter la commune.',
      cost: 'free',
      mobilizationModes: ['show_up'],
      mobilizationUrl: 'https://www.savines.example.fr/rdv',
      documentsToBring: ['Pièce d’identité'],
      openingHours: 'Mo-Fr 09:00-12:00,14:00-16:00; Sa 09:00-11:00',
      zoneKind: 'communes',
      zoneCommunes: ['05164', '05163'],
      siteIds: [fixed.id, bus.id],
      website: 'https://www.savines.example.fr',
    });
    expect(created.status).toBe(201);
    const withdrawn = await admin.post(`/api/structures/${structure.id}/services`, { name: 'Service retiré (export)', bouquets: [1] });
    await admin.patch(`/api/services/${withdrawn.body.id}`, { active: false });

    const agent = await t.signIn('social_worker');
    const res = await agent.get('/api/directory/export.hsds.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['content-disposition']).toContain('annuaire.hsds.json');
    const hsds = res.body as HsdsExport;
    expect(hsds.hsds_version).toBe('3.0');

    const ajv = loadSchemas();
    const problems: string[] = [];
    const check = (schema: string, items: Record<string, unknown>[]) => {
      const validate = ajv.getSchema(`${HSDS_SCHEMA_BASE}${schema}.json`);
      if (!validate) throw new Error(`schema ${schema} missing`);
      for (const item of items) if (!validate(item)) problems.push(`${schema} ${String(item['id'])}: ${ajv.errorsText(validate.errors)}`);
    };
    check('organization', hsds.organizations);
    check('service', hsds.services);
    check('location', hsds.locations);
    check('service_at_location', hsds.service_at_locations);
    expect(problems).toEqual([]);

    // The content: the service, its organization, its two locations, and the withdrawn one absent.
    const service = hsds.services.find((s) => s['id'] === created.body.id) as Record<string, unknown>;
    expect(hsds.services.map((s) => s['id'])).not.toContain(withdrawn.body.id);
    expect(service).toMatchObject({
      organization_id: structure.id,
      name: 'Aide aux démarches (export)',
      status: 'active',
      url: 'https://www.savines.example.fr',
      fees_description: 'Gratuit',
      eligibility_description: 'Habiter la commune. Publics : Seniors.',
      application_process: 'Se présenter. En ligne : https://www.savines.example.fr/rdv',
      assured_date: created.body.lastVerifiedAt.slice(0, 10),
      phones: [{ number: '+33492445000', type: 'voice' }],
      required_documents: [{ document: 'Pièce d’identité' }],
      service_areas: [
        { name: 'Le Sauze-du-Lac', uri: 'https://geo.api.gouv.fr/communes/05163' },
        { name: 'Savines-le-Lac', uri: 'https://geo.api.gouv.fr/communes/05164' },
      ],
    });
    expect((service['schedules'] as Record<string, unknown>[]).map((s) => [s['byday'], s['opens_at'], s['closes_at']])).toEqual([
      ['MO,TU,WE,TH,FR', '09:00', '12:00'],
      ['MO,TU,WE,TH,FR', '14:00', '16:00'],
      ['SA', '09:00', '11:00'],
    ]);
    expect((service['attributes'] as { taxonomy_term: { code: string; taxonomy: string } }[]).map((a) => a.taxonomy_term.code)).toEqual([
      '1',
      '4',
      'acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives',
      'seniors',
    ]);
    expect(hsds.organizations.find((o) => o['id'] === structure.id)).toMatchObject({
      name: 'Mairie de Savines-le-Lac (export)',
      email: 'mairie@savines.example.fr',
      organization_identifiers: [{ identifier_type: 'SIRET', identifier: '73282932000074' }],
    });
    expect(hsds.locations.filter((l) => [fixed.id, bus.id].includes(l['id'] as string))).toEqual([
      expect.objectContaining({ id: fixed.id, addresses: [expect.objectContaining({ address_1: 'Place de la Mairie', city: 'Savines-le-Lac', postal_code: '05160', country: 'FR' })] }),
      expect.objectContaining({ id: bus.id, description: 'Permanence itinérante : Le premier jeudi du mois', addresses: [] }),
    ]);
    expect(hsds.service_at_locations.filter((l) => l['service_id'] === created.body.id).map((l) => l['location_id']).sort()).toEqual([fixed.id, bus.id].sort());

    // Same roles as the search; the same data gives the same ids.
    expect((await (await t.signIn('platform_admin')).get('/api/directory/export.hsds.json')).status).toBe(403);
    const again = (await agent.get('/api/directory/export.hsds.json')).body as HsdsExport;
    expect(again.services.find((s) => s['id'] === created.body.id)).toEqual(service);
  });
});

const HSDS_SCHEMA_BASE = 'https://passerelle.example/schema/hsds-3.0-subset/';

/** The HSDS schemas of testing/hsds, made strict: a property a schema does not declare is an error. */
function loadSchemas(): Ajv {
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  const folder = join(__dirname, 'testing', 'hsds');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<string, unknown>;
    ajv.addSchema({ ...schema, additionalProperties: false });
  }
  return ajv;
}
