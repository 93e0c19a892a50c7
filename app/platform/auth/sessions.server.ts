// Database-backed sessions behind a signed, HttpOnly, SameSite=Lax cookie. The cookie carries a
// random token; the table keeps only its SHA-256. A session ends after SESSION_IDLE_MINUTES without
// a request, SESSION_MAX_HOURS after it began however busy, and at once when it is revoked (log-out,
// deactivation, password change). A half-signed-in session (password given, second factor not yet)
// lives HALF_SESSION_MINUTES from its start, whatever is sent on it (decision 031).
import { createHash, randomBytes } from 'node:crypto'
import { createCookie, type Cookie } from '@remix-run/node'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { isRole, type Role } from '../permissions.ts'
import { audit, type Actor } from '../audit.server.ts'
import { totpRequiredRoles } from '../settings.server.ts'
import { HALF_SESSION_MINUTES } from './second-factor.server.ts'

const cookies = new Map<string, Cookie>()

export function sessionCookie(secret: string, secure: boolean): Cookie {
  const key = `${secure}:${secret}`
  let cookie = cookies.get(key)
  if (!cookie) {
    // __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/, Secure).
    cookie = createCookie(secure ? '__Host-ar_session' : 'ar_session', {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      secrets: [secret],
    })
    cookies.set(key, cookie)
  }
  return cookie
}

/**
 * Whether the session cookie is Secure: always in HTTPS mode (PUBLIC_URL is https), else when this
 * request came over HTTPS — its URL says so, X-Forwarded-Proto counted only from a trusted proxy
 * (Express's "trust proxy", set from TRUST_PROXY, decides the URL's protocol).
 */
export function isSecureRequest(request: Request, httpsMode: boolean): boolean {
  return httpsMode || new URL(request.url).protocol === 'https:'
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')

export async function createSession(
  trx: Kysely<Database> | Transaction<Database>,
  userId: string,
  meta: { ip: string | null; userAgent: string | null; secondFactorDone: boolean },
): Promise<{ token: string; sessionId: string }> {
  const token = randomBytes(32).toString('base64url')
  const sessionId = tokenHash(token)
  await trx
    .insertInto('sessions')
    .values({
      id: sessionId,
      user_id: userId,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      second_factor_done: meta.secondFactorDone,
    })
    .execute()
  return { token, sessionId }
}

export type SessionUser = {
  sessionId: string
  secondFactorDone: boolean
  id: string
  username: string
  displayName: string
  email: string | null
  registryCode: string
  registryName: string
  registryNameEn: string
  locale: 'zh' | 'en'
  mustChangePassword: boolean
  totpEnabled: boolean
  roles: Role[]
  /** One of the user's roles must use a TOTP second factor (administrator setting). */
  totpRequired: boolean
}

export type SessionPolicy = {
  idleMinutes: number
  maxHours: number
  /** Demo mode: the out-of-the-box second-factor requirement is relaxed (an explicit setting still holds). */
  demo?: boolean
}

/**
 * Finds the live session for a cookie token: not revoked, not idle too long, not older than its
 * absolute lifetime (a half-signed-in one: HALF_SESSION_MINUTES), its user active. Marks it seen (at
 * most once a minute, to spare writes on every request).
 */
export async function loadSession(db: Kysely<Database>, token: string, policy: SessionPolicy): Promise<SessionUser | null> {
  const sessionId = tokenHash(token)
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('registries as r', 'r.code', 'u.registry_code')
    .select([
      's.id as sessionId', 's.second_factor_done as secondFactorDone', 's.last_seen_at as lastSeenAt',
      'u.id', 'u.username', 'u.display_name as displayName', 'u.email', 'u.registry_code as registryCode',
      'r.name as registryName', 'r.name_en as registryNameEn', 'u.locale',
      'u.must_change_password as mustChangePassword', 'u.totp_enabled as totpEnabled',
      sql<string[]>`coalesce((select array_agg(role order by role) from user_roles where user_id = u.id), '{}')`.as('roles'),
      // Read with the session: every page asks whether the user's login is complete.
      sql<unknown>`(select value from settings where registry_code = u.registry_code and key = 'totp_required_roles')`.as('totpRequiredRoles'),
    ])
    .where('s.id', '=', sessionId)
    .where('s.revoked_at', 'is', null)
    .where('u.active', '=', true)
    .where(sql<boolean>`s.last_seen_at > now() - make_interval(mins => ${policy.idleMinutes})`)
    .where(sql<boolean>`s.created_at > now() - make_interval(hours => ${policy.maxHours})`)
    .where(sql<boolean>`(s.second_factor_done or s.created_at > now() - make_interval(mins => ${HALF_SESSION_MINUTES}))`)
    .executeTakeFirst()
  if (!row) return null
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', sessionId).execute()
  }
  const { lastSeenAt: _seen, totpRequiredRoles: storedRequired, ...user } = row
  const roles = row.roles.filter(isRole)
  const required = totpRequiredRoles(storedRequired, policy.demo ?? false)
  return { ...user, roles, totpRequired: roles.some((role) => required.includes(role)) }
}

/**
 * The second factor passed: the half-signed-in session ends and a new one, with a new token, takes
 * its place, so a token seen before the second factor (a shared PC, a proxy log) is worth nothing
 * after it. Only one request can complete a given half session. Null when it is no longer live.
 */
export async function completeSecondFactor(db: Kysely<Database>, sessionId: string): Promise<{ token: string; sessionId: string } | null> {
  return db.transaction().execute(async (trx) => {
    const old = await trx
      .updateTable('sessions')
      .set({ revoked_at: sql`now()`, revoked_reason: 'second_factor_done' })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .where('second_factor_done', '=', false)
      .returning(['user_id', 'ip', 'user_agent'])
      .executeTakeFirst()
    if (!old) return null
    return createSession(trx, old.user_id, { ip: old.ip, userAgent: old.user_agent, secondFactorDone: true })
  })
}

export async function revokeSession(db: Kysely<Database> | Transaction<Database>, sessionId: string, reason: string) {
  await db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute()
}

/** Ends every open session of a user (deactivation, password change), optionally but one. */
export async function revokeUserSessions(
  trx: Kysely<Database> | Transaction<Database>,
  userId: string,
  reason: string,
  exceptSessionId?: string,
): Promise<number> {
  let query = trx
    .updateTable('sessions')
    .set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Logging out: the session ends and the audit says so, together. */
export async function logOut(db: Kysely<Database>, actor: NonNullable<Actor>, sessionId: string, ip: string | null) {
  await db.transaction().execute(async (trx) => {
    await revokeSession(trx, sessionId, 'logout')
    await audit(trx, { actor, action: 'auth.logout', entityType: 'user', entityId: actor.id, ip })
  })
}
