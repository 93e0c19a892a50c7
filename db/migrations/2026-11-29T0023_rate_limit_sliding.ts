// The public pages' rate limit counts over a sliding hour instead of fixed clock hours. A fixed
// window forgets every hit at the top of the hour, so one address could send twice the limit
// within minutes (five at 08:59, five more at 09:00); the e2e test of the limit failed on it when
// CI ran across midnight. One row per accepted hit; refused attempts leave no row.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('public_rate_limit_hits')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index public_rate_limit_hits_key on public_rate_limit_hits (bucket, key, at)`.execute(db)
  // The hour that is still running carries over: its hits are kept at the window's start.
  await sql`
    insert into public_rate_limit_hits (bucket, key, at)
    select bucket, key, window_start from public_rate_limits, generate_series(1, hits)
    where window_start > now() - interval '1 day'`.execute(db)
  await db.schema.dropTable('public_rate_limits').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('public_rate_limits')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('public_rate_limits_pk', ['bucket', 'key', 'window_start'])
    .execute()
  await db.schema.dropTable('public_rate_limit_hits').execute()
}
