import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { AppConfig } from '../config/app-config';
import { describeError } from './retention-report';

/** The database URL the queue connects to (the application's, see RetentionModule.forRoot). */
export const JOB_QUEUE_DATABASE_URL = Symbol('JOB_QUEUE_DATABASE_URL');
/** pg-boss keeps its tables in this schema of the application's database (decision 0006). */
export const JOB_QUEUE_SCHEMA = 'pgboss';
export const JOB_QUEUE_APPLICATION_NAME = 'passerelle-jobs';

export interface JobDefinition {
  /** Queue name, e.g. "retention.run". */
  queue: string;
  /** Retries, expiry, policy of the queue (pg-boss createQueue options). */
  options: Omit<PgBoss.Queue, 'name'>;
  /** A cron schedule (5 fields) in a time zone; the queue's job is then sent at those times. */
  schedule?: { cron: string; tz: string };
  /** Works one job; its result (counts, no personal data) is stored as the job's output. */
  handle(job: PgBoss.Job<object>): Promise<object | void>;
}

/**
 * The job queue: pg-boss on the application's PostgreSQL (its own `pgboss` schema, its own small
 * pool). Modules define their jobs in onModuleInit; the queue starts on application bootstrap —
 * creates the queues, registers the schedules, starts the workers — when JOBS_ENABLED, and stops on
 * shutdown, letting a running job finish (graceful, up to 30 s) before closing its pool. Several
 * instances may run it: pg-boss sends a scheduled job once and hands each job to one worker.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobQueue');
  private readonly definitions: JobDefinition[] = [];
  private boss: PgBoss | null = null;

  constructor(
    private readonly config: AppConfig,
    @Inject(JOB_QUEUE_DATABASE_URL) private readonly databaseUrl: string,
  ) {}

  define(definition: JobDefinition): void {
    if (this.boss) throw new Error(`Job ${definition.queue} defined after the queue started: define jobs in onModuleInit.`);
    this.definitions.push(definition);
  }

  get started(): boolean {
    return this.boss !== null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.JOBS_ENABLED) return;
    const boss = new PgBoss({
      connectionString: this.databaseUrl,
      schema: JOB_QUEUE_SCHEMA,
      application_name: JOB_QUEUE_APPLICATION_NAME,
      max: 4,
    });
    boss.on('error', (error: unknown) => this.logger.error(`pg-boss: ${describeError(error)}`));
    await boss.start();
    this.boss = boss;
    try {
      for (const definition of this.definitions) {
        await boss.createQueue(definition.queue, { name: definition.queue, ...definition.options });
        await boss.updateQueue(definition.queue, { name: definition.queue, ...definition.options });
        if (definition.schedule) {
          await boss.schedule(definition.queue, definition.schedule.cron, {}, { tz: definition.schedule.tz });
        } else {
          await boss.unschedule(definition.queue);
        }
        await boss.work<object>(definition.queue, async ([job]) => this.handle(definition, job));
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.logger.log(`Job queue started: ${this.definitions.map((d) => d.queue).join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Sends a job now (e.g. an administrator's "run the retention now", or a test). Null when the queue's policy refused it. */
  send(queue: string, data: object = {}): Promise<string | null> {
    return this.running().send(queue, data);
  }

  getSchedules(): Promise<PgBoss.Schedule[]> {
    return this.running().getSchedules();
  }

  getJob(queue: string, id: string): Promise<PgBoss.JobWithMetadata<object> | null> {
    return this.running().getJobById<object>(queue, id, { includeArchive: true });
  }

  private running(): PgBoss {
    if (!this.boss) throw new Error('The job queue is not running (JOBS_ENABLED=false).');
    return this.boss;
  }

  private async handle(definition: JobDefinition, job: PgBoss.Job<object>): Promise<object | void> {
    const started = Date.now();
    try {
      const output = await definition.handle(job);
      this.logger.log(`Job ${definition.queue} ${job.id} done in ${Date.now() - started} ms`);
      return output;
    } catch (error) {
      // pg-boss stores the error in the job's output: keep its description free of row values.
      const description = describeError(error);
      this.logger.error(`Job ${definition.queue} ${job.id} failed: ${description}`);
      throw new Error(description);
    }
  }

  private async stop(): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    this.boss = null;
    await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
