import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { createValidationPipe } from './common/errors/validation';
import { AppConfig } from './config/app-config';

/** HTTP setup shared by main.ts and the integration tests, so tests run the real pipeline. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.set('trust proxy', config.TRUST_PROXY_HOPS ?? config.TRUST_PROXY);
  express.disable('x-powered-by');
  app.setGlobalPrefix('api');
  app.use(helmet());
  app.use(cookieParser());
  express.useBodyParser('json', { limit: '1mb' });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Passerelle API')
      .setDescription(
        'API du premier accueil social inconditionnel. Authentification par cookie de session ' +
          '(POST /api/auth/login) ; les requêtes qui modifient des données portent l’en-tête X-XSRF-TOKEN ' +
          '(valeur du cookie XSRF-TOKEN). Erreurs : { statusCode, code, message, details? }.',
      )
      .setVersion('0.1.0')
      .addCookieAuth('passerelle_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
