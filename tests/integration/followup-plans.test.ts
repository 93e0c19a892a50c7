// Visit plans against real PostgreSQL: made in the registering transaction under the registry's
// current policy version, cancelled with the reason on dissolution and revocation.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { currentVersion, makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { registerDissolution, revoke } from '#app/registration/decisions.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { DEFAULT_POLICY } from '#app/followup/policy.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer
let supervisor: Viewer
beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
})
afterAll(async () => { await t.destroy() })

const tasksOf = (id: string) => t.db.selectFrom('followup_tasks')
  .select(['kind', 'sequence', 'policy_version', 'due_on', 'window_from', 'window_to', 'status', 'cancel_reason'])
  .where('application_id', '=', id).orderBy('sequence').execute()

describe('plans at registration', () => {
  test('registering creates the visit tasks under the built-in default policy', async () => {
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    const tasks = await tasksOf(id)
    expect(tasks.slice(0, 4)).toEqual([
      { kind: 'visit', sequence: 1, policy_version: null, due_on: '2026-12-28', window_from: '2026-12-14', window_to: '2027-01-11', status: 'open', cancel_reason: null },
      { kind: 'visit', sequence: 2, policy_version: null, due_on: '2027-02-28', window_from: '2027-02-14', window_to: '2027-03-14', status: 'open', cancel_reason: null },
      { kind: 'visit', sequence: 3, policy_version: null, due_on: '2027-05-28', window_from: '2027-05-14', window_to: '2027-06-11', status: 'open', cancel_reason: null },
      { kind: 'visit', sequence: 4, policy_version: null, due_on: '2027-11-28', window_from: '2027-11-14', window_to: '2027-12-12', status: 'open', cancel_reason: null },
    ])
    expect(tasks.at(-1)!.due_on).toBe('2040-11-28') // the child (born 2023-05-20) turns 18 in 2041
  })

  test('a published policy version applies to the next registration and is recorded on its tasks', async () => {
    await t.db.insertInto('followup_policies').values({
      registry_code: '500111', version: 1, note: '省级规定', rules: JSON.stringify({ ...DEFAULT_POLICY, visitsAfterMonths: [2], thenEveryMonths: null }),
    }).execute()
    try {
      const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
      expect(await tasksOf(id)).toEqual([
        { kind: 'visit', sequence: 1, policy_version: 1, due_on: '2027-01-28', window_from: '2027-01-14', window_to: '2027-02-11', status: 'open', cancel_reason: null },
      ])
    } finally {
      await t.db.deleteFrom('followup_policies').execute()
    }
  })

  test('the database refuses a task outside its window or a cancelled task without reason', async () => {
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    await expect(t.db.insertInto('followup_tasks').values({
      registry_code: '500111', application_id: id, kind: 'visit', sequence: 99, due_on: '2027-01-01', window_from: '2027-01-02', window_to: '2027-01-10',
    }).execute()).rejects.toMatchObject({ code: '23514' })
    await expect(t.db.updateTable('followup_tasks').set({ status: 'cancelled', closed_at: new Date() }).where('application_id', '=', id).execute())
      .rejects.toMatchObject({ code: '23514' })
  })
})

describe('cancellation when the adoption ends', () => {
  test('a dissolution cancels every open task with that reason and keeps the done ones', async () => {
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    await t.db.updateTable('followup_tasks').set({ status: 'done', closed_at: new Date() }).where('application_id', '=', id).where('sequence', '=', 1).execute()
    await registerDissolution(t.db, cipher, registrar, id, await currentVersion(t.db, id), { agreementOn: TODAY, childConsents: null, certificateReturned: true }, TODAY)
    const tasks = await tasksOf(id)
    expect(tasks[0]).toMatchObject({ status: 'done', cancel_reason: null })
    expect(tasks.slice(1).every((task) => task.status === 'cancelled' && task.cancel_reason === 'dissolution')).toBe(true)
  })

  test('a revocation cancels the open tasks with that reason', async () => {
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    await revoke(t.db, registrar, id, await currentVersion(t.db, id), { reason: '以欺诈手段登记', certificateConfiscated: true }, TODAY)
    const tasks = await tasksOf(id)
    expect(tasks.length).toBeGreaterThan(0)
    expect(tasks.every((task) => task.status === 'cancelled' && task.cancel_reason === 'revocation')).toBe(true)
  })
})
