/**
 * The scheduling port of the domain: durable jobs with unique keys. The job queue (jobs/queue.ts)
 * implements it in production; domain services and the bot only ever see this interface.
 */
export interface Scheduler {
  enqueue(job: { type: string; key: string; runAt: Date; payload: unknown }): Promise<boolean>;
  cancel(key: string): Promise<unknown>;
  cancelByPrefix(prefix: string): Promise<number>;
}
