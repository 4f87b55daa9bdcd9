import { ApiProperty } from '@nestjs/swagger';
import { DATA_CATEGORIES, DOCUMENT_KINDS, type DataCategory, type DocumentKind, type UploadDocumentFields } from '@passerelle/contracts';
import { IsIn, IsString, Length } from 'class-validator';
import { Trim } from '../../structures/dto/transforms';

/** The form fields of an upload (multipart/form-data); the file itself is in the `file` part. */
export class UploadDocumentDto implements UploadDocumentFields {
  @ApiProperty({ enum: DOCUMENT_KINDS })
  @IsIn(DOCUMENT_KINDS, { message: 'Choisissez le type de document.' })
  kind!: DocumentKind;

  @ApiProperty({ enum: DATA_CATEGORIES, description: 'Catégorie d’informations : avec le consentement, elle décide quelles structures partenaires le voient.' })
  @IsIn(DATA_CATEGORIES, { message: 'Choisissez la catégorie d’informations du document.' })
  category!: DataCategory;

  @ApiProperty({ maxLength: 200 })
  @Trim()
  @IsString()
  @Length(1, 200, { message: 'Donnez un titre au document (200 caractères au plus).' })
  title!: string;
}
