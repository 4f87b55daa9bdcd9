import { DirectorySearchHit, DirectoryService } from '@passerelle/contracts';

/** A service of the directory: the Mission locale's housing help, delivered in Embrun. */
export function aService(overrides: Partial<DirectoryService> = {}): DirectoryService {
  return {
    id: 'service-1',
    structure: { id: 'structure-2', name: 'Mission locale des Hautes-Alpes', type: 'mission_locale', phone: '0492000000', email: null },
    name: 'Logement des jeunes',
    description: 'Aide à l’accès au logement des jeunes.',
    bouquets: [14],
    thematiques: ['logement-hebergement--etre-accompagne-pour-se-loger'],
    publics: ['jeunes'],
    accessConditions: 'Avoir entre 16 et 25 ans.',
    cost: 'free',
    costDetails: null,
    receptionModes: ['in_person'],
    mobilizationModes: ['show_up', 'phone'],
    mobilizationUrl: null,
    documentsToBring: ['Pièce d’identité', 'Justificatifs de ressources'],
    openingHours: 'We 09:00-12:00,14:00-17:00',
    zone: { kind: 'departement', communes: [] },
    sites: [{ id: 'site-9', name: 'Antenne d’Embrun', kind: 'fixed', communeInsee: '05046', communeName: 'Embrun' }],
    contactPhone: null,
    contactEmail: null,
    website: null,
    active: true,
    lastVerifiedAt: '2026-11-02T10:00:00.000Z',
    lastVerifiedBy: 'Lucie Faure',
    stale: false,
    source: 'passerelle',
    ...overrides,
  };
}

export function aHitOf(service: Partial<DirectoryService> = {}, proximity: DirectorySearchHit['proximity'] = 'commune'): DirectorySearchHit {
  return { ...aService(service), proximity };
}
