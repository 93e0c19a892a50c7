// Settings and the holiday calendar belong to their registry (decision 030): one county's
// administrator must not change another county's login rules or deadlines.
// - settings: keyed by (registry_code, key). The global rows were in force for every registry, so
//   each existing registry receives a copy: nobody's second-factor rule is loosened by the move.
// - calendar_days: rows without a registry are the national calendar (the State Council's notice,
//   kept once per deployment); rows with a registry are that registry's local days off and local
//   adjusted working days. The existing rows came from the national notice and stay national.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table settings add column registry_code text references registries(code)`.execute(db)
  await sql`insert into settings (registry_code, key, value, updated_at, updated_by)
    select r.code, s.key, s.value, s.updated_at, s.updated_by from settings s cross join registries r where s.registry_code is null`.execute(db)
  await sql`delete from settings where registry_code is null`.execute(db)
  await sql`alter table settings drop constraint settings_pkey`.execute(db)
  await sql`alter table settings alter column registry_code set not null`.execute(db)
  await sql`alter table settings add primary key (registry_code, key)`.execute(db)

  await sql`alter table calendar_days add column registry_code text references registries(code)`.execute(db)
  await sql`alter table calendar_days drop constraint calendar_days_pkey`.execute(db)
  await sql`create unique index calendar_days_national_day on calendar_days (day) where registry_code is null`.execute(db)
  await sql`create unique index calendar_days_local_day on calendar_days (registry_code, day) where registry_code is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from calendar_days where registry_code is not null`.execute(db)
  await sql`drop index calendar_days_national_day`.execute(db)
  await sql`drop index calendar_days_local_day`.execute(db)
  await sql`alter table calendar_days drop column registry_code`.execute(db)
  await sql`alter table calendar_days add primary key (day)`.execute(db)
  await sql`delete from settings s where exists (select 1 from settings t where t.key = s.key and t.registry_code < s.registry_code)`.execute(db)
  await sql`alter table settings drop constraint settings_pkey`.execute(db)
  await sql`alter table settings drop column registry_code`.execute(db)
  await sql`alter table settings add primary key (key)`.execute(db)
}
