import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LocalStrategy } from './local.strategy';
import { PasswordService } from './password.service';
import { PostgresThrottlerStorage } from './postgres-throttler-storage';
import { SessionGuard } from './session.guard';
import { SessionsService } from './sessions.service';

@Module({
  imports: [
    PassportModule,
    // Used only on the login and activation routes (per client IP). The counts live in PostgreSQL,
    // shared by every API process (the API is stateless): postgres-throttler-storage.ts.
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource) => ({
        throttlers: [{ name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_LIMIT_PER_MINUTE }],
        storage: new PostgresThrottlerStorage(dataSource, config.SESSION_SECRET),
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    PasswordService,
    SessionsService,
    LocalStrategy,
    { provide: APP_GUARD, useClass: SessionGuard },
  ],
  exports: [SessionsService, PasswordService],
})
export class AuthModule {}
