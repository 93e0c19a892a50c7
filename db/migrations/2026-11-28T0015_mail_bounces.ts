// Addresses the mail server refused for good (an SMTP 5xx answer to the recipient): recorded by
// the send_email job instead of retrying for days, so the pages that rely on an address (a
// root-seeking family's e-mail) can say that it does not work.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_bounces')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('registry_code', 'text', (c) => c.references('registries.code'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index mail_bounces_address on mail_bounces (lower(address), at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_bounces').ifExists().execute()
}
