// Visit reports against real PostgreSQL: the rules (future date, outside the window without a
// reason, a concern without details, a serious concern without its mandatory report — refused,
// nothing saved), the serious-concern alert (mail to every active supervisor in the saving
// transaction, on the dashboard until reviewed), signing, review → read-only (trigger), correction
// as a new version; assignment validation and bulk; My visits.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { makeUser } from '#tests/support/factories.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { ConflictError, ForbiddenError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { loadTask, reviewReport, reviewQueue, saveReport, type ReportInput } from '#app/followup/reports.server.ts'
import { assignTasks, listTasks } from '#app/followup/assign.server.ts'
import { followupDashboard, myVisits } from '#app/followup/visits.server.ts'
import { visitRecordPdf } from '#app/followup/record.server.ts'
import { reportSchema } from '#app/followup/report-rules.ts'
import { expectCleanInTools, pdftotext, squash, writeTemp } from '#documents/pdf-checks.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer, caseworker: Viewer, caseworker2: Viewer
let supervisorMail: string
beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  const s = await makeUser(t.db, { roles: ['supervisor'], email: 'chief@example.test' })
  supervisor = { id: s.id, username: s.username, registryCode: '500111', roles: ['supervisor'] }
  supervisorMail = 'chief@example.test'
  await makeUser(t.db, { roles: ['supervisor'], email: 'deputy@example.test' })
  const inactive = await makeUser(t.db, { roles: ['supervisor'], email: 'gone@example.test' })
  await t.db.updateTable('users').set({ active: false }).where('id', '=', inactive.id).execute()
  caseworker = await makeViewer(t.db, 'caseworker')
  caseworker2 = await makeViewer(t.db, 'caseworker')
})
afterAll(async () => { await t.destroy() })

const good: ReportInput = {
  visitedOn: '2026-12-20', met: '收养人夫妇、孩子', dailyCare: '作息规律，照料细致。', health: '健康。', schooling: '在家，明年入园。',
  bonding: '与父母亲密。', supportNeeds: [], concernLevel: 'none',
}

/** A registered adoption whose first visit (due 2026-12-28, window 12-14 … 2027-01-11) is assigned to `to`. */
async function firstVisit(to: Viewer = caseworker) {
  const app = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  const task = await t.db.selectFrom('followup_tasks').select(['id', 'version']).where('application_id', '=', app).where('sequence', '=', 1).executeTakeFirstOrThrow()
  await assignTasks(t.db, supervisor, [task], to.id)
  return { app, taskId: task.id }
}

const mails = async () => (await sql<{ payload: { to: string; subject: string; text: string } }>`select payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'send_email'`.execute(t.db)).rows.map((r) => r.payload)
const reportsOf = (taskId: string) => t.db.selectFrom('visit_reports').selectAll().where('task_id', '=', taskId).orderBy('version').execute()
const refusal = async (p: Promise<unknown>) => { try { await p } catch (e) { if (e instanceof ProcedureError) return e.messageKey; throw e } return null }

describe('the report rules', () => {
  const ON = '2026-12-22'
  test('refused, nothing saved: a future date, outside the window without a reason, a concern without details, support without referral', async () => {
    const { taskId } = await firstVisit()
    const save = (input: Partial<ReportInput>, submit = false) => saveReport(t.db, cipher, caseworker, taskId, { ...good, ...input }, { submit, today: ON })
    expect(await refusal(save({ visitedOn: '2026-12-23' }))).toBe('followup.report.futureDate')
    expect(await refusal(save({ visitedOn: '2026-12-10' }))).toBe('followup.report.outsideWindow')
    expect(await refusal(save({ concernLevel: 'minor' }))).toBe('followup.report.concernDetails.required')
    expect(await refusal(save({ supportNeeds: ['medical'] }))).toBe('followup.report.referralRequired')
    expect(await reportsOf(taskId)).toEqual([])
    // With the reason, a visit before the window is accepted.
    await save({ visitedOn: '2026-12-10', outsideWindowReason: '家庭12月中旬外出，提前回访。' })
    expect((await reportsOf(taskId))[0].outside_window_reason).toBe('家庭12月中旬外出，提前回访。')
  })

  test('the form schema puts the same rules next to their fields', () => {
    const schema = reportSchema({ today: '2026-12-22', windowFrom: '2026-12-14', windowTo: '2027-01-11', submit: true })
    const result = schema.safeParse({ ...good, visitedOn: '2026-12-01', concernLevel: 'serious' })
    expect(result.success).toBe(false)
    const byField = Object.fromEntries(result.error!.issues.map((i) => [i.path[0], i.message]))
    expect(byField).toEqual({
      outsideWindowReason: 'followup.report.outsideWindow', concernDetails: 'followup.report.concernDetails.required',
      reportedTo: 'followup.report.mandatoryTo', reportedAt: 'followup.report.mandatoryAt',
    })
  })

  test('only the assigned caseworker files the report', async () => {
    const { taskId } = await firstVisit()
    // Another caseworker may not even read the task (decision 023): not found.
    await expect(saveReport(t.db, cipher, caseworker2, taskId, good, { submit: false, today: ON })).rejects.toBeInstanceOf(NotFoundError)
    await expect(saveReport(t.db, cipher, supervisor, taskId, good, { submit: false, today: ON })).rejects.toBeInstanceOf(ForbiddenError)
  })
})

describe('a serious concern', () => {
  const ON = '2026-12-22'
  const serious: ReportInput = { ...good, concernLevel: 'serious', concernDetails: '孩子手臂有淤青，称被打。' }

  test('alerts every active supervisor by mail in the saving transaction, once, and stays on the dashboard until reviewed', async () => {
    const { taskId } = await firstVisit()
    const before = (await mails()).length
    const saved = await saveReport(t.db, cipher, caseworker, taskId, serious, { submit: false, today: ON })
    expect(saved.alerted).toBe(2)
    const sent = (await mails()).slice(before)
    expect(sent.map((m) => m.to).sort()).toEqual(['chief@example.test', 'deputy@example.test'])
    expect(sent[0].subject).toContain(taskId)
    expect(sent[0].text).not.toContain('淤青') // no details in the mail
    // Saving the draft again does not alert twice.
    const again = await saveReport(t.db, cipher, caseworker, taskId, serious, { submit: false, today: ON, rowVersion: (await reportsOf(taskId))[0].row_version })
    expect(again.alerted).toBe(0)
    expect((await mails()).length).toBe(before + 2)
    const dash = await followupDashboard(t.db, supervisor, ON, true, false)
    expect(dash.serious.map((s) => s.taskId)).toContain(taskId)
    // The team's workload: every active caseworker, with their open and overdue tasks.
    const open = async (id: string) => Number((await t.db.selectFrom('followup_tasks').select((eb) => eb.fn.countAll<string>().as('n')).where('caseworker_id', '=', id).where('status', '=', 'open').executeTakeFirstOrThrow()).n)
    expect(dash.workload.find((w) => w.id === caseworker.id)?.open).toBe(await open(caseworker.id))
    expect(dash.workload.map((w) => w.id)).toContain(caseworker2.id)

    // The gate: no submission without to whom and when — refused by the command and by the database.
    expect(await refusal(saveReport(t.db, cipher, caseworker, taskId, serious, { submit: true, today: ON }))).toBe('followup.report.mandatoryTo')
    expect(await refusal(saveReport(t.db, cipher, caseworker, taskId, { ...serious, reportedTo: 'police' }, { submit: true, today: ON }))).toBe('followup.report.mandatoryAt')
    const [draft] = await reportsOf(taskId)
    expect(draft.status).toBe('draft')
    await expect(t.db.updateTable('visit_reports').set({ status: 'submitted', signed_by: caseworker.id, signed_at: new Date() }).where('id', '=', draft.id).execute())
      .rejects.toMatchObject({ constraint: 'visit_reports_mandatory_report' })

    await saveReport(t.db, cipher, caseworker, taskId, { ...serious, reportedTo: 'police', reportedAt: '2026-12-22T10:30' }, { submit: true, today: ON })
    const [submitted] = await reportsOf(taskId)
    expect(submitted).toMatchObject({ status: 'submitted', reported_to: 'police', signed_by: caseworker.id })
    expect(submitted.reported_at!.toISOString()).toBe('2026-12-22T02:30:00.000Z')
    expect((await followupDashboard(t.db, supervisor, ON, true, false)).serious.map((s) => s.taskId)).toContain(taskId)
    await reviewReport(t.db, supervisor, submitted.id, submitted.row_version, '已督促派出所跟进。')
    expect((await followupDashboard(t.db, supervisor, ON, true, false)).serious.map((s) => s.taskId)).not.toContain(taskId)
  })

  test('a failed save enqueues no mail (the alert is in the transaction)', async () => {
    const { taskId } = await firstVisit()
    const before = (await mails()).length
    await expect(saveReport(t.db, cipher, caseworker, taskId, { ...serious, photos: [new Uint8Array([0x25, 0x50, 0x44, 0x46, 1, 2])] }, { submit: false, today: ON })).rejects.toThrow()
    expect((await mails()).length).toBe(before)
    expect(await reportsOf(taskId)).toEqual([])
  })
})

describe('sign, review, read-only, correction', () => {
  const ON = '2026-12-22'
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])

  test('submitting signs and closes the task; a review makes it read-only; a correction is a new version reviewed again', async () => {
    const { taskId } = await firstVisit()
    await saveReport(t.db, cipher, caseworker, taskId, { ...good, photos: [png] }, { submit: true, today: ON })
    const task = await t.db.selectFrom('followup_tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow()
    expect(task.status).toBe('done')
    const [v1] = await reportsOf(taskId)
    expect(v1).toMatchObject({ status: 'submitted', signed_by: caseworker.id, version: 1 })
    expect(v1.daily_care_enc).not.toContain('作息') // encrypted at rest
    expect(await refusal(saveReport(t.db, cipher, caseworker, taskId, good, { submit: false, today: ON }))).toBe('followup.report.awaitingReview')
    expect((await reviewQueue(t.db, supervisor)).map((r) => r.id)).toContain(v1.id)

    await expect(reviewReport(t.db, supervisor, v1.id, v1.row_version + 5, '')).rejects.toBeInstanceOf(ConflictError)
    await reviewReport(t.db, supervisor, v1.id, v1.row_version, '情况良好。')
    await expect(t.db.updateTable('visit_reports').set({ health_enc: 'x' }).where('id', '=', v1.id).execute()).rejects.toThrow(/read-only/)
    await expect(t.db.deleteFrom('visit_reports').where('id', '=', v1.id).execute()).rejects.toThrow()

    // A correction needs its reason, becomes version 2 with the photos, is signed and reviewed again.
    expect(await refusal(saveReport(t.db, cipher, caseworker, taskId, { ...good, health: '十二月初感冒，已愈。' }, { submit: true, today: ON }))).toBe('followup.report.correctionReason.required')
    await saveReport(t.db, cipher, caseworker, taskId, { ...good, health: '十二月初感冒，已愈。', correctionReason: '补记健康情况。' }, { submit: true, today: ON })
    const [, v2] = await reportsOf(taskId)
    expect(v2).toMatchObject({ version: 2, status: 'submitted', correction_reason: '补记健康情况。' })
    const loaded = await loadTask(t.db, cipher, supervisor, taskId)
    expect(loaded.reports.map((r) => [r.version, r.status, r.health, r.photos.length])).toEqual([[1, 'reviewed', '健康。', 1], [2, 'submitted', '十二月初感冒，已愈。', 1]])
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', taskId).execute()
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['followup.report_submitted', 'followup.report_reviewed', 'followup.task_viewed']))

    // The supervisor cannot review a report they signed; the PDF of the latest version reads back.
    const path = writeTemp('followup-record.pdf', await visitRecordPdf(t.db, cipher, supervisor, taskId))
    const text = squash(pdftotext(path))
    expect(text).toContain('收养回访记录')
    expect(text).toContain('十二月初感冒，已愈。')
    expect(text).toContain('本记录为第2版，更正原因：补记健康情况。')
    expectCleanInTools(path)
  })
})

describe('assignment', () => {
  test('to someone not an active caseworker of the registry: refused, nothing saved', async () => {
    const app = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    const tasks = await t.db.selectFrom('followup_tasks').select(['id', 'version']).where('application_id', '=', app).orderBy('sequence').limit(3).execute()
    const other = await makeUser(t.db, { roles: ['caseworker'], registryCode: (await ensureRegistry(t.db, '500112', '重庆市铜梁区民政局'), '500112') })
    const gone = await makeViewer(t.db, 'caseworker')
    await t.db.updateTable('users').set({ active: false }).where('id', '=', gone.id).execute()
    for (const to of [registrar.id, other.id, gone.id, '999999999']) {
      expect(await refusal(assignTasks(t.db, supervisor, tasks, to))).toBe('followup.assign.notCaseworker')
    }
    expect((await t.db.selectFrom('followup_tasks').select('caseworker_id').where('id', 'in', tasks.map((x) => x.id)).execute()).every((x) => x.caseworker_id === null)).toBe(true)
    await expect(assignTasks(t.db, caseworker, tasks, caseworker.id)).rejects.toBeInstanceOf(ForbiddenError)
  })

  test('in bulk, all or nothing with the versions seen; reassigning; the filters', async () => {
    const app = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    const tasks = await t.db.selectFrom('followup_tasks').select(['id', 'version']).where('application_id', '=', app).orderBy('sequence').limit(4).execute()
    expect(await assignTasks(t.db, supervisor, tasks, caseworker.id)).toBe(4)
    // A stale version anywhere in the batch: nothing saved.
    const fresh = await t.db.selectFrom('followup_tasks').select(['id', 'version']).where('id', 'in', tasks.map((x) => x.id)).orderBy('id').execute()
    await expect(assignTasks(t.db, supervisor, [...fresh.slice(0, 3), tasks[3]], caseworker2.id)).rejects.toBeInstanceOf(ConflictError)
    expect(new Set((await t.db.selectFrom('followup_tasks').select('caseworker_id').where('id', 'in', tasks.map((x) => x.id)).execute()).map((x) => x.caseworker_id))).toEqual(new Set([caseworker.id]))
    await assignTasks(t.db, supervisor, fresh.slice(0, 2), caseworker2.id)
    const mine2 = await listTasks(t.db, supervisor, { caseworker: caseworker2.id }, TODAY)
    expect(mine2.rows.map((r) => r.id)).toEqual(expect.arrayContaining(fresh.slice(0, 2).map((x) => x.id)))
    const december = await listTasks(t.db, supervisor, { month: '2026-12' }, TODAY)
    expect(december.rows.every((r) => r.dueOn.startsWith('2026-12'))).toBe(true)
    const unassigned = await listTasks(t.db, supervisor, { caseworker: 'none' }, TODAY)
    expect(unassigned.rows.some((r) => fresh.some((f) => f.id === r.id))).toBe(false)
    const audit = await t.db.selectFrom('audit_log').select('summary').where('action', '=', 'followup.assigned').execute()
    expect(audit.length).toBeGreaterThanOrEqual(2)
  })
})

describe('my visits', () => {
  test('overdue, this week, upcoming, calendar; address and phone; the previous visit; audited', async () => {
    const cw = await makeViewer(t.db, 'caseworker')
    const app = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    // Registered 2026-11-28 → visits due 2026-12-28, 2027-02-28, 2027-05-28, 2027-11-28 …
    const tasks = await t.db.selectFrom('followup_tasks').select(['id', 'version', 'due_on']).where('application_id', '=', app).orderBy('sequence').execute()
    await assignTasks(t.db, supervisor, tasks, cw.id)
    await saveReport(t.db, cipher, cw, tasks[0].id, { ...good, visitedOn: '2026-12-29', dailyCare: '第一次回访：照料良好。' }, { submit: true, today: '2026-12-29' })
    const today = '2027-05-27' // a Thursday: the week runs 05-24 … 05-30
    const v = await myVisits(t.db, cipher, cw, today)
    expect(v.overdue.map((c) => c.dueOn)).toEqual(['2027-02-28'])
    expect(v.thisWeek.map((c) => c.dueOn)).toEqual(['2027-05-28'])
    expect(v.upcoming[0].dueOn).toBe('2027-11-28')
    expect(v.counts).toEqual({ overdue: 1, thisWeek: 1, upcoming: tasks.length - 3 })
    const card = v.thisWeek[0]
    expect(card.address).toBe('重庆市大足区龙岗街道五星大道1号')
    expect(card.adopters).toBe('王建国、李秀英')
    expect(card.previous).toMatchObject({ visitedOn: '2026-12-29', dailyCare: '第一次回访：照料良好。' })
    const cal = await myVisits(t.db, cipher, cw, today, { view: 'calendar', month: '2027-11' })
    expect(cal.calendar.map((c) => c.dueOn)).toEqual(['2027-11-28'])
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'followup.contacts_viewed').where('actor_id', '=', cw.id).execute()).not.toHaveLength(0)
    // Nobody else's tasks.
    expect((await myVisits(t.db, cipher, cw, today)).thisWeek.every((c) => tasks.some((x) => x.id === c.id))).toBe(true)
  })
})
