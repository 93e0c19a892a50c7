// Which database the process uses and as whom (decision 029):
// - embedded (no DATABASE_URL): the cluster's superuser migrates and grants; the app connects as
//   `adoption_app`, a role made at start with its own password kept under DATA_DIR;
// - DATABASE_URL and DATABASE_OWNER_URL: the owner migrates and grants; DATABASE_URL's role (made by
//   the owner when missing and the owner may create roles) runs the app;
// - DATABASE_URL alone: a restricted role runs as it is (the schema must be migrated already); a role
//   that could silence the audit (superuser or owner) is refused outside demo mode, and only warned
//   about in demo mode.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createDb, createPool } from './connection.ts'
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts'
import { migrateToLatest, pendingMigrations } from './migrate.ts'
import { canSilenceAudit, ensureAppRole, grantAppRole, roleOf, withCredentials } from './privileges.ts'

export const EMBEDDED_APP_ROLE = 'adoption_app'

export type DatabaseTarget = {
  /** The app's connection: the least-privilege role, unless `separated` is false. */
  appUrl: string
  /** The owner's connection, for migrating, granting and sealing; null when not given. */
  ownerUrl: string | null
  /** False when the app runs with a role that could silence the audit (demo mode only). */
  separated: boolean
  embedded: EmbeddedServer | null
}

export async function openDatabase(options: {
  databaseUrl?: string
  ownerUrl?: string
  dataDir: string
  database: string
  demo: boolean
  /** Start the embedded server when DATABASE_URL is unset (only `npm start` and the command line tools). */
  embedded?: boolean
  log?: (line: string) => void
}): Promise<DatabaseTarget> {
  const log = options.log ?? ((line) => console.warn(line))
  if (!options.databaseUrl) {
    if (options.embedded === false) throw new Error('DATABASE_URL is required here: the embedded PostgreSQL belongs to npm start')
    const embedded = await startEmbeddedPostgres({ dataDir: options.dataDir, database: options.database })
    try {
      const passwordFile = join(resolve(options.dataDir), 'pg-app-password')
      if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600, flag: 'wx' })
      const password = readFileSync(passwordFile, 'utf8').trim()
      await ensureAppRole(embedded.url, EMBEDDED_APP_ROLE, password, { resetPassword: true })
      return { appUrl: withCredentials(embedded.url, EMBEDDED_APP_ROLE, password), ownerUrl: embedded.url, separated: true, embedded }
    } catch (error) {
      await embedded.stop()
      throw error
    }
  }
  if (options.ownerUrl) {
    const role = roleOf(options.databaseUrl)
    if (role === decodeURIComponent(new URL(options.ownerUrl).username)) throw new Error('DATABASE_URL and DATABASE_OWNER_URL name the same role: DATABASE_URL must be the restricted application role')
    await ensureAppRole(options.ownerUrl, role, decodeURIComponent(new URL(options.databaseUrl).password), { resetPassword: false })
    return { appUrl: options.databaseUrl, ownerUrl: options.ownerUrl, separated: true, embedded: null }
  }
  const pool = createPool(options.databaseUrl, 1)
  const db = createDb(pool)
  try {
    if (await canSilenceAudit(db)) {
      const message =
        'DATABASE_URL connects as a role that can alter tables, disable the audit triggers or delete audit rows (a superuser or the owner of the schema). ' +
        'Set DATABASE_OWNER_URL to that role and DATABASE_URL to a role with no other powers (README: "Database roles").'
      if (!options.demo) throw new Error(`refusing to start: ${message}`)
      log(`WARNING — demo mode only: ${message}`)
      return { appUrl: options.databaseUrl, ownerUrl: options.databaseUrl, separated: false, embedded: null }
    }
    return { appUrl: options.databaseUrl, ownerUrl: null, separated: true, embedded: null }
  } finally {
    await db.destroy()
  }
}

/**
 * The owner's part of a start: migrations (the app's and graphile-worker's), then the grants. With
 * no owner connection, the schema must already be current.
 */
export async function migrateAndGrant(target: DatabaseTarget): Promise<void> {
  if (!target.ownerUrl) {
    const pool = createPool(target.appUrl, 1)
    const db = createDb(pool)
    try {
      const pending = await pendingMigrations(db)
      if (pending.length) throw new Error(`the database needs migrations (${pending.join(', ')}): start once with DATABASE_OWNER_URL set to the owner's connection`)
    } finally {
      await db.destroy()
    }
    return
  }
  const pool = createPool(target.ownerUrl, 2)
  const db = createDb(pool)
  try {
    await migrateToLatest(db, pool)
    if (target.separated) await grantAppRole(db, roleOf(target.appUrl))
  } finally {
    await db.destroy()
  }
}
