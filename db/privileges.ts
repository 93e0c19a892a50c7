// The application's database role and its grants (decision 029). Migrations run as the owner; the
// app's pool — web, worker and graphile-worker alike — connects as a role that may read and write
// rows but cannot alter, drop or disable anything, and may only INSERT and SELECT the append-only
// logs. So whoever holds the app's connection cannot silence the audit (GB/T 22239-2019 level 3,
// 8.1.4.2 least privilege; 8.1.4.3 audit protection).
import { sql, type Kysely } from 'kysely'
import pg from 'pg'

/** Tables whose rows are history: the app role may add and read rows, never change or remove them. */
export const APPEND_ONLY_TABLES = ['audit_log', 'archive_access_log', 'rootseeking_disclosures'] as const

/** Tables the app role may only read: the migrator's own, and the owner's list of rows to seal. */
const READ_ONLY_TABLES = ['kysely_migration', 'audit_chain_unsealed'] as const

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export function roleOf(url: string): string {
  const name = decodeURIComponent(new URL(url).username)
  if (!ROLE_NAME.test(name)) throw new Error(`the database role "${name}" must be a lower-case SQL name (letters, digits, _)`)
  return name
}

export function withCredentials(url: string, role: string, password: string): string {
  const u = new URL(url)
  u.username = encodeURIComponent(role)
  u.password = encodeURIComponent(password)
  return u.toString()
}

/**
 * Creates the app role when it is missing (with `password`), or — when `resetPassword` — sets its
 * password; idempotent, and safe when several processes start at once. The role gets no power
 * beyond logging in.
 */
export async function ensureAppRole(ownerUrl: string, role: string, password: string, options: { resetPassword: boolean }): Promise<'created' | 'exists'> {
  if (!ROLE_NAME.test(role)) throw new Error(`invalid role name ${role}`)
  const client = new pg.Client({ connectionString: ownerUrl })
  await client.connect()
  try {
    const ident = client.escapeIdentifier(role)
    const literal = client.escapeLiteral(password)
    const attributes = 'login nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls'
    const found = await client.query('select 1 from pg_roles where rolname = $1', [role])
    if (found.rowCount === 0) {
      try {
        await client.query(`create role ${ident} ${attributes} password ${literal}`)
        return 'created'
      } catch (error) {
        if ((error as { code?: string }).code !== '42710') throw error // made by a process starting alongside
      }
    }
    if (options.resetPassword) await client.query(`alter role ${ident} ${attributes} password ${literal}`)
    return 'exists'
  } finally {
    await client.end()
  }
}

/**
 * Grants the app role what it needs on the migrated schema, and nothing else. Run as the owner
 * after every migration, so it also repairs grants changed by hand; default privileges cover
 * tables that a later migration creates before the next start re-runs this.
 */
export async function grantAppRole(owner: Kysely<any>, role: string): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new Error(`invalid role name ${role}`)
  const r = sql.id(role)
  await owner.transaction().execute(async (trx) => {
    // PostgreSQL 14 lets every role create tables in public; nobody but the owner should.
    await sql`revoke create on schema public from public`.execute(trx)
    await sql`grant usage on schema public to ${r}`.execute(trx)
    await sql`revoke all on all tables in schema public from ${r}`.execute(trx)
    await sql`grant select, insert, update, delete on all tables in schema public to ${r}`.execute(trx)
    await sql`grant usage, select on all sequences in schema public to ${r}`.execute(trx)
    await sql`grant execute on all functions in schema public to ${r}`.execute(trx)
    for (const table of APPEND_ONLY_TABLES) {
      if (await exists(trx, table)) await sql`revoke update, delete, truncate on ${sql.table(table)} from ${r}`.execute(trx)
    }
    for (const table of READ_ONLY_TABLES) {
      if (await exists(trx, table)) await sql`revoke insert, update, delete, truncate on ${sql.table(table)} from ${r}`.execute(trx)
    }
    if (await exists(trx, 'kysely_migration_lock')) await sql`revoke all on kysely_migration_lock from ${r}`.execute(trx)
    await sql`alter default privileges in schema public grant select, insert, update, delete on tables to ${r}`.execute(trx)
    await sql`alter default privileges in schema public grant usage, select on sequences to ${r}`.execute(trx)

    // graphile-worker's schema is installed by the owner at start (db/migrate.ts); at run time the
    // worker only reads its migrations table and reads and writes its job tables.
    const worker = await sql<{ ok: boolean }>`select to_regnamespace('graphile_worker') is not null as ok`.execute(trx)
    if (worker.rows[0].ok) {
      await sql`grant usage on schema graphile_worker to ${r}`.execute(trx)
      await sql`grant select, insert, update, delete on all tables in schema graphile_worker to ${r}`.execute(trx)
      await sql`revoke insert, update, delete on graphile_worker.migrations from ${r}`.execute(trx)
      await sql`grant usage, select on all sequences in schema graphile_worker to ${r}`.execute(trx)
      await sql`grant execute on all functions in schema graphile_worker to ${r}`.execute(trx)
      // graphile-worker turns row-level security on for its private tables with no policy, so that
      // only their owner reaches them; the app role gets a policy of its own there (rather than
      // BYPASSRLS, which would reach every table of the cluster).
      const secured = await sql<{ name: string }>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'graphile_worker' and c.relkind = 'r' and c.relrowsecurity`.execute(trx)
      const policy = sql.id(`app_${role}`)
      for (const { name } of secured.rows) {
        const table = sql.table(`graphile_worker.${name}`)
        await sql`drop policy if exists ${policy} on ${table}`.execute(trx)
        await sql`create policy ${policy} on ${table} for all to ${r} using (true) with check (true)`.execute(trx)
      }
    }
  })
}

async function exists(trx: Kysely<any>, table: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select to_regclass(${`public.${table}`}) is not null as ok`.execute(trx)
  return rows[0].ok
}

/**
 * Whether the connected role could silence the audit: a superuser, the owner of the audit log, or
 * (on an empty database) whoever would become its owner by migrating.
 */
export async function canSilenceAudit(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ powerful: boolean }>`
    select (select rolsuper from pg_roles where rolname = current_user)
        or coalesce((select pg_has_role(current_user, relowner, 'USAGE') from pg_class where oid = to_regclass('public.audit_log')), true) as powerful`.execute(db)
  return rows[0].powerful
}
