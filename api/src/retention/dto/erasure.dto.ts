import { ApiProperty } from '@nestjs/swagger';
import { ERASURE_BASES, ERASURE_CONFIRMATION, type ErasePersonRequest, type ErasureBasis } from '@passerelle/contracts';
import { Equals, IsIn } from 'class-validator';

export class ErasePersonDto implements ErasePersonRequest {
  @ApiProperty({
    enum: ERASURE_BASES,
    description:
      'Le fondement de l’effacement (RGPD art. 17.1) : person_request (données plus nécessaires), consent_withdrawn (retrait du consentement sans autre base légale), objection (opposition au traitement).',
  })
  @IsIn(ERASURE_BASES, { message: `Fondement de l’effacement inconnu (valeurs possibles : ${ERASURE_BASES.join(', ')}).` })
  basis!: ErasureBasis;

  @ApiProperty({ example: ERASURE_CONFIRMATION, description: `L’effacement est irréversible : le mot ${ERASURE_CONFIRMATION}, saisi par l’administrateur.` })
  @Equals(ERASURE_CONFIRMATION, { message: `Pour confirmer l’effacement, saisissez le mot ${ERASURE_CONFIRMATION} en majuscules.` })
  confirmation!: string;
}
