// The registry's settings page: every setting read back as saved, the change audited, out-of-range
// values refused by the schema (the page shows them next to the field) and by the database.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeViewer } from '#tests/support/applications.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { registrySettings, updateRegistrySettings } from '#app/registration/registry.server.ts'
import { registrySettingsSchema } from '#app/registration/schemas.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
})
afterAll(async () => { await t.destroy() })

test('settings round-trip, the follow-up escalation threshold included; the change is audited', async () => {
  const admin = await makeViewer(t.db, 'sysadmin')
  const before = await registrySettings(t.db, '500111')
  expect(before.followupEscalationDays).toBe(14)
  await updateRegistrySettings(t.db, admin, { ...before, followupEscalationDays: 21, archiveTransferYears: 12 })
  const after = await registrySettings(t.db, '500111')
  expect(after).toEqual({ ...before, followupEscalationDays: 21, archiveTransferYears: 12 })
  const row = await t.db.selectFrom('audit_log').select('summary').where('action', '=', 'registry.settings_changed').executeTakeFirstOrThrow()
  expect(row.summary).toEqual({ followupEscalationDays: [14, 21], archiveTransferYears: [10, 12] })
})

test('out-of-range values are refused by the form schema and by the database', async () => {
  const settings = await registrySettings(t.db, '500111')
  const parsed = registrySettingsSchema.safeParse({ ...settings, followupEscalationDays: '0' })
  expect(parsed.success).toBe(false)
  expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('followupEscalationDays')
  await expect(t.db.updateTable('registries').set({ followup_escalation_days: 400 }).where('code', '=', '500111').execute()).rejects.toMatchObject({ code: '23514' })
})
