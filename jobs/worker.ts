// The job worker (graphile-worker). It runs inside the app process by default (server.ts) and on
// its own with `npm run worker` for scale; any number of workers share one PostgreSQL.
import { run, parseCrontab, type Runner, type TaskList } from 'graphile-worker'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import nodemailer from 'nodemailer'
import type pg from 'pg'
import type { DB } from '#db/connection.ts'
import { quietLogger } from '#db/migrate.ts'
import { sendEmailTask } from './tasks/send_email.ts'
import { archiveOpenFileTask } from './tasks/archive_open_file.ts'
import { archiveIntegrityTask } from './tasks/archive_integrity_check.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'

export type WorkerDeps = { db: DB; pool: pg.Pool; cipher: FieldCipher; smtpUrl?: string; mailFrom: string; concurrency: number }

export function createTransporter(smtpUrl: string | undefined) {
  return smtpUrl ? nodemailer.createTransport(smtpUrl) : null
}

export function taskList(deps: Pick<WorkerDeps, 'db' | 'cipher' | 'smtpUrl' | 'mailFrom'>): TaskList {
  return {
    send_email: sendEmailTask({ db: deps.db, transporter: createTransporter(deps.smtpUrl), from: deps.mailFrom }),
    archive_open_file: archiveOpenFileTask(deps),
    archive_integrity_check: archiveIntegrityTask(deps),
  }
}

export function crontab(): string {
  return readFileSync(fileURLToPath(new URL('./crontab', import.meta.url)), 'utf8')
}

export async function startWorker(deps: WorkerDeps): Promise<Runner> {
  return run({
    pgPool: deps.pool,
    concurrency: deps.concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: taskList(deps),
    parsedCronItems: parseCrontab(crontab()),
    logger: quietLogger(),
  })
}

// `npm run worker`: a worker process alone, against DATABASE_URL.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { readEnv } = await import('#app/platform/env.server.ts')
  const { createDb, createPool } = await import('#db/connection.ts')
  const env = readEnv()
  if (!env.DATABASE_URL) {
    console.error('npm run worker needs DATABASE_URL: extra workers join a shared PostgreSQL (the embedded one belongs to npm start).')
    process.exit(2)
  }
  const pool = createPool(env.DATABASE_URL, env.WORKER_CONCURRENCY + 2)
  const db = createDb(pool)
  const { loadKeys } = await import('#app/platform/keys.server.ts')
  const { createFieldCipher } = await import('#app/platform/crypto.server.ts')
  const cipher = createFieldCipher(loadKeys(env).masterKey)
  const runner = await startWorker({ db, pool, cipher, smtpUrl: env.SMTP_URL, mailFrom: env.MAIL_FROM, concurrency: env.WORKER_CONCURRENCY })
  console.log(`worker running (concurrency ${env.WORKER_CONCURRENCY}); Ctrl-C stops it`)
  const stop = async () => {
    await runner.stop()
    await db.destroy()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
