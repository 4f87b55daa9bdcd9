import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TerritoryModule } from '../territory/territory.module';
import { DemoSeeder } from './demo-seeder';

@Module({ imports: [AuthModule, TerritoryModule], providers: [DemoSeeder], exports: [DemoSeeder] })
export class DemoModule {}
