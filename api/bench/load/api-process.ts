/**
 * The API under test: the production build (dist/api/main.js, webpack output of api/webpack.config.js),
 * rebuilt when missing or older than its sources, started as a child process in production mode,
 * watched (its log lines, its memory and CPU from /proc) and stopped at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { AppConfig } from '../../src/config/app-config';

export const ROOT = resolve(__dirname, '../../..');
export const API_MAIN = resolve(ROOT, 'dist/api/main.js');
/** What the bundle is built from (tests excluded: they are not in it). */
const SOURCES = ['api/src', 'contracts/src', 'migrations/src', 'api/webpack.config.js', 'api/tsconfig.app.json', 'api/tsconfig.json', 'tsconfig.base.json'];

function newestSource(path: string): { file: string; mtime: number } {
  const full = resolve(ROOT, path);
  const stat = statSync(full);
  if (!stat.isDirectory()) return { file: path, mtime: stat.mtimeMs };
  let newest = { file: path, mtime: 0 };
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    if (entry.isFile() && /\.(spec|integration-spec|test)\.ts$/.test(entry.name)) continue;
    const found = newestSource(`${path}/${entry.name}`);
    if (found.mtime > newest.mtime) newest = found;
  }
  return newest;
}

/** Why the build must run, or null when dist/api/main.js is newer than every source. */
export function buildReason(force: boolean): string | null {
  if (force) return '--build';
  if (!existsSync(API_MAIN)) return `${API_MAIN} is missing`;
  const built = statSync(API_MAIN).mtimeMs;
  const newest = SOURCES.map(newestSource).reduce((a, b) => (b.mtime > a.mtime ? b : a));
  return newest.mtime > built ? `${newest.file} is newer than the build` : null;
}

/** `nx build api` (production configuration: NODE_ENV=production, the default one). */
export async function buildApi(): Promise<number> {
  const started = performance.now();
  const child = spawn('npx', ['nx', 'build', 'api', '--outputStyle=static'], {
    cwd: ROOT,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0 || !existsSync(API_MAIN)) throw new Error(`nx build api failed (exit ${code}):\n${output.split('\n').slice(-40).join('\n')}`);
  return performance.now() - started;
}

/** What the API's log said that matters to the run (pino JSON lines; nothing personal is logged). */
export interface ApiLog {
  lines: number;
  /** Level ≥ 50 (error, fatal): the first messages, and how many. */
  errors: string[];
  errorCount: number;
  /** The job queue's lines (jobs run during the run, their durations). */
  jobs: string[];
  /** The last lines of stderr and of non-JSON stdout, for a failed start. */
  tail: string[];
}

export interface ApiProcess {
  pid: number;
  url: string;
  log: ApiLog;
  startupMs: number;
  /** The environment given to the API (without its secret), for the report. */
  settings: Record<string, string>;
  exited(): boolean;
  stop(): Promise<void>;
}

/** Environment variables the configuration reads: none inherited from the caller's shell, only ours. */
function configKeys(): string[] {
  return [...Object.keys(new AppConfig()), 'PUBLIC_URL', 'DATABASE_URL', 'COOKIE_SECURE', 'MAIL_SMTP_URL'];
}

export async function startApi(databaseUrl: string, port: number, settings: Record<string, string>): Promise<ApiProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of configKeys()) delete env[key];
  const given = { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...settings };
  Object.assign(env, given, { DATABASE_URL: databaseUrl, SESSION_SECRET: randomBytes(32).toString('hex') });
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [API_MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = () => child.kill('SIGKILL');
  process.on('exit', kill); // never leave the API running, whatever ends this process
  const log: ApiLog = { lines: 0, errors: [], errorCount: 0, jobs: [], tail: [] };
  const keep = (line: string) => {
    log.tail.push(line);
    if (log.tail.length > 30) log.tail.shift();
  };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    log.lines++;
    if (!line.startsWith('{')) return keep(line);
    // Cheap checks first: most lines are request logs.
    const error = /"level":(5|6)\d/.test(line);
    const job = line.includes('"context":"JobQueue"');
    if (!error && !job) return;
    try {
      const entry = JSON.parse(line) as { msg?: string; context?: string; err?: { message?: string } };
      const text = `${entry.context ? `[${entry.context}] ` : ''}${entry.msg ?? ''}${entry.err?.message ? ` — ${entry.err.message}` : ''}`;
      if (job) log.jobs.push(text);
      if (error) {
        log.errorCount++;
        if (log.errors.length < 10) log.errors.push(text.slice(0, 300));
      }
    } catch {
      keep(line);
    }
  });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', keep);

  let exitCode: number | null = null;
  let hasExited = false;
  const exit = new Promise<void>((done) =>
    child.on('exit', (code, signal) => {
      hasExited = true;
      exitCode = code ?? (signal ? 128 : null);
      process.off('exit', kill);
      done();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (hasExited) return;
    child.kill('SIGTERM'); // graceful: in-flight requests, the job queue (up to 30 s), the pool
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    await exit;
    clearTimeout(timer);
  };

  // Ready when /api/health answers 200 (after the migrations check and Nest's start).
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (hasExited) throw new Error(`the API exited during start-up (code ${exitCode}):\n  ${log.tail.join('\n  ')}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not answer ${url}/api/health within 180 s:\n  ${log.tail.join('\n  ')}`);
    }
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (child.pid === undefined) throw new Error('the API has no pid');
  return { pid: child.pid, url, log, startupMs: performance.now() - started, settings: given, exited: () => hasExited, stop };
}

/** Resident memory and CPU time of a process, from /proc (Linux). */
export function processStats(pid: number): { rss: number; hwm: number; cpuMs: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    // Fields 14 and 15 of /proc/<pid>/stat (after the command in parentheses): user and system time, in clock ticks (100 Hz).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), cpuMs };
  } catch {
    return null;
  }
}

/** What the resident memory is made of (/proc/<pid>/status): the heap and other private memory, the mapped files (code). */
export function rssParts(pid: number): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mb = (name: string) => `${(Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024 / 1e6).toFixed(0)} MB`;
    return `anonymous ${mb('RssAnon')}, files ${mb('RssFile')}, shared ${mb('RssShmem')}`;
  } catch {
    return 'no /proc';
  }
}

/** CPU time (ms) of a process and its children (PostgreSQL: the postmaster and its backends), from /proc. */
export function treeCpuMs(parentPid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(entry) === parentPid || Number(fields[1]) === parentPid) total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** The machine's busy and total CPU time (ms, all cores), from the first line of /proc/stat. */
function machineCpuMs(): { busy: number; total: number } {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0) * 10;
    const idle = (ticks[3] + ticks[4]) * 10; // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

export interface PhaseResources {
  peakRss: number;
  /** Cores used meanwhile (1.0 = one core busy all along): the API, PostgreSQL (when local), the whole machine. */
  apiCpu: number;
  postgresCpu: number;
  machineCpu: number;
}

/** Samples a process's RSS every `everyMs` while a phase runs; its peak, and the CPU used meanwhile. */
export class ResourceSampler {
  private timer: NodeJS.Timeout | null = null;
  private peak = 0;
  private cpuStart = 0;
  private postgresStart = 0;
  private machineStart = { busy: 0, total: 0 };
  private wallStart = 0;

  /** `postmasterPid`: the local PostgreSQL server's main process, null when it is not on this machine. */
  constructor(
    private readonly pid: number,
    private readonly postmasterPid: number | null = null,
    private readonly everyMs = 100,
  ) {}

  start(): void {
    const first = processStats(this.pid);
    this.peak = first?.rss ?? 0;
    this.cpuStart = first?.cpuMs ?? 0;
    this.postgresStart = this.postmasterPid ? treeCpuMs(this.postmasterPid) : 0;
    this.machineStart = machineCpuMs();
    this.wallStart = performance.now();
    this.timer = setInterval(() => {
      const s = processStats(this.pid);
      if (s && s.rss > this.peak) this.peak = s.rss;
    }, this.everyMs);
    this.timer.unref();
  }

  stop(): PhaseResources {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const last = processStats(this.pid);
    if (last && last.rss > this.peak) this.peak = last.rss;
    const wall = performance.now() - this.wallStart;
    const machine = machineCpuMs();
    const cores = cpus().length;
    return {
      peakRss: this.peak,
      apiCpu: last && wall > 0 ? (last.cpuMs - this.cpuStart) / wall : Number.NaN,
      postgresCpu: this.postmasterPid && wall > 0 ? (treeCpuMs(this.postmasterPid) - this.postgresStart) / wall : Number.NaN,
      machineCpu: ((machine.busy - this.machineStart.busy) / (machine.total - this.machineStart.total)) * cores,
    };
  }
}
