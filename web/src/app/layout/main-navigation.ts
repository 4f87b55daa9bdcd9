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

/** The orientations received by the structure and those it sent (reception agents, social workers, structure admins). */
function referralItems(): NavigationItem[] {
  return [
    { label: $localize`Orientations reçues`, path: '/orientations/recues', exact: false },
    { label: $localize`Orientations envoyées`, path: '/orientations/envoyees', exact: false },
  ];
}

/** The persons I am the référent for, and the handoffs proposed to me (reception agents, social workers, structure admins). */
function referentItems(): NavigationItem[] {
  return [
    { label: $localize`Mes accompagnements`, path: '/mes-accompagnements', exact: false },
    { label: $localize`Relais`, path: '/relais', exact: false },
  ];
}

/** The ruptures de parcours my structure must act on (reception agents, social workers, structure admins). */
function continuityItem(): NavigationItem {
  return { label: $localize`Ruptures de parcours`, path: '/ruptures', exact: false };
}

/** The directory of partner services: who can help, for which need, near which commune. */
function directoryItem(): NavigationItem {
  return { label: $localize`Annuaire`, path: '/annuaire', exact: false };
}

/** Entries of the main navigation for each role. Pages of later issues will be added here. */
export function navigationFor(role: Role): NavigationItem[] {
  switch (role) {
    case 'reception_agent':
      return [...deskItems(), directoryItem(), ...referralItems(), ...referentItems(), continuityItem()];
    case 'social_worker':
      return [{ label: $localize`Suivi des personnes`, path: '/suivi', exact: false }, ...referentItems(), ...referralItems(), continuityItem(), ...deskItems(), directoryItem()];
    case 'coordinator':
      return [
        { label: $localize`Coordination territoriale`, path: '/coordination', exact: true },
        { label: $localize`Ruptures de parcours`, path: '/coordination/alertes', exact: false },
        { label: $localize`Indicateurs`, path: '/coordination/indicateurs', exact: false },
        directoryItem(),
      ];
    case 'structure_admin':
      return [
        { label: $localize`Tableau de bord`, path: '/administration', exact: true },
        ...deskItems(),
        ...referralItems(),
        ...referentItems(),
        continuityItem(),
        directoryItem(),
        { label: $localize`Structure et sites`, path: '/administration/structure', exact: false },
        { label: $localize`Offre de services`, path: '/administration/offre-de-services', exact: false },
        { label: $localize`Agents`, path: '/administration/agents', exact: false },
        { label: $localize`Indicateurs`, path: '/administration/indicateurs', exact: false },
      ];
    case 'platform_admin':
      return [
        { label: $localize`Tableau de bord`, path: '/plateforme', exact: true },
        { label: $localize`Structures`, path: '/plateforme/structures', exact: false },
      ];
  }
}
