import {
  Handoff,
  HANDOFF_STATUS_LABELS,
  Professional,
  Referent,
  REFERENT_CRITERION_LABELS,
  ReferentCriterion,
  ROLE_LABELS,
} from '@passerelle/contracts';

/** A professional is chosen with their structure (one may belong to several): "userId|structureId". */
export function professionalKey(p: Pick<Professional, 'userId' | 'structureId'>): string {
  return `${p.userId}|${p.structureId}`;
}

export function parseProfessionalKey(key: string): { userId: string; structureId: string } | null {
  const [userId, structureId] = key.split('|');
  return userId && structureId ? { userId, structureId } : null;
}

/** "Samia Benali — Travailleur social, Département des Hautes-Alpes". */
export function professionalLabel(p: Professional): string {
  return `${p.name} — ${ROLE_LABELS[p.role]}, ${p.structureName}`;
}

/** "Département — 04 92 00 00 00 — accueil@exemple.fr": the structure and how to reach it. */
export function structureContactLine(structure: Referent['structure']): string {
  return [structure.name, structure.phone, structure.email].filter(Boolean).join(' — ');
}

export function criteriaLabels(criteria: readonly ReferentCriterion[]): string {
  return criteria.map((c) => REFERENT_CRITERION_LABELS[c]).join(', ');
}

/** The person's name as the receiver may see it, or a neutral phrase when identity is not shared. */
export function handoffPersonLabel(handoff: Pick<Handoff, 'personName'>): string {
  return handoff.personName ?? $localize`Personne (identité non partagée avec votre structure)`;
}

export function handoffStatusLabel(handoff: Pick<Handoff, 'status'>): string {
  return HANDOFF_STATUS_LABELS[handoff.status];
}

export function handoffBadgeClass(handoff: Pick<Handoff, 'status'>): string {
  switch (handoff.status) {
    case 'proposed':
      return 'fr-badge--new';
    case 'accepted':
      return 'fr-badge--success';
    case 'declined':
      return 'fr-badge--warning';
    case 'cancelled':
      return 'fr-badge--info';
  }
}
