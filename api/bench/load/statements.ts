/**
 * `bench:load --statements`: what the database spent its time on during each level, from
 * pg_stat_statements — reset before the level, the top statements by total execution time printed after
 * it (calls, mean and total execution time, share of the level's execution time in this database, rows,
 * planning time, the normalised text cut short).
 *
 * The extension needs `shared_preload_libraries = 'pg_stat_statements'`: openScaleDatabase sets it (with
 * track_planning on) on the embedded server when asked, and only then — it hooks every statement, and a
 * run without --statements must measure what the first figures measured. Another server takes it only
 * if its administrator preloaded the library: otherwise the run says so and goes on without.
 */
import type { Pool } from 'pg';
import { fmt, ms, table } from './stats';

/** How many statements are printed after each level. */
const TOP = 12;
/** Characters of query text printed (whitespace collapsed). */
const TEXT = 160;

interface StatementRow {
  calls: string;
  total_exec: number;
  mean_exec: number;
  total_plan: number | null;
  rows: string;
  query: string;
}

export class StatementStats {
  private constructor(
    private readonly pool: Pool,
    private readonly planning: boolean,
  ) {}

  /** The extension installed in the database and the library loaded, or the reason it cannot be (null and a printed line). */
  static async open(pool: Pool, log: (line: string) => void): Promise<StatementStats | null> {
    const { rows } = await pool.query<{ libraries: string }>(`SELECT current_setting('shared_preload_libraries') AS libraries`);
    if (!rows[0].libraries.split(',').some((l) => l.trim() === 'pg_stat_statements')) {
      log(`--statements: this server does not preload pg_stat_statements (shared_preload_libraries = '${rows[0].libraries}'): no statement statistics`);
      return null;
    }
    try {
      await pool.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    } catch (error) {
      log(`--statements: CREATE EXTENSION pg_stat_statements failed (${error instanceof Error ? error.message : String(error)}): no statement statistics`);
      return null;
    }
    const settings = await pool.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('pg_stat_statements.track', 'pg_stat_statements.track_planning', 'pg_stat_statements.max') ORDER BY name`,
    );
    const planning = settings.rows.some((r) => r.name === 'pg_stat_statements.track_planning' && r.setting === 'on');
    log(`--statements: pg_stat_statements on (${settings.rows.map((r) => `${r.name.replace('pg_stat_statements.', '')} ${r.setting}`).join(', ')}), reset before each level, top ${TOP} by execution time after it`);
    return new StatementStats(pool, planning);
  }

  async reset(): Promise<void> {
    await this.pool.query(`SELECT pg_stat_statements_reset()`);
  }

  /** The top statements of this database since the last reset (the benchmark's own statistics queries left out). */
  async print(title: string): Promise<void> {
    const own = `query NOT LIKE '%pg_stat_statements%'`;
    const where = `dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND ${own}`;
    const { rows: totals } = await this.pool.query<{ exec: number | null; plan: number | null; calls: string | null; statements: string }>(
      `SELECT sum(total_exec_time) AS exec, sum(total_plan_time) AS plan, sum(calls) AS calls, count(*) AS statements FROM pg_stat_statements WHERE ${where}`,
    );
    const { rows } = await this.pool.query<StatementRow>(
      `SELECT calls, total_exec_time AS total_exec, mean_exec_time AS mean_exec, ${this.planning ? 'total_plan_time' : 'NULL::float8'} AS total_plan, rows, query
         FROM pg_stat_statements WHERE ${where} ORDER BY total_exec_time DESC LIMIT ${TOP}`,
    );
    const exec = Number(totals[0]?.exec ?? 0);
    const plan = Number(totals[0]?.plan ?? 0);
    console.log(
      `  Statements (pg_stat_statements), ${title}: ${fmt(Number(totals[0]?.calls ?? 0))} calls of ${fmt(Number(totals[0]?.statements ?? 0))} distinct statements, ` +
        `execution ${ms(exec)}${this.planning ? `, planning ${ms(plan)}` : ''} in this database; top ${TOP} by execution time:`,
    );
    const text = (q: string) => {
      const flat = q.replace(/\s+/g, ' ').trim();
      return flat.length > TEXT ? `${flat.slice(0, TEXT - 1)}…` : flat;
    };
    const lines = table(
      ['#', 'calls', 'mean', 'total', 'share', 'rows', ...(this.planning ? ['plan mean'] : []), 'query'],
      rows.map((r, i) => {
        const calls = Number(r.calls);
        return [
          String(i + 1),
          fmt(calls),
          ms(Number(r.mean_exec)),
          ms(Number(r.total_exec)),
          exec > 0 ? `${((100 * Number(r.total_exec)) / exec).toFixed(1)} %` : '—',
          fmt(Number(r.rows)),
          ...(this.planning ? [ms(calls > 0 ? Number(r.total_plan) / calls : Number.NaN)] : []),
          '',
        ];
      }),
    );
    // The query text last, unpadded (the table aligns the figures).
    console.log(`    ${lines[0]}`);
    rows.forEach((r, i) => console.log(`    ${lines[i + 1]}${text(r.query)}`));
  }
}
