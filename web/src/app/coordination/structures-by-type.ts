import { STRUCTURE_TYPES, Structure, StructureType } from '@passerelle/contracts';

export interface StructureTypeGroup {
  type: StructureType;
  structures: Structure[];
}

/** Groups structures by type, in the order of STRUCTURE_TYPES, names sorted; empty types are left out. */
export function groupStructuresByType(structures: readonly Structure[]): StructureTypeGroup[] {
  return STRUCTURE_TYPES.map((type) => ({
    type,
    structures: structures
      .filter((structure) => structure.type === type)
      .sort((a, b) => a.name.localeCompare(b.name, 'fr')),
  })).filter((group) => group.structures.length > 0);
}
