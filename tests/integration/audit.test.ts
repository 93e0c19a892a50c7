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
  await expect(sql`update audit_log set action = 'rewritten'`.execute(t.db)).rejects.toThrow(/append-only/)
  await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow(/append-only/)
  await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only/)
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
