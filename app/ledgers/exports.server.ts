// Ledger exports as jobs: the request is recorded and its job enqueued in one transaction; the
// job reads the filtered register in key order, a batch at a time, writes the spreadsheet as a
// stream straight into the blob store (a staged blob, claimed when complete) and records its
// progress after every batch. Memory stays at a batch whatever the row count. The job acts with
// the requester's permissions as they are when it runs, so a right withdrawn meanwhile stops it.
import { PassThrough } from 'node:stream'
import { sql, type Kysely } from 'kysely'
import type { Database, Role } from '#db/schema.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { audit } from '#app/platform/audit.server.ts'
import { enqueue } from '#app/platform/jobs.server.ts'
import { DomainError, errorResponse, ForbiddenError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { can } from '#app/platform/permissions.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import { translate, type Locale, type MessageKey } from '#app/platform/i18n/index.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { registerOf } from './registers.server.ts'
import { csvWriter, xlsxWriter } from './sheet-writer.server.ts'
import { refuseOutsideRegistry, refuseRecord } from '#app/platform/record-access.server.ts'

export const EXPORT_BATCH = 1000
/** An export file is larger than any upload: a ceiling against a runaway, not a policy. */
const EXPORT_MAX_BYTES = 2 * 1024 * 1024 * 1024

export type ExportFormat = 'xlsx' | 'csv'

/**
 * An export holds many minors' records outside the registry's pages: each user may ask for only so
 * many a day, and a file may be fetched only for so long and only while its requester still holds
 * the right to the register (decision 033). EXPORT_QUOTA_PER_DAY and EXPORT_TTL_HOURS set them.
 */
export type ExportLimits = { quotaPerDay: number; ttlHours: number }
export const DEFAULT_EXPORT_LIMITS: ExportLimits = { quotaPerDay: 20, ttlHours: 24 }

export const limitsOf = (env: { EXPORT_QUOTA_PER_DAY: number; EXPORT_TTL_HOURS: number }): ExportLimits => ({ quotaPerDay: env.EXPORT_QUOTA_PER_DAY, ttlHours: env.EXPORT_TTL_HOURS })

export class FilterError extends ProcedureError {
  constructor(readonly fields: Record<string, string>) { super('ledger.filter.invalid') }
}

/** Records an export of `ledger` filtered by `params` and enqueues its job; returns its id. */
export async function requestExport(
  db: Kysely<Database>,
  viewer: Viewer,
  input: { ledger: string; params: Record<string, unknown>; format: ExportFormat; locale: Locale },
  limits: ExportLimits = DEFAULT_EXPORT_LIMITS,
): Promise<string> {
  const register = registerOf(input.ledger)
  if (!register) throw new ProcedureError('export.unknownLedger')
  if (!can(viewer.roles, register.permission)) throw new ForbiddenError()
  const { filter, errors } = register.parseFilter(input.params)
  const bad = Object.fromEntries(Object.entries(errors).filter(([, v]) => v)) as Record<string, string>
  // An export is a document someone will rely on: with a bad filter it is refused, not guessed.
  if (Object.keys(bad).length) throw new FilterError(bad)
  return db.transaction().execute(async (trx) => {
    // Two requests at once must not both fit under the quota: the user's row is the lock.
    await trx.selectFrom('users').select('id').where('id', '=', viewer.id).forUpdate().execute()
    const { count } = await trx.selectFrom('ledger_exports').select((eb) => eb.fn.countAll<string>().as('count'))
      .where('requested_by', '=', viewer.id).where('created_at', '>', sql<Date>`now() - interval '1 day'`).executeTakeFirstOrThrow()
    if (Number(count) >= limits.quotaPerDay) throw new DomainError(429, 'export.quota')
    const { id } = await trx.insertInto('ledger_exports').values({
      registry_code: viewer.registryCode, requested_by: viewer.id, ledger: register.key, filter: JSON.stringify(filter), format: input.format, locale: input.locale,
    }).returning('id').executeTakeFirstOrThrow()
    await enqueue(trx, 'ledger_export', { exportId: id }, { jobKey: `ledger_export:${id}`, maxAttempts: 3 })
    await audit(trx, { actor: viewer, action: 'ledger.export_requested', entityType: 'ledger_export', entityId: id, summary: { ledger: register.key, format: input.format, filter } })
    return id
  })
}

/** The requester as the job sees them now: active, same registry, current roles. */
async function currentViewer(db: Kysely<Database>, userId: string): Promise<Viewer | null> {
  const user = await db.selectFrom('users').select(['id', 'username', 'registry_code', 'active']).where('id', '=', userId).executeTakeFirst()
  if (!user?.active) return null
  const roles = (await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute()).map((r) => r.role as Role)
  return { id: user.id, username: user.username, registryCode: user.registry_code, roles }
}

/** The job: writes the export and records its progress. Safe to run again after a crash. */
export async function runExport(db: Kysely<Database>, cipher: FieldCipher, exportId: string, options: { batch?: number } = {}) {
  const job = await db.selectFrom('ledger_exports').selectAll().where('id', '=', exportId).executeTakeFirst()
  if (!job || job.state === 'done') return
  const fail = (error: string) => db.updateTable('ledger_exports').set({ state: 'failed', error }).where('id', '=', exportId).execute()
  const register = registerOf(job.ledger)
  const viewer = await currentViewer(db, job.requested_by)
  if (!register || !viewer || viewer.registryCode !== job.registry_code || !can(viewer.roles, register.permission)) {
    return fail('not allowed')
  }
  const filter = job.filter as Record<string, unknown>
  const today = todayInShanghai()
  const locale = job.locale
  const total = await register.count(db, cipher, viewer, filter, today)
  await db.updateTable('ledger_exports').set({ state: 'running', rows_total: total, rows_done: 0, error: null }).where('id', '=', exportId).execute()

  const store = postgresBlobStore(cipher)
  const output = new PassThrough()
  const stored = store.putStream(db, output, { maxBytes: EXPORT_MAX_BYTES })
  const columns = register.columns(locale)
  const caption = translate(locale, 'export.sheet.filter', { filter: describeFilter(filter) })
  const writer = job.format === 'xlsx' ? xlsxWriter(output, translate(locale, register.title), columns, caption) : csvWriter(output, columns)
  let done = 0
  try {
    let after: string | null = null
    for (;;) {
      const rows = await register.rows(db, cipher, viewer, filter, today, after, options.batch ?? EXPORT_BATCH, locale)
      if (!rows.length) break
      for (const row of rows) await writer.add(row.cells)
      done += rows.length
      after = rows[rows.length - 1].cursor
      await db.updateTable('ledger_exports').set({ rows_done: done }).where('id', '=', exportId).execute()
    }
    await writer.finish()
  } catch (error) {
    output.destroy(error as Error)
    await stored.catch(() => undefined)
    await fail(String((error as Error).message ?? error).slice(0, 500))
    throw error
  }
  const blob = await stored
  await db.transaction().execute(async (trx) => {
    await store.claim(trx, blob.id)
    await trx.updateTable('ledger_exports').set({ state: 'done', blob_id: blob.id, rows_done: done, rows_total: done, finished_at: new Date() }).where('id', '=', exportId).execute()
  })
}

function describeFilter(filter: Record<string, unknown>): string {
  const parts = Object.entries(filter).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}=${String(v)}`)
  return parts.length ? parts.join('; ') : '—'
}

/** One export of the viewer's (nobody else's: an export holds the rows its requester could see). */
export async function loadExport(db: Kysely<Database>, viewer: Viewer, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('export')
  const row = await db.selectFrom('ledger_exports').selectAll().where('id', '=', id).where('requested_by', '=', viewer.id).executeTakeFirst()
  if (!row) {
    // An export is its requester's alone (it holds a whole register): another's is refused, and
    // audited when it is one of the viewer's registry (decision 028).
    const exists = await db.selectFrom('ledger_exports').select('id').where('id', '=', id).where('registry_code', '=', viewer.registryCode).executeTakeFirst()
    if (exists) return refuseRecord(db, viewer, 'ledger_export', id, true)
    return refuseOutsideRegistry(db, viewer, 'ledger_export', 'ledger_exports', id)
  }
  return row
}

export async function recentExports(db: Kysely<Database>, viewer: Viewer) {
  return db.selectFrom('ledger_exports').select(['id', 'ledger', 'format', 'state', 'rows_done as rowsDone', 'rows_total as rowsTotal', 'created_at as createdAt'])
    .where('requested_by', '=', viewer.id).orderBy('id', 'desc').limit(10).execute()
}

/** The finished file as a stream of chunks, its download audited. */
export async function exportDownload(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string, limits: ExportLimits = DEFAULT_EXPORT_LIMITS) {
  const row = await loadExport(db, viewer, id)
  if (row.state !== 'done' || !row.blob_id) throw new NotFoundError('export file')
  // The right is checked again now, not only when the export was asked for.
  const current = registerOf(row.ledger)
  if (!current || !can(viewer.roles, current.permission)) throw new ForbiddenError()
  const finished = row.finished_at ? new Date(row.finished_at as unknown as string) : new Date(0)
  if (Date.now() - finished.getTime() > limits.ttlHours * 3600_000) throw new DomainError(410, 'export.expired')
  await audit(db, { actor: viewer, action: 'ledger.export_downloaded', entityType: 'ledger_export', entityId: id, summary: { ledger: row.ledger, rows: row.rows_done } })
  const register = registerOf(row.ledger)
  const name = `${register ? translate(row.locale, register.title) : row.ledger}-${row.id}.${row.format}`
  const contentType = row.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8'
  return { name, contentType, chunks: postgresBlobStore(cipher).read(db, row.blob_id) }
}

/** For a page's action: the new export's id, or the filter's errors to show next to its fields. */
export async function exportOrErrors(db: Kysely<Database>, viewer: Viewer, input: { ledger: string; params: Record<string, unknown>; format: ExportFormat; locale: Locale }, limits: ExportLimits = DEFAULT_EXPORT_LIMITS) {
  try {
    return { id: await requestExport(db, viewer, input, limits) }
  } catch (error) {
    if (error instanceof FilterError) return { errors: error.fields as Record<string, MessageKey> }
    // Over the daily quota: the error page says so (429), not a fault.
    if (error instanceof DomainError && error.status === 429) throw errorResponse(error)
    throw error
  }
}
