// `npm test`: lint, unit tests, integration tests against a real PostgreSQL (DATABASE_URL's server,
// or an embedded one started for the run), build, then the browser tests in Chromium.
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-chromium.mjs';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
const isCI = ['1', 'true'].includes(String(process.env.CI).toLowerCase());
const results = [];

function step(title, args) {
  process.stdout.write(`\n=== ${title} ===\n`);
  const started = Date.now();
  // Under CI every task really runs (no result replayed from Nx's cache).
  const flags = ['--outputStyle=stream', ...(isCI ? ['--skip-nx-cache'] : [])];
  const { status } = spawnSync('npx', ['nx', ...args, ...flags], { stdio: 'inherit', env });
  results.push({ title, ok: status === 0, seconds: Math.round((Date.now() - started) / 1000) });
  if (status !== 0) finish(1);
}

function finish(code) {
  process.stdout.write('\n=== Résumé ===\n');
  for (const r of results) process.stdout.write(`${r.ok ? 'OK   ' : 'ÉCHEC'} ${r.title} (${r.seconds} s)\n`);
  const passed = results.filter((r) => r.ok).length;
  process.stdout.write(`steps: ${passed} passed, ${results.length - passed} failed\n`);
  process.exit(code);
}

step('Lint', ['run-many', '-t', 'lint']);
step('Tests unitaires', ['run-many', '-t', 'test']);
step('Tests d’intégration (PostgreSQL réel)', ['run', 'api:integration']);
step('Build (api + web)', ['run-many', '-t', 'build', '-p', 'api', 'web']);

const chromium = findChromium();
if (!chromium) {
  const message =
    'Chromium introuvable : les tests navigateur ne peuvent pas tourner.\n' +
    '  Installez-le (Debian/Ubuntu : sudo apt-get install chromium) ou indiquez son chemin dans CHROME_PATH.';
  if (isCI) {
    process.stderr.write(`\n${message}\n(CI=true : échec)\n`);
    results.push({ title: 'Tests navigateur (Chromium)', ok: false, seconds: 0 });
    finish(1);
  }
  process.stdout.write(`\n*** ATTENTION *** ${message}\n    Les tests navigateur n'ont PAS été exécutés.\n`);
  finish(0);
}
env.CHROME_PATH = chromium;
step(`Tests navigateur (Playwright, ${chromium})`, ['run', 'e2e:e2e']);
finish(0);
