// The second-factor pages driven through their real loaders and actions, with a signed session
// cookie, against real PostgreSQL: what an attacker holding the password, or a signed-in browser
// left open, can and cannot do.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeUser, TEST_PASSWORD } from '#tests/support/factories.ts'
import type { AppContext } from '#app/platform/context.server.ts'
import { attemptLogin } from '#app/platform/auth/login.server.ts'
import { sessionCookie } from '#app/platform/auth/sessions.server.ts'
import { HashGate } from '#app/platform/auth/throttle.server.ts'
import { generateTotpSecret, totpCode } from '#app/platform/auth/totp.server.ts'
import { SECOND_FACTOR_MAX_FAILURES } from '#app/platform/auth/second-factor.server.ts'
import { enableTotp } from '#app/staff/users.server.ts'
import { action as totpLoginAction } from '#app/routes/login.totp.tsx'
import { action as totpSettingsAction } from '#app/routes/account.totp.tsx'
import { action as loginAction } from '#app/routes/login._index.tsx'

let t: TestDatabase
let context: AppContext
beforeAll(async () => {
  t = await testDatabase()
  context = testContext(t.db)
})
afterAll(async () => { await t.destroy() })

const cookie = () => sessionCookie(context.sessionSecret, false)
let address = 0

async function enrolledUser() {
  const user = await makeUser(t.db)
  const actor = { id: user.id, username: user.username, registryCode: user.registryCode }
  const secret = generateTotpSecret()
  await enableTotp(t.db, context.cipher, actor, secret, totpCode(secret, Date.now() - 30_000))
  return { user, actor, secret }
}

async function signIn(username: string) {
  const result = await attemptLogin(t.db, { username, password: TEST_PASSWORD, ip: `203.0.113.${++address}`, userAgent: 'vitest' }, { gate: new HashGate(10) })
  if (!result.ok) throw new Error('login failed')
  return result.token
}

function post(path: string, token: string | null, form: Record<string, string>) {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' }
  return (async () => {
    if (token) headers.Cookie = (await cookie().serialize(token)).split(';')[0]
    return new Request(`http://localhost${path}`, { method: 'POST', headers, body: new URLSearchParams(form).toString() })
  })()
}

/** Runs an action; a thrown Response (redirect) is returned like a returned one. */
async function run(fn: (args: { request: Request; context: AppContext; params: Record<string, string> }) => Promise<unknown>, request: Request): Promise<Response> {
  try {
    const out = await fn({ request, context, params: {} })
    if (out instanceof Response) return out
    const init = (out as { init?: ResponseInit | null; data?: unknown }).init
    return new Response(JSON.stringify((out as { data?: unknown }).data ?? out), { status: init?.status ?? 200, headers: init?.headers })
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}

async function tokenFrom(response: Response): Promise<string | null> {
  const value = await cookie().parse(response.headers.get('Set-Cookie'))
  return typeof value === 'string' && value ? value : null
}

async function fullSession(username: string, secret: string) {
  const half = await signIn(username)
  const response = await run(totpLoginAction, await post('/login/totp', half, { code: totpCode(secret) }))
  expect(response.status).toBe(302)
  const token = await tokenFrom(response)
  expect(token).toBeTruthy()
  return token!
}

describe('signing in with the second factor', () => {
  test('the token is replaced when the second factor passes', async () => {
    const { user, secret } = await enrolledUser()
    const half = await signIn(user.username)
    const response = await run(totpLoginAction, await post('/login/totp?next=%2Fapplications', half, { code: totpCode(secret) }))
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/applications')
    const full = await tokenFrom(response)
    expect(full).toBeTruthy()
    expect(full).not.toBe(half)
    // The half token is worth nothing now: the second-factor page sends it to log in again.
    const again = await run(totpLoginAction, await post('/login/totp', half, { code: totpCode(secret) }))
    expect(again.headers.get('Location')).toMatch(/^\/login/)
  })

  test(`guessing: after ${SECOND_FACTOR_MAX_FAILURES} wrong codes the sign-in ends and the cookie is cleared`, async () => {
    const { user, secret } = await enrolledUser()
    const half = await signIn(user.username)
    const near = new Set([-1, 0, 1].map((d) => totpCode(secret, Date.now() + d * 30_000)))
    const wrong = ['000000', '111111', '222222', '333333'].find((c) => !near.has(c))!
    for (let i = 1; i < SECOND_FACTOR_MAX_FAILURES; i++) {
      expect((await run(totpLoginAction, await post('/login/totp', half, { code: wrong }))).status).toBe(400)
    }
    const last = await run(totpLoginAction, await post('/login/totp', half, { code: wrong }))
    expect(last.status).toBe(302)
    expect(last.headers.get('Location')).toBe('/login?secondFactor=blocked')
    expect(last.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
    // Even the right code on the old half session leads back to the login page.
    const after = await run(totpLoginAction, await post('/login/totp', half, { code: totpCode(secret) }))
    expect(after.headers.get('Location')).toMatch(/^\/login/)
  })

  test('a used code is refused on a second sign-in', async () => {
    const { user, secret } = await enrolledUser()
    const code = totpCode(secret)
    const first = await run(totpLoginAction, await post('/login/totp', await signIn(user.username), { code }))
    expect(first.status).toBe(302)
    const replay = await run(totpLoginAction, await post('/login/totp', await signIn(user.username), { code }))
    expect(replay.status).toBe(400)
  })
})

describe('changing the second factor needs the current one (or the password)', () => {
  test('turning it off without proof, or with a wrong one, is refused; with the password it works', async () => {
    const { user, secret } = await enrolledUser()
    const token = await fullSession(user.username, secret)
    const enabled = async () => (await t.db.selectFrom('users').select('totp_enabled').where('id', '=', user.id).executeTakeFirstOrThrow()).totp_enabled
    expect((await run(totpSettingsAction, await post('/account/totp', token, { intent: 'disable' }))).status).toBe(400)
    expect((await run(totpSettingsAction, await post('/account/totp', token, { intent: 'disable', proof: 'not-my-password-at-all' }))).status).toBe(400)
    expect((await run(totpSettingsAction, await post('/account/totp', token, { intent: 'disable', proof: '123456' }))).status).toBe(400)
    expect(await enabled()).toBe(true)
    const ok = await run(totpSettingsAction, await post('/account/totp', token, { intent: 'disable', proof: TEST_PASSWORD }))
    expect(ok.status).toBe(302)
    expect(await enabled()).toBe(false)
  })

  test('enrolling a new secret over the current one without proof is refused; with the current code it works', async () => {
    const { user, secret } = await enrolledUser()
    const token = await fullSession(user.username, secret)
    const stored = async () => (await t.db.selectFrom('users').select('totp_secret').where('id', '=', user.id).executeTakeFirstOrThrow()).totp_secret
    const before = await stored()
    const attacker = generateTotpSecret()
    const pending = context.cipher.encrypt(`${user.id}:${attacker}`)
    const refused = await run(totpSettingsAction, await post('/account/totp', token, { intent: 'enable', pending, code: totpCode(attacker) }))
    expect(refused.status).toBe(400)
    expect(await stored()).toBe(before)
    const wrongProof = await run(totpSettingsAction, await post('/account/totp', token, { intent: 'enable', pending, code: totpCode(attacker), proof: 'wrong-password-here' }))
    expect(wrongProof.status).toBe(400)
    expect(await stored()).toBe(before)
    // The owner, with a current code from the old phone (the next step: this one was used to sign in).
    const replaced = await run(totpSettingsAction, await post('/account/totp', token, { intent: 'enable', pending, code: totpCode(attacker), proof: totpCode(secret, Date.now() + 30_000) }))
    expect(replaced.status).toBe(200)
    const body = (await replaced.json()) as { recoveryCodes: string[] }
    expect(body.recoveryCodes).toHaveLength(10)
    expect(await stored()).not.toBe(before)
  })

  test('new recovery codes need a current code; the password alone is not enough', async () => {
    const { user, secret } = await enrolledUser()
    const token = await fullSession(user.username, secret)
    expect((await run(totpSettingsAction, await post('/account/totp', token, { intent: 'recovery', proof: TEST_PASSWORD }))).status).toBe(400)
    const ok = await run(totpSettingsAction, await post('/account/totp', token, { intent: 'recovery', proof: totpCode(secret, Date.now() + 30_000) }))
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10)
  })
})

describe('the login page', () => {
  test('throttled and refused answers; a redirect target off the site is dropped', async () => {
    const user = await makeUser(t.db)
    const ctx = { ...context, ip: '203.0.113.250' }
    const attempt = (password: string, next = '/') =>
      run((args) => loginAction({ ...args, context: ctx }), new Request('http://localhost/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: user.username, password, next }).toString(),
      }))
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-password-${i}`)).status).toBe(400)
    const throttled = await attempt(TEST_PASSWORD)
    expect(throttled.status).toBe(429)
    expect(Number(throttled.headers.get('Retry-After'))).toBeGreaterThan(0)
    await t.db.deleteFrom('login_throttle').execute()
    const ok = await attempt(TEST_PASSWORD, '/\t/evil.example/login')
    expect(ok.status).toBe(302)
    expect(ok.headers.get('Location')).toBe('/')
  })
})
