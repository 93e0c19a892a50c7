// Failed sign-ins — under names that exist nowhere too — lockouts and second-factor failures reach
// whoever reads the registry's audit (decision 029), through the login page and the audit page.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry, makeUser, TEST_PASSWORD } from '#tests/support/factories.ts'
import { attemptLogin } from '#app/platform/auth/login.server.ts'

// Failures under one name before the throttle delays it (app/platform/auth/throttle.server.ts).
const MAX_FAILED_ATTEMPTS = 5
import { sessionCookie } from '#app/platform/auth/sessions.server.ts'
import { audit } from '#app/platform/audit.server.ts'
import { matrix, roles, type Role } from '#app/platform/permissions.ts'
import { action as loginAction } from '#app/routes/login._index.tsx'
import { loader as auditLoader } from '#app/routes/audit.tsx'
import { verifyAuditChains } from '#app/platform/audit-chain.server.ts'
import { testChainKey } from '#tests/support/db.ts'

let t: TestDatabase
beforeAll(async () => { t = await testDatabase() })
afterAll(async () => { await t.destroy() })

// The audit administrator once the roles are split; whoever holds audit.read until then.
const auditRole = (roles as readonly string[]).includes('auditadmin') ? ('auditadmin' as Role) : roles.find((r) => matrix[r].includes('audit.read'))!

async function signIn(username: string, password: string, context = testContext(t.db)) {
  const body = new URLSearchParams({ username, password })
  const request = new Request('http://localhost/login', { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
  return loginAction({ request, context, params: {} })
}

async function auditPage(cookie: string, query: string) {
  const request = new Request(`http://localhost/audit?${query}`, { headers: { Cookie: cookie } })
  return auditLoader({ request, context: testContext(t.db), params: {} })
}

test('the audit administrator sees failed sign-ins (unknown names included) and second-factor failures as security events', async () => {
  const registry = testContext(t.db).env.REGISTRY_CODE
  await makeRegistry(t.db, registry)
  await makeRegistry(t.db, '110101', '东城区')
  const reader = await makeUser(t.db, { roles: [auditRole], registryCode: registry })
  const target = await makeUser(t.db, { roles: ['registrar'], registryCode: registry })
  const elsewhere = await makeUser(t.db, { roles: ['registrar'], registryCode: '110101' })

  await signIn('nobody-by-this-name', 'whatever-password-1')
  for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) await signIn(target.username, 'wrong-password-123')
  await signIn(elsewhere.username, 'wrong-password-123')
  await audit(t.db, { actor: { id: target.id, username: target.username, registryCode: registry }, action: 'auth.totp_failed', entityType: 'user', entityId: target.id })

  const login = await attemptLogin(t.db, { username: reader.username, password: TEST_PASSWORD, ip: null, userAgent: null })
  if (!login.ok) throw new Error('login failed')
  const cookie = (await sessionCookie(testContext(t.db).sessionSecret, false).serialize(login.token)).split(';')[0]

  const page = await auditPage(cookie, 'kind=security')
  const actions = page.rows.map((r) => r.action)
  expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(MAX_FAILED_ATTEMPTS + 1)
  expect(actions).toContain('auth.totp_failed')
  expect(actions).not.toContain('auth.login') // the reader's own successful sign-in is no security event
  // The unknown name is attributed to the registry of the login page and shown with the name tried.
  const unknown = page.rows.find((r) => r.action === 'auth.login_failed' && JSON.stringify(r.summary).includes('nobody-by-this-name'))
  expect(unknown).toBeDefined()
  // Another registry's failures stay there.
  expect(page.rows.some((r) => JSON.stringify(r).includes(elsewhere.username))).toBe(false)

  // Nothing of this broke the chain.
  expect((await verifyAuditChains(t.db, testChainKey)).ok).toBe(true)
})

test('someone without audit.read is refused the audit page', async () => {
  const user = await makeUser(t.db, { roles: ['registrar'] })
  const login = await attemptLogin(t.db, { username: user.username, password: TEST_PASSWORD, ip: null, userAgent: null })
  if (!login.ok) throw new Error('login failed')
  const cookie = (await sessionCookie(testContext(t.db).sessionSecret, false).serialize(login.token)).split(';')[0]
  const thrown = await auditPage(cookie, 'kind=security').catch((e) => e)
  expect(thrown).toBeInstanceOf(Response)
  expect((thrown as Response).status).toBe(403)
})
