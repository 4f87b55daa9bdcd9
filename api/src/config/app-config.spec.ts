import { ConfigError, DEMO_SESSION_SECRET, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives safe demo defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.demoDataEnabled).toBe(true);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.cookieSecure).toBe(false);
    expect(config.JOBS_ENABLED).toBe(true);
  });

  it('parses numbers and booleans from the environment', () => {
    const config = loadConfig({ PORT: '8080', TRUST_PROXY: 'true', DEMO_DATA: 'false', PUBLIC_URL: 'https://passerelle.example.fr/' });
    expect(config.PORT).toBe(8080);
    expect(config.TRUST_PROXY).toBe(true);
    expect(config.demoDataEnabled).toBe(false);
    expect(config.publicUrl).toBe('https://passerelle.example.fr');
    expect(loadConfig({ JOBS_ENABLED: 'false' }).JOBS_ENABLED).toBe(false);
    expect(loadConfig({ JOBS_ENABLED: '0' }).JOBS_ENABLED).toBe(false);
    expect(loadConfig({ TRUST_PROXY_HOPS: '1' }).TRUST_PROXY_HOPS).toBe(1);
    expect(loadConfig({}).TRUST_PROXY_HOPS).toBeUndefined();
    expect(() => loadConfig({ TRUST_PROXY_HOPS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY_HOPS: 'yes' })).toThrow(ConfigError);
  });

  it('lists every invalid value at once, with clear messages and secrets masked', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short', MAIL_SMTP_URL: 'http://mail' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error?.message ?? '';
    expect(text).toMatch(/PORT/);
    expect(text).toMatch(/DATABASE_URL doit être une URL postgres/);
    expect(text).toMatch(/SESSION_SECRET doit comporter au moins 32 caractères/);
    expect(text).toMatch(/MAIL_SMTP_URL/);
    expect(text).not.toContain('short');
    expect(text).not.toContain('mysql://x');
  });

  it('refuses to start in production with the demo secret or without a database', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/secret de démonstration est refusé/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: DEMO_SESSION_SECRET, DATABASE_URL: 'postgres://db/p' })).toThrow(ConfigError);
    const ok = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://db/p' });
    expect(ok.demoDataEnabled).toBe(false);
    expect(ok.cookieSecure).toBe(true);
  });

  it('reads the read replicas as a comma-separated list of postgres URLs, only beside DATABASE_URL', () => {
    expect(loadConfig({}).DATABASE_REPLICA_URLS).toBeUndefined();
    expect(loadConfig({ DATABASE_REPLICA_URLS: '' }).DATABASE_REPLICA_URLS).toBeUndefined();
    const config = loadConfig({
      DATABASE_URL: 'postgres://app@primary:5432/passerelle',
      DATABASE_REPLICA_URLS: 'postgres://app@replica-1:5432/passerelle, postgresql://app@replica-2:5432/passerelle',
    });
    expect(config.DATABASE_REPLICA_URLS).toEqual(['postgres://app@replica-1:5432/passerelle', 'postgresql://app@replica-2:5432/passerelle']);
    let error: ConfigError | undefined;
    try {
      loadConfig({ DATABASE_URL: 'postgres://app@primary/passerelle', DATABASE_REPLICA_URLS: 'postgres://app:s3cret@replica/passerelle,mysql://x' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.message).toMatch(/DATABASE_REPLICA_URLS doit être une liste d’URL postgres/);
    expect(error?.message).not.toContain('s3cret');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app@primary/passerelle', DATABASE_REPLICA_URLS: ' , ' })).toThrow(/au moins une URL/);
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgres://app@replica/passerelle' })).toThrow(/DATABASE_REPLICA_URLS: exige DATABASE_URL/);
  });

  it('refuses a weak demo password', () => {
    expect(() => loadConfig({ DEMO_PASSWORD: 'password' })).toThrow(/DEMO_PASSWORD/);
  });
});
