import { IndicatorSection } from '@passerelle/contracts';

export interface SectionInfo {
  /** Id of the section's heading, the summary's anchor. */
  anchor: string;
  title: string;
  description: string;
}

/** The sections of the indicators page, in their order. */
export const SECTIONS: Record<IndicatorSection, SectionInfo> = {
  contacts: {
    anchor: 'indicateurs-accueil',
    title: $localize`Accueil`,
    description: $localize`Les contacts du premier accueil : combien, par quel canal, pour quels besoins, dans quels lieux et à quels moments, et la part des demandes traitées dès le premier accueil.`,
  },
  referrals: {
    anchor: 'indicateurs-orientations',
    title: $localize`Orientations`,
    description: $localize`Les orientations vers les partenaires : acceptation, délais de réponse et de prise en charge, et la part dont la structure qui oriente connaît la suite (boucle bouclée).`,
  },
  flows: {
    anchor: 'indicateurs-flux',
    title: $localize`Flux entre structures`,
    description: $localize`Qui oriente vers qui : le nombre d'orientations de chaque structure vers chacune des autres.`,
  },
  barriers: {
    anchor: 'indicateurs-freins',
    title: $localize`Freins d'accès`,
    description: $localize`Où l'accès aux services se rompt : le maillon de la chaîne d'accessibilité indiqué lors des refus et des orientations non abouties.`,
  },
  continuity: {
    anchor: 'indicateurs-continuite',
    title: $localize`Continuité des parcours`,
    description: $localize`Les personnes suivies par un référent de parcours, le rythme de leurs contacts et les alertes de rupture de parcours.`,
  },
};
