import { DATA_CATEGORIES, type CreatePersonRequest, type Person, type PersonSearchHit, type Role } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { createTestApp, TEST_PASSWORD, type TestApp, type TestSession } from '../../test/test-app';
import { DEMO_ACCOUNTS, DemoSeeder } from '../demo/demo-seeder';
import { StructureEntity } from '../structures/structure.entity';
import { TerritoryService } from '../territory/territory.service';
import { MERGED_MESSAGE } from './person-access.service';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type Session = TestSession & { userId: string; structureId: string | null };

describe('persons (integration)', () => {
  let t: TestApp;
  let structureA: StructureEntity;
  let structureB: StructureEntity;
  let agentA: Session;
  let agentB: Session;

  beforeAll(async () => {
    t = await createTestApp();
    structureA = await t.createStructure({ name: 'France Services A (test personnes)', type: 'france_services', communeInsee: '05023' });
    structureB = await t.createStructure({ name: 'CCAS B (test personnes)', type: 'ccas', communeInsee: '05061' });
    agentA = await t.signIn('reception_agent', structureA.id);
    agentB = await t.signIn('reception_agent', structureB.id);
  });
  afterAll(() => t.close());

  /** Creates a person (never stopped by the duplicate warning) and returns it. */
  const create = async (session: TestSession, body: CreatePersonRequest): Promise<Person> => {
    const res = await session.post('/api/persons', { confirmNotDuplicate: true, ...body });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Person;
  };
  const search = async (session: TestSession, q: string, extra = ''): Promise<PersonSearchHit[]> => {
    const res = await session.get(`/api/persons/search?q=${encodeURIComponent(q)}${extra}`);
    if (res.status !== 200) throw new Error(`search failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as PersonSearchHit[];
  };
  const ids = (hits: PersonSearchHit[]) => hits.map((h) => h.id);
  const fields = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field);
  const personCount = async () => ((await t.dataSource.query(`SELECT count(*)::int AS n FROM person`)) as { n: number }[])[0].n;
  /** Audit rows whose text (any column) contains `needle`, case- and accent-insensitively. */
  const auditRowsMentioning = async (needle: string) =>
    ((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event e WHERE immutable_unaccent(lower(e::text)) LIKE '%' || immutable_unaccent(lower($1)) || '%'`, [
      needle,
    ])) as { n: number }[])[0].n;

  describe('creating and reading a file', () => {
    it('creates a person with normalised fields, followed by the creator’s structure, audited without names', async () => {
      const res = await agentA.post('/api/persons', {
        usageLastName: "  N'Diaye ",
        firstNames: 'Jean-Pierre',
        birthDate: '1967-03-14',
        communeInsee: '05023',
        phone: '06 12 34 56 78',
        email: ' JP.NDiaye@Exemple.FR ',
        languages: ['français', ' wolof ', 'Français'],
        contactPreference: 'phone',
        household: 'couple_with_children',
        dependentChildren: 2,
        nationalityGroup: 'france',
      });
      expect(res.status).toBe(201);
      const person = res.body as Person;
      expect(person).toEqual({
        id: expect.any(String),
        usageLastName: "N'Diaye",
        birthLastName: null,
        firstNames: 'Jean-Pierre',
        birthDate: '1967-03-14',
        birthDatePrecision: 'day',
        communeInsee: '05023',
        communeName: 'Briançon',
        noStableHome: false,
        domiciliation: null,
        phone: '0612345678',
        email: 'jp.ndiaye@exemple.fr',
        languages: ['français', 'wolof'],
        needsInterpreter: false,
        contactPreference: 'phone',
        household: 'couple_with_children',
        dependentChildren: 2,
        nationalityGroup: 'france',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        access: 'followed_by_my_structure',
        categories: [...DATA_CATEGORIES],
      });
      const [row] = await t.dataSource.query(`SELECT created_by_structure_id, created_by_user_id, tenant_id FROM person WHERE id = $1`, [person.id]);
      expect(row).toEqual({ created_by_structure_id: structureA.id, created_by_user_id: agentA.userId, tenant_id: t.tenant.id });
      expect(await t.dataSource.query(`SELECT structure_id, reason FROM person_follow WHERE person_id = $1`, [person.id])).toEqual([
        { structure_id: structureA.id, reason: 'created' },
      ]);

      const read = await agentA.get(`/api/persons/${person.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(person);
      expect(await t.dataSource.query(`SELECT action, entity_type, user_id, structure_id FROM audit_event WHERE entity_id = $1 ORDER BY id`, [person.id])).toEqual([
        { action: 'person.create', entity_type: 'person', user_id: agentA.userId, structure_id: structureA.id },
        { action: 'person.read', entity_type: 'person', user_id: agentA.userId, structure_id: structureA.id },
      ]);
      expect(await auditRowsMentioning('Diaye')).toBe(0);
      expect(await auditRowsMentioning('0612345678')).toBe(0);
    });

    it('stores a year-only birth date as YYYY-01-01 with precision "year", and a month as YYYY-MM-01', async () => {
      const year = await create(agentA, { usageLastName: 'Approximatif', firstNames: 'Année', birthDate: '1952' });
      expect(year).toMatchObject({ birthDate: '1952-01-01', birthDatePrecision: 'year' });
      const truncated = await create(agentA, { usageLastName: 'Approximatif', firstNames: 'Tronquée', birthDate: '1960-08-17', birthDatePrecision: 'year' });
      expect(truncated).toMatchObject({ birthDate: '1960-01-01', birthDatePrecision: 'year' });
      const month = await create(agentA, { usageLastName: 'Approximatif', firstNames: 'Mois', birthDate: '1971-04' });
      expect(month).toMatchObject({ birthDate: '1971-04-01', birthDatePrecision: 'month' });
    });

    it('records "sans domicile stable" with a domiciliation, which only such a person may have', async () => {
      const sds = await create(agentA, { usageLastName: 'Sansdomicile', firstNames: 'Paul', noStableHome: true, domiciliation: 'CCAS de Gap, 5 rue Colonel Roux' });
      expect(sds).toMatchObject({ noStableHome: true, domiciliation: 'CCAS de Gap, 5 rue Colonel Roux', communeInsee: null });
      const refused = await agentA.post('/api/persons', { usageLastName: 'Domicilié', domiciliation: 'CCAS de Gap', confirmNotDuplicate: true });
      expect(refused.status).toBe(400);
      expect(fields(refused.body)).toEqual(['domiciliation']);
      // Leaving "sans domicile stable" clears the domiciliation.
      const housed = await agentA.patch(`/api/persons/${sds.id}`, { noStableHome: false, communeInsee: '05061' });
      expect(housed.status).toBe(200);
      expect(housed.body).toMatchObject({ noStableHome: false, domiciliation: null, communeInsee: '05061', communeName: 'Gap' });
    });
  });

  describe('search', () => {
    let ndiaye: Person;
    let lefevre: Person;
    let lefebvre: Person;
    let martin1980: Person;
    let martin1990: Person;
    let martinUnknown: Person;
    let martinez: Person;

    beforeAll(async () => {
      ndiaye = await create(agentA, { usageLastName: "N'Diaye", firstNames: 'Jean-Pierre', birthDate: '1971-05-02', phone: '+33 7 11 22 33 44' });
      lefevre = await create(agentA, { usageLastName: 'Lefèvre', firstNames: 'Zoé', birthDate: '1998-11-02', email: 'zoe.lefevre@exemple.fr' });
      lefebvre = await create(agentA, { usageLastName: 'Lefebvre', firstNames: 'Zoé', birthDate: '1983' });
      martin1980 = await create(agentA, { usageLastName: 'Martin', firstNames: 'Paul', birthDate: '1980-02-03' });
      martin1990 = await create(agentA, { usageLastName: 'Martin', firstNames: 'Paul', birthDate: '1990-06-07' });
      martinUnknown = await create(agentA, { usageLastName: 'Martin', firstNames: 'Paul' });
      martinez = await create(agentA, { usageLastName: 'Martinez', firstNames: 'Paula', birthDate: '1980' });
    });

    it.each([
      ['jean pierre ndiaye'],
      ['JEAN-PIERRE N’DIAYE'],
      ["Jean-Pierre N'Diaye"],
      ['jean-pierre n diaye'],
      ['jeanpierre ndiaye'],
      ['ndiaye jean pierre'],
      ['N’DIAYE Jean-Pierre'],
      ['ndiay jean'],
      ['ndia'],
      ['jean-pi'],
      ['n dia'],
    ])('finds Jean-Pierre N’Diaye from %j (accents, case, hyphens, apostrophes, order, typing)', async (q) => {
      expect(ids(await search(agentA, q))).toContain(ndiaye.id);
    });

    it.each([['Lefevre'], ['lefèbvre'], ['LEFEVRE zoe'], ['zoe lefevre'], ['Lefevr Zoé'], ['lefebvre zoe'], ['lefe'], ['zoé lef']])(
      'finds Zoé Lefèvre from %j (typos, prefixes)',
      async (q) => {
        expect(ids(await search(agentA, q))).toContain(lefevre.id);
      },
    );

    it('tolerates a typo in a short name when the other words are right, and elided particles typed together', async () => {
      const dupuy = await create(agentA, { usageLastName: 'Dupuy', firstNames: 'Nestor' });
      const almeida = await create(agentA, { usageLastName: "D'Almeida", firstNames: 'Stéphane' });
      for (const q of ['dpuuy nestor', 'nestor dupyu', 'dupuy nestr']) expect(ids(await search(agentA, q))).toContain(dupuy.id);
      for (const q of ['dalmeida', 'dalm stephane', "d'alme", 'stephane d almeida']) expect(ids(await search(agentA, q))).toContain(almeida.id);
      // …but one right word is not enough.
      expect(ids(await search(agentA, 'dupuy martine'))).not.toContain(dupuy.id);
    });

    it('finds a name with its first letter mistyped or one letter missing, and answers every short query (never a 500)', async () => {
      const thiaw = await create(agentA, { usageLastName: 'Thiaw', firstNames: 'Hélène' });
      for (const q of ['thaiw helene', 'rhiaw helene', 'thiw helene']) expect(ids(await search(agentA, q))).toContain(thiaw.id);
      for (const q of ['an', 'a', 'zo', 'le', 'th h', 'x y z']) {
        const res = await agentA.get(`/api/persons/search?q=${encodeURIComponent(q)}`);
        expect({ q, status: res.status }).toEqual({ q, status: 200 });
      }
    });

    it('ranks the exact name above the fuzzy one, with a likeness score and the search hit fields', async () => {
      const hits = await search(agentA, 'lefèvre zoé');
      expect(ids(hits).slice(0, 2)).toEqual([lefevre.id, lefebvre.id]);
      expect(hits[0].score).toBe(1);
      expect(hits[1].score).toBeLessThan(hits[0].score);
      expect(hits[1]).toEqual({
        id: lefebvre.id,
        usageLastName: 'Lefebvre',
        birthLastName: null,
        firstNames: 'Zoé',
        birthDate: '1983-01-01',
        birthDatePrecision: 'year',
        communeName: null,
        score: expect.any(Number),
        lastContactAt: null,
      });
      const martins = ids(await search(agentA, 'martin'));
      expect(martins.indexOf(martinez.id)).toBeGreaterThan(Math.max(...[martin1980, martin1990, martinUnknown].map((p) => martins.indexOf(p.id))));
      // The other way round too: "martinez" puts Martinez first.
      expect(ids(await search(agentA, 'martinez paula'))[0]).toBe(martinez.id);
    });

    it('filters by birth date or year (persons whose birth date is unknown stay, after the others)', async () => {
      const in1980 = ids(await search(agentA, 'martin paul', '&birth=1980'));
      expect(in1980).toEqual(expect.arrayContaining([martin1980.id, martinUnknown.id]));
      expect(in1980).not.toContain(martin1990.id);
      expect(in1980.indexOf(martin1980.id)).toBeLessThan(in1980.indexOf(martinUnknown.id));
      const onDay = ids(await search(agentA, 'martin', '&birth=1990-06-07'));
      expect(onDay).toContain(martin1990.id);
      expect(onDay).not.toContain(martin1980.id);
      // A year typed in the box works the same; a person known by the year only matches any day of that year.
      expect(ids(await search(agentA, 'martin paul 1990'))).not.toContain(martin1980.id);
      expect(ids(await search(agentA, 'lefebvre', '&birth=1983-07-14'))).toContain(lefebvre.id);
      expect(ids(await search(agentA, 'lefebvre', '&birth=1984'))).not.toContain(lefebvre.id);
    });

    it.each([['07 11 22 33 44'], ['0711223344'], ['+33 7 11 22 33 44'], ['+33 (0)7.11.22.33.44'], ['07-11-22'], ['0711 22']])(
      'finds by phone number in any format: %j',
      async (q) => {
        const hits = await search(agentA, q);
        expect(ids(hits)).toContain(ndiaye.id);
      },
    );

    it('finds by e-mail, whole (any case) or as it is typed', async () => {
      expect(ids(await search(agentA, 'Zoe.Lefevre@Exemple.fr'))).toEqual([lefevre.id]);
      expect(ids(await search(agentA, 'zoe.lefevre@'))).toEqual([lefevre.id]);
      expect(ids(await search(agentA, 'zoe.lefevre@autre.fr'))).toEqual([]);
    });

    it('returns nothing for what cannot be searched yet, and refuses bad parameters', async () => {
      expect(await search(agentA, 'a')).toEqual([]);
      expect(await search(agentA, '06')).toEqual([]);
      expect((await agentA.get('/api/persons/search')).status).toBe(400);
      expect((await agentA.get(`/api/persons/search?q=${'x'.repeat(201)}`)).status).toBe(400);
      expect((await agentA.get('/api/persons/search?q=martin&birth=1984-02-30')).status).toBe(400);
      expect((await agentA.get('/api/persons/search?q=martin&birth=vers1980')).status).toBe(400);
      expect((await agentA.get('/api/persons/search?q=martin&limit=0')).status).toBe(400);
      expect((await agentA.get('/api/persons/search?q=martin&limit=51')).status).toBe(400);
      expect((await agentA.get('/api/persons/search?q=martin&sort=name')).status).toBe(400);
      const limited = await search(agentA, 'martin', '&limit=2');
      expect(limited).toHaveLength(2);
    });

    it('gives the date of the last contact', async () => {
      const older = new Date('2026-01-05T09:30:00Z');
      const newer = new Date('2026-02-10T14:00:00Z');
      for (const at of [older, newer]) {
        await t.dataSource.query(
          `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, agent_user_id, channel, occurred_at, answer)
           VALUES ($1, $2, $3, $4, $5, 'in_person', $6, 'information')`,
          [t.tenant.id, randomUUID(), martinez.id, structureA.id, agentA.userId, at],
        );
      }
      const hit = (await search(agentA, 'martinez paula')).find((h) => h.id === martinez.id);
      expect(hit?.lastContactAt).toBe(newer.toISOString());
    });

    it('audits each search without the searched text', async () => {
      const before = ((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'person.search'`)) as { n: number }[])[0].n;
      await search(agentA, 'Quelquechosederare Introuvable');
      await search(agentA, '07 11 22 33 44');
      const rows = await t.dataSource.query(`SELECT action, entity_type, entity_id, reason, user_id FROM audit_event WHERE action = 'person.search' ORDER BY id DESC LIMIT 2`);
      expect(rows).toEqual([
        { action: 'person.search', entity_type: 'person', entity_id: null, reason: 'by_phone', user_id: agentA.userId },
        { action: 'person.search', entity_type: 'person', entity_id: null, reason: 'by_name', user_id: agentA.userId },
      ]);
      const after = ((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'person.search'`)) as { n: number }[])[0].n;
      expect(after).toBe(before + 2);
      expect(await auditRowsMentioning('Quelquechosederare')).toBe(0);
      expect(await auditRowsMentioning('0711223344')).toBe(0);
      expect(await auditRowsMentioning('lefevre')).toBe(0);
    });
  });

  describe('visibility', () => {
    let secret: Person;
    beforeAll(async () => {
      secret = await create(agentA, { usageLastName: 'Confidentiel', firstNames: 'Aurélie', phone: '06 99 88 77 66', email: 'aurelie.confidentiel@exemple.fr', birthDate: '1975' });
    });

    it('answers 404 to an agent of another structure, exactly as for a file that does not exist; search never returns it', async () => {
      const unknown = await agentB.get(`/api/persons/${UNKNOWN_ID}`);
      const hidden = await agentB.get(`/api/persons/${secret.id}`);
      expect(hidden.status).toBe(404);
      expect({ ...hidden.body, requestId: undefined }).toEqual({ ...unknown.body, requestId: undefined });
      const patch = await agentB.patch(`/api/persons/${secret.id}`, { firstNames: 'Piratée' });
      expect(patch.status).toBe(404);
      const [row] = await t.dataSource.query(`SELECT first_names FROM person WHERE id = $1`, [secret.id]);
      expect(row.first_names).toBe('Aurélie');
      for (const q of ['confidentiel aurelie', 'Confidentiel', 'aurelie conf', '06 99 88 77 66', 'aurelie.confidentiel@exemple.fr', 'aurelie.conf@']) {
        expect(ids(await search(agentB, q))).not.toContain(secret.id);
      }
      // A social worker or the admin of structure B does not see it either.
      for (const role of ['social_worker', 'structure_admin'] as Role[]) {
        const other = await t.signIn(role, structureB.id);
        expect((await other.get(`/api/persons/${secret.id}`)).status).toBe(404);
        expect(ids(await search(other, 'confidentiel'))).not.toContain(secret.id);
      }
      // The file is visible to anyone of structure A.
      const colleague = await t.signIn('social_worker', structureA.id);
      expect((await colleague.get(`/api/persons/${secret.id}`)).status).toBe(200);
      expect(ids(await search(colleague, 'confidentiel'))).toContain(secret.id);
    });

    it('shows the file once structure B follows the person (the follow is the access rule)', async () => {
      const structureC = await t.createStructure({ name: 'Structure C (test suivi)' });
      const agentC = await t.signIn('reception_agent', structureC.id);
      const person = await create(agentA, { usageLastName: 'Suivie', firstNames: 'Ensuite' });
      expect((await agentC.get(`/api/persons/${person.id}`)).status).toBe(404);
      await t.dataSource.query(`INSERT INTO person_follow (tenant_id, person_id, structure_id, reason) VALUES ($1, $2, $3, 'handoff')`, [
        t.tenant.id,
        person.id,
        structureC.id,
      ]);
      expect((await agentC.get(`/api/persons/${person.id}`)).status).toBe(200);
      expect(ids(await search(agentC, 'suivie ensuite'))).toEqual([person.id]);
    });

    it('isolates tenants: an agent of another département neither reads nor finds the person', async () => {
      const isere = await t.app.get(TerritoryService).ensureTenant('38');
      const grenoble = await t.dataSource.manager.save(
        t.dataSource.manager.create(StructureEntity, { tenantId: isere.id, name: 'CCAS de Grenoble (test personnes)', type: 'ccas', communeInsee: '38185' }),
      );
      const foreign = await t.createAgent({ role: 'reception_agent', structureId: grenoble.id, tenantId: isere.id });
      const session = await t.login(foreign.email);
      expect((await session.get(`/api/persons/${secret.id}`)).status).toBe(404);
      expect((await session.patch(`/api/persons/${secret.id}`, { firstNames: 'X' })).status).toBe(404);
      expect(ids(await search(session, 'confidentiel aurelie'))).toEqual([]);
      // …and the Hautes-Alpes commune list is not theirs.
      const res = await session.post('/api/persons', { usageLastName: 'Isérois', communeInsee: '05061' });
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['communeInsee']);
    });

    it.each(['coordinator', 'platform_admin'] as Role[])('refuses person files to a %s (403)', async (role) => {
      const session = await t.signIn(role, role === 'platform_admin' ? null : structureA.id);
      expect((await session.get(`/api/persons/${secret.id}`)).status).toBe(403);
      expect((await session.get('/api/persons/search?q=confidentiel')).status).toBe(403);
      expect((await session.post('/api/persons', { usageLastName: 'Interdit' })).status).toBe(403);
      expect((await session.patch(`/api/persons/${secret.id}`, { firstNames: 'X' })).status).toBe(403);
      expect((await session.post(`/api/persons/${secret.id}/merge`, { sourcePersonId: UNKNOWN_ID, confirm: true })).status).toBe(403);
    });

    it('refuses an unauthenticated caller (401)', async () => {
      expect((await t.http().get(`/api/persons/search?q=confidentiel`)).status).toBe(401);
      expect((await t.http().get(`/api/persons/${secret.id}`)).status).toBe(401);
    });
  });

  describe('possible duplicates', () => {
    let original: Person;
    beforeAll(async () => {
      original = await create(agentA, { usageLastName: 'Doublon', firstNames: 'Hélène-Sophie', birthDate: '1984-04-04', phone: '06 55 44 33 22', email: 'hs.doublon@exemple.fr' });
    });

    it('warns (409 POSSIBLE_DUPLICATE) with the similar files, writes nothing, then creates on confirmation', async () => {
      const before = await personCount();
      const body = { usageLastName: 'DOUBLON', firstNames: 'Helene Sophie', birthDate: '1984' };
      const warned = await agentA.post('/api/persons', body);
      expect(warned.status).toBe(409);
      expect(warned.body.code).toBe('POSSIBLE_DUPLICATE');
      expect(warned.body.message).toEqual(expect.any(String));
      expect((warned.body.candidates as PersonSearchHit[]).map((c) => c.id)).toEqual([original.id]);
      expect(warned.body.candidates[0]).toMatchObject({ usageLastName: 'Doublon', firstNames: 'Hélène-Sophie', birthDate: '1984-04-04', score: expect.any(Number) });
      expect(await personCount()).toBe(before);

      const confirmed = await agentA.post('/api/persons', { ...body, confirmNotDuplicate: true });
      expect(confirmed.status).toBe(201);
      expect(await personCount()).toBe(before + 1);
    });

    it('warns on the same phone or e-mail whatever the name', async () => {
      const byPhone = await agentA.post('/api/persons', { usageLastName: 'Autrenom', phone: '+33 6 55 44 33 22' });
      expect(byPhone.status).toBe(409);
      expect(byPhone.body.candidates.map((c: PersonSearchHit) => c.id)).toContain(original.id);
      const byEmail = await agentA.post('/api/persons', { firstNames: 'Personne', email: 'HS.Doublon@exemple.fr' });
      expect(byEmail.status).toBe(409);
      expect(byEmail.body.candidates.map((c: PersonSearchHit) => c.id)).toContain(original.id);
    });

    it('does not warn for another birth year, nor about files the caller may not see', async () => {
      const otherYear = await agentA.post('/api/persons', { usageLastName: 'Doublon', firstNames: 'Hélène-Sophie', birthDate: '1990-04-04' });
      expect(otherYear.status).toBe(201);
      const elsewhere = await agentB.post('/api/persons', { usageLastName: 'Doublon', firstNames: 'Hélène-Sophie', birthDate: '1984-04-04', phone: '06 55 44 33 22' });
      expect(elsewhere.status).toBe(201);
    });
  });

  describe('bad input', () => {
    it.each([
      [{ usageLastName: 'Futur', birthDate: '2999-01-01' }, 'birthDate'],
      [{ usageLastName: 'Futur', birthDate: String(new Date().getUTCFullYear() + 1) }, 'birthDate'],
      [{ usageLastName: 'Ancien', birthDate: '1850-01-01' }, 'birthDate'],
      [{ usageLastName: 'Février', birthDate: '1984-02-30' }, 'birthDate'],
      [{ usageLastName: 'Format', birthDate: '12/06/1984' }, 'birthDate'],
      [{ usageLastName: 'Précision', birthDate: '1984', birthDatePrecision: 'day' }, 'birthDatePrecision'],
      [{ usageLastName: 'Précision', birthDate: '1984-01-01', birthDatePrecision: 'week' }, 'birthDatePrecision'],
      [{ usageLastName: 'Grenoblois', communeInsee: '38185' }, 'communeInsee'],
      [{ usageLastName: 'Commune', communeInsee: 'Gap' }, 'communeInsee'],
      [{ usageLastName: 'Téléphone', phone: '12 34' }, 'phone'],
      [{ usageLastName: 'Courriel', email: 'pas-une-adresse' }, 'email'],
      [{ usageLastName: 'Langues', languages: Array.from({ length: 11 }, (_, i) => `langue ${i}`) }, 'languages'],
      [{ usageLastName: 'Langues', languages: 'français' }, 'languages'],
      [{ usageLastName: 'Enfants', dependentChildren: -1 }, 'dependentChildren'],
      [{ usageLastName: 'Nationalité', nationalityGroup: 'française' }, 'nationalityGroup'],
      [{ usageLastName: 'Foyer', household: 'famille' }, 'household'],
      [{ usageLastName: 'Contact', contactPreference: 'pigeon' }, 'contactPreference'],
      [{ usageLastName: 'Booléen', noStableHome: 'oui' }, 'noStableHome'],
      [{ usageLastName: 'R2D2 06 12 34 56 78' }, 'usageLastName'],
      [{ usageLastName: 'x'.repeat(101) }, 'usageLastName'],
      [{ firstNames: '' }, 'usageLastName'],
      [{}, 'usageLastName'],
      [{ usageLastName: 'Sécu', nir: '184127645108946' }, 'nir'],
      [{ usageLastName: 'Inconnu', socialSecurityNumber: '1 84 12 76 451 089 46' }, 'socialSecurityNumber'],
    ])('refuses %j with 400 on %s, writing nothing', async (body, field) => {
      const before = await personCount();
      const res = await agentA.post('/api/persons', { confirmNotDuplicate: true, ...body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fields(res.body)).toContain(field);
      expect(res.body.details.flatMap((d: { messages: string[] }) => d.messages).join(' ')).toMatch(/[a-zé]/);
      expect(await personCount()).toBe(before);
    });

    it('says clearly which commune is not of the département', async () => {
      const res = await agentA.post('/api/persons', { usageLastName: 'Grenoblois', communeInsee: '38185', confirmNotDuplicate: true });
      expect(res.body.message).toContain('38185');
    });

    it('refuses huge bodies (413) and long strings (400), never a 500', async () => {
      const huge = await agentA.post('/api/persons', { usageLastName: 'x'.repeat(10 * 1024 * 1024) });
      expect(huge.status).toBe(413);
      const long = await agentA.post('/api/persons', { usageLastName: 'Long', domiciliation: 'x'.repeat(500_000), confirmNotDuplicate: true });
      expect(long.status).toBe(400);
      expect(fields(long.body)).toEqual(['domiciliation']);
      const longSearch = await agentA.get(`/api/persons/search?q=${'x'.repeat(8000)}`);
      expect(longSearch.status).toBe(400);
    });

    it('refuses malformed ids (400) and answers 404 for unknown ones', async () => {
      expect((await agentA.get('/api/persons/pas-un-uuid')).status).toBe(400);
      expect((await agentA.patch('/api/persons/123', { firstNames: 'X' })).status).toBe(400);
      expect((await agentA.get(`/api/persons/${UNKNOWN_ID}`)).status).toBe(404);
      expect((await agentA.patch(`/api/persons/${UNKNOWN_ID}`, { firstNames: 'X' })).status).toBe(404);
    });
  });

  describe('editing the identity', () => {
    it('updates the sent fields only, audits the changed field names (no values), and keeps at least one name', async () => {
      const person = await create(agentA, { usageLastName: 'Modifiable', firstNames: 'Avant', phone: '0611111111' });
      const res = await agentA.patch(`/api/persons/${person.id}`, { firstNames: 'Après', phone: '06 22 22 22 22', birthDate: '1979', email: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: person.id,
        usageLastName: 'Modifiable',
        firstNames: 'Après',
        phone: '0622222222',
        birthDate: '1979-01-01',
        birthDatePrecision: 'year',
        email: null,
        access: 'followed_by_my_structure',
      });
      expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(person.updatedAt).getTime());
      const audit = await t.dataSource.query(`SELECT action, reason FROM audit_event WHERE entity_id = $1 AND action = 'person.update'`, [person.id]);
      expect(audit).toEqual([{ action: 'person.update', reason: 'firstNames,phone,birthDate,birthDatePrecision' }]);
      expect(await auditRowsMentioning('Modifiable')).toBe(0);
      expect(await auditRowsMentioning('0622222222')).toBe(0);

      // Precision refined later, with the date.
      const refined = await agentA.patch(`/api/persons/${person.id}`, { birthDate: '1979-10-21' });
      expect(refined.body).toMatchObject({ birthDate: '1979-10-21', birthDatePrecision: 'day' });

      const nameless = await agentA.patch(`/api/persons/${person.id}`, { usageLastName: null, firstNames: '  ' });
      expect(nameless.status).toBe(400);
      expect(fields(nameless.body)).toEqual(['usageLastName']);
      const unknownField = await agentA.patch(`/api/persons/${person.id}`, { createdByStructureId: structureB.id });
      expect(unknownField.status).toBe(400);
      const [row] = await t.dataSource.query(`SELECT usage_last_name, created_by_structure_id FROM person WHERE id = $1`, [person.id]);
      expect(row).toEqual({ usage_last_name: 'Modifiable', created_by_structure_id: structureA.id });
    });

    it('audits an update that changes nothing as a read', async () => {
      const person = await create(agentA, { usageLastName: 'Inchangé' });
      const res = await agentA.patch(`/api/persons/${person.id}`, { usageLastName: 'Inchangé' });
      expect(res.status).toBe(200);
      const audit = await t.dataSource.query(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY id`, [person.id]);
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['person.create', 'person.read']);
    });
  });

  describe('merging two files', () => {
    let admin: Session;
    beforeAll(async () => {
      admin = await t.signIn('structure_admin', structureA.id);
    });

    const addContact = (personId: string, structureId: string) =>
      t.dataSource.query(
        `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, agent_user_id, channel, answer)
         VALUES ($1, $2, $3, $4, $5, 'phone', 'information') RETURNING id`,
        [t.tenant.id, randomUUID(), personId, structureId, agentA.userId],
      ) as Promise<{ id: string }[]>;
    const addRequest = (personId: string, structureId: string) =>
      t.dataSource.query(`INSERT INTO request (tenant_id, person_id, structure_id, bouquet) VALUES ($1, $2, $3, 14) RETURNING id`, [
        t.tenant.id,
        personId,
        structureId,
      ]) as Promise<{ id: string }[]>;

    it('re-attaches contacts, requests and follows to the target, fills its empty fields, and retires the source (audited)', async () => {
      const target = await create(agentA, { usageLastName: 'Fusion', firstNames: 'Cible', birthDate: '1970', languages: ['français'] });
      const source = await create(agentA, {
        usageLastName: 'Fusion',
        firstNames: 'Source',
        birthDate: '1970-03-03',
        phone: '06 10 20 30 40',
        email: 'fusion@exemple.fr',
        languages: ['arabe', 'français'],
        needsInterpreter: true,
        noStableHome: true,
        domiciliation: 'CCAS de Gap',
      });
      const [contact] = await addContact(source.id, structureA.id);
      const [request] = await addRequest(source.id, structureA.id);
      const [kept] = await addContact(target.id, structureA.id);
      await t.dataSource.query(`INSERT INTO person_follow (tenant_id, person_id, structure_id, reason) VALUES ($1, $2, $3, 'handoff')`, [
        t.tenant.id,
        source.id,
        structureB.id,
      ]);

      const res = await admin.post(`/api/persons/${target.id}/merge`, { sourcePersonId: source.id, confirm: true });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: target.id,
        firstNames: 'Cible', // kept: only empty fields are filled
        birthDate: '1970-01-01',
        birthDatePrecision: 'year',
        phone: '0610203040',
        email: 'fusion@exemple.fr',
        languages: ['arabe', 'français'],
        needsInterpreter: true,
        noStableHome: true,
        domiciliation: 'CCAS de Gap',
        access: 'followed_by_my_structure',
      });
      const contacts = await t.dataSource.query(`SELECT id FROM contact WHERE person_id = $1 ORDER BY id`, [target.id]);
      expect(contacts.map((c: { id: string }) => c.id).sort()).toEqual([contact.id, kept.id].sort());
      expect(await t.dataSource.query(`SELECT person_id FROM request WHERE id = $1`, [request.id])).toEqual([{ person_id: target.id }]);
      const follows = await t.dataSource.query(`SELECT structure_id, reason FROM person_follow WHERE person_id = $1 ORDER BY reason`, [target.id]);
      expect(follows).toEqual([
        { structure_id: structureA.id, reason: 'created' },
        { structure_id: structureB.id, reason: 'merge' },
      ]);
      const [retired] = await t.dataSource.query(`SELECT merged_into_id, merged_at FROM person WHERE id = $1`, [source.id]);
      expect(retired).toEqual({ merged_into_id: target.id, merged_at: expect.any(Date) });
      expect(await t.dataSource.query(`SELECT entity_id, reason FROM audit_event WHERE action = 'person.merge' AND entity_id = ANY($1) ORDER BY entity_id`, [[source.id, target.id]])).toEqual(
        [
          { entity_id: source.id, reason: `merged_into:${target.id}` },
          { entity_id: target.id, reason: `absorbed:${source.id}` },
        ].sort((a, b) => (a.entity_id < b.entity_id ? -1 : 1)),
      );

      // The source is gone: 404 with a message that names nothing; it is never found again.
      const gone = await agentA.get(`/api/persons/${source.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.message).toBe(MERGED_MESSAGE);
      expect((await agentA.patch(`/api/persons/${source.id}`, { firstNames: 'Revenant' })).status).toBe(404);
      expect(ids(await search(agentA, 'fusion'))).toEqual([target.id]);
      expect(ids(await search(agentA, '06 10 20 30 40'))).toEqual([target.id]);
      // Structure B, which followed the source, now sees the target.
      expect((await agentB.get(`/api/persons/${target.id}`)).status).toBe(200);
      // A merged file cannot be merged again, nor be a target.
      expect((await admin.post(`/api/persons/${target.id}/merge`, { sourcePersonId: source.id, confirm: true })).status).toBe(404);
      const other = await create(agentA, { usageLastName: 'Fusion', firstNames: 'Autre' });
      expect((await admin.post(`/api/persons/${source.id}/merge`, { sourcePersonId: other.id, confirm: true })).status).toBe(404);
    });

    it('moves orientations, documents, référents and handoffs; one active référent and one waiting handoff stay', async () => {
      const target = await create(agentA, { usageLastName: 'Fusion', firstNames: 'Parcours' });
      const source = await create(agentA, { usageLastName: 'Fusion', firstNames: 'Parcours bis' });
      const [referral] = await t.dataSource.query(
        `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, to_structure_id, bouquet)
         VALUES ($1, $2, $3, $4, $5, 14) RETURNING id`,
        [t.tenant.id, randomUUID(), source.id, structureA.id, structureB.id],
      );
      const addReferent = (personId: string) =>
        t.dataSource.query(
          `INSERT INTO referent (tenant_id, person_id, user_id, structure_id, criteria, chosen_with_person)
           VALUES ($1, $2, $3, $4, '{relevance}', true) RETURNING id`,
          [t.tenant.id, personId, agentA.userId, structureA.id],
        ) as Promise<{ id: string }[]>;
      const [targetReferent] = await addReferent(target.id);
      const [sourceReferent] = await addReferent(source.id);
      const addHandoff = (personId: string) =>
        t.dataSource.query(
          `INSERT INTO handoff (tenant_id, client_request_id, person_id, from_structure_id, from_user_id, to_structure_id, to_user_id, note)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'Relais') RETURNING id`,
          [t.tenant.id, randomUUID(), personId, structureA.id, agentA.userId, structureB.id, agentB.userId],
        ) as Promise<{ id: string }[]>;
      const [targetHandoff] = await addHandoff(target.id);
      const [sourceHandoff] = await addHandoff(source.id);

      expect((await admin.post(`/api/persons/${target.id}/merge`, { sourcePersonId: source.id, confirm: true })).status).toBe(200);

      expect(await t.dataSource.query(`SELECT person_id FROM referral WHERE id = $1`, [referral.id])).toEqual([{ person_id: target.id }]);
      const referents = await t.dataSource.query(`SELECT id, ended_reason FROM referent WHERE person_id = $1 ORDER BY ended_reason NULLS FIRST`, [target.id]);
      expect(referents).toEqual([
        { id: targetReferent.id, ended_reason: null },
        { id: sourceReferent.id, ended_reason: 'replaced' },
      ]);
      const handoffs = await t.dataSource.query(`SELECT id, status FROM handoff WHERE person_id = $1 ORDER BY status DESC`, [target.id]);
      expect(handoffs).toEqual([
        { id: targetHandoff.id, status: 'proposed' },
        { id: sourceHandoff.id, status: 'cancelled' },
      ]);
    });

    it('demands confirmation (400, irreversible), two different files, and the structure admin role', async () => {
      const a = await create(agentA, { usageLastName: 'Fusionnable', firstNames: 'Un' });
      const b = await create(agentA, { usageLastName: 'Fusionnable', firstNames: 'Deux' });
      const [contact] = await addContact(b.id, structureA.id);

      const unconfirmed = await admin.post(`/api/persons/${a.id}/merge`, { sourcePersonId: b.id, confirm: false });
      expect(unconfirmed.status).toBe(400);
      expect(unconfirmed.body.message).toContain('irréversible');
      expect((await admin.post(`/api/persons/${a.id}/merge`, { sourcePersonId: b.id })).status).toBe(400);
      expect((await admin.post(`/api/persons/${a.id}/merge`, { sourcePersonId: a.id, confirm: true })).status).toBe(400);
      expect((await admin.post(`/api/persons/${a.id}/merge`, { sourcePersonId: 'pas-un-uuid', confirm: true })).status).toBe(400);
      expect((await admin.post(`/api/persons/123/merge`, { sourcePersonId: b.id, confirm: true })).status).toBe(400);
      expect((await admin.post(`/api/persons/${a.id}/merge`, { sourcePersonId: UNKNOWN_ID, confirm: true })).status).toBe(404);
      for (const role of ['reception_agent', 'social_worker'] as Role[]) {
        const session = await t.signIn(role, structureA.id);
        expect((await session.post(`/api/persons/${a.id}/merge`, { sourcePersonId: b.id, confirm: true })).status).toBe(403);
      }
      // Nothing moved.
      expect(await t.dataSource.query(`SELECT person_id FROM contact WHERE id = $1`, [contact.id])).toEqual([{ person_id: b.id }]);
      const [row] = await t.dataSource.query(`SELECT merged_into_id FROM person WHERE id = $1`, [b.id]);
      expect(row.merged_into_id).toBeNull();
    });

    it('refuses to merge a file the admin’s structure does not follow (404), changing nothing', async () => {
      const mine = await create(agentA, { usageLastName: 'Mienne', firstNames: 'Fiche' });
      const theirs = await create(agentB, { usageLastName: 'Leur', firstNames: 'Fiche' });
      const [contact] = await addContact(theirs.id, structureB.id);
      expect((await admin.post(`/api/persons/${mine.id}/merge`, { sourcePersonId: theirs.id, confirm: true })).status).toBe(404);
      expect((await admin.post(`/api/persons/${theirs.id}/merge`, { sourcePersonId: mine.id, confirm: true })).status).toBe(404);
      expect(await t.dataSource.query(`SELECT person_id FROM contact WHERE id = $1`, [contact.id])).toEqual([{ person_id: theirs.id }]);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM person WHERE merged_into_id IS NOT NULL AND id = ANY($1)`, [[mine.id, theirs.id]])).toEqual([
        { n: 0 },
      ]);
    });
  });
});

describe('demo persons (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DEMO_PASSWORD: TEST_PASSWORD });
  });
  afterAll(() => t.close());

  it('loads persons that the demo reception agent finds, followed by the France Services du Briançonnais or the Département', async () => {
    expect(await t.app.get(DemoSeeder).seedOnce()).toBe(true);
    const reception = DEMO_ACCOUNTS.find((a) => a.role === 'reception_agent');
    const social = DEMO_ACCOUNTS.find((a) => a.role === 'social_worker');
    const desk = await t.login(reception?.email ?? '');
    const department = await t.login(social?.email ?? '');
    const find = async (session: TestSession, q: string) =>
      ((await session.get(`/api/persons/search?q=${encodeURIComponent(q)}`)).body as PersonSearchHit[]).map((h) => `${h.firstNames} ${h.usageLastName}`);

    expect(await find(desk, 'jean pierre ndiaye')).toContain("Jean-Pierre N'Diaye");
    expect(await find(desk, 'lefevre')).toEqual(['Zoé Lefèvre']); // Kévin Lefebvre is the Département's only
    expect(await find(department, 'lefevre')).toEqual(expect.arrayContaining(['Kévin Lefebvre']));
    expect(await find(department, 'jean pierre ndiaye')).toContain("Jean-Pierre N'Diaye");
    const [sds] = await t.dataSource.query(`SELECT count(*)::int AS n FROM person WHERE no_stable_home AND domiciliation LIKE 'CCAS%'`);
    expect(sds.n).toBe(1);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM person`);
    expect(n).toBeGreaterThanOrEqual(12);
  });
});
