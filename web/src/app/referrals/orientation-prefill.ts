import { ParamMap, Params } from '@angular/router';
import { NEED_BOUQUET_CODES, NeedBouquetCode } from '@passerelle/contracts';

/** What the orientation form opens with when it is started from a contact (passage) or a request (demande). */
export interface OrientationPrefill {
  bouquet: NeedBouquetCode | null;
  fromContactId: string | null;
  requestId: string | null;
}

/**
 * Query parameters of a person's page (`/personnes/:id`) that open the orientation form, prefilled:
 * `?orienter=<bouquet>&passage=<contactId>&demande=<requestId>` ("Orienter maintenant" at the desk).
 * `orienter` opens the form (its value, the need, may be empty); the other two are optional.
 */
export const ORIENTATION_PARAMS = { bouquet: 'orienter', fromContactId: 'passage', requestId: 'demande' } as const;

/** The query parameters for `prefill` (absent ones are left out of the URL). */
export function orientationQueryParams(prefill: Partial<OrientationPrefill>): Params {
  return {
    [ORIENTATION_PARAMS.bouquet]: prefill.bouquet ?? '',
    ...(prefill.fromContactId ? { [ORIENTATION_PARAMS.fromContactId]: prefill.fromContactId } : {}),
    ...(prefill.requestId ? { [ORIENTATION_PARAMS.requestId]: prefill.requestId } : {}),
  };
}

/** Query parameters that clear the orientation ones (with `queryParamsHandling: 'merge'`). */
export const NO_ORIENTATION_PARAMS: Params = {
  [ORIENTATION_PARAMS.bouquet]: null,
  [ORIENTATION_PARAMS.fromContactId]: null,
  [ORIENTATION_PARAMS.requestId]: null,
};

/** The prefill the URL asks for, or null when it does not ask to orient. An unknown need is ignored. */
export function orientationPrefillFrom(params: ParamMap): OrientationPrefill | null {
  if (!params.has(ORIENTATION_PARAMS.bouquet)) return null;
  const code = Number(params.get(ORIENTATION_PARAMS.bouquet));
  const bouquet = NEED_BOUQUET_CODES.find((known) => known === code) ?? null;
  return {
    bouquet,
    fromContactId: params.get(ORIENTATION_PARAMS.fromContactId)?.trim() || null,
    requestId: params.get(ORIENTATION_PARAMS.requestId)?.trim() || null,
  };
}
