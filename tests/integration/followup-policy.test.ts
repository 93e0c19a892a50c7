// Policy versions and the replan of existing registrations: the preview says per case which open
// dates go and which come; applying cancels open visits due after today ('policy_change') and plans
// the new policy's visits due after today with sequences after the highest, in one transaction
// with an audit row; done visits and those due today or before are untouched.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegisteredAdoption, makeViewer } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { ConflictError } from '#app/platform/http.server.ts'
import { applyReplan, policyHistory, previewReplan, publishPolicy } from '#app/followup/policies.server.ts'
import { assignTasks } from '#app/followup/assign.server.ts'
import { saveReport } from '#app/followup/reports.server.ts'
import { policyFormSchema } from '#app/followup/policy-form.ts'
import { DEFAULT_POLICY } from '#app/followup/policy.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer, admin: Viewer, caseworker: Viewer
beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  admin = await makeViewer(t.db, 'sysadmin')
  caseworker = await makeViewer(t.db, 'caseworker')
})
afterAll(async () => { await t.destroy() })

const tasksOf = (id: string) => t.db.selectFrom('followup_tasks').select(['sequence', 'due_on', 'status', 'cancel_reason', 'policy_version', 'caseworker_id'])
  .where('application_id', '=', id).orderBy('sequence').execute()

test('the form refuses bad rules next to their fields', () => {
  const bad = policyFormSchema.safeParse({ visitsAfterMonths: '6, 3', untilAge: '19', windowDays: '14' })
  expect(bad.success).toBe(false)
  const fields = Object.fromEntries(bad.error!.issues.map((i) => [i.path[0], i.message]))
  expect(fields.untilAge).toBe('followup.policy.range|min=1|max=18')
  const order = policyFormSchema.safeParse({ visitsAfterMonths: '6, 3', untilAge: '18', windowDays: '14' })
  expect(order.error!.issues.map((i) => [i.path[0], i.message])).toEqual([['visitsAfterMonths', 'followup.policy.monthsIncreasing']])
  expect(policyFormSchema.safeParse({ visitsAfterMonths: '1，3、6 12', untilAge: '18', windowDays: '14' }).success).toBe(true)
})

test('publish, preview, apply: only future open visits change; done ones stay; new sequences follow', async () => {
  const a = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  const b = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  const aTasks = await t.db.selectFrom('followup_tasks').select(['id', 'version']).where('application_id', '=', a).orderBy('sequence').execute()
  await assignTasks(t.db, supervisor, aTasks, caseworker.id)
  // Case a: the first visit (due 2026-12-28) is done on 2026-12-29.
  await saveReport(t.db, cipher, caseworker, aTasks[0].id, {
    visitedOn: '2026-12-29', met: '一家三口', dailyCare: '好', health: '好', schooling: '未入学', bonding: '亲密', supportNeeds: [], concernLevel: 'none',
  }, { submit: true, today: '2026-12-29' })
  const before = await tasksOf(a)

  const version = await publishPolicy(t.db, admin, { ...DEFAULT_POLICY, visitsAfterMonths: [2, 4], thenEveryMonths: 24 }, '省级规定（测试）', null)
  expect(version).toBe(1)
  await expect(publishPolicy(t.db, admin, DEFAULT_POLICY, '', null)).rejects.toBeInstanceOf(ConflictError) // based on a stale version
  expect((await policyHistory(t.db, '500111')).map((h) => h.version)).toEqual([1])
  // Publishing changed nothing on existing registrations.
  expect(await tasksOf(a)).toEqual(before)

  const today = '2027-01-10'
  const preview = await previewReplan(t.db, admin, today)
  expect(preview.policyVersion).toBe(1)
  expect(preview.total).toBe(2)
  const pa = preview.cases.find((c) => c.applicationId === a)!
  // Goes: every open visit due after today (not the one done); comes: the new plan after today.
  expect(pa.goes[0]).toBe('2027-02-28')
  expect(pa.goes).not.toContain('2026-12-28')
  expect(pa.comes.slice(0, 3).map((c) => c.dueOn)).toEqual(['2027-01-28', '2027-03-28', '2029-03-28'])
  expect(pa.comes[0].sequence).toBe(before.length + 1)
  const pb = preview.cases.find((c) => c.applicationId === b)!
  expect(pb.goes[0]).toBe('2027-02-28') // b's first visit (12-28, window to 01-11) is due before today: stays open, untouched
  expect(pb.goes).not.toContain('2026-12-28')

  const unchanged = await tasksOf(a)
  expect(unchanged).toEqual(before) // preview writes nothing
  await expect(applyReplan(t.db, admin, null, today)).rejects.toBeInstanceOf(ConflictError)
  const applied = await applyReplan(t.db, admin, 1, today)
  expect(applied).toEqual({ cases: 2, cancelled: preview.cancelled, created: preview.created })

  const after = await tasksOf(a)
  expect(after.find((x) => x.sequence === 1)).toMatchObject({ status: 'done', cancel_reason: null })
  expect(after.filter((x) => x.status === 'cancelled').every((x) => x.cancel_reason === 'policy_change' && x.due_on > today)).toBe(true)
  const open = after.filter((x) => x.status === 'open')
  expect(open.map((x) => x.due_on)).toEqual(pa.comes.map((c) => c.dueOn))
  expect(open.every((x) => x.policy_version === 1 && x.caseworker_id === caseworker.id)).toBe(true)
  const bAfter = await tasksOf(b)
  expect(bAfter.find((x) => x.sequence === 1)).toMatchObject({ status: 'open', due_on: '2026-12-28' })
  const audit = await t.db.selectFrom('audit_log').select(['summary']).where('action', '=', 'followup.policy_applied').execute()
  expect(audit).toHaveLength(1)
  // Applying again changes nothing more.
  expect((await previewReplan(t.db, admin, today)).total).toBe(0)
})
