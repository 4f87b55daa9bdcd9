import { Role } from '@passerelle/contracts';

export interface NavigationItem {
  label: string;
  path: string;
  /** Active only on this exact URL (home pages whose children have their own entries). */
  exact: boolean;
}

function deskItems(): NavigationItem[] {
  return [
    { label: $localize`Accueil`, path: '/accueil', exact: true },
    { label: $localize`Aujourd'hui`, path: '/accueil/aujourdhui', exact: false },
  ];
}

/** Entries of the main navigation for each role. Pages of later issues will be added here. */
export function navigationFor(role: Role): NavigationItem[] {
  switch (role) {
    case 'reception_agent':
      return deskItems();
    case 'social_worker':
      return [{ label: $localize`Suivi des personnes`, path: '/suivi', exact: false }, ...deskItems()];
    case 'coordinator':
      return [{ label: $localize`Coordination territoriale`, path: '/coordination', exact: false }];
    case 'structure_admin':
      return [
        { label: $localize`Tableau de bord`, path: '/administration', exact: true },
        ...deskItems(),
        { label: $localize`Structure et sites`, path: '/administration/structure', exact: false },
        { label: $localize`Agents`, path: '/administration/agents', exact: false },
      ];
    case 'platform_admin':
      return [
        { label: $localize`Tableau de bord`, path: '/plateforme', exact: true },
        { label: $localize`Structures`, path: '/plateforme/structures', exact: false },
      ];
  }
}
