// Archive use (利用) and transfer (移交): access requests with approval, expiry and a log of every
// view and download; transfer batches to the county archives bureau.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('registries')
    .addColumn('archive_access_days', 'integer', (c) => c.notNull().defaultTo(7).check(sql`archive_access_days between 1 and 90`))
    .addColumn('archive_transfer_years', 'integer', (c) => c.notNull().defaultTo(10).check(sql`archive_transfer_years between 1 and 100`))
    .addColumn('archives_bureau', 'text', (c) => c.notNull().defaultTo(''))
    .execute()

  await db.schema
    .createTable('archive_access_requests')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('file_id', 'bigint', (c) => c.notNull().references('archive_files.id'))
    .addColumn('requester_kind', 'text', (c) => c.notNull().check(sql`requester_kind in ('party', 'court', 'police', 'other')`))
    .addColumn('requester_name', 'text', (c) => c.notNull())
    .addColumn('requester_unit', 'text')
    .addColumn('id_checked', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('letter_reference', 'text')
    .addColumn('letter_blob_id', 'bigint', (c) => c.references('blobs.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'approved', 'refused', 'withdrawn')`))
    .addColumn('decided_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .addColumn('valid_until', 'timestamptz')
    .addColumn('reveal_birth_family', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('archive_access_party_id', sql`requester_kind <> 'party' or id_checked`)
    .addCheckConstraint('archive_access_letter', sql`requester_kind not in ('court', 'police') or letter_reference is not null`)
    .addCheckConstraint('archive_access_decided', sql`state in ('pending', 'withdrawn') or (decided_by is not null and decided_at is not null and decision_reason is not null)`)
    .addCheckConstraint('archive_access_four_eyes', sql`decided_by is null or decided_by <> created_by`)
    .execute()
  await db.schema.createIndex('archive_access_requests_file_idx').on('archive_access_requests').columns(['file_id', 'id']).execute()

  // Every view and download under a request (the audit log has them too; this one answers the
  // yearly compliance audit's "who saw which document of which file under which approval").
  await db.schema
    .createTable('archive_access_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'bigint', (c) => c.references('archive_access_requests.id'))
    .addColumn('file_id', 'bigint', (c) => c.notNull().references('archive_files.id'))
    .addColumn('document_id', 'bigint', (c) => c.references('archive_documents.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('view', 'download')`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ip', 'text')
    .execute()
  await db.schema.createIndex('archive_access_log_file_idx').on('archive_access_log').columns(['file_id', 'at']).execute()
  await sql`
    create function archive_access_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'archive_access_log is append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db)
  await sql`create trigger archive_access_log_no_change before update or delete on archive_access_log for each row execute function archive_access_log_append_only()`.execute(db)

  await db.schema
    .createTable('archive_transfers')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('proposed').check(sql`state in ('proposed', 'confirmed')`))
    .addColumn('proposed_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('proposed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('confirmed_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('confirmed_on', 'date')
    .addUniqueConstraint('archive_transfers_number_unique', ['registry_code', 'number'])
    .execute()
  await db.schema
    .createTable('archive_transfer_items')
    .addColumn('transfer_id', 'bigint', (c) => c.notNull().references('archive_transfers.id'))
    .addColumn('file_id', 'bigint', (c) => c.notNull().references('archive_files.id'))
    .addColumn('held_back', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('hold_reason', 'text')
    .addColumn('hold_approved_by', 'bigint', (c) => c.references('users.id'))
    .addPrimaryKeyConstraint('archive_transfer_items_pk', ['transfer_id', 'file_id'])
    .addCheckConstraint('archive_transfer_hold', sql`not held_back or (hold_reason is not null and hold_approved_by is not null)`)
    .execute()
  await sql`create unique index archive_transfer_items_once on archive_transfer_items (file_id) where not held_back`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['archive_transfer_items', 'archive_transfers', 'archive_access_log', 'archive_access_requests']) {
    await db.schema.dropTable(table).ifExists().cascade().execute()
  }
  await sql`drop function if exists archive_access_log_append_only()`.execute(db)
  for (const column of ['archive_access_days', 'archive_transfer_years', 'archives_bureau']) {
    await db.schema.alterTable('registries').dropColumn(column).execute()
  }
}
