/**
 * `contact.need_mask` (migration IndicatorIndexes1764900000001): bit b set when the contact has a need
 * of bouquet b. Triggers on `contact_need` keep it; a bulk load that disables the triggers either
 * writes the mask with each contact (the scale generator, which then checks it against contact_need)
 * or runs this once afterwards.
 */
export const REFRESH_NEED_MASKS_SQL = `
  UPDATE contact c SET need_mask = coalesce(n.mask, 0)
    FROM contact c2 LEFT JOIN (SELECT contact_id, bit_or(1 << bouquet)::integer AS mask FROM contact_need GROUP BY contact_id) n
                           ON n.contact_id = c2.id
   WHERE c.id = c2.id AND c.need_mask <> coalesce(n.mask, 0)`;

/** The bit of a bouquet in `need_mask`. */
export const needBit = (bouquet: number): number => 1 << bouquet;
