export const ROLES = [
  'reception_agent',
  'social_worker',
  'coordinator',
  'structure_admin',
  'platform_admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  reception_agent: "Agent d'accueil",
  social_worker: 'Travailleur social',
  coordinator: 'Coordinateur territorial',
  structure_admin: 'Administrateur de structure',
  platform_admin: 'Administrateur de la plateforme',
};

/** Roles a structure admin may grant inside their own structure. */
export const ROLES_GRANTABLE_BY_STRUCTURE_ADMIN: readonly Role[] = [
  'reception_agent',
  'social_worker',
  'coordinator',
  'structure_admin',
];
