// Logging in: password check with lockout, session creation, audit. The same answer for an
// unknown user name and a wrong password, and the same time spent on both.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit } from '../audit.server.ts'
import { dummyVerify, verifyPassword } from './passwords.server.ts'
import { createSession } from './sessions.server.ts'

export const MAX_FAILED_ATTEMPTS = 5
export const LOCKOUT_MINUTES = 15

export type LoginResult =
  | { ok: true; token: string; sessionId: string; needsSecondFactor: boolean }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; minutesLeft: number }

export async function attemptLogin(
  db: Kysely<Database>,
  input: {
    username: string
    password: string
    ip: string | null
    userAgent: string | null
    /** The registry whose login page this is (the deployment's, REGISTRY_CODE): a failure under an unknown name is recorded there. */
    registryCode?: string
  },
): Promise<LoginResult> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'registry_code', 'password_hash', 'active', 'locked_until', 'totp_enabled'])
    .where('username', '=', input.username.trim())
    .executeTakeFirst()

  if (!user || !user.active) {
    await dummyVerify(input.password)
    await audit(db, {
      actor: null,
      // An unknown name belongs to no account: the attempt still shows in the audit of the registry
      // whose login page was used, where its audit administrator looks for guessing.
      registryCode: user?.registry_code ?? input.registryCode ?? null,
      action: 'auth.login_failed',
      entityType: user ? 'user' : undefined,
      entityId: user?.id,
      summary: { username: input.username.slice(0, 60), why: user ? 'inactive' : 'unknown_user' },
      ip: input.ip,
    })
    return { ok: false, reason: 'invalid' }
  }

  const actor = { id: user.id, username: user.username, registryCode: user.registry_code }
  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    await audit(db, { actor, action: 'auth.login_refused_locked', entityType: 'user', entityId: user.id, ip: input.ip })
    return { ok: false, reason: 'locked', minutesLeft: Math.ceil((user.locked_until.getTime() - Date.now()) / 60_000) }
  }

  if (!(await verifyPassword(user.password_hash, input.password))) {
    // Counted in one statement, so parallel wrong guesses cannot slip past the limit.
    return db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('users')
        .set({
          failed_attempts: sql`case when locked_until is not null and locked_until <= now() then 1 else failed_attempts + 1 end`,
          locked_until: sql`case
            when (case when locked_until is not null and locked_until <= now() then 1 else failed_attempts + 1 end) >= ${MAX_FAILED_ATTEMPTS}
            then now() + make_interval(mins => ${LOCKOUT_MINUTES})
            else null end`,
        })
        .where('id', '=', user.id)
        .returning(['failed_attempts', 'locked_until'])
        .executeTakeFirstOrThrow()
      await audit(trx, { actor, action: 'auth.login_failed', entityType: 'user', entityId: user.id, summary: { why: 'password', attempt: updated.failed_attempts }, ip: input.ip })
      if (updated.locked_until) {
        await audit(trx, { actor, action: 'auth.locked', entityType: 'user', entityId: user.id, summary: { minutes: LOCKOUT_MINUTES }, ip: input.ip })
        return { ok: false as const, reason: 'locked' as const, minutesLeft: LOCKOUT_MINUTES }
      }
      return { ok: false as const, reason: 'invalid' as const }
    })
  }

  return db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', user.id).execute()
    const session = await createSession(trx, user.id, {
      ip: input.ip,
      userAgent: input.userAgent,
      secondFactorDone: !user.totp_enabled,
    })
    await audit(trx, { actor, action: 'auth.login', entityType: 'user', entityId: user.id, summary: { secondFactor: user.totp_enabled }, ip: input.ip })
    return { ok: true as const, ...session, needsSecondFactor: user.totp_enabled }
  })
}
