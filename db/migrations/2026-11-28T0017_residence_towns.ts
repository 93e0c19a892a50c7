// The towns and streets (乡镇、街道) of the registry's county, each with its official
// administrative-division code (行政区划代码: 9 digits, or the 12-digit statistical form ending in
// 000), kept by the administrator; and the adopters' town of residence on each application (or that
// they live abroad), so the ledgers can filter by it. Also the indexes of the sortable ledger columns. A town is retired, never deleted: old records keep pointing at it.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('towns')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('code', 'text', (c) => c.notNull().check(sql`code ~ '^[0-9]{9}([0-9]{3})?$'`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(btrim(name)) between 1 and 40`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('subdistrict', 'town', 'township')`))
    .addColumn('retired_on', 'date')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // A town of the county: its code begins with the county's six digits.
    .addCheckConstraint('towns_in_registry', sql`left(code, 6) = registry_code`)
    .addUniqueConstraint('towns_code_unique', ['registry_code', 'code'])
    .addUniqueConstraint('towns_id_registry_unique', ['id', 'registry_code'])
    .execute()
  // Two towns in use never share a name (a retired one may have been renamed since, or merged).
  await sql`create unique index towns_name_current on towns (registry_code, name) where retired_on is null`.execute(db)

  // Living abroad (e.g. Chinese citizens residing overseas) the adopters have no town here.
  await db.schema.alterTable('applications')
    .addColumn('residence_town_id', 'bigint')
    .addColumn('resides_abroad', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
  await sql`alter table applications add constraint applications_residence_one check (not (resides_abroad and residence_town_id is not null))`.execute(db)
  // The town belongs to the application's own registry (a composite key, not just any town).
  await sql`alter table applications add constraint applications_residence_town_fk
    foreign key (residence_town_id, registry_code) references towns (id, registry_code)`.execute(db)
  await sql`create index applications_residence_town_idx on applications (registry_code, residence_town_id, id) where residence_town_id is not null`.execute(db)

  // Sortable ledger columns (app/ledgers/sorting.server.ts): each sort's expression and the id, so
  // a sorted page reads its rows in index order from the cursor on instead of sorting the whole
  // register (at a million registrations, a second per page). The expressions are exactly those of
  // applicationSort / fileSort.
  for (const [name, expr] of sortIndexes) await sql`create index ${sql.id(name)} on applications (registry_code, ${sql.raw(expr)}, id)`.execute(db)
  await sql`create index archive_files_year_sort_idx on archive_files (registry_code, year, id)`.execute(db)
  await sql`create index archive_files_due_sort_idx on archive_files (registry_code, due_on, id)`.execute(db)
}

const sortIndexes = [
  ['applications_received_sort_idx', `coalesce(received_on, '-infinity'::date)`],
  ['applications_registered_sort_idx', `coalesce(registered_on, '-infinity'::date)`],
  ['applications_number_sort_idx', `coalesce(registration_number, '')`],
  ['applications_due_sort_idx', `coalesce(review_due_on, 'infinity'::date)`],
  ['applications_state_sort_idx', `array_position(array['draft', 'received', 'assessment', 'public_notice', 'pending_approval', 'registered', 'refused', 'withdrawn', 'dissolved', 'revoked']::text[], state)`],
] as const

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of sortIndexes) await sql`drop index ${sql.id(name)}`.execute(db)
  await sql`drop index archive_files_year_sort_idx, archive_files_due_sort_idx`.execute(db)
  await db.schema.alterTable('applications').dropConstraint('applications_residence_town_fk').execute()
  await db.schema.alterTable('applications').dropConstraint('applications_residence_one').execute()
  await db.schema.alterTable('applications').dropColumn('residence_town_id').dropColumn('resides_abroad').execute()
  await db.schema.dropTable('towns').execute()
}
