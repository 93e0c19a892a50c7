// Separation of duties (三员分立, GB/T 22239-2019 level 3; decision 026). The single `admin` role
// becomes three administrator roles with disjoint powers. A role is granted only when a security
// administrator who neither proposed it nor receives it approves it (role_grants). A password reset
// never hands a usable secret to the administrator who asked (password_resets).
import { type Kysely, sql } from 'kysely'

const CASE_ROLES = `('registrar', 'assessor', 'caseworker', 'archivist', 'supervisor')`
const ADMIN_ROLES = `('sysadmin', 'secadmin', 'auditadmin')`
const ALL_ROLES = `('registrar', 'assessor', 'caseworker', 'archivist', 'supervisor', 'sysadmin', 'secadmin', 'auditadmin')`

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table user_roles drop constraint if exists user_roles_role_check`.execute(db)

  await db.schema
    .createTable('role_grants')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    // 'proposal': someone asked; 'migration': the administrator role an account lost because it
    // also held a case role, waiting for the security administrator's resolution.
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('proposal').check(sql`origin in ('proposal', 'migration', 'console')`))
    .addColumn('proposed_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('proposed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'approved', 'refused', 'withdrawn')`))
    .addColumn('decided_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .execute()
  // The database, not only the code, refuses an approval by the proposer or by the grantee, and a
  // decision without its decider.
  await sql`alter table role_grants add constraint role_grants_role check (role in ${sql.raw(ALL_ROLES)})`.execute(db)
  await sql`alter table role_grants add constraint role_grants_four_eyes check (decided_by is null or (decided_by <> user_id and decided_by is distinct from proposed_by))`.execute(db)
  await sql`alter table role_grants add constraint role_grants_decided check ((state = 'pending') = (decided_at is null))`.execute(db)
  await sql`create unique index role_grants_one_pending on role_grants (user_id, role) where state = 'pending'`.execute(db)
  await sql`create index role_grants_pending on role_grants (registry_code) where state = 'pending'`.execute(db)

  // Existing administrators become system administrators; one that also held a case role keeps the
  // case role and waits for the security administrator (the two may not be held together).
  await sql`
    insert into role_grants (registry_code, user_id, role, origin)
    select u.registry_code, u.id, 'sysadmin', 'migration' from users u
    where exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'admin')
      and exists (select 1 from user_roles r where r.user_id = u.id and r.role in ${sql.raw(CASE_ROLES)})`.execute(db)
  await sql`delete from user_roles r where r.role = 'admin' and exists (select 1 from user_roles c where c.user_id = r.user_id and c.role in ${sql.raw(CASE_ROLES)})`.execute(db)
  await sql`update user_roles set role = 'sysadmin' where role = 'admin'`.execute(db)
  await sql`alter table user_roles add constraint user_roles_role_check check (role in ${sql.raw(ALL_ROLES)})`.execute(db)

  // A second factor required of `admin` is required of each administrator role it became (the
  // setting would otherwise no longer parse and silently require nothing).
  await sql`
    update settings set value = (
      select coalesce(jsonb_agg(distinct r), '[]'::jsonb)
      from jsonb_array_elements_text(settings.value) as e(role),
           unnest(case when e.role = 'admin' then array['sysadmin', 'secadmin', 'auditadmin'] else array[e.role] end) as r
    )
    where key = 'totp_required_roles' and jsonb_typeof(value) = 'array'`.execute(db)

  // An administrator role is held alone: no case role beside it, no second administrator role.
  // Checked under a lock on the account so two concurrent grants cannot both pass.
  await sql`
    create function user_roles_separation() returns trigger language plpgsql as $$
    begin
      perform 1 from users where id = new.user_id for update;
      if exists (
        select 1 from user_roles r where r.user_id = new.user_id and r.role <> new.role
          and (new.role in ${sql.raw(ADMIN_ROLES)} or r.role in ${sql.raw(ADMIN_ROLES)})
      ) then
        raise exception 'an administrator role is held alone' using errcode = 'check_violation', constraint = 'user_roles_separation';
      end if;
      return new;
    end $$`.execute(db)
  await sql`create trigger user_roles_separation before insert or update on user_roles for each row execute function user_roles_separation()`.execute(db)

  await db.schema
    .createTable('password_resets')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('mail', 'code')`))
    .addColumn('requested_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Only a SHA-256 of the link's token or of the code is kept: a read of the table gives no secret.
    .addColumn('secret_hash', 'text')
    .addColumn('issued_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('issued_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'issued', 'used', 'cancelled', 'void')`))
    .addColumn('used_at', 'timestamptz')
    .execute()
  // The code is released by a security administrator other than the one who asked for the reset.
  await sql`alter table password_resets add constraint password_resets_four_eyes check (issued_by is null or issued_by is distinct from requested_by)`.execute(db)
  await sql`alter table password_resets add constraint password_resets_issued check ((state in ('issued', 'used')) <= (secret_hash is not null and expires_at is not null))`.execute(db)
  await sql`create unique index password_resets_one_open on password_resets (user_id) where state in ('pending', 'issued')`.execute(db)
  await sql`create unique index password_resets_secret on password_resets (secret_hash) where secret_hash is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('password_resets').execute()
  await sql`drop trigger user_roles_separation on user_roles`.execute(db)
  await sql`drop function user_roles_separation()`.execute(db)
  await sql`alter table user_roles drop constraint user_roles_role_check`.execute(db)
  await sql`update user_roles set role = 'admin' where role in ${sql.raw(ADMIN_ROLES)}`.execute(db)
  await sql`
    update settings set value = (
      select coalesce(jsonb_agg(distinct case when e.role in ${sql.raw(ADMIN_ROLES)} then 'admin' else e.role end), '[]'::jsonb)
      from jsonb_array_elements_text(settings.value) as e(role)
    )
    where key = 'totp_required_roles' and jsonb_typeof(value) = 'array'`.execute(db)
  await sql`insert into user_roles (user_id, role) select user_id, 'admin' from role_grants where origin = 'migration' and state = 'pending' on conflict do nothing`.execute(db)
  await db.schema.dropTable('role_grants').execute()
  await sql`alter table user_roles add constraint user_roles_role_check check (role in ('registrar', 'assessor', 'caseworker', 'archivist', 'supervisor', 'admin'))`.execute(db)
}
