// Attachments stored in chunks (decision 008): an upload streams into the database chunk by chunk,
// each chunk encrypted on its own, so a 20 MB scan never sits whole in the server's memory; the
// nightly integrity check streams them back the same way. A blob starts "staged" (claimed_at null)
// while its upload streams in, before the form that carries it is validated; the record that
// keeps it claims it in its own transaction, and staged blobs nobody claimed are purged.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('blob_chunks')
    .addColumn('blob_id', 'bigint', (c) => c.notNull().references('blobs.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 0`))
    .addColumn('content_enc', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('blob_chunks_pk', ['blob_id', 'seq'])
    .execute()
  // Encrypted bytes do not compress: storing them as they are saves PostgreSQL the attempt.
  await sql`alter table blob_chunks alter column content_enc set storage external`.execute(db)
  await db.schema.alterTable('blobs').addColumn('claimed_at', 'timestamptz').execute()
  await sql`insert into blob_chunks (blob_id, seq, content_enc) select id, 0, content_enc from blobs`.execute(db)
  await sql`update blobs set claimed_at = created_at`.execute(db)
  await db.schema.alterTable('blobs').dropColumn('content_enc').execute()
  await sql`create index blobs_staged on blobs (created_at) where claimed_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('blobs').addColumn('content_enc', 'bytea').execute()
  await sql`update blobs b set content_enc = c.content_enc from blob_chunks c where c.blob_id = b.id and c.seq = 0`.execute(db)
  await db.schema.alterTable('blobs').dropColumn('claimed_at').execute()
  await db.schema.dropTable('blob_chunks').execute()
}
