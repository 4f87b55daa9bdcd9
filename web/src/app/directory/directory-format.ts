import {
  DATA_INCLUSION_THEMATIQUES,
  DirectoryService,
  MOBILIZATION_MODE_LABELS,
  NEED_BOUQUETS,
  NeedBouquetCode,
  RECEPTION_MODE_LABELS,
  SERVICE_COST_LABELS,
  SERVICE_PUBLIC_LABELS,
  ServicePublic,
} from '@passerelle/contracts';

export function bouquetLabel(code: NeedBouquetCode): string {
  return NEED_BOUQUETS.find((b) => b.code === code)?.label ?? String(code);
}

export function bouquetLabels(codes: readonly NeedBouquetCode[]): string {
  return codes.map(bouquetLabel).join(', ');
}

/** A data·inclusion public's label, or the code itself for slugs outside the current referentiel. */
export function publicLabel(code: string): string {
  return SERVICE_PUBLIC_LABELS[code as ServicePublic] ?? code;
}

/** "Logement et hébergement", or "Logement et hébergement — mal-loges-sans-logis" for a second-level code. */
export function thematiqueLabel(code: string): string {
  const [parent, child] = code.split('--');
  const label = DATA_INCLUSION_THEMATIQUES.find((t) => t.code === parent)?.label ?? parent;
  return child ? `${label} — ${child.replace(/-/g, ' ')}` : label;
}

export function costLabel(service: Pick<DirectoryService, 'cost' | 'costDetails'>): string | null {
  const label = service.cost ? SERVICE_COST_LABELS[service.cost] : null;
  if (label && service.costDetails) return `${label} : ${service.costDetails}`;
  return label ?? service.costDetails;
}

export function receptionLabels(service: Pick<DirectoryService, 'receptionModes'>): string {
  return service.receptionModes.map((m) => RECEPTION_MODE_LABELS[m]).join(', ');
}

export function mobilizationLabels(service: Pick<DirectoryService, 'mobilizationModes'>): string {
  return service.mobilizationModes.map((m) => MOBILIZATION_MODE_LABELS[m]).join(', ');
}

/** "Tout le département", or the communes of the zone. */
export function zoneLabel(service: Pick<DirectoryService, 'zone'>): string {
  return service.zone.kind === 'departement'
    ? $localize`Tout le département`
    : service.zone.communes.map((c) => c.name).join(', ');
}

/** "04 92 00 00 00" from the stored "0492000000"; other values as stored. */
export function formatPhone(phone: string): string {
  return /^0\d{9}$/.test(phone) ? phone.replace(/(\d{2})(?=\d)/g, '$1 ') : phone;
}
