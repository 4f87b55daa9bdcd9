// Starts the built app for the browser tests on a fresh embedded PostgreSQL (demo data loaded),
// never on the developer's own database. The tests sign in far more often than 20 times a minute from
// one address: the login throttle is raised here (it has its own integration test).
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';

const dir = '.data/e2e-postgres';
rmSync(dir, { recursive: true, force: true });
const child = spawn(process.execPath, ['dist/api/main.js'], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: '', EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: '54339', PORT: '3100', NODE_ENV: 'development', DEMO_DATA: 'true', LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
