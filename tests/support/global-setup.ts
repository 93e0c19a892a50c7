// Vitest global setup: one real PostgreSQL for the whole run — the embedded server in a temporary
// directory, or the server at TEST_DATABASE_URL (a role allowed to CREATE DATABASE) — and one
// migrated template database that each test file clones (tests/support/db.ts).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedServer } from '#db/embedded.ts'
import { createDb, createPool } from '#db/connection.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { ensureAppRole, grantAppRole } from '#db/privileges.ts'
import { randomBytes } from 'node:crypto'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
    templateDatabase: string
    /** The least-privilege role the app runs as (decision 029); every test file connects as it. */
    pgAppRole: string
    pgAppPassword: string
  }
}

let embedded: EmbeddedServer | null = null
let dataDir: string | null = null

function withDatabase(url: string, database: string) {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

export async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL
  if (adminUrl) {
    console.log(`integration tests on TEST_DATABASE_URL (${new URL(adminUrl).host})`)
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'adoption-test-'))
    chmodSync(dataDir, 0o755) // initdb runs as the postgres user
    embedded = await startEmbeddedPostgres({ dataDir, database: 'postgres', log: () => {} })
    adminUrl = embedded.url
  }
  const template = `adoption_template_${process.pid}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  const version = await admin.query('show server_version_num')
  if (Number(version.rows[0].server_version_num) < 140000) throw new Error('PostgreSQL 14 or newer is required')
  await admin.query(`drop database if exists ${template}`)
  await admin.query(`create database ${template}`)
  await admin.end()

  // Roles belong to the whole cluster (TEST_DATABASE_URL may be shared): one of this run's own.
  const appRole = `adoption_app_t${process.pid}`
  const appPassword = randomBytes(18).toString('base64url')
  await ensureAppRole(adminUrl, appRole, appPassword, { resetPassword: true })

  const pool = createPool(withDatabase(adminUrl, template), 2)
  const db = createDb(pool)
  await migrateToLatest(db, pool)
  await grantAppRole(db, appRole) // copied with the template into every clone
  await db.destroy() // a template must have no open connections when it is cloned

  project.provide('pgAdminUrl', adminUrl)
  project.provide('templateDatabase', template)
  project.provide('pgAppRole', appRole)
  project.provide('pgAppPassword', appPassword)

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    const leftovers = await client.query(`select datname from pg_database where datname like 't\\_${process.pid}\\_%' or datname = $1`, [template])
    for (const row of leftovers.rows) await client.query(`drop database if exists "${row.datname}" with (force)`)
    await client.query(`drop role if exists ${appRole}`).catch((error) => console.warn(`test role ${appRole} left behind: ${error.message}`))
    await client.end()
    await embedded?.stop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}
