import type { IndicatorFilters, IndicatorScope } from '@passerelle/contracts';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden } from '../common/errors/domain-error';

/** Whose figures a request reads, and whether small counts are suppressed. */
export interface ResolvedScope {
  scope: IndicatorScope;
  /** The structure filter applied (a structure admin's own structure at the structure level). */
  structureId?: string;
  suppressed: boolean;
}

export const SCOPE_MESSAGES = {
  otherStructure:
    'Vous consultez les indicateurs de votre structure : ceux d’une autre structure ne sont visibles qu’au niveau du territoire, sans filtre de structure.',
  role: 'Les indicateurs sont réservés aux coordinateurs territoriaux et aux administrateurs de structure.',
  contradictory: 'Le niveau « territoire » ne se combine pas avec un filtre sur votre structure : retirez l’un des deux.',
};

/**
 * Who sees what (decision 0015):
 * - a coordinator reads the whole tenant with any filter; the figures leave the structures that
 *   recorded them, so small counts are always suppressed;
 * - a structure admin reads their own structure's figures, exact (no structure filter, or their own,
 *   and no territory asked for); asking for the territory (a `territory` filter without structure, or
 *   `scope=territory` for the whole département) gives the territory's figures, suppressed; another
 *   structure's id is refused (403);
 * - every other role is refused (the route's @Allow already says so).
 */
export function resolveScope(auth: Pick<AuthContext, 'role' | 'structureId'>, filters: Pick<IndicatorFilters, 'structureId' | 'territory' | 'scope'>): ResolvedScope {
  if (auth.role === 'coordinator') return { scope: 'territory', structureId: filters.structureId, suppressed: true };
  if (auth.role !== 'structure_admin' || !auth.structureId) throw forbidden(SCOPE_MESSAGES.role);
  const own = auth.structureId;
  if (filters.structureId !== undefined && filters.structureId !== own) throw forbidden(SCOPE_MESSAGES.otherStructure);
  if (filters.structureId === own) {
    if (filters.scope === 'territory') throw new DomainError('VALIDATION_FAILED', SCOPE_MESSAGES.contradictory, [{ field: 'scope', messages: [SCOPE_MESSAGES.contradictory] }]);
    return { scope: 'structure', structureId: own, suppressed: false };
  }
  const territory = filters.scope === 'territory' || (filters.territory !== undefined && filters.scope !== 'structure');
  return territory ? { scope: 'territory', suppressed: true } : { scope: 'structure', structureId: own, suppressed: false };
}
