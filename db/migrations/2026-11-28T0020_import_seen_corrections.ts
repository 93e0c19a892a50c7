// Historical import, second part (issue 9; decision 012):
// - import_seen: the keys the dry run has met so far in a batch's file (registration, archive and
//   dissolution numbers, row keys, children), so that a row repeating an earlier one is found
//   without holding every row's keys in memory. Keyed hashes only (no personal data in clear);
//   unlogged (rebuilt by the next dry run after a crash: the dry run clears its batch's keys first).
// - application_corrections: corrections of imported registrations (a ledger typo fixed), one row
//   per corrected field, with the old and new values (encrypted when the field is), the reason,
//   who and when.
import { type Kysely, sql } from 'kysely'

export const correctionFields = [
  'registrationNumber', 'registeredOn', 'archiveNumber',
  'adopter1Name', 'adopter1BirthDate', 'adopter1IdNumber',
  'adopter2Name', 'adopter2BirthDate', 'adopter2IdNumber',
  'childName', 'childBirthDate', 'childIdNumber', 'childNameAfter',
  'placingName',
] as const

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unlogged table import_seen (
    batch_id bigint not null,
    kind "char" not null check (kind in ('n', 'k', 'a', 'd', 'c')),
    key text not null,
    row_number integer not null,
    primary key (batch_id, kind, key)
  )`.execute(db)

  await db.schema
    .createTable('application_corrections')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id'))
    .addColumn('field', 'text', (c) => c.notNull().check(sql.raw(`field in (${correctionFields.map((f) => `'${f}'`).join(', ')})`)))
    // Values as shown (dates YYYY-MM-DD); ID numbers encrypted with the field cipher like the originals.
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('encrypted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`length(btrim(reason)) between 2 and 500`))
    .addColumn('corrected_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('corrected_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('application_corrections_changed', sql`old_value is distinct from new_value`)
    .execute()
  await db.schema.createIndex('application_corrections_application_idx').on('application_corrections').columns(['application_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('application_corrections').execute()
  await db.schema.dropTable('import_seen').execute()
}
