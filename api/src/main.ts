import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, DEMO_PASSWORD_DEFAULT, loadConfig } from './config/app-config';
import { configureApp } from './configure-app';
import { startEmbeddedPostgres, type RunningDatabase } from './database/embedded-postgres';
import { runMigrations } from './database/migrate';
import { DEMO_ACCOUNTS, DemoSeeder } from './demo/demo-seeder';

/**
 * Start-up: validate the configuration, use DATABASE_URL or start the embedded PostgreSQL, apply the
 * migrations, load the demo data once, then serve the API (/api) and the web app (/) on one port.
 */
async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`\n${error.message}\n\nVoir le tableau de configuration du README.\n`);
      process.exit(1);
    }
    throw error;
  }

  let database: RunningDatabase;
  if (config.DATABASE_URL) {
    database = { url: config.DATABASE_URL, stop: async () => undefined };
  } else {
    process.stdout.write(`Démarrage de PostgreSQL embarqué (données dans ${config.EMBEDDED_PG_DIR})…\n`);
    database = await startEmbeddedPostgres({ dir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT, database: 'passerelle' });
  }
  const stopDatabase = async () => {
    await database.stop().catch(() => undefined);
  };

  try {
    const applied = await runMigrations(database.url);
    if (applied.length > 0) process.stdout.write(`Migrations appliquées : ${applied.join(', ')}\n`);

    const app = await NestFactory.create(AppModule.forRoot(config, database.url), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    configureApp(app, config);
    // Graceful shutdown on Ctrl-C / SIGTERM: finish in-flight requests, close the pool, then stop
    // the embedded PostgreSQL.
    let stopping = false;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (stopping) return;
        stopping = true;
        process.stdout.write('\nArrêt de Passerelle…\n');
        void app
          .close()
          .catch(() => undefined)
          .then(stopDatabase)
          .then(() => process.exit(0));
      });
    }

    if (config.demoDataEnabled) await app.get(DemoSeeder).seedOnce();
    await app.listen(config.PORT, config.HOST);

    const url = config.publicUrl;
    const lines = [
      '',
      `Passerelle est prêt : ${url}`,
      `  API : ${url}/api   ·   documentation OpenAPI : ${url}/api/docs`,
    ];
    if (config.demoDataEnabled) {
      const shownPassword = config.DEMO_PASSWORD === DEMO_PASSWORD_DEFAULT ? config.DEMO_PASSWORD : '(valeur de DEMO_PASSWORD)';
      lines.push(`  Comptes de démonstration (mot de passe : ${shownPassword}) :`);
      for (const account of DEMO_ACCOUNTS) lines.push(`    - ${account.email.padEnd(34)} ${account.label}`);
    }
    lines.push('  Ctrl-C pour arrêter.', '');
    process.stdout.write(lines.join('\n'));
  } catch (error) {
    new NestLogger('Bootstrap').error(error instanceof Error ? error.message : String(error));
    await stopDatabase();
    process.exit(1);
  }
}

void bootstrap();
