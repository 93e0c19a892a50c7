// Separation of duties (三员分立, decision 026) against real PostgreSQL: each refusal the roles
// bring, through the real guard where it is a permission and through the commands where it is a
// rule; the grant workflow with its database guarantees; password resets by link and by code.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeUser, TEST_PASSWORD } from '#tests/support/factories.ts'
import { attemptLogin } from '#app/platform/auth/login.server.ts'
import { sessionCookie } from '#app/platform/auth/sessions.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { ProcedureError } from '#app/platform/http.server.ts'
import { adminRoles, roles, type Permission, type Role } from '#app/platform/permissions.ts'
import { decideGrant, pendingGrants, unfilledAdminRoles } from '#app/staff/roles.server.ts'
import { createUser, getUser, updateUser } from '#app/staff/users.server.ts'
import { completePasswordReset, issueResetCode, requestPasswordReset } from '#app/staff/password-resets.server.ts'
import { listOutbox } from '#app/staff/outbox.server.ts'
import { enqueueEmail } from '#app/platform/mail.server.ts'
import { down, up } from '#db/migrations/2026-12-07T0101_separation_of_duties.ts'

let t: TestDatabase
type Who = { id: string; username: string; registryCode: string }
let sys: Who, sec1: Who, sec2: Who, audit: Who
const who = (u: { id: string; username: string; registryCode: string }): Who => ({ id: u.id, username: u.username, registryCode: u.registryCode })

beforeAll(async () => {
  t = await testDatabase()
  sys = who(await makeUser(t.db, { roles: ['sysadmin'] }))
  sec1 = who(await makeUser(t.db, { roles: ['secadmin'] }))
  sec2 = who(await makeUser(t.db, { roles: ['secadmin'] }))
  audit = who(await makeUser(t.db, { roles: ['auditadmin'] }))
})
afterAll(async () => { await t.destroy() })

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(() => null, (e) => e)
  expect(error).toBeInstanceOf(ProcedureError)
  return (error as ProcedureError).messageKey
}
const auditRows = (action: string, entityId: string) =>
  t.db.selectFrom('audit_log').select(['actor_id', 'summary']).where('action', '=', action).where('entity_id', '=', entityId).execute()
const rolesOf = async (id: string) => (await getUser(t.db, '500111', id)).roles

describe('the role × permission matrix, through the guard', () => {
  // What the refusals below need: the permission each one turns on, and who holds it.
  const holders: Record<Permission & ('audit.read' | 'audit.export' | 'roles.approve' | 'users.manage' | 'security.manage' | 'settings.manage' | 'case.read' | 'outbox.read'), Role[]> = {
    'audit.read': ['auditadmin'],
    'audit.export': ['auditadmin'],
    'roles.approve': ['secadmin'],
    'security.manage': ['secadmin'],
    'users.manage': ['sysadmin'],
    'settings.manage': ['sysadmin'],
    'outbox.read': ['sysadmin'],
    'case.read': ['registrar', 'archivist', 'supervisor'],
  }
  const cookies = new Map<Role, string>()
  beforeAll(async () => {
    const context = testContext(t.db)
    for (const role of roles) {
      const user = await makeUser(t.db, { roles: [role], username: `sod-${role}` })
      const result = await attemptLogin(t.db, { username: user.username, password: TEST_PASSWORD, ip: null, userAgent: null })
      if (!result.ok) throw new Error('login failed')
      cookies.set(role, (await sessionCookie(context.sessionSecret, false).serialize(result.token)).split(';')[0])
    }
  })
  for (const [permission, allowed] of Object.entries(holders) as [Permission, Role[]][]) {
    test.each(roles)(`${permission}: %s`, async (role) => {
      const request = new Request('http://localhost/x', { headers: { Cookie: cookies.get(role)! } })
      const status = await requireUser(request, testContext(t.db), permission).then(() => 200, (r: Response) => r.status)
      expect(status).toBe(allowed.includes(role) ? 200 : 403)
    })
  }
  test('the three administrator roles share no permission and none reads a case', async () => {
    const { matrix } = await import('#app/platform/permissions.ts')
    const all = adminRoles.flatMap((r) => matrix[r])
    expect(new Set(all).size).toBe(all.length)
    expect(all.filter((p) => /^(case|assessment|archive|followup|rootseeking|import\.run|statistics)/.test(p))).toEqual([])
  })
})

describe('role grants', () => {
  test('nobody changes their own roles: refused with a message, audited, nothing saved', async () => {
    const me = await getUser(t.db, '500111', sys.id)
    const key = await refusal(updateUser(t.db, sys, sys.id, { version: me.version, displayName: 'x', email: null, roles: ['sysadmin', 'supervisor'] }))
    expect(key).toBe('roles.refused.own')
    expect(await rolesOf(sys.id)).toEqual(['sysadmin'])
    expect((await getUser(t.db, '500111', sys.id)).displayName).toBe(me.displayName)
    expect(await pendingGrants(t.db, '500111', sys.id)).toEqual([])
    expect(await auditRows('user.roles_change_refused', sys.id)).toHaveLength(1)
    // A security administrator cannot grant themselves anything either.
    const secRow = await getUser(t.db, '500111', sec1.id)
    expect(await refusal(updateUser(t.db, sec1, sec1.id, { version: secRow.version, displayName: secRow.displayName, email: null, roles: ['supervisor'] }))).toBe('roles.refused.own')
  })

  test('a case role proposed by the system administrator has no effect until a security administrator approves it', async () => {
    const clerk = await makeUser(t.db, { roles: ['registrar'] })
    const row = await getUser(t.db, '500111', clerk.id)
    await updateUser(t.db, sys, clerk.id, { version: row.version, displayName: row.displayName, email: null, roles: ['registrar', 'archivist'] })
    expect(await rolesOf(clerk.id)).toEqual(['registrar'])
    const [grant] = await pendingGrants(t.db, '500111', clerk.id)
    expect(grant).toMatchObject({ role: 'archivist', proposedBy: sys.id, origin: 'proposal' })
    expect(await auditRows('role.proposed', clerk.id)).toHaveLength(1)
    // The grantee cannot approve their own grant.
    expect(await refusal(decideGrant(t.db, who(clerk), grant.id, 'approve'))).toBe('roles.refused.ownAccount')
    await decideGrant(t.db, sec1, grant.id, 'approve')
    expect(await rolesOf(clerk.id)).toEqual(['archivist', 'registrar'])
    expect(await auditRows('role.granted', clerk.id)).toMatchObject([{ actor_id: sec1.id }])
    // Taking a role away needs no second person.
    const again = await getUser(t.db, '500111', clerk.id)
    await updateUser(t.db, sys, clerk.id, { version: again.version, displayName: again.displayName, email: null, roles: ['registrar'] })
    expect(await rolesOf(clerk.id)).toEqual(['registrar'])
  })

  test('a security administrator cannot approve a grant they proposed; another one can', async () => {
    const clerk = await makeUser(t.db, { roles: ['caseworker'] })
    const row = await getUser(t.db, '500111', clerk.id)
    await updateUser(t.db, sec1, clerk.id, { version: row.version, displayName: row.displayName, email: null, roles: ['caseworker', 'supervisor'] })
    const [grant] = await pendingGrants(t.db, '500111', clerk.id)
    expect(await refusal(decideGrant(t.db, sec1, grant.id, 'approve'))).toBe('roles.refused.ownProposal')
    expect(await rolesOf(clerk.id)).toEqual(['caseworker'])
    expect(await auditRows('role.approval_refused', clerk.id)).toMatchObject([{ actor_id: sec1.id }])
    await decideGrant(t.db, sec2, grant.id, 'approve')
    expect(await rolesOf(clerk.id)).toEqual(['caseworker', 'supervisor'])
  })

  test('the database itself refuses an approval by the proposer or the grantee', async () => {
    const clerk = await makeUser(t.db, { roles: ['assessor'] })
    const { id } = await t.db.insertInto('role_grants').values({ registry_code: '500111', user_id: clerk.id, role: 'supervisor', proposed_by: sec1.id }).returning('id').executeTakeFirstOrThrow()
    await expect(sql`update role_grants set state = 'approved', decided_by = ${sec1.id}, decided_at = now() where id = ${id}`.execute(t.db)).rejects.toMatchObject({ constraint: 'role_grants_four_eyes' })
    await expect(sql`update role_grants set state = 'approved', decided_by = ${clerk.id}, decided_at = now() where id = ${id}`.execute(t.db)).rejects.toMatchObject({ constraint: 'role_grants_four_eyes' })
  })

  test('two security administrators approving the same grant at once: one grant, one clear refusal', async () => {
    const clerk = await makeUser(t.db, { roles: ['assessor'] })
    const row = await getUser(t.db, '500111', clerk.id)
    await updateUser(t.db, sys, clerk.id, { version: row.version, displayName: row.displayName, email: null, roles: ['assessor', 'caseworker'] })
    const [grant] = await pendingGrants(t.db, '500111', clerk.id)
    const outcomes = await Promise.allSettled([decideGrant(t.db, sec1, grant.id, 'approve'), decideGrant(t.db, sec2, grant.id, 'approve')])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    const failed = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult
    expect(failed.reason).toBeInstanceOf(ProcedureError)
    expect(failed.reason.messageKey).toBe('roles.refused.decided')
    expect(await rolesOf(clerk.id)).toEqual(['assessor', 'caseworker'])
    expect(await auditRows('role.granted', clerk.id)).toHaveLength(1)
  })

  test('an administrator role is held alone: refused when proposed with a case role, and when approved beside one', async () => {
    const clerk = await makeUser(t.db, { roles: ['registrar'] })
    const row = await getUser(t.db, '500111', clerk.id)
    expect(await refusal(updateUser(t.db, sys, clerk.id, { version: row.version, displayName: row.displayName, email: null, roles: ['registrar', 'auditadmin'] }))).toBe('roles.refused.conflict')
    expect(await pendingGrants(t.db, '500111', clerk.id)).toEqual([])
    // A grant that got in another way (the migration's) is refused at approval, nothing saved.
    const { id } = await t.db.insertInto('role_grants').values({ registry_code: '500111', user_id: clerk.id, role: 'sysadmin', origin: 'migration' }).returning('id').executeTakeFirstOrThrow()
    expect(await refusal(decideGrant(t.db, sec1, id, 'approve'))).toBe('roles.refused.conflict')
    expect(await rolesOf(clerk.id)).toEqual(['registrar'])
    expect((await pendingGrants(t.db, '500111', clerk.id)).map((g) => g.id)).toEqual([id])
    // And the database refuses the pair however it is written.
    await expect(t.db.insertInto('user_roles').values({ user_id: clerk.id, role: 'secadmin' }).execute()).rejects.toMatchObject({ constraint: 'user_roles_separation' })
  })

  test('an account made by the system administrator gets its roles only on approval, and no password anyone knows', async () => {
    const id = await createUser(t.db, sys, { registryCode: '500111', username: 'newhire', displayName: '新人', email: null, password: 'unknowable-password-xyz', roles: ['registrar'], mustChangePassword: false, firstPassword: { mail: false } })
    expect(await rolesOf(id)).toEqual([])
    expect((await pendingGrants(t.db, '500111', id)).map((g) => g.role)).toEqual(['registrar'])
    const reset = await t.db.selectFrom('password_resets').select(['channel', 'state', 'requested_by']).where('user_id', '=', id).executeTakeFirstOrThrow()
    expect(reset).toEqual({ channel: 'code', state: 'pending', requested_by: sys.id })
  })

  test('the console makes the first administrator of each kind directly; later ones wait for approval', async () => {
    await t.db.insertInto('registries').values({ code: '500199', name: '空白区民政局', name_en: '' }).execute()
    expect(await unfilledAdminRoles(t.db, '500199')).toEqual(['sysadmin', 'secadmin', 'auditadmin'])
    const first = await createUser(t.db, null, { registryCode: '500199', username: 'first-sec', displayName: '甲', email: null, password: TEST_PASSWORD, roles: ['secadmin'], mustChangePassword: true })
    expect(await unfilledAdminRoles(t.db, '500199')).toEqual(['sysadmin', 'auditadmin'])
    const second = await createUser(t.db, null, { registryCode: '500199', username: 'second-sec', displayName: '乙', email: null, password: TEST_PASSWORD, roles: [], proposedRoles: ['secadmin'], mustChangePassword: true })
    expect((await getUser(t.db, '500199', first)).roles).toEqual(['secadmin'])
    expect((await getUser(t.db, '500199', second)).roles).toEqual([])
    expect((await pendingGrants(t.db, '500199', second))[0]).toMatchObject({ role: 'secadmin', origin: 'console', proposedBy: null })
    const created = await t.db.selectFrom('audit_log').select('summary').where('action', '=', 'user.created').where('entity_id', '=', first).executeTakeFirstOrThrow()
    expect(created.summary).toMatchObject({ roles: ['secadmin'], proposed: [] })
  })
})

describe('the audit administrator', () => {
  test('exports the filtered log as CSV in their language, and the export is audited', async () => {
    const { exportAuditCsv } = await import('#app/audit/export.server.ts')
    const { parseAuditFilter } = await import('#app/audit/log.server.ts')
    const clerk = await makeUser(t.db, { roles: ['registrar'] })
    const row = await getUser(t.db, '500111', clerk.id)
    await updateUser(t.db, sys, clerk.id, { version: row.version, displayName: row.displayName, email: null, roles: ['registrar', 'caseworker'] })
    const { csv, rows } = await exportAuditCsv(t.db, audit, ['auditadmin'], 'zh', parseAuditFilter(new URLSearchParams({ action: 'role.' })))
    expect(csv.startsWith('\uFEFF')).toBe(true) // Excel reads UTF-8 Chinese with the mark
    const lines = csv.slice(1).trimEnd().split('\r\n')
    expect(lines[0]).toBe('时间,操作人,操作,对象,摘要,理由,IP 地址')
    expect(rows).toBe(lines.length - 1)
    expect(rows).toBeGreaterThan(0)
    expect(lines.slice(1).every((l) => /提议授予角色|批准授予角色|拒绝|撤回/.test(l))).toBe(true)
    expect(await t.db.selectFrom('audit_log').select('summary').where('action', '=', 'audit.exported').where('actor_id', '=', audit.id).execute()).toEqual([{ summary: { rows } }])
  })
})

describe('the outbox', () => {
  test('shows the system administrator recipients, subjects and dates, never the bodies', async () => {
    await enqueueEmail(t.db, { registryCode: '500111', to: 'family@example.test', subject: '回访通知', text: '孩子的健康情况：……' })
    await t.db.insertInto('mail_outbox').values({ message_id: '<x@test>', registry_code: '500111', to_address: 'family@example.test', subject: '回访通知', body_text: '孩子的健康情况：……' }).execute()
    const { rows } = await listOutbox(t.db, '500111')
    expect(rows[0]).toMatchObject({ toAddress: 'family@example.test', subject: '回访通知' })
    expect(JSON.stringify(rows)).not.toContain('健康情况')
  })
})

describe('password resets', () => {
  async function codeReset(userId: string) {
    await requestPasswordReset(t.db, sys, userId, { mail: false })
    return t.db.selectFrom('password_resets').select('id').where('user_id', '=', userId).where('state', '=', 'pending').executeTakeFirstOrThrow()
  }

  test('the code is released by a security administrator who did not ask for the reset, and only sets a password', async () => {
    const user = await makeUser(t.db, { roles: ['registrar'] })
    const { id } = await codeReset(user.id)
    // Whoever asked for the reset cannot release its code (the database refuses it too).
    expect(await refusal(issueResetCode(t.db, sys, id))).toBe('resets.refused.ownRequest')
    expect(await auditRows('user.password_reset_refused', user.id)).toHaveLength(1)
    const { code, minutes } = await issueResetCode(t.db, sec1, id)
    expect(minutes).toBe(15)
    const stored = await t.db.selectFrom('password_resets').select(['secret_hash', 'issued_by', 'expires_at']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(stored.secret_hash).not.toContain(code)
    expect(stored.issued_by).toBe(sec1.id)
    // The code is no password.
    expect((await attemptLogin(t.db, { username: user.username, password: code, ip: null, userAgent: null })).ok).toBe(false)
    expect(await refusal(completePasswordReset(t.db, { username: user.username, code: 'WRONGCODE1' }, 'a-brand-new-password-1', null))).toBe('resets.refused.wrongCode')
    await completePasswordReset(t.db, { username: user.username, code }, 'a-brand-new-password-1', null)
    expect((await attemptLogin(t.db, { username: user.username, password: 'a-brand-new-password-1', ip: null, userAgent: null })).ok).toBe(true)
    expect(await refusal(completePasswordReset(t.db, { username: user.username, code }, 'another-new-password-2', null))).toBe('resets.refused.used')
    expect(await auditRows('user.password_reset_completed', user.id)).toHaveLength(1)
    expect(await auditRows('auth.password_reset_failed', user.id)).toHaveLength(2)
  })

  test('an expired code is refused, and so is every code after five wrong tries', async () => {
    const user = await makeUser(t.db, { roles: ['registrar'] })
    const { id } = await codeReset(user.id)
    const { code } = await issueResetCode(t.db, sec2, id)
    await t.db.updateTable('password_resets').set({ expires_at: sql`now() - interval '1 second'` }).where('id', '=', id).execute()
    expect(await refusal(completePasswordReset(t.db, { username: user.username, code }, 'a-brand-new-password-1', null))).toBe('resets.refused.expired')
    const { code: fresh } = await issueResetCode(t.db, sec2, id)
    for (let i = 0; i < 5; i++) {
      expect(await refusal(completePasswordReset(t.db, { username: user.username, code: `BAD${i}BAD${i}BA` }, 'a-brand-new-password-1', null))).toBe('resets.refused.wrongCode')
    }
    expect(await refusal(completePasswordReset(t.db, { username: user.username, code: fresh }, 'a-brand-new-password-1', null))).toBe('resets.refused.closed')
    expect((await attemptLogin(t.db, { username: user.username, password: TEST_PASSWORD, ip: null, userAgent: null })).ok).toBe(true)
  })

  test('a link works once and for 15 minutes; an unknown link is refused', async () => {
    const { issueResetLink } = await import('#app/staff/password-resets.server.ts')
    const user = await makeUser(t.db, { roles: ['registrar'], email: 'link@example.test' })
    await requestPasswordReset(t.db, sys, user.id, { mail: true })
    const reset = await t.db.selectFrom('password_resets').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow()
    const message = await issueResetLink(t.db, reset.id, 'https://registry.example.test')
    const token = /token=([A-Za-z0-9_-]+)/.exec(message!.text)![1]
    expect(await refusal(completePasswordReset(t.db, { token: `${token}x` }, 'a-brand-new-password-1', null))).toBe('resets.refused.unknownLink')
    await t.db.updateTable('password_resets').set({ expires_at: sql`now() - interval '1 second'` }).where('id', '=', reset.id).execute()
    expect(await refusal(completePasswordReset(t.db, { token }, 'a-brand-new-password-1', null))).toBe('resets.refused.expired')
    await t.db.updateTable('password_resets').set({ expires_at: sql`now() + interval '15 minutes'` }).where('id', '=', reset.id).execute()
    // Two uses racing: one sets the password, the other is refused.
    const outcomes = await Promise.allSettled([
      completePasswordReset(t.db, { token }, 'a-brand-new-password-1', null),
      completePasswordReset(t.db, { token }, 'a-brand-new-password-2', null),
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    expect(await refusal(completePasswordReset(t.db, { token }, 'a-brand-new-password-3', null))).toBe('resets.refused.used')
  })
})

describe('the migration', () => {
  test("existing administrators become system administrators; one that also held a case role keeps it and waits (run as the schema owner, like a migration)", async () => {
    const own = await testDatabase()
    try {
      await down(own.owner)
      await own.owner.insertInto('registries').values({ code: '500111', name: '大足', name_en: '' }).onConflict((oc) => oc.doNothing()).execute()
      const ids: string[] = []
      for (const name of ['old-admin', 'admin-registrar']) {
        const { id } = await own.owner.insertInto('users').values({ registry_code: '500111', username: name, display_name: name, email: null, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
        ids.push(id)
      }
      await sql`insert into user_roles (user_id, role) values (${ids[0]}, 'admin'), (${ids[1]}, 'admin'), (${ids[1]}, 'registrar')`.execute(own.owner)
      await sql`insert into settings (registry_code, key, value) values ('500111', 'totp_required_roles', '["admin", "supervisor"]'::jsonb) on conflict (registry_code, key) do update set value = excluded.value`.execute(own.owner)
      await up(own.owner)
      // Read as stored at this migration (settings gain their registry later, decision 030).
      const { settingValue } = await import('#app/platform/settings.server.ts')
      const stored = await sql<{ value: unknown }>`select value from settings where key = 'totp_required_roles'`.execute(own.owner)
      expect(settingValue('totp_required_roles', stored.rows[0]?.value).sort()).toEqual(['auditadmin', 'secadmin', 'supervisor', 'sysadmin'])
      expect((await getUser(own.owner, '500111', ids[0])).roles).toEqual(['sysadmin'])
      expect((await getUser(own.owner, '500111', ids[1])).roles).toEqual(['registrar'])
      expect(await pendingGrants(own.owner, '500111', ids[1])).toMatchObject([{ role: 'sysadmin', origin: 'migration', proposedBy: null }])
      await expect(sql`insert into user_roles (user_id, role) values (${ids[0]}, 'admin')`.execute(own.owner)).rejects.toMatchObject({ code: '23514' })
    } finally {
      await own.destroy()
    }
  })
})

// The refusals of approving one's own import batch and one's own identity correction are tested
// with those workflows (their own approval steps), not here.
