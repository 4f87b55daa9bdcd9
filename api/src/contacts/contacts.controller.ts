import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Contact, TodaySummary } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { PERSON_ROLES } from '../persons/person-access.service';
import { ContactsService } from './contacts.service';
import { AttachContactDto, CreateContactDto } from './dto/contact.dto';

@ApiTags('contacts')
@ApiCookieAuth()
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Post()
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Enregistre un contact (passage) avec ses besoins, la réponse apportée, et ouvre ou lie des demandes. Idempotent sur clientRequestId : un nouvel envoi rend le même contact. Sans personne : contact anonyme d’information.',
  })
  create(@Auth() auth: AuthContext, @Body() dto: CreateContactDto): Promise<Contact> {
    return this.contacts.create(auth, dto);
  }

  @Get('today')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: '« Aujourd’hui » (heure de Paris) : les contacts de votre structure, par canal et par besoin.' })
  today(@Auth() auth: AuthContext): Promise<TodaySummary> {
    return this.contacts.today(auth);
  }

  @Patch(':id/person')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Rattache un contact anonyme de votre structure à une personne (409 s’il est déjà rattaché).' })
  attach(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AttachContactDto): Promise<Contact> {
    return this.contacts.attach(auth, id, dto);
  }
}
