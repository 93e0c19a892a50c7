// Applies the app's migrations (Kysely's Migrator) and graphile-worker's schema. Run at start.
import { Migrator, type Kysely } from 'kysely'
import type pg from 'pg'
import { migrations } from './migrations/index.ts'
import { loadCalendar } from './seed/calendar.ts'
import { endedByShutdown } from './connection.ts'

export async function migrateToLatest(db: Kysely<any>, pool: pg.Pool): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? error}`)
  }
  const { runMigrations } = await import('graphile-worker')
  await runMigrations({ pgPool: pool, logger: quietLogger() })
  await loadCalendar(db)
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
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
