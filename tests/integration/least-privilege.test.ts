// The app's database role cannot silence the audit (decision 029): every statement that would let
// whoever holds the app's connection rewrite history is refused by PostgreSQL itself. Runs against
// the embedded server and, in CI, Debian's PostgreSQL (TEST_DATABASE_URL).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { inject } from 'vitest'
import pg from 'pg'
import { randomBytes } from 'node:crypto'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeUser } from '#tests/support/factories.ts'
import { audit } from '#app/platform/audit.server.ts'
import { enqueue } from '#app/platform/jobs.server.ts'
import { canSilenceAudit, withCredentials } from '#db/privileges.ts'
import { createDb, createPool } from '#db/connection.ts'
import { migrateAndGrant, openDatabase } from '#db/setup.ts'

let t: TestDatabase
beforeAll(async () => { t = await testDatabase() })
afterAll(async () => { await t.destroy() })

const refused = (statement: ReturnType<typeof sql>) => expect(statement.execute(t.db)).rejects.toThrow(/permission denied|must be owner|must be superuser/)

describe('the app role', () => {
  test('has no power beyond logging in', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean; rolbypassrls: boolean; rolreplication: boolean }>`
      select rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication from pg_roles where rolname = current_user`.execute(t.db)
    expect(rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, rolreplication: false })
    expect(await canSilenceAudit(t.db)).toBe(false)
    expect(await canSilenceAudit(t.owner)).toBe(true)
  })

  test('cannot alter, drop or disable the triggers of any table', async () => {
    await refused(sql`alter table audit_log disable trigger audit_log_no_update_delete`)
    await refused(sql`alter table audit_log disable trigger all`)
    await refused(sql`alter table audit_log add column note text`)
    await refused(sql`alter table applications drop constraint applications_pkey`)
    await refused(sql`drop table audit_log`)
    await refused(sql`drop trigger audit_log_no_truncate on audit_log`)
    await refused(sql`create or replace function audit_log_refuse_change() returns trigger language plpgsql as $$ begin return new; end $$`)
    await refused(sql`create table shadow (id int)`)
    await refused(sql`set session_replication_role = replica`)
  })

  test('may add and read audit rows, never change, delete or empty them', async () => {
    const user = await makeUser(t.db)
    await audit(t.db, { actor: { id: user.id, username: user.username, registryCode: user.registryCode }, action: 'test.event' })
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'test.event').execute()).toHaveLength(1)
    await refused(sql`update audit_log set action = 'rewritten'`)
    await refused(sql`delete from audit_log`)
    await refused(sql`truncate audit_log`)
    await refused(sql`truncate audit_log cascade`)
    // The other logs of who saw what are history too.
    await refused(sql`delete from archive_access_log`)
    await refused(sql`update rootseeking_disclosures set basis = 'x'`)
    // The list of rows the owner may seal, and the migrations, are the owner's.
    await refused(sql`insert into audit_chain_unsealed (from_id, to_id) values (0, 1000000)`)
    await refused(sql`delete from kysely_migration`)
  })

  test('runs the job queue: graphile-worker needs only rows in its own schema', async () => {
    await t.db.transaction().execute((trx) => enqueue(trx, 'send_email', { messageId: `m-${randomBytes(4).toString('hex')}` }))
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from graphile_worker.jobs`.execute(t.db)
    expect(Number(rows[0].n)).toBeGreaterThan(0)
    await refused(sql`drop table graphile_worker.migrations`)
    await refused(sql`delete from graphile_worker.migrations`)
  })
})

describe('starting against an external server', () => {
  const adminUrl = () => inject('pgAdminUrl')
  const name = `lp_${process.pid}_${randomBytes(3).toString('hex')}`
  const role = `adoption_app_s${process.pid}`
  const dbUrl = () => { const u = new URL(adminUrl()); u.pathname = `/${name}`; return u.toString() }

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl() })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
  })
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl() })
    await admin.connect()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.query(`drop role if exists ${role}`)
    await admin.end()
  })

  test('DATABASE_URL alone as the owner is refused outside demo mode and only warned about in demo mode', async () => {
    await expect(openDatabase({ databaseUrl: dbUrl(), dataDir: '/nonexistent', database: name, demo: false })).rejects.toThrow(/refusing to start.*DATABASE_OWNER_URL/)
    const warnings: string[] = []
    const target = await openDatabase({ databaseUrl: dbUrl(), dataDir: '/nonexistent', database: name, demo: true, log: (l) => warnings.push(l) })
    expect(target.separated).toBe(false)
    expect(warnings.join()).toMatch(/WARNING/)
  })

  test('with DATABASE_OWNER_URL the owner migrates and grants, and the app role it made cannot silence the audit', async () => {
    const appUrl = withCredentials(dbUrl(), role, randomBytes(12).toString('base64url'))
    const target = await openDatabase({ databaseUrl: appUrl, ownerUrl: dbUrl(), dataDir: '/nonexistent', database: name, demo: false })
    expect(target).toMatchObject({ appUrl, ownerUrl: dbUrl(), separated: true })
    await migrateAndGrant(target)
    await migrateAndGrant(target) // idempotent, as every start runs it
    const app = createDb(createPool(appUrl, 1))
    try {
      expect(await canSilenceAudit(app)).toBe(false)
      await expect(sql`alter table audit_log disable trigger all`.execute(app)).rejects.toThrow(/must be owner/)
      await expect(sql`delete from audit_log`.execute(app)).rejects.toThrow(/permission denied/)
      // DATABASE_URL alone, a restricted role, on a current schema: runs as it is.
      const alone = await openDatabase({ databaseUrl: appUrl, dataDir: '/nonexistent', database: name, demo: false })
      expect(alone).toMatchObject({ ownerUrl: null, separated: true })
      await migrateAndGrant(alone)
    } finally {
      await app.destroy()
    }
  })
})
