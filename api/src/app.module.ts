import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AgentsModule } from './agents/agents.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ContactsModule } from './contacts/contacts.module';
import { ContinuityModule } from './continuity/continuity.module';
import { PersonsModule } from './persons/persons.module';
import { ReferentsModule } from './referents/referents.module';
import { ReferralsModule } from './referrals/referrals.module';
import { RetentionModule } from './retention/retention.module';
import { SharingModule } from './sharing/sharing.module';
import { DocumentsModule } from './documents/documents.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { DemoModule } from './demo/demo.module';
import { DirectoryModule } from './directory/directory.module';
import { HealthModule } from './health/health.module';
import { IndicatorsModule } from './indicators/indicators.module';
import { MailModule } from './mail/mail.module';
import { NotificationsModule } from './notifications/notifications.module';
import { StructuresModule } from './structures/structures.module';
import { TerritoryModule } from './territory/territory.module';

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

@Module({})
export class AppModule {
  /** The whole application for a validated config and a migrated database. */
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    const webDist = resolve(config.WEB_DIST_DIR);
    // One module object for the job queue: NotificationsModule imports and re-exports this very one.
    const jobs = RetentionModule.forRoot(databaseUrl);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.LOG_LEVEL,
            genReqId: (req: IncomingMessage, res: ServerResponse) => {
              const given = req.headers['x-request-id'];
              const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
              res.setHeader('x-request-id', id);
              return id;
            },
            // Never log personal data: no bodies, no query strings (searches carry names), no cookies.
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
          },
        }),
        // Replicas (DATABASE_REPLICA_URLS) serve only the lag-tolerant reads: api/src/database/read-replica.ts.
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, config.DATABASE_REPLICA_URLS)),
        ...(existsSync(webDist)
          ? [ServeStaticModule.forRoot({ rootPath: webDist, exclude: ['/api/{*path}'] })]
          : []),
        AuditModule,
        MailModule,
        NotificationsModule.forRoot(jobs),
        AuthModule,
        HealthModule,
        TerritoryModule,
        StructuresModule,
        AgentsModule,
        PersonsModule,
        SharingModule,
        DocumentsModule,
        ContactsModule,
        ReferentsModule,
        ReferralsModule,
        ContinuityModule,
        DirectoryModule,
        IndicatorsModule,
        DemoModule,
        jobs,
      ],
    };
  }
}
