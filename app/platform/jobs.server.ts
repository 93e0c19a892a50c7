// Enqueueing background work. A job is added with graphile_worker.add_job through the caller's
// transaction handle, so it exists exactly when the change that caused it commits: a rolled-back
// decision never sends its e-mail.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'

export type JobOptions = { jobKey?: string; runAt?: Date; maxAttempts?: number; queueName?: string }

export async function enqueue(
  trx: Kysely<Database> | Transaction<Database>,
  task: string,
  payload: Record<string, unknown>,
  options: JobOptions = {},
): Promise<void> {
  await sql`select graphile_worker.add_job(
    ${task},
    ${JSON.stringify(payload)}::json,
    queue_name => ${options.queueName ?? null},
    run_at => ${options.runAt ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? 10},
    job_key => ${options.jobKey ?? null}
  )`.execute(trx)
}
