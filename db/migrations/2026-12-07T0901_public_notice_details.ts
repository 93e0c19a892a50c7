// The public notice seeking a child's birth parents (Civil Code arts. 1093(2), 1105 para. 2) is
// recorded with what the registry published: the text, the child's photo, where (a newspaper or a
// website, with the issue/page or address) and the day. One notice per application; its end is
// computed from the day of publication (app/registration/public-notice.ts), never stored, so a
// holiday entered later moves it. Notices started before this migration have no row here.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('public_notices')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('application_id', 'bigint', (c) => c.notNull().unique().references('applications.id').onDelete('cascade'))
    .addColumn('published_on', 'date', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull().check(sql`medium in ('newspaper', 'website')`))
    .addColumn('outlet', 'text', (c) => c.notNull().check(sql`length(outlet) between 1 and 200`))
    .addColumn('reference', 'text', (c) => c.notNull().check(sql`length(reference) between 1 and 500`))
    .addColumn('notice_text', 'text', (c) => c.notNull().check(sql`length(notice_text) between 1 and 5000`))
    .addColumn('photo_blob_id', 'bigint', (c) => c.notNull().references('blobs.id'))
    .addColumn('photo_content_type', 'text', (c) => c.notNull().check(sql`photo_content_type in ('image/jpeg', 'image/png')`))
    .addColumn('recorded_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('public_notices').execute()
}
