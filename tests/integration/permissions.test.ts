// The permission matrix, role by role and permission by permission, through the real guard:
// a real session in PostgreSQL, a signed cookie, requireUser() refusing with 403.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeUser, TEST_PASSWORD } from '#tests/support/factories.ts'
import { attemptLogin } from '#app/platform/auth/login.server.ts'
import { sessionCookie } from '#app/platform/auth/sessions.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { permissions, roles, type Permission, type Role } from '#app/platform/permissions.ts'
import { getUser, ensureRegistry } from '#app/staff/users.server.ts'
import { NotFoundError } from '#app/platform/http.server.ts'

// Written out by hand from domain.md's table of roles, independently of the matrix in code.
const expected: Record<Role, Permission[]> = {
  registrar: ['case.read', 'case.write', 'assessment.read', 'archive.read', 'followup.read', 'rootseeking.read', 'rootseeking.write', 'statistics.read', 'import.run'],
  assessor: ['assessment.read', 'assessment.write'],
  caseworker: ['followup.read', 'followup.write', 'rootseeking.read', 'rootseeking.write'],
  archivist: ['case.read', 'archive.read', 'archive.manage'],
  // The audit log is the audit administrator's alone (decision 026).
  supervisor: ['case.read', 'case.approve', 'assessment.read', 'archive.read', 'archive.approve', 'followup.read', 'followup.supervise', 'rootseeking.read', 'staff.handover', 'statistics.read'],
  // Separation of duties (三员分立): three administrators, disjoint powers, no case content.
  sysadmin: ['users.manage', 'settings.manage', 'outbox.read', 'import.mappings'],
  secadmin: ['security.manage', 'roles.approve'],
  auditadmin: ['audit.read', 'audit.export'],
}

let t: TestDatabase
const cookies = new Map<Role, string>()
beforeAll(async () => {
  t = await testDatabase()
  const context = testContext(t.db)
  for (const role of roles) {
    const user = await makeUser(t.db, { roles: [role], username: `perm-${role}` })
    const result = await attemptLogin(t.db, { username: user.username, password: TEST_PASSWORD, ip: null, userAgent: null })
    if (!result.ok) throw new Error('login failed')
    cookies.set(role, await sessionCookie(context.sessionSecret, false).serialize(result.token))
  }
})
afterAll(async () => { await t.destroy() })

async function statusFor(role: Role, permission: Permission): Promise<number> {
  const context = testContext(t.db)
  const request = new Request('http://localhost/x', { headers: { Cookie: cookies.get(role)!.split(';')[0] } })
  try {
    await requireUser(request, context, permission)
    return 200
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status
    throw thrown
  }
}

describe.each(roles)('%s', (role) => {
  test.each(permissions)(`%s`, async (permission) => {
    expect(await statusFor(role, permission)).toBe(expected[role].includes(permission) ? 200 : 403)
  })
})

test('no cookie: redirected to the login page with the way back', async () => {
  const request = new Request('http://localhost/audit?x=1')
  const thrown = await requireUser(request, testContext(t.db), 'audit.read').catch((e) => e)
  expect(thrown).toBeInstanceOf(Response)
  expect(thrown.status).toBe(302)
  expect(thrown.headers.get('Location')).toBe('/login?next=%2Faudit%3Fx%3D1')
})

test('a forged cookie (wrong signature) is no session', async () => {
  const forged = await sessionCookie('another-secret-another-secret-another', false).serialize('abc')
  const request = new Request('http://localhost/', { headers: { Cookie: forged.split(';')[0] } })
  const thrown = await requireUser(request, testContext(t.db), null).catch((e) => e)
  expect(thrown.status).toBe(302)
})

test('a user holding two roles has the union of their permissions', async () => {
  const user = await makeUser(t.db, { roles: ['registrar', 'archivist'] })
  const result = await attemptLogin(t.db, { username: user.username, password: TEST_PASSWORD, ip: null, userAgent: null })
  if (!result.ok) throw new Error('login failed')
  const context = testContext(t.db)
  const cookie = (await sessionCookie(context.sessionSecret, false).serialize(result.token)).split(';')[0]
  const request = new Request('http://localhost/', { headers: { Cookie: cookie } })
  await expect(requireUser(request, context, 'archive.manage')).resolves.toMatchObject({ roles: ['archivist', 'registrar'] })
  await expect(requireUser(request, context, 'case.write')).resolves.toBeTruthy()
  await expect(requireUser(request, context, 'case.approve')).rejects.toHaveProperty('status', 403)
})

test('an administrator of one registry cannot read accounts of another', async () => {
  await ensureRegistry(t.db, '500112', '另一区民政局')
  const other = await makeUser(t.db, { registryCode: '500112' })
  await expect(getUser(t.db, '500111', other.id)).rejects.toBeInstanceOf(NotFoundError)
  await expect(getUser(t.db, '500112', other.id)).resolves.toMatchObject({ username: other.username })
})
