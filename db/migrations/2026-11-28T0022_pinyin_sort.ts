// Names in pinyin order, and an index for each sortable order a clerk uses on a large register
// (docs/decisions/017, "Pinyin order and the remaining sort indexes").
//
// 1. The collation `zh_pinyin` (ICU, zh-u-co-pinyin: 安 陈 李 王 张 赵, Latin after Han) that the
//    ledgers' `name` columns sort and page under (app/ledgers/sorting.server.ts). Idempotent: a
//    database restored from a dump, or migrated by hand, may have it already.
// 2. The follow-up task list sorts by the case's registration number and by the caseworker's name,
//    which live in other tables: no index on followup_tasks could give that order, so every sorted
//    page sorted every task of the registry. Both are copied onto the task (`case_number`,
//    `caseworker_name`) and kept by triggers — on the task itself (insert, change of subject or
//    caseworker, and any write to the copies, which are recomputed, never taken as given) and on
//    the sources (a registration number corrected, a caseworker renamed) — so every writer,
//    import and correction included, keeps them right without knowing of them.
// 3. (expr, id) indexes for the orders that would otherwise sort a whole register; the expressions
//    are exactly those of the registers' SortSpecs (a test plans each order and fails on a Sort).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create collation if not exists zh_pinyin (provider = icu, locale = 'zh-u-co-pinyin')`.execute(db)

  await db.schema.alterTable('followup_tasks')
    .addColumn('case_number', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('caseworker_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await sql`
    create function followup_task_sort_keys() returns trigger language plpgsql as $$
    begin
      new.case_number := coalesce(
        (select registration_number from applications where id = new.application_id),
        (select registration_number from intercountry_adoptions where id = new.intercountry_id), '');
      new.caseworker_name := coalesce((select display_name from users where id = new.caseworker_id), '');
      return new;
    end $$`.execute(db)
  await sql`create trigger followup_tasks_sort_keys before insert or update of application_id, intercountry_id, caseworker_id, case_number, caseworker_name
    on followup_tasks for each row execute function followup_task_sort_keys()`.execute(db)
  // The sources: writing the copy makes the task's trigger read the new value.
  await sql`
    create function followup_tasks_follow_sources() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'applications' then
        update followup_tasks set case_number = '' where application_id = new.id;
      elsif tg_table_name = 'intercountry_adoptions' then
        update followup_tasks set case_number = '' where intercountry_id = new.id;
      else
        update followup_tasks set caseworker_name = '' where caseworker_id = new.id;
      end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger applications_number_to_tasks after update of registration_number on applications for each row
    when (old.registration_number is distinct from new.registration_number) execute function followup_tasks_follow_sources()`.execute(db)
  await sql`create trigger intercountry_number_to_tasks after update of registration_number on intercountry_adoptions for each row
    when (old.registration_number is distinct from new.registration_number) execute function followup_tasks_follow_sources()`.execute(db)
  await sql`create trigger users_name_to_tasks after update of display_name on users for each row
    when (old.display_name is distinct from new.display_name) execute function followup_tasks_follow_sources()`.execute(db)
  // The tasks that exist: the trigger fills both copies.
  await sql`update followup_tasks set case_number = ''`.execute(db)

  for (const [name, table, columns] of sortIndexes) await sql`create index ${sql.id(name)} on ${sql.id(table)} (${sql.raw(columns)})`.execute(db)
}

/** [name, table, columns]: each a register's filter by equality, then its sort expression and key. */
const sortIndexes = [
  // The follow-up task list (taskSort): every status filter is an equality on status.
  ['followup_tasks_due_sort_idx', 'followup_tasks', 'registry_code, status, due_on, id'],
  ['followup_tasks_case_sort_idx', 'followup_tasks', 'registry_code, status, case_number, id'],
  ['followup_tasks_caseworker_sort_idx', 'followup_tasks', 'registry_code, status, caseworker_name collate zh_pinyin, id'],
  // The archive register (fileSort): its state in the procedure's order. (Its number needs none:
  // the unique (registry_code, archive_number) gives the order, each number a group of one row.)
  ['archive_files_state_sort_idx', 'archive_files', `registry_code, array_position(array['open', 'filed', 'transferred']::text[], state), id`],
  // The assessment register (assessmentSort): one assessment per domestic application, as many as
  // the registrations. Its state, the commissioning date, and the days left of a running one.
  ['assessments_state_sort_idx', 'assessments', `registry_code, array_position(array['open', 'signing', 'signed', 'cancelled']::text[], state), id`],
  ['assessments_commissioned_sort_idx', 'assessments', 'registry_code, commissioned_on, id'],
  ['assessments_days_left_sort_idx', 'assessments', `registry_code, (case when state in ('open', 'signing') and due_on is not null then due_on else 'infinity'::date end), id`],
  // The visit report register (visitReportSort): a report per visit made, the largest register
  // after the tasks. Its registry is the task's, so these lead with the order itself (a registry
  // per installation: the join to the task keeps the rows of the viewer's).
  ['visit_reports_visited_sort_idx', 'visit_reports', 'visited_on, id'],
  ['visit_reports_concern_sort_idx', 'visit_reports', `array_position(array['none', 'minor', 'moderate', 'serious']::text[], concern_level), id`],
] as const

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of sortIndexes) await sql`drop index ${sql.id(name)}`.execute(db)
  await sql`drop trigger users_name_to_tasks on users`.execute(db)
  await sql`drop trigger intercountry_number_to_tasks on intercountry_adoptions`.execute(db)
  await sql`drop trigger applications_number_to_tasks on applications`.execute(db)
  await sql`drop trigger followup_tasks_sort_keys on followup_tasks`.execute(db)
  await sql`drop function followup_tasks_follow_sources(), followup_task_sort_keys()`.execute(db)
  await db.schema.alterTable('followup_tasks').dropColumn('case_number').dropColumn('caseworker_name').execute()
  // The collation stays: other objects may use it, and creating it is idempotent.
}
