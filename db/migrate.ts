// Applies the app's migrations (Kysely's Migrator) and graphile-worker's schema. Run at start.
import { Migrator, sql, type Kysely } from 'kysely'
import type pg from 'pg'
import { migrations } from './migrations/index.ts'
import { loadCalendar } from './seed/calendar.ts'
import { endedByShutdown } from './connection.ts'

export async function migrateToLatest(db: Kysely<any>, pool: pg.Pool): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const before = await lastAuditId(db)
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? error}`)
  }
  // Audit rows a migration wrote cannot carry a MAC (a migration never holds the key): the app seals
  // exactly these ids at its next start (decision 029). Rows outside such ranges without a MAC are
  // breaks of the chain.
  const after = await lastAuditId(db)
  if (after !== null && after !== (before ?? null) && (await sql<{ ok: boolean }>`select to_regclass('public.audit_chain_unsealed') is not null as ok`.execute(db)).rows[0].ok) {
    await sql`insert into audit_chain_unsealed (from_id, to_id) values (${before ?? '0'}, ${after}) on conflict do nothing`.execute(db)
  }
  const { runMigrations } = await import('graphile-worker')
  await runMigrations({ pgPool: pool, logger: quietLogger() })
  await loadCalendar(db)
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** The audit log's last id, or null when the table is empty or not made yet. */
async function lastAuditId(db: Kysely<any>): Promise<string | null> {
  const { rows } = await sql<{ exists: boolean }>`select to_regclass('public.audit_log') is not null as exists`.execute(db)
  if (!rows[0].exists) return null
  const max = await sql<{ id: string | null }>`select max(id)::text as id from audit_log`.execute(db)
  return max.rows[0].id
}

/** True when every migration this build knows has run (read by a role that may not migrate). */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
  const done = new Set(rows.map((r) => r.name))
  return Object.keys(migrations).filter((name) => !done.has(name))
}

export function quietLogger() {
  // graphile-worker logs every job at info level; keep warnings and errors.
  return new (class {
    scope() { return this }
    error(message: string) { if (!endedByShutdown({ message })) console.error(`[worker] ${message}`) }
    warn(message: string) { if (!endedByShutdown({ message })) console.warn(`[worker] ${message}`) }
    info() {}
    debug() {}
  })() as any
}
