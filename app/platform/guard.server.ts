// The guard every loader and action starts with: who is asking, and may they do this?
// requireUser(request, context, permission) returns the user or throws a redirect (to log in, to
// finish the second factor, to change a reset password) or a 403.
import { redirect } from '@remix-run/node'
import type { AppContext } from './context.server.ts'
import { can, type Permission } from './permissions.ts'
import { isSecureRequest, loadSession, sessionCookie, type SessionUser } from './auth/sessions.server.ts'
import { errorResponse, ForbiddenError } from './http.server.ts'
import { isDemo, isHttps } from './env.server.ts'

export type CurrentUser = SessionUser

export function cookieFor(request: Request, context: AppContext) {
  return sessionCookie(context.sessionSecret, isSecureRequest(request, isHttps(context.env)))
}

export async function readSessionToken(request: Request, context: AppContext): Promise<string | null> {
  const value = await cookieFor(request, context).parse(request.headers.get('Cookie'))
  return typeof value === 'string' ? value : null
}

/** The user of a live session, whatever its stage (second factor pending, password to change). */
// One session lookup per page view: the root loader and the page's loader both ask, and each lookup
// also marks the session as seen (a write). The load context is made anew for every request. Only
// for GET: after an action (a password changed, TOTP enabled) the loaders must see the new state.
const sessionsOfRequest = new WeakMap<AppContext, Promise<CurrentUser | null>>()

export function findSessionUser(request: Request, context: AppContext): Promise<CurrentUser | null> {
  let found = request.method === 'GET' ? sessionsOfRequest.get(context) : undefined
  if (!found) {
    found = (async () => {
      const token = await readSessionToken(request, context)
      if (!token) return null
      return loadSession(context.db, token, {
        idleMinutes: context.env.SESSION_IDLE_MINUTES,
        maxHours: context.env.SESSION_MAX_HOURS,
        demo: isDemo(context.env),
      })
    })()
    if (request.method === 'GET') sessionsOfRequest.set(context, found)
  }
  return found
}

function loginRedirect(request: Request): never {
  const url = new URL(request.url)
  const next = url.pathname + url.search
  throw redirect(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`)
}

type Stage = 'full' | 'second-factor' | 'password-change' | 'totp-enrolment'

/**
 * The guard. `permission` null means any signed-in user. `allow` lets the pages that finish a
 * login (second factor, forced password change, TOTP enrolment) through before the login is full.
 */
export async function requireUser(
  request: Request,
  context: AppContext,
  permission: Permission | null,
  allow: Stage[] = ['full'],
): Promise<CurrentUser> {
  const user = await findSessionUser(request, context)
  if (!user) loginRedirect(request)
  const stage = stageOf(user)
  if (!allow.includes(stage)) {
    if (stage === 'second-factor') throw redirect('/login/totp')
    if (stage === 'password-change') throw redirect('/account/password')
    if (stage === 'totp-enrolment') throw redirect('/account/totp')
  }
  if (permission && !can(user.roles, permission)) throw errorResponse(new ForbiddenError())
  return user
}

export function stageOf(user: CurrentUser): Stage {
  if (!user.secondFactorDone) return 'second-factor'
  if (user.mustChangePassword) return 'password-change'
  if (!user.totpEnabled && user.totpRequired) return 'totp-enrolment'
  return 'full'
}

export function actorOf(user: CurrentUser) {
  return { id: user.id, username: user.username, registryCode: user.registryCode }
}
