import { Module } from '@nestjs/common';
import { PersonAccessService } from './person-access.service';

@Module({ providers: [PersonAccessService], exports: [PersonAccessService] })
export class PersonsModule {}
