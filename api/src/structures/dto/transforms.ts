import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { normalizeFrenchPhone } from '../phone';
import { isValidSiret } from '../siret';
import { canonicalOpeningHours, isValidRecurrence, normalizeRecurrence } from '../site-schedule';

/** Applies `fn` to string values; others pass through to the validators. */
const mapString = (fn: (value: string) => unknown) =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? fn(value) : value));

/** Trims strings. */
export const Trim = () => mapString((v) => v.trim());

/** Trims, then `fn`; an empty string becomes null (an emptied optional form field clears the value). */
export const TrimToNull = (fn: (value: string) => string = (v) => v) => mapString((v) => (v.trim() ? fn(v.trim()) : null));

/** Validates only when the property is present: absent means "unchanged", but null is refused. */
export const IfPresent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

export const NormalizePhone = () => TrimToNull(normalizeFrenchPhone);
export const NormalizeInsee = () => TrimToNull((v) => v.toUpperCase());
export const NormalizeSiret = () => TrimToNull((v) => v.replace(/\s/g, ''));
export const NormalizeOpeningHours = () => TrimToNull((v) => canonicalOpeningHours(v) ?? v);
export const NormalizeRecurrence = () => TrimToNull(normalizeRecurrence);

/** Checks the control key of a 14-digit SIRET (the 14-digit format itself is left to @Matches, for a clear message). */
export const IsSiret = (options?: ValidationOptions) =>
  ValidateBy(
    { name: 'isSiret', validator: { validate: (v: unknown) => typeof v === 'string' && (!/^[0-9]{14}$/.test(v) || isValidSiret(v)) } },
    options,
  );

export const IsOpeningHours = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isOpeningHours', validator: { validate: (v: unknown) => typeof v === 'string' && canonicalOpeningHours(v) !== null } }, options);

export const IsRecurrence = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isRecurrence', validator: { validate: (v: unknown) => typeof v === 'string' && isValidRecurrence(v) } }, options);
