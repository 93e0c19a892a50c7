// The second factor that holds and login throttling instead of a lockout (decision 031).
// - users.totp_last_step: the last TOTP time step accepted, so a code is never accepted twice
//   (RFC 6238 §5.2); advanced by compare-and-set, so two requests with one code cannot both pass.
// - users.totp_failures / totp_blocked_until: wrong second-factor codes counted per user, across
//   sessions (a new password login must not give a fresh set of guesses).
// - recovery_codes: one-time codes for a lost phone, kept only as keyed hashes.
// - login_throttle: failures per source address and per typed account name (known or not, so the
//   answer does not reveal which names exist), with the time before which the next try is refused.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('totp_last_step', 'bigint')
    .addColumn('totp_failures', 'integer', (c) => c.notNull().defaultTo(0).check(sql`totp_failures >= 0`))
    .addColumn('totp_blocked_until', 'timestamptz')
    .execute()
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('used_at', 'timestamptz')
    .execute()
  await sql`create unique index recovery_codes_user_hash on recovery_codes (user_id, code_hash)`.execute(db)
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0).check(sql`failures >= 0`))
    .addColumn('blocked_until', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // The security administrator's list of events reads the newest few rows of a handful of actions.
  await sql`create index audit_log_security_events on audit_log (id) where action in (
    'auth.login_throttled', 'auth.totp_limit', 'auth.totp_refused_blocked', 'auth.totp_failed', 'auth.recovery_code_used',
    'auth.totp_unblocked', 'user.totp_enabled', 'user.totp_disabled', 'user.recovery_codes_renewed')`.execute(db)
  // The old hard lock is gone: an outsider could lock anyone out. Nobody stays locked by it.
  await sql`update users set failed_attempts = 0, locked_until = null where locked_until is not null or failed_attempts <> 0`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index audit_log_security_events`.execute(db)
  await db.schema.dropTable('login_throttle').execute()
  await db.schema.dropTable('recovery_codes').execute()
  await db.schema.alterTable('users').dropColumn('totp_last_step').dropColumn('totp_failures').dropColumn('totp_blocked_until').execute()
}
