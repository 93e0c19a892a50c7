// Secrecy gaps of the archive and root-seeking (audit gaps 3 and 11).
// - archive_access_log also records the archivist's own reads of a document (custody, no request),
//   with the reason given; a secrecy file's document is read only with a reason (checked in
//   app/archive/files.server.ts, since secrecy is on the file).
// - A root-seeking disclosure decision records whether the paper file was checked for who asked
//   for secrecy (imported registrations do not know it), with the paper file's reference.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('archive_access_log').addColumn('reason', 'text').execute()
  await sql`alter table archive_access_log drop constraint archive_access_log_action_check`.execute(db)
  await sql`alter table archive_access_log add constraint archive_access_log_action_check check (action in ('view', 'download', 'read'))`.execute(db)
  // A custody read has no request; a read under a request is a view or a download.
  await sql`alter table archive_access_log add constraint archive_access_log_read check ((action = 'read') = (request_id is null))`.execute(db)
  await sql`alter table archive_access_log add constraint archive_access_log_reason check (reason is null or length(trim(reason)) > 0)`.execute(db)

  await db.schema
    .alterTable('rootseeking_disclosures')
    .addColumn('paper_file_checked', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('paper_file_reference', 'text')
    .execute()
  await sql`alter table rootseeking_disclosures add constraint rootseeking_disclosures_paper_check
    check (paper_file_checked = (paper_file_reference is not null and length(trim(paper_file_reference)) > 0))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table rootseeking_disclosures drop constraint rootseeking_disclosures_paper_check`.execute(db)
  await db.schema.alterTable('rootseeking_disclosures').dropColumn('paper_file_reference').dropColumn('paper_file_checked').execute()
  await sql`alter table archive_access_log drop constraint archive_access_log_reason`.execute(db)
  await sql`alter table archive_access_log drop constraint archive_access_log_read`.execute(db)
  await sql`alter table archive_access_log drop constraint archive_access_log_action_check`.execute(db)
  await sql`alter table archive_access_log add constraint archive_access_log_action_check check (action in ('view', 'download'))`.execute(db)
  await db.schema.alterTable('archive_access_log').dropColumn('reason').execute()
}
