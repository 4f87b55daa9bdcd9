import { DomainError } from '../common/errors/domain-error';
import { resolveScope } from './indicator-scope';

const OWN = '11111111-1111-1111-1111-111111111111';
const OTHER = '22222222-2222-2222-2222-222222222222';
const admin = { role: 'structure_admin' as const, structureId: OWN };
const coordinator = { role: 'coordinator' as const, structureId: OTHER };

const statusOf = (fn: () => unknown) => {
  try {
    fn();
    return 200;
  } catch (e) {
    return (e as DomainError).status;
  }
};

describe('indicator scope', () => {
  it('a coordinator reads the territory, always suppressed, with any structure filter', () => {
    expect(resolveScope(coordinator, {})).toEqual({ scope: 'territory', structureId: undefined, suppressed: true });
    expect(resolveScope(coordinator, { structureId: OWN, scope: 'structure' })).toEqual({ scope: 'territory', structureId: OWN, suppressed: true });
    expect(resolveScope(coordinator, { structureId: OTHER })).toMatchObject({ suppressed: true });
  });

  it('a structure admin reads their own structure exact by default, or with their own id', () => {
    expect(resolveScope(admin, {})).toEqual({ scope: 'structure', structureId: OWN, suppressed: false });
    expect(resolveScope(admin, { structureId: OWN })).toEqual({ scope: 'structure', structureId: OWN, suppressed: false });
    expect(resolveScope(admin, { structureId: OWN, territory: 'epci:200067825' })).toEqual({ scope: 'structure', structureId: OWN, suppressed: false });
    expect(resolveScope(admin, { territory: 'epci:200067825', scope: 'structure' })).toEqual({ scope: 'structure', structureId: OWN, suppressed: false });
  });

  it('a structure admin asking for the territory gets it suppressed, without a structure filter', () => {
    expect(resolveScope(admin, { territory: 'commune:05061' })).toEqual({ scope: 'territory', suppressed: true });
    expect(resolveScope(admin, { scope: 'territory' })).toEqual({ scope: 'territory', suppressed: true });
  });

  it('another structure: 403; territory level with their own structure: 400; other roles: 403', () => {
    expect(statusOf(() => resolveScope(admin, { structureId: OTHER }))).toBe(403);
    expect(statusOf(() => resolveScope(admin, { structureId: OTHER, scope: 'territory' }))).toBe(403);
    expect(statusOf(() => resolveScope(admin, { structureId: OWN, scope: 'territory' }))).toBe(400);
    for (const role of ['reception_agent', 'social_worker', 'platform_admin'] as const) {
      expect(statusOf(() => resolveScope({ role, structureId: OWN }, {}))).toBe(403);
    }
    expect(statusOf(() => resolveScope({ role: 'structure_admin', structureId: null }, {}))).toBe(403);
  });
});
