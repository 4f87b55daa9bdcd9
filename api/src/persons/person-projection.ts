import type { DataCategory, Person, PersonIdentity } from '@passerelle/contracts';
import type { PersonAccess } from './person-access.service';

/** The category of each field of a person's identity: a field leaves the API only if its category is shared. */
export const PERSON_FIELD_CATEGORIES = {
  usageLastName: 'identity_contact',
  birthLastName: 'identity_contact',
  firstNames: 'identity_contact',
  birthDate: 'identity_contact',
  birthDatePrecision: 'identity_contact',
  communeInsee: 'identity_contact',
  communeName: 'identity_contact',
  phone: 'identity_contact',
  email: 'identity_contact',
  languages: 'identity_contact',
  needsInterpreter: 'identity_contact',
  contactPreference: 'identity_contact',
  nationalityGroup: 'identity_contact',
  noStableHome: 'family_housing',
  domiciliation: 'family_housing',
  household: 'family_housing',
  dependentChildren: 'family_housing',
} as const satisfies Record<keyof PersonIdentity | 'communeName', DataCategory>;

/** The full file, before the access policy's projection. */
export type FullPerson = Required<Omit<Person, 'access' | 'categories' | 'anonymizedAt'>> & { anonymizedAt?: string | null };

/**
 * The file as the caller may see it: the fields of categories not shared are left out of the object
 * (absent from the JSON, not null), and `categories` lists what is there. `anonymizedAt` is there only
 * for an anonymised file.
 */
export function projectPerson(person: FullPerson, access: PersonAccess): Person {
  const shared = new Set(access.categories);
  const out: Record<string, unknown> = { id: person.id, createdAt: person.createdAt, updatedAt: person.updatedAt };
  // Whatever the categories: it says nothing about the person, only that nothing is left to see.
  if (person.anonymizedAt) out['anonymizedAt'] = person.anonymizedAt;
  for (const [field, category] of Object.entries(PERSON_FIELD_CATEGORIES)) {
    if (shared.has(category)) out[field] = person[field as keyof FullPerson];
  }
  return { ...(out as Omit<Person, 'access' | 'categories'>), access: access.reason, categories: access.categories };
}
