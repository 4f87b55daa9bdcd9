import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NetworkSearchHit, Person, PersonSearchHit } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { CreatePersonDto, MergePersonsDto, SearchPersonsQuery, UpdatePersonDto } from './dto/person.dto';
import { PERSON_ROLES } from './person-access.service';
import { PersonsService } from './persons.service';

@ApiTags('persons')
@ApiCookieAuth()
@Controller('persons')
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  // Declared before ':id' so that "search" is not taken for an id.
  @Get('search')
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Recherche à l’accueil : nom(s) dans n’importe quel ordre (accents, casse, traits d’union et fautes de frappe tolérés), téléphone ou adresse électronique ; parmi les personnes que votre structure suit, les plus ressemblantes d’abord.',
  })
  search(@Auth() auth: AuthContext, @Query() query: SearchPersonsQuery): Promise<PersonSearchHit[]> {
    return this.persons.search(auth, query);
  }

  @Get('network-search')
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Recherche dans le réseau du territoire, par nom : les personnes qui ont consenti à y être visibles, avec leur identité minimale et les structures qui les connaissent (rien d’autre).',
  })
  networkSearch(@Auth() auth: AuthContext, @Query() query: SearchPersonsQuery): Promise<NetworkSearchHit[]> {
    return this.persons.networkSearch(auth, query);
  }

  @Post()
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Crée le dossier d’une personne, suivi par votre structure. 409 POSSIBLE_DUPLICATE avec les dossiers ressemblants, sauf si confirmNotDuplicate = true.',
  })
  create(@Auth() auth: AuthContext, @Body() dto: CreatePersonDto): Promise<Person> {
    return this.persons.create(auth, dto);
  }

  @Get(':id')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Le dossier d’une personne (404 si votre structure ne la suit pas, ou si le dossier a été fusionné).' })
  get(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<Person> {
    return this.persons.get(auth, id);
  }

  @Patch(':id')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Modifie l’identité (modification partielle ; null efface un champ facultatif). Modification tracée.' })
  update(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdatePersonDto): Promise<Person> {
    return this.persons.update(auth, id, dto);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Allow('structure_admin')
  @ApiOperation({
    summary:
      'Fusionne le dossier sourcePersonId dans celui-ci (irréversible : confirm = true) : passages, demandes et structures qui suivent la personne sont rattachés ; les champs vides sont complétés.',
  })
  merge(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: MergePersonsDto): Promise<Person> {
    return this.persons.merge(auth, id, dto);
  }
}
