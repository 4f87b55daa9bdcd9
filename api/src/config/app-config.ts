import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { passwordProblems } from '@passerelle/contracts';

/** Secrets shipped for the demo; refused in production. */
export const DEMO_SESSION_SECRET = 'demo-only-session-secret-change-me-in-production';
export const DEMO_PASSWORD_DEFAULT = 'Passerelle-Demo-2026!';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());

/**
 * Every setting Passerelle reads, validated once at boot. Nothing else reads process.env.
 * Names are the environment variable names; see the configuration table in the README.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Public base URL used in links sent to agents (activation). Defaults to http://localhost:PORT. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_URL?: string;

  /** PostgreSQL connection string. When absent, an embedded PostgreSQL is started. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL doit être une URL postgres://utilisateur@hôte:port/base' })
  DATABASE_URL?: string;

  /**
   * PostgreSQL streaming replicas (comma-separated postgres:// URLs, same database as DATABASE_URL).
   * When set, the reads that tolerate lag (indicators, directory search) go to one of them; every
   * other query stays on DATABASE_URL (see api/src/database/read-replica.ts).
   */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((url) => url.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray()
  @ArrayMinSize(1, { message: 'DATABASE_REPLICA_URLS doit contenir au moins une URL postgres://' })
  @Matches(/^postgres(ql)?:\/\/.+/, { each: true, message: 'DATABASE_REPLICA_URLS doit être une liste d’URL postgres://utilisateur@hôte:port/base séparées par des virgules' })
  DATABASE_REPLICA_URLS?: string[];

  @IsString()
  EMBEDDED_PG_DIR = '.data/postgres';

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET doit comporter au moins 32 caractères' })
  SESSION_SECRET = DEMO_SESSION_SECRET;

  /** Inactivity timeout of a session, in minutes. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES = 30;

  /** Absolute lifetime of a session, in hours. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24)
  SESSION_MAX_HOURS = 10;

  /** Send cookies with the Secure flag. Defaults to true in production. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  COOKIE_SECURE?: boolean;

  /**
   * Trust X-Forwarded-For from a reverse proxy (client IPs in the audit trail and for the login rate
   * limit): every address in it, so the client's own header counts — only behind a proxy that
   * overwrites it. Prefer TRUST_PROXY_HOPS.
   */
  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  /**
   * The number of reverse proxies in front of the API (e.g. 1: one load balancer): the client's
   * address is the one the nearest of them appended to X-Forwarded-For, whatever the client wrote
   * there itself. Takes precedence over TRUST_PROXY.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  TRUST_PROXY_HOPS?: number;

  /** Consecutive failed logins before the account is locked. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_ATTEMPTS = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  LOGIN_LOCK_MINUTES = 15;

  /** Login attempts allowed per client IP and minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_MINUTE = 20;

  /** Validity of an agent's activation link, in hours. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  ACTIVATION_LINK_HOURS = 72;

  /** Load the Hautes-Alpes demo data on first start (never in production). */
  @Transform(toBool)
  @IsBoolean()
  DEMO_DATA = true;

  @IsString()
  DEMO_PASSWORD = DEMO_PASSWORD_DEFAULT;

  /** SMTP URL (smtp://user:pass@host:587). When absent, no e-mail is sent: links are shown to the admin. */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'MAIL_SMTP_URL doit être une URL smtp:// ou smtps://' })
  MAIL_SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Passerelle <ne-pas-repondre@passerelle.localhost>';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * Run the job queue (pg-boss, in the database's `pgboss` schema): the daily retention job and its
   * schedule. Off in the integration tests unless a test asks for it.
   */
  @Transform(toBool)
  @IsBoolean()
  JOBS_ENABLED = true;

  /** Folder holding the built web app served on /. Defaults to dist/web/browser. */
  @IsString()
  WEB_DIST_DIR = 'dist/web/browser';

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://localhost:${this.PORT}`).replace(/\/$/, '');
  }
  get cookieSecure(): boolean {
    return this.COOKIE_SECURE ?? this.isProduction;
  }
  get demoDataEnabled(): boolean {
    return this.DEMO_DATA && !this.isProduction;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and checks the environment. Throws ConfigError listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new AppConfig());
  const input: Record<string, string> = {};
  for (const key of [...known, 'PUBLIC_URL', 'DATABASE_URL', 'DATABASE_REPLICA_URLS', 'COOKIE_SECURE', 'TRUST_PROXY_HOPS', 'MAIL_SMTP_URL']) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const config = plainToInstance(AppConfig, input);
  const problems = validateSync(config).flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m} (valeur reçue : ${redact(e.property, e.value)})`),
  );
  if (config.isProduction) {
    if (config.SESSION_SECRET === DEMO_SESSION_SECRET)
      problems.push('SESSION_SECRET: le secret de démonstration est refusé en production ; fournissez une valeur aléatoire d’au moins 32 caractères');
    if (!config.DATABASE_URL) problems.push('DATABASE_URL: obligatoire en production (la base embarquée est réservée à la démonstration)');
  }
  if (config.DATABASE_REPLICA_URLS && !config.DATABASE_URL)
    problems.push('DATABASE_REPLICA_URLS: exige DATABASE_URL (les réplicas sont ceux de la base principale, pas de la base embarquée)');
  if (config.demoDataEnabled && passwordProblems(config.DEMO_PASSWORD).length > 0)
    problems.push(`DEMO_PASSWORD: ${passwordProblems(config.DEMO_PASSWORD).join(' ')}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function redact(property: string, value: unknown): string {
  if (/SECRET|PASSWORD|URL/.test(property)) return '[masquée]';
  return JSON.stringify(value);
}
