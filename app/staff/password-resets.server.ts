// Password resets that never hand a usable secret to the administrator who asked (decision 026;
// GB/T 22239-2019 separation of duties, OWASP ASVS 2.5). The system administrator asks; then
// - with mail: the user gets a one-time link valid 15 minutes. The token is made by the mail task
//   at send time and only its SHA-256 is stored; the job's payload names the reset, not the token,
//   and the message is never written to the local outbox;
// - without mail: a security administrator other than the one who asked releases a code valid 15
//   minutes, shown once, stored hashed, which only lets the user set a new password (the public
//   page /password/reset), never sign in.
// A secret works once; five wrong codes void the reset. Every step and every refusal is audited.
import { createHash, randomBytes } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import { hashPassword } from '#app/platform/auth/passwords.server.ts'
import { revokeUserSessions } from '#app/platform/auth/sessions.server.ts'
import { NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { enqueue } from '#app/platform/jobs.server.ts'
import { isLocale, translate, type Locale } from '#app/platform/i18n/index.ts'
import { refuse } from './roles.server.ts'

type Person = NonNullable<Actor>

export const RESET_MINUTES = 15
export const RESET_MAX_ATTEMPTS = 5

const hashOf = (kind: 'link' | 'code', secret: string) => createHash('sha256').update(`${kind}:${secret}`).digest('hex')

/** Ten characters that are easy to read out over the phone (about 50 bits). */
function newCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
  return [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('')
}

/**
 * The system administrator asks for a reset. An earlier open reset of the account is cancelled.
 * `mail`: whether an SMTP server is configured (the local outbox would keep the link readable).
 */
export async function requestPasswordReset(db: Kysely<Database>, actor: Person, userId: string, options: { mail: boolean }): Promise<{ channel: 'mail' | 'code' }> {
  return db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select(['id', 'email', 'registry_code']).where('id', '=', userId)
      .where('registry_code', '=', actor.registryCode).forUpdate().executeTakeFirst()
    if (!user) throw new NotFoundError('user')
    return openReset(trx, actor, { id: user.id, email: user.email, registryCode: user.registry_code }, options)
  })
}

/** Opens a reset inside the caller's transaction (a new account gets its first password this way too). */
export async function openReset(trx: Transaction<Database>, actor: Person, user: { id: string; email: string | null; registryCode: string }, options: { mail: boolean }) {
  await trx.updateTable('password_resets').set({ state: 'cancelled' }).where('user_id', '=', user.id).where('state', 'in', ['pending', 'issued']).execute()
  const channel = options.mail && user.email ? 'mail' as const : 'code' as const
  const { id } = await trx.insertInto('password_resets')
    .values({ registry_code: user.registryCode, user_id: user.id, channel, requested_by: actor.id })
    .returning('id').executeTakeFirstOrThrow()
  if (channel === 'mail') await enqueue(trx, 'send_password_reset', { resetId: id }, { jobKey: `password-reset:${id}`, maxAttempts: 10 })
  await audit(trx, { actor, action: 'user.password_reset_requested', entityType: 'user', entityId: user.id, summary: { channel, reset: id } })
  return { channel }
}

/**
 * The mail task's half: makes the link's token, keeps its hash, and returns the message to send
 * (null when the reset is no longer open). A retry makes a new token: only the last link works.
 */
export async function issueResetLink(db: Kysely<Database>, resetId: string, publicUrl: string | undefined) {
  return db.transaction().execute(async (trx) => {
    const reset = await trx.selectFrom('password_resets as r').innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['r.id', 'r.user_id', 'r.registry_code', 'u.email', 'u.locale', 'u.display_name', 'u.username'])
      .where('r.id', '=', resetId).where('r.channel', '=', 'mail').where('r.state', 'in', ['pending', 'issued']).forUpdate().executeTakeFirst()
    if (!reset || !reset.email) return null
    const token = randomBytes(32).toString('base64url')
    await trx.updateTable('password_resets')
      .set({ secret_hash: hashOf('link', token), state: 'issued', issued_at: sql`now()`, expires_at: sql`now() + make_interval(mins => ${RESET_MINUTES})` })
      .where('id', '=', reset.id).execute()
    await audit(trx, { actor: null, registryCode: reset.registry_code, action: 'user.password_reset_link_sent', entityType: 'user', entityId: reset.user_id, summary: { reset: reset.id } })
    const locale: Locale = isLocale(reset.locale) ? reset.locale : 'zh'
    const base = (publicUrl ?? '').replace(/\/$/, '')
    return {
      to: reset.email,
      subject: translate(locale, 'mail.passwordResetLink.subject'),
      text: translate(locale, 'mail.passwordResetLink.body', { name: reset.display_name, username: reset.username, minutes: RESET_MINUTES, url: `${base}/password/reset?token=${token}` }),
    }
  })
}

/** Mail could not carry the link after all (no SMTP any more, the address refused): a code instead. */
export async function fallBackToCode(db: Kysely<Database>, resetId: string) {
  await db.updateTable('password_resets').set({ channel: 'code', state: 'pending', secret_hash: null, issued_at: null, expires_at: null })
    .where('id', '=', resetId).where('state', 'in', ['pending', 'issued']).execute()
}

export type OpenReset = { id: string; userId: string; username: string; displayName: string; requestedBy: string | null; requestedByName: string | null; requestedAt: Date; state: 'pending' | 'issued'; expiresAt: Date | null }

/** Resets waiting for a security administrator's code (or whose code is still running). */
export async function openCodeResets(db: Kysely<Database>, registryCode: string): Promise<OpenReset[]> {
  return (await db.selectFrom('password_resets as r').innerJoin('users as u', 'u.id', 'r.user_id').leftJoin('users as q', 'q.id', 'r.requested_by')
    .select(['r.id', 'r.user_id as userId', 'u.username', 'u.display_name as displayName', 'r.requested_by as requestedBy', 'q.display_name as requestedByName',
      'r.requested_at as requestedAt', 'r.state', 'r.expires_at as expiresAt'])
    .where('r.registry_code', '=', registryCode).where('r.channel', '=', 'code').where('r.state', 'in', ['pending', 'issued'])
    .orderBy('r.id').execute()) as OpenReset[]
}

/**
 * A security administrator — not the one who asked for the reset — releases the code, to give the
 * user in person or by phone. Shown once; releasing again replaces it.
 */
export async function issueResetCode(db: Kysely<Database>, actor: Person, resetId: string): Promise<{ code: string; minutes: number }> {
  if (!/^\d{1,18}$/.test(resetId)) throw new NotFoundError('reset')
  const reset = await db.selectFrom('password_resets').select(['id', 'user_id', 'requested_by', 'state', 'channel'])
    .where('id', '=', resetId).where('registry_code', '=', actor.registryCode).executeTakeFirst()
  if (!reset || reset.channel !== 'code') throw new NotFoundError('reset')
  const summary = { reset: reset.id }
  if (reset.requested_by === actor.id) await refuse(db, actor, 'user.password_reset_refused', reset.user_id, 'resets.refused.ownRequest', summary)
  if (reset.user_id === actor.id) await refuse(db, actor, 'user.password_reset_refused', reset.user_id, 'resets.refused.ownAccount', summary)
  const code = newCode()
  const done = await db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('password_resets')
      .set({ secret_hash: hashOf('code', code), state: 'issued', issued_by: actor.id, issued_at: sql`now()`, attempts: 0,
        expires_at: sql`now() + make_interval(mins => ${RESET_MINUTES})` })
      .where('id', '=', reset.id).where('state', 'in', ['pending', 'issued']).returning('id').executeTakeFirst()
    if (row) await audit(trx, { actor, action: 'user.password_reset_code_issued', entityType: 'user', entityId: reset.user_id, summary })
    return Boolean(row)
  })
  if (!done) await refuse(db, actor, 'user.password_reset_refused', reset.user_id, 'resets.refused.closed', summary)
  return { code, minutes: RESET_MINUTES }
}

/** What the public page was given: the link's token, or the user name and the released code. */
export type ResetProof = { token: string } | { username: string; code: string }

/**
 * The user sets a new password with a link or a code. Refusals say what went wrong (unknown or
 * wrong, expired, already used) without saying more than the proof already shows. On success the
 * password changes, the lock lifts, every session ends.
 */
export async function completePasswordReset(db: Kysely<Database>, proof: ResetProof, password: string, ip: string | null): Promise<{ username: string }> {
  const kind = 'token' in proof ? 'link' : 'code'
  const secret = 'token' in proof ? proof.token : proof.code.trim().toUpperCase()
  const hash = hashOf(kind, secret)
  const failed = async (messageKey: string, userId: string | null, registryCode: string | null) => {
    await audit(db, { actor: null, registryCode, action: 'auth.password_reset_failed', entityType: 'user', entityId: userId ?? undefined, summary: { refusal: messageKey.split('.').pop(), channel: kind }, ip })
    throw new ProcedureError(messageKey)
  }
  let query = db.selectFrom('password_resets as r').innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'r.user_id', 'r.registry_code', 'r.state', 'r.secret_hash', 'r.attempts', 'u.username', 'u.active',
      sql<boolean>`r.expires_at <= now()`.as('expired')])
  if ('token' in proof) {
    query = query.where('r.secret_hash', '=', hash).where('r.channel', '=', 'mail')
  } else {
    // The newest code reset of the account: a code is checked against it alone, and its wrong tries counted.
    query = query.where('u.username', '=', proof.username.trim()).where('r.channel', '=', 'code').where('r.state', '<>', 'pending').orderBy('r.id', 'desc').limit(1)
  }
  const reset = await query.executeTakeFirst()
  if (!reset) return failed(kind === 'link' ? 'resets.refused.unknownLink' : 'resets.refused.wrongCode', null, null)
  if (reset.secret_hash !== hash) {
    if (reset.state === 'issued') {
      await db.updateTable('password_resets').set({ attempts: sql`attempts + 1`, state: sql`case when attempts + 1 >= ${RESET_MAX_ATTEMPTS} then 'void' else state end` })
        .where('id', '=', reset.id).execute()
    }
    return failed('resets.refused.wrongCode', reset.user_id, reset.registry_code)
  }
  if (reset.state === 'used') return failed('resets.refused.used', reset.user_id, reset.registry_code)
  if (reset.state !== 'issued' || !reset.active) return failed('resets.refused.closed', reset.user_id, reset.registry_code)
  if (reset.expired) return failed('resets.refused.expired', reset.user_id, reset.registry_code)
  const passwordHash = await hashPassword(password)
  const done = await db.transaction().execute(async (trx) => {
    // Taken only while issued and unexpired: of two uses racing, the second is refused.
    const taken = await trx.updateTable('password_resets').set({ state: 'used', used_at: sql`now()` })
      .where('id', '=', reset.id).where('state', '=', 'issued').where('expires_at', '>', sql<Date>`now()`).returning('id').executeTakeFirst()
    if (!taken) return false
    await trx.updateTable('users').set({
      password_hash: passwordHash, must_change_password: false, failed_attempts: 0, locked_until: null,
      password_changed_at: sql`now()`, version: sql`version + 1`, updated_at: sql`now()`,
    }).where('id', '=', reset.user_id).execute()
    const ended = await revokeUserSessions(trx, reset.user_id, 'password_reset')
    await audit(trx, { actor: { id: reset.user_id, username: reset.username, registryCode: reset.registry_code }, action: 'user.password_reset_completed', entityType: 'user',
      entityId: reset.user_id, summary: { channel: kind, reset: reset.id, sessionsEnded: ended }, ip })
    return true
  })
  if (!done) return failed('resets.refused.used', reset.user_id, reset.registry_code)
  return { username: reset.username }
}
