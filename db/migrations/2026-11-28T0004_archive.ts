// Archive (收养登记档案): one file per concluded case, its ordered documents with their hashes, the
// yearly numbering per registration type, and the integrity checks.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('registries')
    .addColumn('archive_number_pattern', 'text', (c) => c.notNull().defaultTo('{code}-{year}-{type}-{seq:4}'))
    .addColumn('archive_filing_days', 'integer', (c) => c.notNull().defaultTo(60).check(sql`archive_filing_days between 1 and 3650`))
    .addColumn('archive_upload_max_mb', 'integer', (c) => c.notNull().defaultTo(20).check(sql`archive_upload_max_mb between 1 and 200`))
    .execute()

  await db.schema
    .createTable('archive_counters')
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('last_value', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('archive_counters_pk', ['registry_code', 'year', 'type'])
    .execute()

  await db.schema
    .createTable('archive_files')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('establishment', 'refusal', 'dissolution', 'revocation')`))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('archive_number', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open').check(sql`state in ('open', 'filed', 'transferred')`))
    .addColumn('confidential', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('retention', 'text', (c) => c.notNull().defaultTo('permanent'))
    .addColumn('location', 'text')
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('filed_at', 'timestamptz')
    .addColumn('filed_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('archive_files_case_unique', ['application_id', 'type'])
    .addUniqueConstraint('archive_files_number_unique', ['registry_code', 'archive_number'])
    .addUniqueConstraint('archive_files_seq_unique', ['registry_code', 'year', 'type', 'seq'])
    .addCheckConstraint('archive_files_filed', sql`state = 'open' or (filed_at is not null and filed_by is not null)`)
    .execute()
  await db.schema.createIndex('archive_files_registry_state_idx').on('archive_files').columns(['registry_code', 'state', 'due_on']).execute()

  await db.schema
    .createTable('archive_documents')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('file_id', 'bigint', (c) => c.notNull().references('archive_files.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('doc_date', 'date', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull().check(sql`pages > 0`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('generated', 'scan')`))
    .addColumn('blob_id', 'bigint', (c) => c.notNull().references('blobs.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('added_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('added_reason', 'text') // required once the file is filed
    .addColumn('checked_at', 'timestamptz')
    .addColumn('check_ok', 'boolean')
    .execute()
  await db.schema.createIndex('archive_documents_file_idx').on('archive_documents').columns(['file_id', 'id']).execute()
  // Documents are never removed from a file, and their recorded hash never changes.
  await sql`
    create function archive_document_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'archive documents are never removed' using errcode = 'insufficient_privilege';
      end if;
      if (new.file_id, new.blob_id, new.sha256, new.size) is distinct from (old.file_id, old.blob_id, old.sha256, old.size) then
        raise exception 'an archived document is never changed' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end $$`.execute(db)
  await sql`create trigger archive_documents_guard before update or delete on archive_documents for each row execute function archive_document_guard()`.execute(db)

  await db.schema
    .createTable('archive_integrity_runs')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.references('registries.code'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('documents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('mismatches', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['archive_integrity_runs', 'archive_documents', 'archive_files', 'archive_counters']) {
    await db.schema.dropTable(table).ifExists().cascade().execute()
  }
  await sql`drop function if exists archive_document_guard()`.execute(db)
  for (const column of ['archive_number_pattern', 'archive_filing_days', 'archive_upload_max_mb']) {
    await db.schema.alterTable('registries').dropColumn(column).execute()
  }
}
