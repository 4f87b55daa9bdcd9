import type { RunningDatabase } from '../src/database/embedded-postgres';
import { adminQuery, TEMPLATE_DB } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env['PASSERELLE_TEST_SERVER_URL'];
  if (serverUrl) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`).catch(() => undefined);
  await (globalThis as { __PASSERELLE_TEST_DB__?: RunningDatabase }).__PASSERELLE_TEST_DB__?.stop();
}
