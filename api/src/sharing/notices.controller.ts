import { Controller, Get, Header, Param, ParseUUIDPipe, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { PERSON_ROLES } from '../persons/person-access.service';
import { NoticesService } from './pdf/notices.service';

const uuid = () => new ParseUUIDPipe();
const PDF_BODY = { description: 'Document PDF (A4).', schema: { type: 'string', format: 'binary' } };

/** A PDF answered as a download, never kept by a cache (it names the person). */
function pdfDownload(pdf: Buffer, filename: string): StreamableFile {
  return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="${filename}"`, length: pdf.length });
}

/** The printable documents of a person's file. */
@ApiTags('sharing')
@ApiCookieAuth()
@Controller()
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get('persons/:id/consents/notice.pdf')
  @Allow(...PERSON_ROLES)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF_BODY)
  @ApiOperation({
    summary:
      'Notice d’information et formulaire de consentement à imprimer (PDF A4) : responsable, informations partagées, partages en cours ou formulaire vierge, durée de conservation, droits, signatures. Structures qui suivent la personne ; tracé.',
  })
  async noticePdf(@Auth() auth: AuthContext, @Param('id', uuid()) id: string): Promise<StreamableFile> {
    return pdfDownload(await this.notices.noticePdf(auth, id), 'notice-consentement.pdf');
  }

  @Get('persons/:id/access-log.pdf')
  @Allow('structure_admin')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF_BODY)
  @ApiOperation({ summary: 'Journal des accès au dossier, à imprimer pour la personne (PDF A4) : qui, quand, depuis quelle structure, pourquoi.' })
  async accessLogPdf(@Auth() auth: AuthContext, @Param('id', uuid()) id: string): Promise<StreamableFile> {
    return pdfDownload(await this.notices.accessLogPdf(auth, id), 'journal-des-acces.pdf');
  }

  @Get('persons/:id/export.pdf')
  @Allow('structure_admin')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF_BODY)
  @ApiOperation({
    summary:
      'Droit d’accès (RGPD art. 15), lisible par la personne (PDF A4) : identité, passages avec les notes internes de votre structure, demandes, liste des documents, consentements, accès exceptionnels (sans les justifications) et journal des accès ; les structures qui suivent la personne sont citées. Tracé comme l’export JSON.',
  })
  async subjectAccessPdf(@Auth() auth: AuthContext, @Param('id', uuid()) id: string): Promise<StreamableFile> {
    return pdfDownload(await this.notices.subjectAccessPdf(auth, id), 'donnees-personne.pdf');
  }
}
