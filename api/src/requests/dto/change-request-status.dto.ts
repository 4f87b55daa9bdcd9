import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REQUEST_STATUSES, type ChangeRequestStatusRequest, type RequestStatus } from '@passerelle/contracts';
import { IsIn, ValidateBy, ValidateIf } from 'class-validator';
import { TrimToNull } from '../../structures/dto/transforms';

export const MAX_REASON_LENGTH = 500;

const M = {
  status: `Statut inconnu (valeurs possibles : ${REQUEST_STATUSES.join(', ')}).`,
  reason: 'Indiquez le motif du classement sans suite.',
  reasonLength: `Le motif comporte au plus ${MAX_REASON_LENGTH} caractères.`,
};

/** A non-blank text of at most 500 characters (blank was already turned into null), with one clear message. */
const IsReason = () =>
  ValidateBy({
    name: 'isReason',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.length > 0 && value.length <= MAX_REASON_LENGTH,
      defaultMessage: (args) => (typeof args?.value === 'string' && args.value.length > MAX_REASON_LENGTH ? M.reasonLength : M.reason),
    },
  });

export class ChangeRequestStatusDto implements ChangeRequestStatusRequest {
  @ApiProperty({ enum: REQUEST_STATUSES })
  @IsIn(REQUEST_STATUSES, { message: M.status })
  status!: RequestStatus;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_REASON_LENGTH,
    description: 'Obligatoire pour « sans suite » ; facultatif pour « résolue » (issue de la demande) ; ignoré sinon.',
  })
  @TrimToNull()
  // Required (non-blank once trimmed) for no_follow_up; otherwise optional.
  @ValidateIf((dto: ChangeRequestStatusDto) => dto.status === 'no_follow_up' || (dto.reason !== undefined && dto.reason !== null))
  @IsReason()
  reason?: string | null;
}
