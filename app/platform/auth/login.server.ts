// Logging in: throttling, password check, session creation, audit (decision 031). The same answer
// and comparable time for an unknown user name and a wrong password: an unknown name is throttled
// like a known one and its password is checked against a dummy hash.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit } from '../audit.server.ts'
import { dummyVerify, verifyPassword } from './passwords.server.ts'
import { createSession } from './sessions.server.ts'
import { ADDRESS_RULE, addressKey, claimAttempt, HashGate, NAME_RULE, nameKey, settleSuccess } from './throttle.server.ts'

/** An address this account completed a sign-in from within this many days is its own desk. */
export const KNOWN_ADDRESS_DAYS = 30

export type LoginResult =
  | { ok: true; token: string; sessionId: string; needsSecondFactor: boolean }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'busy' }

const defaultGate = new HashGate(2)

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
  options: { gate?: HashGate } = {},
): Promise<LoginResult> {
  const gate = options.gate ?? defaultGate
  if (!gate.tryEnter()) return { ok: false, reason: 'busy' }
  try {
    return await checkAndSignIn(db, input)
  } finally {
    gate.leave()
  }
}

async function checkAndSignIn(
  db: Kysely<Database>,
  input: { username: string; password: string; ip: string | null; userAgent: string | null; registryCode?: string },
): Promise<LoginResult> {
  const username = input.username.trim()
  const user = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.username', 'u.registry_code', 'u.password_hash', 'u.active', 'u.totp_enabled'])
    // Someone typing wrong passwords elsewhere must not keep the owner out at their own desk: from
    // an address the account signed in from lately the name's delay does not apply (the address's does).
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('sessions as s')
            .select(sql`1`.as('one'))
            .whereRef('s.user_id', '=', 'u.id')
            .where('s.ip', '=', input.ip ?? '')
            .where('s.second_factor_done', '=', true)
            .where('s.created_at', '>', sql<Date>`now() - make_interval(days => ${KNOWN_ADDRESS_DAYS})`),
        )
        .as('knownAddress'),
    )
    .where('u.username', '=', username)
    .executeTakeFirst()

  const name = nameKey(username)
  const address = addressKey(input.ip)
  const claim = await claimAttempt(db, [
    { key: name, rule: NAME_RULE, enforce: !(user?.knownAddress && input.ip) },
    { key: address, rule: ADDRESS_RULE, enforce: true },
  ])
  const actor = user ? { id: user.id, username: user.username, registryCode: user.registry_code } : null
  if (!claim.ok) {
    // No hash is run: a refused attempt costs next to nothing, and its answer is the same for any name.
    return { ok: false, reason: 'throttled', retryAfterSeconds: claim.retryAfterSeconds }
  }
  if (claim.delayed.length) {
    await audit(db, {
      actor,
      registryCode: user?.registry_code ?? input.registryCode ?? null,
      action: 'auth.login_throttled',
      entityType: user ? 'user' : undefined,
      entityId: user?.id,
      summary: { username: username.slice(0, 60), keys: claim.delayed.map((k) => k.split(':')[0]) },
      ip: input.ip,
    })
  }

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
      summary: { username: username.slice(0, 60), why: user ? 'inactive' : 'unknown_user' },
      ip: input.ip,
    })
    return { ok: false, reason: 'invalid' }
  }

  if (!(await verifyPassword(user.password_hash, input.password))) {
    await audit(db, { actor, action: 'auth.login_failed', entityType: 'user', entityId: user.id, summary: { why: 'password' }, ip: input.ip })
    return { ok: false, reason: 'invalid' }
  }

  await settleSuccess(db, name, { key: address, rule: ADDRESS_RULE })
  return db.transaction().execute(async (trx) => {
    const session = await createSession(trx, user.id, {
      ip: input.ip,
      userAgent: input.userAgent,
      secondFactorDone: !user.totp_enabled,
    })
    await audit(trx, { actor, action: 'auth.login', entityType: 'user', entityId: user.id, summary: { secondFactor: user.totp_enabled }, ip: input.ip })
    return { ok: true as const, ...session, needsSecondFactor: user.totp_enabled }
  })
}
