import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  REFERENT_CRITERIA,
  type AnswerHandoffRequest,
  type DesignateReferentRequest,
  type EndReferentRequest,
  type ProposeHandoffRequest,
  type ReferentCriterion,
} from '@passerelle/contracts';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { Trim, TrimToNull } from '../../structures/dto/transforms';

export const MAX_CRITERIA_NOTE = 1000;
export const MAX_HANDOFF_NOTE = 4000;
export const MAX_DECLINE_REASON = 1000;
export const END_REASONS = ['ended', 'person_request'] as const;

const M = {
  criteria: 'Cochez au moins un critère de désignation : choix de la personne, pertinence, faisabilité.',
  criterion: `Critère inconnu (valeurs possibles : ${REFERENT_CRITERIA.join(', ')}).`,
  chosenWithPerson: 'Indiquez si le référent a été choisi avec la personne.',
  criteriaNote: `La précision comporte au plus ${MAX_CRITERIA_NOTE} caractères.`,
  userId: 'Choisissez le professionnel.',
  endReason: 'Indiquez pourquoi l’accompagnement par ce référent prend fin : fin de l’accompagnement, ou à la demande de la personne.',
  note: `Rédigez la note de transmission (1 à ${MAX_HANDOFF_NOTE} caractères) : ce que le destinataire doit savoir pour reprendre l’accompagnement.`,
  decision: 'Indiquez votre réponse : accepter ou décliner.',
  declineReason: `Indiquez pourquoi vous déclinez ce relais (1 à ${MAX_DECLINE_REASON} caractères) : l’expéditeur le lira.`,
};

/** The designation criteria: at least one, each once, from the seeds' three. */
function CriteriaProperty(): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ enum: REFERENT_CRITERIA, isArray: true, minItems: 1 })(target, key);
    IsArray({ message: M.criteria })(target, key);
    ArrayMinSize(1, { message: M.criteria })(target, key);
    ArrayMaxSize(REFERENT_CRITERIA.length, { message: M.criterion })(target, key);
    ArrayUnique({ message: M.criterion })(target, key);
    IsIn(REFERENT_CRITERIA, { each: true, message: M.criterion })(target, key);
  };
}

export class DesignateReferentDto implements DesignateReferentRequest {
  @ApiProperty({ format: 'uuid', description: 'Un professionnel actif d’une structure qui suit la personne.' })
  @IsUUID('all', { message: M.userId })
  userId!: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Sa structure, s’il appartient à plusieurs structures qui suivent la personne.' })
  @IsOptional()
  @IsUUID()
  structureId?: string | null;

  @CriteriaProperty()
  criteria!: ReferentCriterion[];

  @ApiProperty({ description: 'Le référent a été choisi avec la personne.' })
  @IsBoolean({ message: M.chosenWithPerson })
  chosenWithPerson!: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_CRITERIA_NOTE, description: 'Précision, lue par la structure du référent seulement.' })
  @IsOptional()
  @TrimToNull()
  @IsString()
  @MaxLength(MAX_CRITERIA_NOTE, { message: M.criteriaNote })
  criteriaNote?: string | null;
}

export class EndReferentDto implements EndReferentRequest {
  @ApiProperty({ enum: END_REASONS })
  @IsIn(END_REASONS, { message: M.endReason })
  reason!: EndReferentRequest['reason'];
}

export class ProposeHandoffDto implements ProposeHandoffRequest {
  @ApiProperty({ format: 'uuid', description: 'Clé d’idempotence : la même clé deux fois propose un seul relais.' })
  @IsUUID()
  clientRequestId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  personId!: string;

  @ApiProperty({ format: 'uuid', description: 'Le professionnel qui reçoit le relais.' })
  @IsUUID('all', { message: M.userId })
  toUserId!: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Sa structure, s’il appartient à plusieurs structures.' })
  @IsOptional()
  @IsUUID()
  toStructureId?: string | null;

  @ApiProperty({ minLength: 1, maxLength: MAX_HANDOFF_NOTE, description: 'Note de transmission, lue par l’expéditeur et le destinataire seulement.' })
  @Trim()
  @IsString({ message: M.note })
  @Length(1, MAX_HANDOFF_NOTE, { message: M.note })
  note!: string;

  @ApiPropertyOptional({ description: 'Proposer au destinataire de devenir le référent de la personne.' })
  @IsOptional()
  @IsBoolean()
  proposeReferent?: boolean;
}

export class AnswerHandoffDto implements AnswerHandoffRequest {
  @ApiProperty({ enum: ['accept', 'decline'] })
  @IsIn(['accept', 'decline'], { message: M.decision })
  decision!: 'accept' | 'decline';

  @ApiPropertyOptional({ description: 'En acceptant : devenir le référent de la personne (critères obligatoires alors).' })
  @IsOptional()
  @IsBoolean()
  becomeReferent?: boolean;

  @ApiPropertyOptional({ enum: REFERENT_CRITERIA, isArray: true })
  @ValidateIf((dto: AnswerHandoffDto) => dto.decision === 'accept' && dto.becomeReferent === true)
  @CriteriaProperty()
  criteria?: ReferentCriterion[];

  @ApiPropertyOptional({ description: 'En devenant référent : choisi avec la personne.' })
  @IsOptional()
  @IsBoolean({ message: M.chosenWithPerson })
  chosenWithPerson?: boolean;

  @ApiPropertyOptional({ maxLength: MAX_DECLINE_REASON, description: 'Obligatoire pour décliner ; lu par l’expéditeur.' })
  @TrimToNull()
  @ValidateIf((dto: AnswerHandoffDto) => dto.decision === 'decline' || (dto.declineReason !== undefined && dto.declineReason !== null))
  @IsString({ message: M.declineReason })
  @Length(1, MAX_DECLINE_REASON, { message: M.declineReason })
  declineReason?: string;
}

export class ProfessionalsQueryDto {
  @ApiPropertyOptional({ description: 'Nom, prénom ou structure (accents et majuscules indifférents).', maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Seulement les professionnels des structures qui suivent cette personne (désignation du référent).' })
  @IsOptional()
  @IsUUID()
  personId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
