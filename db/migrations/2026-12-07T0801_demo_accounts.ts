// Demo accounts share a published password: the database marks them, so that demo mode never seeds
// them beside real accounts and a real registry never starts while they can still sign in
// (decision 033). Accounts seeded by demo mode before this column carry the demo e-mail domain.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('demo', 'boolean', (c) => c.notNull().defaultTo(false)).execute()
  await sql`update users set demo = true where email like '%@demo.invalid'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('demo').execute()
}
