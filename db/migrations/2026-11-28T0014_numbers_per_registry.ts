// Registration and refusal numbers are allocated per registry (number_counters): two registries in
// one database may issue the same number, each under its own prefix — or the same one when no
// prefix is set. Uniqueness is therefore per registry, not across the database.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table applications drop constraint applications_registration_number_key`.execute(db)
  await sql`alter table applications drop constraint applications_refusal_number_key`.execute(db)
  await sql`alter table applications add constraint applications_registration_number_unique unique (registry_code, registration_number)`.execute(db)
  await sql`alter table applications add constraint applications_refusal_number_unique unique (registry_code, refusal_number)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table applications drop constraint applications_registration_number_unique`.execute(db)
  await sql`alter table applications drop constraint applications_refusal_number_unique`.execute(db)
  await sql`alter table applications add constraint applications_registration_number_key unique (registration_number)`.execute(db)
  await sql`alter table applications add constraint applications_refusal_number_key unique (refusal_number)`.execute(db)
}
