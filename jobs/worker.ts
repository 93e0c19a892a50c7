// The job worker (graphile-worker). It runs inside the app process by default (server.ts) and on
// its own with `npm run worker` for scale; any number of workers share one PostgreSQL.
import { run, parseCrontab, type Runner, type TaskList } from 'graphile-worker'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import nodemailer from 'nodemailer'
import type pg from 'pg'
import type { DB } from '#db/connection.ts'
import { quietLogger } from '#db/migrate.ts'
import { sendEmailTask } from './tasks/send_email.ts'
import { sendPasswordResetTask } from './tasks/send_password_reset.ts'
import { archiveOpenFileTask } from './tasks/archive_open_file.ts'
import { archiveIntegrityTask } from './tasks/archive_integrity_check.ts'
import { storagePurgeStagedTask } from './tasks/storage_purge_staged.ts'
import { ledgerExportTask } from './tasks/ledger_export.ts'
import { followupSweepTask } from './tasks/followup_sweep.ts'
import { followupDigestTask } from './tasks/followup_digest.ts'
import { rootseekingReplySweepTask } from './tasks/rootseeking_reply_sweep.ts'
import { importCheckTask } from './tasks/import_check.ts'
import { importRunTask } from './tasks/import_run.ts'
import { importOpenArchivesTask } from './tasks/import_open_archives.ts'
import { auditChainVerifyTask } from './tasks/audit_chain_verify.ts'
import { reencryptFieldsTask } from './tasks/reencrypt_fields.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'

export type WorkerDeps = { db: DB; pool: pg.Pool; cipher: FieldCipher; smtpUrl?: string; requireTls?: boolean; mailFrom: string; concurrency: number; publicUrl?: string }

/**
 * The SMTP transport. In HTTPS mode (requireTls) a server that does not offer STARTTLS is refused
 * rather than sent minors' names in clear (decision 033); smtps:// is TLS from the start anyway.
 */
export function createTransporter(smtpUrl: string | undefined, requireTls = false) {
  if (!smtpUrl) return null
  return requireTls ? nodemailer.createTransport({ url: smtpUrl, requireTLS: true } as Parameters<typeof nodemailer.createTransport>[0]) : nodemailer.createTransport(smtpUrl)
}

export function taskList(deps: Pick<WorkerDeps, 'db' | 'cipher' | 'smtpUrl' | 'requireTls' | 'mailFrom' | 'publicUrl'>): TaskList {
  return {
    send_email: sendEmailTask({ db: deps.db, transporter: createTransporter(deps.smtpUrl, deps.requireTls), from: deps.mailFrom }),
    send_password_reset: sendPasswordResetTask({ db: deps.db, transporter: createTransporter(deps.smtpUrl, deps.requireTls), from: deps.mailFrom, publicUrl: deps.publicUrl ?? (process.env.PUBLIC_URL || undefined) }),
    archive_open_file: archiveOpenFileTask(deps),
    archive_integrity_check: archiveIntegrityTask(deps),
    storage_purge_staged: storagePurgeStagedTask(deps),
    ledger_export: ledgerExportTask(deps),
    followup_sweep: followupSweepTask(deps),
    followup_digest: followupDigestTask(deps),
    rootseeking_reply_sweep: rootseekingReplySweepTask({ db: deps.db, publicUrl: process.env.PUBLIC_URL || undefined }),
    import_check: importCheckTask(deps),
    import_run: importRunTask(deps),
    import_open_archives: importOpenArchivesTask(deps),
    audit_chain_verify: auditChainVerifyTask(deps),
    reencrypt_fields: reencryptFieldsTask(deps),
  }
}

/** The crontab beside this file, or in jobs/ of the project when this module runs bundled from build/. */
export function crontab(): string {
  const beside = fileURLToPath(new URL('./crontab', import.meta.url))
  const inProject = fileURLToPath(new URL('../jobs/crontab', import.meta.url))
  return readFileSync(existsSync(beside) ? beside : inProject, 'utf8')
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
