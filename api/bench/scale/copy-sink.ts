import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';

/** A value of a COPY text row: null is \N; arrays are written as PostgreSQL array literals. */
export type CopyValue = string | number | boolean | null | readonly (string | number)[];

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const escapeText = (s: string) => (NEEDS_ESCAPE.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s);

function field(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  // Array elements here are codes and numbers: no quoting needed (checked: no comma, brace, quote, space).
  return `{${value.join(',')}}`;
}

const CHUNK = 1 << 18;

/**
 * One table's COPY … FROM STDIN, on a connection of its own, fed row by row: rows are encoded straight
 * into 256 kB buffers written to the stream; `drained()` waits while the server is behind
 * (backpressure), so that memory stays bounded however many rows go through.
 *
 * With `fresh`, the COPY runs in a transaction that first truncates the table: it can then be
 * `COPY … WITH (FREEZE)` (rows written frozen and all-visible: VACUUM has nothing left to do), and,
 * on a server with wal_level = minimal, without writing the rows to the WAL.
 */
export class CopySink {
  rows = 0;
  private buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private stream: Writable | null = null;
  private client: Client | null = null;
  private waiting: Promise<void> | null = null;
  private failure: Error | null = null;
  private startedAt = 0;
  private endedAt = 0;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
    private readonly fresh = false,
  ) {}

  async open(url: string): Promise<void> {
    this.client = new Client({ connectionString: url, application_name: `seed-scale ${this.table}` });
    await this.client.connect();
    await this.client.query(`SET synchronous_commit = off`);
    if (this.fresh) {
      await this.client.query('BEGIN');
      await this.client.query(`TRUNCATE ${this.table}`);
    }
    this.stream = this.client.query(copyFrom(`COPY ${this.table} (${this.columns.join(', ')}) FROM STDIN${this.fresh ? ' WITH (FREEZE)' : ''}`));
    this.stream.on('error', (error: Error) => {
      this.failure = error;
    });
    this.startedAt = performance.now();
  }

  push(values: readonly CopyValue[]): void {
    if (values.length !== this.columns.length) throw new Error(`${this.table}: ${values.length} values for ${this.columns.length} columns`);
    let line = field(values[0]);
    for (let i = 1; i < values.length; i++) line += '\t' + field(values[i]);
    line += '\n';
    if (this.used + line.length * 3 > CHUNK) this.flush();
    this.used += this.buffer.write(line, this.used);
    this.rows++;
  }

  private flush(): void {
    if (this.failure) throw this.failure;
    if (this.used === 0 || !this.stream) return;
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    if (!this.stream.write(chunk) && !this.waiting) {
      const stream = this.stream;
      this.waiting = new Promise<void>((resolve) => stream.once('drain', () => resolve())).then(() => {
        this.waiting = null;
      });
    }
  }

  /** Resolves when the stream can take more (immediately, most of the time). */
  async drained(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.waiting) await this.waiting;
  }

  /** Sends what is left, ends the COPY (and commits) and closes the connection; returns the rows the server counted. */
  async close(): Promise<number> {
    this.flush();
    const stream = this.stream;
    if (!stream) throw new Error(`${this.table}: not open`);
    await new Promise<void>((resolve, reject) => {
      stream.once('finish', () => resolve());
      stream.once('error', reject);
      stream.end();
    });
    if (this.fresh) await this.client?.query('COMMIT');
    this.endedAt = performance.now();
    const counted = (stream as Writable & { rowCount?: number }).rowCount ?? this.rows;
    await this.client?.end();
    if (counted !== this.rows) throw new Error(`${this.table}: ${this.rows} rows sent, ${counted} copied`);
    return counted;
  }

  seconds(): number {
    return ((this.endedAt || performance.now()) - this.startedAt) / 1000;
  }

  async abort(): Promise<void> {
    try {
      this.stream?.destroy();
      await this.client?.end();
    } catch {
      // the connection is going away anyway
    }
  }
}
