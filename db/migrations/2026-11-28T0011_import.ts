// Historical records (decision 012): ledgers uploaded as .xlsx or .csv, their column mappings
// (saved per header layout and reused), the import batches with their progress and totals, the
// row-by-row report of the dry run and of the import, and the marks on the applications they
// created (source 'import', the batch, the row, who imported; a stable key so a re-import of the
// same row creates nothing).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_mappings')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    // The file's headers, normalised and joined: a file of the same layout finds its mapping.
    .addColumn('layout', 'text', (c) => c.notNull())
    .addColumn('headers', sql`text[]`, (c) => c.notNull())
    .addColumn('mapping', 'jsonb', (c) => c.notNull()) // { field: header }
    .addColumn('updated_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('import_mappings_layout_unique', ['registry_code', 'layout'])
    .execute()

  await db.schema
    .createTable('import_batches')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('blob_id', 'bigint', (c) => c.notNull().references('blobs.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('xlsx', 'csv')`))
    .addColumn('encoding', 'text') // csv: utf-8 or gb18030
    .addColumn('headers', sql`text[]`, (c) => c.notNull())
    .addColumn('layout', 'text', (c) => c.notNull())
    .addColumn('mapping', 'jsonb')
    // Domestic visits whose window closed before the import: not planned, or recorded as not done.
    .addColumn('past_visits', 'text', (c) => c.notNull().defaultTo('skip').check(sql`past_visits in ('skip', 'not_done')`))
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('mapping').check(sql`state in ('mapping', 'checking', 'checked', 'importing', 'imported', 'failed')`),
    )
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('valid_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('invalid_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicate_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('existing_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failure', 'text')
    .addColumn('checked_at', 'timestamptz')
    .addColumn('imported_at', 'timestamptz')
    .addColumn('created_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('imported_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('import_batches_counts', sql`processed_rows <= total_rows or state in ('checking', 'importing')`)
    .execute()
  await db.schema.createIndex('import_batches_registry_idx').on('import_batches').columns(['registry_code', 'id']).execute()

  // The report: one row per ledger row, from the dry run, then from the import. Messages are
  // catalogue keys with their parameters; no personal data beyond the registration number.
  await db.schema
    .createTable('import_rows')
    .addColumn('batch_id', 'bigint', (c) => c.notNull().references('import_batches.id').onDelete('cascade'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('valid', 'invalid', 'duplicate', 'existing', 'created')`))
    .addColumn('registration_number', 'text')
    .addColumn('kind', 'text')
    .addColumn('messages', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn('application_id', 'bigint', (c) => c.references('applications.id'))
    .addPrimaryKeyConstraint('import_rows_pk', ['batch_id', 'row_number'])
    .execute()
  await db.schema.createIndex('import_rows_status_idx').on('import_rows').columns(['batch_id', 'status', 'row_number']).execute()

  await db.schema
    .alterTable('applications')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('system').check(sql`source in ('system', 'import')`))
    .addColumn('import_batch_id', 'bigint', (c) => c.references('import_batches.id'))
    .addColumn('import_row', 'integer')
    .addColumn('imported_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('import_key', 'text')
    .addColumn('import_kind', 'text', (c) => c.check(sql`import_kind in ('ordinary', 'relative', 'stepchild', 'intercountry')`))
    .execute()
  await sql`alter table applications add constraint applications_import_marked check ((source = 'import') = (import_batch_id is not null and import_row is not null and imported_by is not null and import_key is not null and import_kind is not null))`.execute(db)
  await sql`create unique index applications_import_key_unique on applications (registry_code, import_key) where import_key is not null`.execute(db)
  // A registration recorded before the system was approved on paper: no second person in the
  // system, and the ledger seldom says who asked for secrecy.
  await sql`alter table applications drop constraint applications_registered_complete`.execute(db)
  await sql`alter table applications add constraint applications_registered_complete check (state not in ('registered', 'dissolved', 'revoked') or (registration_number is not null and registered_on is not null and (approved_by is not null or source = 'import')))`.execute(db)
  await sql`alter table applications drop constraint applications_secrecy_by`.execute(db)
  await sql`alter table applications add constraint applications_secrecy_by check (not secrecy or secrecy_requested_by is not null or source = 'import')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table applications drop constraint applications_secrecy_by`.execute(db)
  await sql`alter table applications add constraint applications_secrecy_by check (not secrecy or secrecy_requested_by is not null)`.execute(db)
  await sql`alter table applications drop constraint applications_registered_complete`.execute(db)
  await sql`alter table applications add constraint applications_registered_complete check (state not in ('registered', 'dissolved', 'revoked') or (registration_number is not null and registered_on is not null and approved_by is not null))`.execute(db)
  await sql`alter table applications drop constraint applications_import_marked`.execute(db)
  for (const column of ['import_kind', 'import_key', 'imported_by', 'import_row', 'import_batch_id', 'source']) {
    await db.schema.alterTable('applications').dropColumn(column).execute()
  }
  for (const table of ['import_rows', 'import_batches', 'import_mappings']) await db.schema.dropTable(table).ifExists().execute()
}
