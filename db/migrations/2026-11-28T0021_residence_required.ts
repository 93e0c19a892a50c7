// The adopters' town of residence backed by the database (issue 8's leftovers; decision 022): a
// registration made in the system names its town (乡镇、街道, migration 0017) or that the adopters
// live abroad. Registrations imported from the old ledgers (source 'import') may lack it until a
// correction sets it (app/import/corrections.server.ts).
//
// Existing rows, fixed deterministically before the rule is validated:
// 1. a system-made record without a town whose first adopter's household (else current) address
//    names exactly one town in use of its registry gets that town — the rule the demo data was
//    given its towns by; each such record is audited (`application.residence_inferred`, no actor);
// 2. what remains (an address naming no town, or two) is marked `recorded_before_town_rule`: it
//    was recorded before the rule and stays "town not recorded" (the ledgers' town=none) until its
//    town is set; nothing is invented for it. A new record is never marked (the column defaults to
//    false and no code sets it), so the rule holds for everything recorded from now on.
// The constraint is then added and validated in one statement (no NOT VALID needed).
import { type Kysely, sql } from 'kysely'
import { correctionFields } from './2026-11-28T0020_import_seen_corrections.ts'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('applications')
    .addColumn('recorded_before_town_rule', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()

  const inferred = await sql<{ id: string; registry_code: string; town_id: string; town_name: string }>`
    with candidates as (
      select a.id, a.registry_code, t.id as town_id, t.name as town_name,
        count(*) over (partition by a.id) as matches
      from applications a
      join parties p on p.application_id = a.id and p.role = 'adopter' and p.position = 1
      join towns t on t.registry_code = a.registry_code and t.retired_on is null
        and position(t.name in coalesce(nullif(p.hukou_address, ''), p.current_address, '')) > 0
      where a.source = 'system' and a.residence_town_id is null and not a.resides_abroad
    )
    update applications a set residence_town_id = c.town_id
    from candidates c
    where c.id = a.id and c.matches = 1
    returning a.id, a.registry_code, c.town_id, c.town_name`.execute(db)
  if (inferred.rows.length) {
    await db.insertInto('audit_log').values(inferred.rows.map((r) => ({
      registry_code: r.registry_code, actor_name: 'migration 0021', action: 'application.residence_inferred',
      entity_type: 'application', entity_id: String(r.id), summary: JSON.stringify({ townId: String(r.town_id), town: r.town_name, from: 'adopter address' }),
    }))).execute()
  }
  await sql`
    update applications set recorded_before_town_rule = true
    where source = 'system' and residence_town_id is null and not resides_abroad`.execute(db)

  await sql`alter table applications add constraint applications_residence_recorded check (
    source = 'import' or resides_abroad or residence_town_id is not null or recorded_before_town_rule)`.execute(db)

  // The correction of an imported registration may set its town (values: the town's code, or 'abroad').
  await sql`alter table application_corrections drop constraint application_corrections_field_check`.execute(db)
  await sql`alter table application_corrections add constraint application_corrections_field_check check (${sql.raw(fieldList([...correctionFields, 'residenceTown']))})`.execute(db)
}

const fieldList = (fields: readonly string[]) => `field in (${fields.map((f) => `'${f}'`).join(', ')})`

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from application_corrections where field = 'residenceTown'`.execute(db)
  await sql`alter table application_corrections drop constraint application_corrections_field_check`.execute(db)
  await sql`alter table application_corrections add constraint application_corrections_field_check check (${sql.raw(fieldList(correctionFields))})`.execute(db)
  await db.schema.alterTable('applications').dropConstraint('applications_residence_recorded').execute()
  await db.schema.alterTable('applications').dropColumn('recorded_before_town_rule').execute()
}
