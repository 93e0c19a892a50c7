// The pg Pool and the Kysely instance over it. graphile-worker shares the same pool.
import { Kysely, PostgresDialect, type Transaction } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.ts'

// bigint (int8) ids come back as strings (JS numbers lose precision past 2^53); dates (civil
// dates, 'date' columns) stay 'YYYY-MM-DD' strings instead of becoming local-midnight Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)

export type DB = Kysely<Database>

let stopping = false

/**
 * Said by a process that is stopping. Ctrl-C (or a service manager's SIGTERM to the process group)
 * also reaches the embedded PostgreSQL, which then ends every connection (57P01
 * admin_shutdown) while the ordered shutdown is still under way: expected, so not printed as an error.
 */
export function stoppingWithTheServer() {
  stopping = true
}

/** True for a connection error that the server's own shutdown causes, once the process is stopping. */
export function endedByShutdown(error: { code?: string; message: string }): boolean {
  return stopping && (error.code === '57P01' || /terminating connection|Connection terminated/.test(error.message))
}

function idleError(source: string) {
  return (error: Error & { code?: string }) => {
    if (!endedByShutdown(error)) console.error(`${source}:`, error.message)
  }
}

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'adoption-registry' })
  // Without these, an idle client's error (e.g. the server restarting) crashes the process.
  pool.on('error', idleError('postgres pool error'))
  pool.on('connect', (client) => {
    client.on('error', idleError('postgres client error'))
  })
  return pool
}

export function createDb(pool: pg.Pool): DB {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

/**
 * Runs `work` in the caller's transaction when there is one, else in a new one: a command can then
 * be called on its own or as part of a larger change (e.g. the assessment signing its report and
 * handing the conclusion to registration in the same commit).
 */
export function inTransaction<T>(db: Kysely<Database> | Transaction<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work)
}
