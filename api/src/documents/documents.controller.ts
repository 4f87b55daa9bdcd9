import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DATA_CATEGORIES, DOCUMENT_KINDS, DOCUMENT_MAX_BYTES, type PersonDocument } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { PERSON_ROLES } from '../persons/person-access.service';
import { DocumentsService, type UploadedBytes } from './documents.service';
import { UploadDocumentDto } from './dto/document.dto';

const uuid = () => new ParseUUIDPipe();
const EXTENSIONS: Record<PersonDocument['mediaType'], string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

@ApiTags('documents')
@ApiCookieAuth()
@Controller('persons/:id/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get()
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Les documents de la personne que vous pouvez voir : ceux de votre structure, et ceux dont la catégorie vous est partagée.' })
  list(@Auth() auth: AuthContext, @Param('id', uuid()) id: string): Promise<PersonDocument[]> {
    return this.documents.list(auth, id);
  }

  @Post()
  @Allow(...PERSON_ROLES)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: DOCUMENT_MAX_BYTES, files: 1, fields: 5, parts: 6 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'kind', 'category', 'title'],
      properties: {
        file: { type: 'string', format: 'binary' },
        kind: { type: 'string', enum: [...DOCUMENT_KINDS] },
        category: { type: 'string', enum: [...DATA_CATEGORIES] },
        title: { type: 'string', maxLength: 200 },
      },
    },
  })
  @ApiOperation({ summary: 'Dépose un document (PDF, JPEG, PNG, WebP ; 10 Mo au plus ; type reconnu d’après le contenu) dans le dossier d’une personne que votre structure suit.' })
  upload(
    @Auth() auth: AuthContext,
    @Param('id', uuid()) id: string,
    @Body() dto: UploadDocumentDto,
    @UploadedFile() file: UploadedBytes | undefined,
  ): Promise<PersonDocument> {
    return this.documents.upload(auth, id, dto, file);
  }

  @Get(':documentId/content')
  @Allow(...PERSON_ROLES)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Télécharge un document (empreinte SHA-256 vérifiée ; téléchargement tracé).' })
  async content(@Auth() auth: AuthContext, @Param('id', uuid()) id: string, @Param('documentId', uuid()) documentId: string): Promise<StreamableFile> {
    const { document, bytes } = await this.documents.content(auth, id, documentId);
    const filename = `${document.title}.${EXTENSIONS[document.mediaType]}`;
    return new StreamableFile(bytes, {
      type: document.mediaType,
      length: bytes.length,
      disposition: `attachment; filename="document.${EXTENSIONS[document.mediaType]}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    });
  }
}
