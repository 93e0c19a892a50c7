// Who may read a follow-up task, its reports, photos, visit record and family, against real
// PostgreSQL (docs/decisions/023-followup-task-access.md): a supervisor every task of the registry;
// the assigned caseworker theirs (a hand-over moves the access with the task); anyone else only if
// they may read the application (the registration's secrecy check). Everyone else: not found, and
// the refused read of an existing task is audited.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegisteredAdoption, makeViewer } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { loadApplication, type Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { ForbiddenError, NotFoundError } from '#app/platform/http.server.ts'
import { loadTask, photoBytes, reportContext, reviewQueue, saveReport, type ReportInput } from '#app/followup/reports.server.ts'
import { assignTasks, listTasks } from '#app/followup/assign.server.ts'
import { myVisits } from '#app/followup/visits.server.ts'
import { visitRecordPdf } from '#app/followup/record.server.ts'
import { handOver, openWork } from '#app/staff/handover.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, otherRegistrar: Viewer, supervisor: Viewer, caseworker: Viewer, caseworker2: Viewer, foreignSupervisor: Viewer
beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  await ensureRegistry(t.db, '500112', '重庆市璧山区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  otherRegistrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  caseworker = await makeViewer(t.db, 'caseworker')
  caseworker2 = await makeViewer(t.db, 'caseworker')
  foreignSupervisor = await makeViewer(t.db, 'supervisor', '500112')
})
afterAll(async () => { await t.destroy() })

const ON = '2026-12-22'
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])
const good: ReportInput = {
  visitedOn: '2026-12-20', met: '收养人夫妇、孩子', dailyCare: '作息规律，照料细致。', health: '健康。', schooling: '在家，明年入园。',
  bonding: '与父母亲密。', supportNeeds: [], concernLevel: 'none',
}

/** A registered adoption whose first visit is assigned to `to`. */
async function firstVisit(to: Viewer, overrides: Parameters<typeof makeRegisteredAdoption>[4] = {}) {
  const app = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor, overrides)
  const task = await t.db.selectFrom('followup_tasks').select(['id', 'version']).where('application_id', '=', app).where('sequence', '=', 1).executeTakeFirstOrThrow()
  await assignTasks(t.db, supervisor, [task], to.id)
  return { app, taskId: task.id }
}

/** What a read gives: 'ok', 'not found' or the error itself (anything else fails the test). */
async function outcome(p: Promise<unknown>) {
  try { await p; return 'ok' } catch (e) { if (e instanceof NotFoundError) return 'not found'; throw e }
}

const refusals = async (taskId: string, actor: Viewer) =>
  (await t.db.selectFrom('audit_log').select('summary').where('action', '=', 'followup.access_refused').where('entity_id', '=', taskId).where('actor_id', '=', actor.id).execute()).length

describe('one task, its photo and its visit record', () => {
  let taskId: string, photoId: string
  beforeAll(async () => {
    ;({ taskId } = await firstVisit(caseworker))
    await saveReport(t.db, cipher, caseworker, taskId, { ...good, photos: [png] }, { submit: true, today: ON })
    photoId = (await t.db.selectFrom('visit_report_photos as p').innerJoin('visit_reports as r', 'r.id', 'p.report_id').select('p.id').where('r.task_id', '=', taskId).executeTakeFirstOrThrow()).id
  })

  test('an unassigned caseworker gets not-found for the task, its photo and its PDF; the refusal is audited', async () => {
    expect(await outcome(loadTask(t.db, cipher, caseworker2, taskId))).toBe('not found')
    expect(await outcome(photoBytes(t.db, cipher, caseworker2, photoId))).toBe('not found')
    expect(await outcome(visitRecordPdf(t.db, cipher, caseworker2, taskId))).toBe('not found')
    expect(await outcome(reportContext(t.db, caseworker2, taskId))).toBe('not found')
    expect(await refusals(taskId, caseworker2)).toBe(4)
    // Nothing was read: no task_viewed / photo_viewed row for them.
    const viewed = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', taskId).where('actor_id', '=', caseworker2.id)
      .where('action', 'in', ['followup.task_viewed', 'followup.photo_viewed']).execute()
    expect(viewed).toEqual([])
  })

  test('the assigned caseworker and a supervisor read all three; each read is audited', async () => {
    for (const who of [caseworker, supervisor]) {
      const loaded = await loadTask(t.db, cipher, who, taskId)
      expect(loaded.reports[0].health).toBe('健康。')
      expect((await photoBytes(t.db, cipher, who, photoId)).contentType).toBe('image/png')
      expect((await visitRecordPdf(t.db, cipher, who, taskId)).byteLength).toBeGreaterThan(1000)
      const actions = (await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', taskId).where('actor_id', '=', who.id).execute()).map((a) => a.action)
      expect(actions).toEqual(expect.arrayContaining(['followup.task_viewed', 'followup.photo_viewed']))
      expect(await refusals(taskId, who)).toBe(0)
    }
  })

  test('a supervisor of another registry gets not-found, and no refusal row names a task they cannot know of', async () => {
    expect(await outcome(loadTask(t.db, cipher, foreignSupervisor, taskId))).toBe('not found')
    expect(await outcome(photoBytes(t.db, cipher, foreignSupervisor, photoId))).toBe('not found')
    expect(await refusals(taskId, foreignSupervisor)).toBe(0)
  })
})

describe('secrecy (收养秘密): the task is read as the application is', () => {
  test('a registrar who cannot open a secrecy application cannot read its task; the registrar on the case can', async () => {
    const { app, taskId } = await firstVisit(caseworker, { secrecy: true, secrecyRequestedBy: 'both' })
    // The registration's own check: the other registrar does not see the application.
    expect(await outcome(loadApplication(t.db, cipher, otherRegistrar, app))).toBe('not found')
    expect(await outcome(loadTask(t.db, cipher, otherRegistrar, taskId))).toBe('not found')
    expect(await outcome(visitRecordPdf(t.db, cipher, otherRegistrar, taskId))).toBe('not found')
    expect(await refusals(taskId, otherRegistrar)).toBe(2)
    // The registrar of the case, the assigned caseworker (no case.read at all) and a supervisor do.
    expect((await loadTask(t.db, cipher, registrar, taskId)).family.adopters.length).toBeGreaterThan(0)
    expect(await outcome(loadTask(t.db, cipher, caseworker, taskId))).toBe('ok')
    expect(await outcome(loadTask(t.db, cipher, supervisor, taskId))).toBe('ok')
    // Another caseworker does not, secrecy or not.
    expect(await outcome(loadTask(t.db, cipher, caseworker2, taskId))).toBe('not found')
  })

  test('a registrar reads the task of an application without secrecy, as they read the application', async () => {
    const { app, taskId } = await firstVisit(caseworker)
    expect(await outcome(loadApplication(t.db, cipher, otherRegistrar, app))).toBe('ok')
    expect(await outcome(loadTask(t.db, cipher, otherRegistrar, taskId))).toBe('ok')
  })
})

describe('hand-over', () => {
  test('the access moves with the task: the receiver reads it, the one who left no longer does', async () => {
    const leaver = await makeViewer(t.db, 'caseworker')
    const receiver = await makeViewer(t.db, 'caseworker')
    const { taskId } = await firstVisit(leaver)
    expect(await outcome(loadTask(t.db, cipher, leaver, taskId))).toBe('ok')
    expect(await outcome(loadTask(t.db, cipher, receiver, taskId))).toBe('not found')
    const counts = await openWork(t.db, leaver.id)
    await handOver(t.db, supervisor, {
      fromUserId: leaver.id, reason: '调岗',
      receivers: Object.fromEntries(counts.map((c) => [c.kind, receiver.id])),
      expected: Object.fromEntries(counts.map((c) => [c.kind, c.count])),
    })
    expect(await outcome(loadTask(t.db, cipher, receiver, taskId))).toBe('ok')
    expect(await outcome(loadTask(t.db, cipher, leaver, taskId))).toBe('not found')
  })
})

describe('lists show a non-supervisor only what they may open', () => {
  test('My visits holds only the viewer\'s own tasks; the task list and the review queue are the supervisor\'s', async () => {
    const { taskId } = await firstVisit(caseworker)
    const mine = await myVisits(t.db, cipher, caseworker2, '2026-12-22', { view: 'calendar', month: '2026-12' })
    expect(mine.calendar.map((c) => c.id)).not.toContain(taskId)
    const theirs = await myVisits(t.db, cipher, caseworker, '2026-12-22', { view: 'calendar', month: '2026-12' })
    expect(theirs.calendar.map((c) => c.id)).toContain(taskId)
    for (const who of [caseworker2, otherRegistrar]) {
      await expect(listTasks(t.db, who, {}, '2026-12-22')).rejects.toBeInstanceOf(ForbiddenError)
      await expect(reviewQueue(t.db, who)).rejects.toBeInstanceOf(ForbiddenError)
    }
  })
})
