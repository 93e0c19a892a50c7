// Registration: applications (one per adoption case), their parties, the document checklist,
// the timeline, pauses of the review clock, certificate numbering and certificates.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // Per-registry configuration of numbers (the format is local practice: domain.md).
  await db.schema
    .alterTable('registries')
    .addColumn('number_pattern', 'text', (c) => c.notNull().defaultTo('（{year}）{prefix}收字第{seq:4}号'))
    .addColumn('dissolution_number_pattern', 'text', (c) => c.notNull().defaultTo('（{year}）{prefix}解字第{seq:4}号'))
    .addColumn('refusal_number_pattern', 'text', (c) => c.notNull().defaultTo('（{year}）{prefix}收不字第{seq:4}号'))
    .addColumn('number_prefix', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reconsideration_body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('court', 'text', (c) => c.notNull().defaultTo(''))
    .execute()

  await db.schema
    .createTable('applications')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`state in ('draft', 'received', 'assessment', 'public_notice', 'pending_approval', 'registered', 'refused', 'withdrawn', 'dissolved', 'revoked')`),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('relation', 'text', (c) => c.notNull().check(sql`relation in ('none', 'relative', 'stepchild')`))
    .addColumn('placing_kind', 'text', (c) => c.notNull().check(sql`placing_kind in ('guardian', 'welfare_institution', 'birth_parents', 'birth_parent')`))
    .addColumn('other_parent_unknown_or_missing', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('consent_of_supporters', 'boolean')
    .addColumn('foundling', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('received_on', 'date')
    // Derived from received_on, the pauses and the holiday calendar at each step (deadlines.ts),
    // kept so the ledger can filter due and late cases in SQL; null while paused or closed.
    .addColumn('review_due_on', 'date')
    .addColumn('secrecy', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('secrecy_requested_by', 'text', (c) => c.check(sql`secrecy_requested_by in ('adopter', 'placing_party', 'both')`))
    .addColumn('de_facto_since', 'date')
    .addColumn('assessment', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`assessment in ('not_required', 'pending', 'recommended', 'not_recommended')`),
    )
    .addColumn('assessment_report_on', 'date')
    .addColumn('assessment_reference', 'text')
    .addColumn('registrar_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('decision', 'text', (c) => c.check(sql`decision in ('register', 'refuse')`))
    .addColumn('decision_facts', 'text')
    .addColumn('decision_basis', 'text')
    .addColumn('decision_proposed_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('decision_proposed_at', 'timestamptz')
    .addColumn('approved_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('approved_at', 'timestamptz')
    .addColumn('registration_number', 'text', (c) => c.unique())
    .addColumn('registration_year', 'integer')
    .addColumn('registration_seq', 'integer')
    .addColumn('registered_on', 'date')
    .addColumn('refused_on', 'date')
    .addColumn('refusal_number', 'text', (c) => c.unique())
    .addColumn('closed_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Registered means numbered, dated and approved by a second person; the database holds to it.
    .addCheckConstraint('applications_registered_complete', sql`state not in ('registered', 'dissolved', 'revoked') or (registration_number is not null and registered_on is not null and approved_by is not null)`)
    .addCheckConstraint('applications_received_dated', sql`state = 'draft' or received_on is not null`)
    .addCheckConstraint('applications_four_eyes', sql`approved_by is null or approved_by <> decision_proposed_by`)
    .addCheckConstraint('applications_secrecy_by', sql`not secrecy or secrecy_requested_by is not null`)
    .execute()
  await db.schema.createIndex('applications_registry_state_idx').on('applications').columns(['registry_code', 'state', 'id']).execute()
  await db.schema.createIndex('applications_registry_due_idx').on('applications').columns(['registry_code', 'review_due_on']).execute()
  await db.schema.createIndex('applications_registry_year_idx').on('applications').columns(['registry_code', 'registration_year', 'registration_seq']).execute()
  await sql`create unique index applications_seq_unique on applications (registry_code, registration_year, registration_seq) where registration_seq is not null`.execute(db)

  // Parties: adopters (1 or 2), the child, the placing party's persons (0–2; an institution is a
  // name without a person). Citizen ID numbers are encrypted; id_hash is a keyed hash for exact search.
  await db.schema
    .createTable('parties')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('adopter', 'child', 'placing')`))
    .addColumn('position', 'smallint', (c) => c.notNull().defaultTo(1))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.check(sql`sex in ('male', 'female')`))
    .addColumn('birth_date', 'date')
    .addColumn('id_number_enc', 'text')
    .addColumn('id_hash', 'text')
    .addColumn('hukou_address', 'text')
    .addColumn('current_address', 'text')
    .addColumn('phone', 'text')
    .addColumn('marital_status', 'text', (c) => c.check(sql`marital_status in ('unmarried', 'married', 'divorced', 'widowed')`))
    .addColumn('children', 'smallint')
    .addColumn('adopted_children', 'smallint')
    .addColumn('overseas_chinese', 'boolean', (c) => c.notNull().defaultTo(false))
    // Health and criminal-record findings are sensitive personal information: encrypted JSON.
    .addColumn('findings_enc', 'text')
    .addColumn('situation', 'text', (c) => c.check(sql`situation in ('orphan', 'parents_not_found', 'parents_in_difficulty', 'other')`))
    .addColumn('in_welfare_institution', 'boolean')
    .addColumn('disabled', 'boolean')
    .addColumn('consents', 'boolean')
    .addColumn('name_after_adoption', 'text')
    .addColumn('institution_name', 'text')
    .addUniqueConstraint('parties_position_unique', ['application_id', 'role', 'position'])
    .execute()
  await db.schema.createIndex('parties_id_hash_idx').on('parties').column('id_hash').execute()
  await sql`create index parties_name_idx on parties (name text_pattern_ops)`.execute(db)
  await db.schema.createIndex('parties_application_idx').on('parties').column('application_id').execute()

  await db.schema
    .createTable('application_documents')
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('provided_at', 'timestamptz')
    .addColumn('provided_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('verified_at', 'timestamptz')
    .addColumn('verified_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('application_documents_pk', ['application_id', 'code'])
    .addCheckConstraint('application_documents_verified_after_provided', sql`verified_at is null or provided_at is not null`)
    .execute()

  // Periods that do not count toward the 30-day review (assessment, foundling notice).
  await db.schema
    .createTable('clock_pauses')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('assessment', 'public_notice')`))
    .addColumn('started_on', 'date', (c) => c.notNull())
    .addColumn('ended_on', 'date')
    .addCheckConstraint('clock_pauses_order', sql`ended_on is null or ended_on >= started_on`)
    .execute()
  await sql`create unique index clock_pauses_one_open on clock_pauses (application_id) where ended_on is null`.execute(db)

  await db.schema
    .createTable('application_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('note', 'text')
    .execute()
  await db.schema.createIndex('application_events_app_idx').on('application_events').columns(['application_id', 'id']).execute()

  // One locked row per registry, kind and year: numbers are allocated in the deciding
  // transaction, so they are unique, never reused, and without gaps.
  await db.schema
    .createTable('number_counters')
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('adoption', 'dissolution', 'refusal')`))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_value', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('number_counters_pk', ['registry_code', 'kind', 'year'])
    .execute()

  await db.schema
    .createTable('certificates')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('adoption', 'dissolution')`))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('serial', 'text') // 印制号 of the preprinted blank
    .addColumn('issued_on', 'date', (c) => c.notNull())
    .addColumn('issued_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('valid').check(sql`status in ('valid', 'void', 'returned', 'confiscated')`))
    .addColumn('status_reason', 'text')
    .addColumn('replaces_id', 'bigint', (c) => c.references('certificates.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index certificates_serial_unique on certificates (serial) where serial is not null`.execute(db)
  await sql`create unique index certificates_one_valid on certificates (application_id, kind) where status = 'valid'`.execute(db)

  await db.schema
    .createTable('dissolutions')
    .addColumn('application_id', 'bigint', (c) => c.primaryKey().references('applications.id'))
    .addColumn('agreement_on', 'date', (c) => c.notNull())
    .addColumn('child_consents', 'boolean')
    .addColumn('certificate_returned', 'boolean', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('dissolved_on', 'date', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('registered_by', 'bigint', (c) => c.notNull().references('users.id'))
    .execute()

  await db.schema
    .createTable('revocations')
    .addColumn('application_id', 'bigint', (c) => c.primaryKey().references('applications.id'))
    .addColumn('revoked_on', 'date', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('certificate_confiscated', 'boolean', (c) => c.notNull())
    .addColumn('not_recovered_note', 'text')
    .addColumn('revoked_by', 'bigint', (c) => c.notNull().references('users.id'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['revocations', 'dissolutions', 'certificates', 'number_counters', 'application_events', 'clock_pauses', 'application_documents', 'parties', 'applications']) {
    await db.schema.dropTable(table).ifExists().cascade().execute()
  }
  for (const column of ['number_pattern', 'dissolution_number_pattern', 'refusal_number_pattern', 'number_prefix', 'reconsideration_body', 'court']) {
    await db.schema.alterTable('registries').dropColumn(column).execute()
  }
}
