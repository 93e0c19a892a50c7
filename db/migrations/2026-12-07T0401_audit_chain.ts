// The audit log made tamper-evident (GB/T 22239-2019 level 3, 8.1.4.3 c: audit records protected
// against deletion, modification or overwriting; decision 029). Each row carries its place in its
// registry's chain (chain_seq) and an HMAC over its content and the previous row's MAC. The key is
// derived from the deployment's secret material and never stored here, so whoever holds the
// database — even its owner — cannot forge a MAC; the app computes it when it appends a row.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_log add column chain_seq bigint, add column mac bytea`.execute(db)
  // One chain per registry; rows without a registry (deployment-wide events) form the '' chain.
  await sql`create unique index audit_log_chain_seq_idx on audit_log ((coalesce(registry_code, '')), chain_seq) where chain_seq is not null`.execute(db)
  await sql`alter table audit_log add constraint audit_log_chain_complete check ((chain_seq is null) = (mac is null))`.execute(db)
  // Rows still to seal (or forged without a MAC): found at every start and every check without a scan.
  await sql`create index audit_log_unsealed_idx on audit_log (id) where mac is null`.execute(db)

  // The head of each chain, locked FOR UPDATE by the transaction that appends: concurrent inserts
  // of one registry queue here instead of forking the chain.
  await db.schema
    .createTable('audit_chain_heads')
    .addColumn('chain', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('mac', 'bytea')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // Rows written before the chain existed, or by later migrations (which cannot know the key): the
  // ranges of ids the app may seal at start. Any other row without a MAC is a break. Written by the
  // owner only (db/migrate.ts); the app role reads it.
  await db.schema
    .createTable('audit_chain_unsealed')
    .addColumn('from_id', 'bigint', (c) => c.notNull()) // exclusive
    .addColumn('to_id', 'bigint', (c) => c.notNull()) // inclusive
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('audit_chain_unsealed_pk', ['from_id', 'to_id'])
    .execute()
  await sql`insert into audit_chain_unsealed (from_id, to_id) select 0, max(id) from audit_log having max(id) is not null`.execute(db)

  // Each verification of the chains, kept: the audit administrator's page shows the last one.
  await db.schema
    .createTable('audit_chain_checks')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('checked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('nightly', 'command', 'start')`))
    .addColumn('ok', 'boolean', (c) => c.notNull())
    .addColumn('rows_checked', 'bigint', (c) => c.notNull())
    .addColumn('breaks', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute()

  // The append-only guard now lets exactly one change through: sealing a row that has no MAC yet
  // (existing rows, chained once by the app at start), with every recorded column unchanged. Only
  // the owner may attempt it: the app role has no UPDATE privilege on the table at all.
  await sql`
    create or replace function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.mac is null and old.chain_seq is null and new.mac is not null
         and (new.id, new.at, new.registry_code, new.actor_id, new.actor_name, new.action, new.entity_type, new.entity_id, new.summary, new.reason, new.ip)
             is not distinct from
             (old.id, old.at, old.registry_code, old.actor_id, old.actor_name, old.action, old.entity_type, old.entity_id, old.summary, old.reason, old.ip) then
        return new;
      end if;
      raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db)
  for (const table of ['audit_chain_checks', 'audit_chain_unsealed', 'audit_chain_heads']) await db.schema.dropTable(table).ifExists().execute()
  await sql`alter table audit_log drop constraint audit_log_chain_complete, drop column chain_seq, drop column mac`.execute(db)
}
