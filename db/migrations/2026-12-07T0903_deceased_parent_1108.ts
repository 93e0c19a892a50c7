// Civil Code art. 1108: when one birth parent has died and the survivor places the minor child, the
// deceased parent's parents have priority to raise the child. The application records that the
// other parent has died and what holds for the deceased parent's parents: none living, a written
// waiver, or their inability to raise the child ('unknown' until recorded, which blocks the
// registration).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('applications')
    .addColumn('other_parent_deceased', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('deceased_parents_parents', 'text', (c) => c.check(sql`deceased_parents_parents in ('unknown', 'none_living', 'waived', 'unable')`))
    .execute()
  await sql`alter table applications add constraint applications_deceased_parent check (
    (other_parent_deceased and deceased_parents_parents is not null and not other_parent_unknown_or_missing)
    or (not other_parent_deceased and deceased_parents_parents is null))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table applications drop constraint applications_deceased_parent`.execute(db)
  await db.schema.alterTable('applications').dropColumn('other_parent_deceased').dropColumn('deceased_parents_parents').execute()
}
