// The background re-encryption of stored fields from format v1 (no additional data, one
// blind-index key) to v2 (bound to table, column and row; a key per blind index), decision 030.
// Run by the reencrypt_fields job in small batches, each in its own transaction that also moves
// the table's cursor in field_encryption_state: a stopped worker resumes where it was, a second
// worker waits on the state row, and a row already in v2 is left as it is (idempotent). When every
// table is through and nothing failed, done_at is recorded and v1 is refused from then on.
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '#db/schema.ts'
import { normalizeCitizenId } from './citizen-id.ts'
import type { BlindIndexName, FieldCipher } from './crypto.server.ts'
import { enqueue } from './jobs.server.ts'

type EncryptedTable = {
  table: string
  key: readonly string[]
  columns: readonly string[]
  bytes?: boolean
  /** Rows whose columns hold plaintext by design (application_corrections of non-identity fields). */
  where?: RawBuilder<boolean>
  /** A blind index recomputed from a decrypted column. */
  blind?: { column: string; from: string; index: BlindIndexName; normalize: (v: string) => string }
}

/** Every encrypted column of the schema; a new one must be added here (and is found by the test). */
export const encryptedTables: readonly EncryptedTable[] = [
  { table: 'users', key: ['id'], columns: ['totp_secret'] },
  { table: 'parties', key: ['id'], columns: ['id_number_enc', 'findings_enc'], blind: { column: 'id_hash', from: 'id_number_enc', index: 'citizen_id', normalize: normalizeCitizenId } },
  { table: 'assessment_activities', key: ['id'], columns: ['notes_enc'] },
  { table: 'assessment_scores', key: ['assessment_id', 'dimension'], columns: ['findings_enc'] },
  { table: 'assessment_alerts', key: ['id'], columns: ['note_enc'] },
  { table: 'assessment_reports', key: ['id'], columns: ['facts_enc'] },
  { table: 'visit_reports', key: ['id'], columns: ['met_enc', 'daily_care_enc', 'health_enc', 'schooling_enc', 'bonding_enc', 'referral_enc', 'concern_details_enc'] },
  { table: 'rootseeking_visitors', key: ['id'], columns: ['passport_number_enc'], blind: { column: 'passport_hash', from: 'passport_number_enc', index: 'passport', normalize: (v) => v } },
  { table: 'application_corrections', key: ['id'], columns: ['old_value', 'new_value'], where: sql<boolean>`encrypted` },
  // Proposed identity corrections awaiting the second person (decision 027): written in format v2 only.
  { table: 'correction_proposals', key: ['id'], columns: ['payload_enc'] },
  { table: 'blob_chunks', key: ['blob_id', 'seq'], columns: ['content_enc'], bytes: true },
]

export const REENCRYPT_TASK = 'reencrypt_fields'

type Cursor = { after?: unknown[]; done?: boolean }
type Failure = { table: string; row: unknown[]; column: string }

export async function fieldFormatDone(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('field_encryption_state').select('done_at').executeTakeFirst()
  return !!row?.done_at
}

/** At start: refuse v1 when the job has finished, otherwise make sure it is queued (one job, by its key). */
export async function prepareFieldFormat(db: Kysely<Database>, cipher: FieldCipher): Promise<'done' | 'running'> {
  if (await fieldFormatDone(db)) {
    cipher.refuseLegacy()
    return 'done'
  }
  await enqueue(db, REENCRYPT_TASK, {}, { jobKey: REENCRYPT_TASK })
  return 'running'
}

/**
 * One batch of at most `limit` rows of the first table not yet through. Returns what it did;
 * `finished` once every table is through (done_at is recorded only if nothing failed).
 */
export async function reencryptBatch(db: Kysely<Database>, cipher: FieldCipher, limit = 200): Promise<{ converted: number; finished: boolean; failed: number }> {
  return db.transaction().execute(async (trx) => {
    const state = await trx.selectFrom('field_encryption_state').selectAll().forUpdate().executeTakeFirstOrThrow()
    if (state.done_at) return { converted: 0, finished: true, failed: (state.failed as Failure[]).length }
    const cursors = { ...(state.cursors as Record<string, Cursor>) }
    const failed = [...(state.failed as Failure[])]
    const spec = encryptedTables.find((t) => !cursors[t.table]?.done)
    if (!spec) {
      if (!failed.length) {
        await trx.updateTable('field_encryption_state').set({ done_at: sql`now()` as never }).execute()
        cipher.refuseLegacy()
      }
      return { converted: 0, finished: true, failed: failed.length }
    }
    const after = cursors[spec.table]?.after
    const keyRefs = sql.join(spec.key.map((k) => sql.ref(k)))
    const wanted = [...new Set([...spec.key, ...spec.columns, ...(spec.blind ? [spec.blind.column] : [])])]
    const rows = (await sql<Record<string, unknown>>`
      select ${sql.join(wanted.map((c) => sql.ref(c)))} from ${sql.table(spec.table)}
      where true ${after ? sql`and (${keyRefs}) > (${sql.join(after.map((v) => sql`${v}`))})` : sql``} ${spec.where ? sql`and ${spec.where}` : sql``}
      order by ${keyRefs} limit ${limit}`.execute(trx)).rows
    let converted = 0
    for (const row of rows) {
      const key = spec.key.map((k) => row[k])
      const place = (column: string) => ({ table: spec.table, column, row: key.map(String) })
      const set: Record<string, unknown> = {}
      for (const column of spec.columns) {
        const value = row[column] as string | Buffer | null
        if (value === null || cipher.isCurrent(value)) continue
        try {
          if (spec.bytes) {
            set[column] = cipher.encryptBytes(cipher.decryptBytes(value as Buffer, place(column)), place(column))
          } else {
            const plain = cipher.decrypt(value as string, place(column))
            set[column] = cipher.encrypt(plain, place(column))
            if (spec.blind?.from === column) set[spec.blind.column] = cipher.blindIndex(spec.blind.index, spec.blind.normalize(plain))
          }
        } catch {
          // An unreadable value is recorded, not skipped silently: v1 stays accepted until it is resolved.
          failed.push({ table: spec.table, row: key, column })
        }
      }
      if (Object.keys(set).length) {
        const assignments = sql.join(Object.entries(set).map(([c, v]) => sql`${sql.ref(c)} = ${v}`))
        const match = sql.join(spec.key.map((k, i) => sql`${sql.ref(k)} = ${key[i]}`), sql` and `)
        await sql`update ${sql.table(spec.table)} set ${assignments} where ${match}`.execute(trx)
        converted++
      }
    }
    cursors[spec.table] = rows.length < limit ? { done: true } : { after: spec.key.map((k) => rows[rows.length - 1][k]) }
    await trx.updateTable('field_encryption_state').set({
      cursors: JSON.stringify(cursors), failed: JSON.stringify(failed),
      converted: sql`converted + ${converted}` as never, started_at: sql`coalesce(started_at, now())` as never,
    }).execute()
    return { converted, finished: false, failed: failed.length }
  })
}

/** Batches until finished or the budget is spent (the job then queues itself again). */
export async function runReencryption(db: Kysely<Database>, cipher: FieldCipher, options: { limit?: number; maxBatches?: number } = {}) {
  let converted = 0
  for (let i = 0; i < (options.maxBatches ?? Infinity); i++) {
    const batch = await reencryptBatch(db, cipher, options.limit)
    converted += batch.converted
    if (batch.finished) return { converted, finished: true, failed: batch.failed }
  }
  return { converted, finished: false, failed: 0 }
}
