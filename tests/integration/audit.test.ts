// The audit log is append-only, enforced by the database itself.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeUser } from '#tests/support/factories.ts'
import { audit } from '#app/platform/audit.server.ts'
import { listAudit } from '#app/audit/log.server.ts'

let t: TestDatabase
beforeAll(async () => { t = await testDatabase() })
afterAll(async () => { await t.destroy() })

test('UPDATE, DELETE and TRUNCATE on the audit log are refused by the database', async () => {
  const user = await makeUser(t.db)
  await audit(t.db, { actor: { id: user.id, username: user.username, registryCode: user.registryCode }, action: 'test.event', summary: { a: 1 } })
  // The app's role may not even ask (decision 029)…
  await expect(sql`update audit_log set action = 'rewritten'`.execute(t.db)).rejects.toThrow(/permission denied/)
  await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow(/permission denied/)
  await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/permission denied/)
  // …and the table's own triggers refuse the owner too, unless it disables them first.
  await expect(sql`update audit_log set action = 'rewritten'`.execute(t.owner)).rejects.toThrow(/append-only/)
  await expect(sql`delete from audit_log`.execute(t.owner)).rejects.toThrow(/append-only/)
  await expect(sql`truncate audit_log`.execute(t.owner)).rejects.toThrow(/append-only/)
  const rows = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'test.event').execute()
  expect(rows).toHaveLength(1)
})

test('an audit row written in a rolled-back transaction disappears with the change', async () => {
  const user = await makeUser(t.db)
  await expect(
    t.db.transaction().execute(async (trx) => {
      await audit(trx, { actor: null, registryCode: user.registryCode, action: 'test.rolled_back' })
      throw new Error('abort')
    }),
  ).rejects.toThrow('abort')
  const rows = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'test.rolled_back').execute()
  expect(rows).toHaveLength(0)
})

test('browsing is scoped to the registry and pages by key', async () => {
  await makeUser(t.db, { registryCode: '500111' })
  const { ensureRegistry } = await import('#app/staff/users.server.ts')
  await ensureRegistry(t.db, '500112', '重庆市某区民政局')
  for (let i = 0; i < 60; i++) await audit(t.db, { actor: null, registryCode: '500112', action: 'test.other_registry', summary: { i } })
  const mine = await listAudit(t.db, '500111', {} as never)
  expect(mine.rows.every((r) => r.action !== 'test.other_registry')).toBe(true)
  const first = await listAudit(t.db, '500112', {} as never)
  expect(first.rows).toHaveLength(50)
  expect(first.nextBefore).not.toBeNull()
  const second = await listAudit(t.db, '500112', { before: first.nextBefore! } as never)
  expect(second.rows).toHaveLength(10)
  expect(second.nextBefore).toBeNull()
  const ids = [...first.rows, ...second.rows].map((r) => Number(r.id))
  expect(new Set(ids).size).toBe(60)
})

test('the page reads a row in the reader\'s language: the person\'s name now, the record named and linked for who may open it', async () => {
  const { parseAuditFilter } = await import('#app/audit/log.server.ts')
  const { presentAuditRows } = await import('#app/audit/present.server.ts')
  const user = await makeUser(t.db, { registryCode: '500111' })
  const actor = { id: user.id, username: user.username, registryCode: '500111' }
  await audit(t.db, { actor, action: 'application.ids_revealed', entityType: 'application', entityId: '4242', reason: '核对公安回函' })
  await audit(t.db, { actor, action: 'followup.contacts_viewed', entityType: 'application', summary: { applications: ['8', '10'], count: 2 } })
  // The login name is recorded at the time; the name shown is today's, from users (the log is never rewritten).
  await t.db.updateTable('users').set({ display_name: '改名后的姓名' }).where('id', '=', user.id).execute()

  const byId = await listAudit(t.db, '500111', parseAuditFilter(new URLSearchParams({ entityType: 'application', entityId: '4242' })))
  expect(byId.rows.map((r) => r.action)).toEqual(['application.ids_revealed'])
  // The old typed filter still works.
  const legacy = await listAudit(t.db, '500111', parseAuditFilter(new URLSearchParams({ entity: 'application:4242' })))
  expect(legacy.rows.map((r) => r.action)).toEqual(['application.ids_revealed'])
  // The actor filter takes the login name or the person's name.
  const byName = await listAudit(t.db, '500111', parseAuditFilter(new URLSearchParams({ actor: '改名后的姓名' })))
  expect(byName.rows.length).toBe(2)

  const [zhRevealed] = presentAuditRows('zh', ['registrar'], byId.rows)
  expect(zhRevealed.actor).toEqual({ name: '改名后的姓名', hint: `登录名 ${user.username}` })
  expect(zhRevealed.entity).toEqual({ label: '收养登记申请 4242', href: '/applications/4242' })
  expect(zhRevealed.reason).toBe('核对公安回函')
  const [enRevealed] = presentAuditRows('en', ['auditadmin'], byId.rows)
  expect(enRevealed.entity).toEqual({ label: 'Application 4242', href: null }) // an administrator does not open cases
  const [contacts] = presentAuditRows('en', ['supervisor'], byName.rows.filter((r) => r.action === 'followup.contacts_viewed'))
  expect(contacts.entity).toEqual({ label: 'Application', href: null }) // no id: the type alone
  expect(contacts.summary.map((e) => `${e.label}: ${e.value}`)).toEqual(['Count: 2', 'Applications: 8, 10']) // the short values first
})
