// The second factor that holds (decision 031): a limit on wrong codes per user, each time step
// accepted once, one-time recovery codes kept as keyed hashes, and proof of the current factor
// (or the password) before the factor is replaced or turned off.
import { randomInt } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { FieldCipher } from '../crypto.server.ts'
import { audit, type Actor } from '../audit.server.ts'
import { verifyPassword } from './passwords.server.ts'
import { matchTotpStep } from './totp.server.ts'

type Db = Kysely<Database> | Transaction<Database>

/** Wrong codes in a row before the half-signed-in sessions end and the second factor waits. */
export const SECOND_FACTOR_MAX_FAILURES = 5
/** The wait after the limit; every further wrong code after it starts it again. */
export const SECOND_FACTOR_BLOCK_MINUTES = 15
/** A password given, the second factor not yet: this session lives this long, however used. */
export const HALF_SESSION_MINUTES = 5
export const RECOVERY_CODE_COUNT = 10

// Without 0/O, 1/I/L, 2/Z, 5/S, 8/B: read off paper and typed without doubt. 24 symbols, 10 of
// them: 45 bits, checked against a keyed hash, each usable once, behind the same failure limit.
const RECOVERY_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY3467'
const RECOVERY_PATTERN = new RegExp(`^[${RECOVERY_ALPHABET}]{10}$`)

export function newRecoveryCode(): string {
  let code = ''
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

function normaliseRecoveryCode(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase()
}

function recoveryCodeHash(cipher: FieldCipher, userId: string, code: string): string {
  return cipher.blindIndex(`recovery-code:${userId}:${normaliseRecoveryCode(code)}`)
}

/** Replaces the user's recovery codes with new ones; the plain codes are returned once, never stored. */
export async function replaceRecoveryCodes(trx: Db, cipher: FieldCipher, userId: string): Promise<string[]> {
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  await trx
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ user_id: userId, code_hash: recoveryCodeHash(cipher, userId, code) })))
    .execute()
  return codes
}

export async function unusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export type FactorCheck =
  | { ok: true; via: 'totp' | 'recovery' | 'password' }
  | { ok: false; reason: 'wrong' | 'replayed'; limitReached: boolean }
  | { ok: false; reason: 'blocked'; minutesLeft: number }

/**
 * Checks a second-factor code (or a recovery code; with `allowPassword`, the account password) for
 * a user. Counted before it is checked, in one statement, so parallel guesses each take their own
 * count and none slips past the limit; a right answer sets the count back to zero. The count is the
 * user's, not the session's: a new password login gives no fresh guesses. When the count reaches
 * the limit the user's half-signed-in sessions end and the check waits
 * SECOND_FACTOR_BLOCK_MINUTES; the audit row shows the security administrator.
 */
export async function checkSecondFactor(
  db: Kysely<Database>,
  cipher: FieldCipher,
  user: NonNullable<Actor>,
  input: string,
  options: { allowPassword?: boolean; ip?: string | null; at?: number } = {},
): Promise<FactorCheck> {
  const claimed = await db
    .updateTable('users')
    .set({
      totp_failures: sql`totp_failures + 1`,
      totp_blocked_until: sql`case when totp_failures + 1 >= ${SECOND_FACTOR_MAX_FAILURES}
        then now() + make_interval(mins => ${SECOND_FACTOR_BLOCK_MINUTES}) else null end`,
    })
    .where('id', '=', user.id)
    .where((eb) => eb.or([eb('totp_blocked_until', 'is', null), eb('totp_blocked_until', '<=', sql<Date>`now()`)]))
    .returning(['totp_failures', 'totp_secret', 'totp_last_step', 'password_hash'])
    .executeTakeFirst()
  if (!claimed) {
    const row = await db
      .selectFrom('users')
      .select(sql<number>`ceil(extract(epoch from (totp_blocked_until - now())) / 60)::int`.as('minutes'))
      .where('id', '=', user.id)
      .executeTakeFirst()
    await audit(db, { actor: user, action: 'auth.totp_refused_blocked', entityType: 'user', entityId: user.id, ip: options.ip ?? null })
    return { ok: false, reason: 'blocked', minutesLeft: Math.max(1, Number(row?.minutes ?? SECOND_FACTOR_BLOCK_MINUTES)) }
  }

  const text = input.trim()
  let result: 'totp' | 'recovery' | 'password' | 'replayed' | null = null
  if (/^\d{6}$/.test(text.replace(/\s/g, '')) && claimed.totp_secret) {
    const step = matchTotpStep(cipher.decrypt(claimed.totp_secret), text, options.at)
    if (step !== null) {
      // Compare-and-set: the step is taken only if no later or equal step was taken before, so a
      // code seen over a shoulder or replayed from a proxy log is refused, even in parallel.
      const taken = await db
        .updateTable('users')
        .set({ totp_last_step: String(step), totp_failures: 0, totp_blocked_until: null })
        .where('id', '=', user.id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
        .executeTakeFirst()
      result = Number(taken.numUpdatedRows) === 1 ? 'totp' : 'replayed'
    }
  } else if (RECOVERY_PATTERN.test(normaliseRecoveryCode(text))) {
    const used = await db
      .updateTable('recovery_codes')
      .set({ used_at: sql`now()` })
      .where('user_id', '=', user.id)
      .where('code_hash', '=', recoveryCodeHash(cipher, user.id, text))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(used.numUpdatedRows) === 1) result = 'recovery'
  }
  if (result === null && options.allowPassword && text.length >= 12 && (await verifyPassword(claimed.password_hash, input))) {
    result = 'password'
  }

  if (result === 'totp' || result === 'recovery' || result === 'password') {
    if (result !== 'totp') await db.updateTable('users').set({ totp_failures: 0, totp_blocked_until: null }).where('id', '=', user.id).execute()
    if (result === 'recovery') {
      await audit(db, { actor: user, action: 'auth.recovery_code_used', entityType: 'user', entityId: user.id, summary: { left: await unusedRecoveryCodes(db, user.id) }, ip: options.ip ?? null })
    }
    return { ok: true, via: result }
  }

  const limitReached = claimed.totp_failures >= SECOND_FACTOR_MAX_FAILURES
  await db.transaction().execute(async (trx) => {
    await audit(trx, {
      actor: user,
      action: 'auth.totp_failed',
      entityType: 'user',
      entityId: user.id,
      summary: { attempt: claimed.totp_failures, replayed: result === 'replayed' },
      ip: options.ip ?? null,
    })
    if (limitReached) {
      await trx
        .updateTable('sessions')
        .set({ revoked_at: sql`now()`, revoked_reason: 'second_factor_limit' })
        .where('user_id', '=', user.id)
        .where('second_factor_done', '=', false)
        .where('revoked_at', 'is', null)
        .execute()
      await audit(trx, {
        actor: user,
        action: 'auth.totp_limit',
        entityType: 'user',
        entityId: user.id,
        summary: { attempt: claimed.totp_failures, minutes: SECOND_FACTOR_BLOCK_MINUTES },
        ip: options.ip ?? null,
      })
    }
  })
  return { ok: false, reason: result === 'replayed' ? 'replayed' : 'wrong', limitReached }
}

/** The security administrator lets a user try the second factor again at once. */
export async function unblockSecondFactor(db: Kysely<Database>, actor: NonNullable<Actor>, userId: string) {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_failures: 0, totp_blocked_until: null }).where('id', '=', userId).execute()
    await audit(trx, { actor, action: 'auth.totp_unblocked', entityType: 'user', entityId: userId })
  })
}

/** Accounts whose second factor is waiting out the limit now. */
export async function blockedSecondFactors(db: Kysely<Database>, registryCode: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name as displayName', 'totp_failures as failures', 'totp_blocked_until as blockedUntil'])
    .where('registry_code', '=', registryCode)
    .where('totp_blocked_until', '>', sql<Date>`now()`)
    .orderBy('totp_blocked_until', 'desc')
    .execute()
}

/** What the security administrator watches: guessing at passwords and second factors. */
export const SECURITY_EVENT_ACTIONS = [
  'auth.login_throttled',
  'auth.totp_limit',
  'auth.totp_refused_blocked',
  'auth.totp_failed',
  'auth.recovery_code_used',
  'auth.totp_unblocked',
  'user.totp_enabled',
  'user.totp_disabled',
  'user.recovery_codes_renewed',
] as const

/** The latest security events of a registry (and those of no registry: names no account has). */
export async function recentSecurityEvents(db: Kysely<Database>, registryCode: string, limit = 50) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'at', 'action', 'actor_name as actorName', 'entity_id as entityId', 'summary', 'ip'])
    .where('action', 'in', [...SECURITY_EVENT_ACTIONS])
    .where((eb) => eb.or([eb('registry_code', '=', registryCode), eb('registry_code', 'is', null)]))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
