// Staff hand-over against real PostgreSQL and a real SMTP server: every kind of open work moves in
// one transaction with its record, audit row and the receivers' e-mails; a wrong receiver or work
// that changed meanwhile moves nothing; a user with open work cannot be deactivated until then.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry, makeUser } from '#tests/support/factories.ts'
import { drainJobs, makePlannedReception, makeRegistration, makeTask, resetFollowup, startSmtp } from '#tests/support/followup-jobs.ts'
import { eligibleReceivers, handOver, handoverOverview, handoverPage, kindLabel, openWork, openWorkKinds, type HandoverInput } from '#app/staff/handover.server.ts'
import { setActive } from '#app/staff/users.server.ts'
import { ProcedureError } from '#app/platform/http.server.ts'
import { catalogs } from '#app/platform/i18n/index.ts'

let t: TestDatabase
let smtp: Awaited<ReturnType<typeof startSmtp>>
const R = '500111'
const open = { window_from: '2027-01-01', due_on: '2027-01-15', window_to: '2027-01-29' }
type U = { id: string; username: string; registryCode: string }
let registrar: U
let supervisor: U
let admin: U
let leaver: U
let receiverA: U
let receiverB: U

beforeAll(async () => {
  t = await testDatabase()
  smtp = await startSmtp()
  await makeRegistry(t.db, R)
  registrar = await makeUser(t.db, { roles: ['registrar'] })
  supervisor = await makeUser(t.db, { roles: ['supervisor'] })
  admin = await makeUser(t.db, { roles: ['sysadmin'] })
})
afterAll(async () => {
  await smtp.close()
  await t.destroy()
})
beforeEach(async () => {
  await resetFollowup(t.db, t.owner)
  smtp.received.length = 0
  leaver = await makeUser(t.db, { roles: ['caseworker'], email: 'leaver@example.test' })
  receiverA = await makeUser(t.db, { roles: ['caseworker'], email: 'a@example.test' })
  receiverB = await makeUser(t.db, { roles: ['caseworker'], email: 'b@example.test' })
  await t.db.updateTable('users').set({ locale: 'en' }).where('id', '=', receiverB.id).execute()
})

const actor = () => ({ id: supervisor.id, username: supervisor.username, registryCode: R })

/** The leaver's work: 3 open visits (+1 done, +1 of someone else), 2 open post-placement reports, 1 draft and 1 submitted report. */
async function plantWork() {
  const visits: string[] = []
  for (let i = 0; i < 3; i++) {
    const reg = await makeRegistration(t.db, R, registrar.id)
    visits.push(await makeTask(t.db, { registryCode: R, applicationId: reg.id, caseworkerId: leaver.id, dates: open }))
  }
  const doneReg = await makeRegistration(t.db, R, registrar.id)
  const done = await makeTask(t.db, { registryCode: R, applicationId: doneReg.id, caseworkerId: leaver.id, dates: open, status: 'done' })
  const othersReg = await makeRegistration(t.db, R, registrar.id)
  const others = await makeTask(t.db, { registryCode: R, applicationId: othersReg.id, caseworkerId: receiverA.id, dates: open })
  const { id: intercountryId } = await t.db.insertInto('intercountry_adoptions').values({
    registry_code: R, registration_number: `涉外-${Date.now()}-${Math.random()}`, registered_on: '2025-06-01', approved_on: '2025-05-01',
    child_name: '（测试）', child_birth_date: '2020-01-01', adopters: '（测试）', country: 'NL', agency: 'Agency',
  }).returning('id').executeTakeFirstOrThrow()
  const reports: string[] = []
  for (let s = 1; s <= 2; s++) {
    const { id } = await t.db.insertInto('followup_tasks').values({
      registry_code: R, intercountry_id: intercountryId, kind: 'post_placement_report', sequence: s, caseworker_id: leaver.id,
      due_on: '2026-12-01', window_from: '2026-11-01', window_to: '2026-12-31',
    }).returning('id').executeTakeFirstOrThrow()
    reports.push(id)
  }
  const report = (status: 'draft' | 'submitted', taskId: string) => t.db.insertInto('visit_reports').values({
    task_id: taskId, status, visited_on: '2027-01-10', met_enc: 'x', daily_care_enc: 'x', health_enc: 'x', schooling_enc: 'x', bonding_enc: 'x',
    concern_level: 'none', created_by: leaver.id, ...(status === 'submitted' ? { signed_by: leaver.id, signed_at: new Date() } : {}),
  }).returning('id').executeTakeFirstOrThrow()
  const draft = (await report('draft', visits[0])).id
  const submitted = (await report('submitted', done)).id
  const receptionReg = await makeRegistration(t.db, R, registrar.id)
  const reception = await makePlannedReception(t.db, { registryCode: R, applicationId: receptionReg.id, registrationNumber: receptionReg.number, caseworkerId: leaver.id, plannerId: registrar.id })
  return { visits, done, others, reports, draft, submitted, reception }
}

const expected = { followup_visit: 3, post_placement_report: 2, visit_report_draft: 1, rootseeking_reception: 1 }
const input = (receivers: HandoverInput['receivers'], overrides: Partial<HandoverInput> = {}): HandoverInput => ({
  fromUserId: leaver.id, reason: '调离本局', receivers, expected, ...overrides,
})
const all = (id: string) => Object.fromEntries(openWorkKinds.map((k) => [k.kind, id]))

describe('moving every kind of open work', () => {
  test('one receiver for all: visits, post-placement reports and the draft report move; closed work stays; recorded, audited, e-mailed', async () => {
    const work = await plantWork()
    expect(await openWork(t.db, leaver.id)).toEqual([
      { kind: 'followup_visit', count: 3 }, { kind: 'post_placement_report', count: 2 }, { kind: 'visit_report_draft', count: 1 }, { kind: 'rootseeking_reception', count: 1 },
    ])
    const result = await handOver(t.db, actor(), input(all(receiverA.id)), { publicUrl: 'https://registry.example.test' })
    expect(result.total).toBe(7)
    expect(result.moved).toEqual({ followup_visit: { [receiverA.id]: 3 }, post_placement_report: { [receiverA.id]: 2 }, visit_report_draft: { [receiverA.id]: 1 }, rootseeking_reception: { [receiverA.id]: 1 } })
    expect((await t.db.selectFrom('rootseeking_receptions').select('caseworker_id').where('request_id', '=', work.reception).executeTakeFirstOrThrow()).caseworker_id).toBe(receiverA.id)

    const tasks = await t.db.selectFrom('followup_tasks').select(['id', 'caseworker_id', 'version', 'status']).execute()
    const byId = new Map(tasks.map((x) => [x.id, x]))
    for (const id of [...work.visits, ...work.reports]) expect(byId.get(id)).toMatchObject({ caseworker_id: receiverA.id, version: 2 })
    expect(byId.get(work.done)).toMatchObject({ caseworker_id: leaver.id, version: 1 })
    expect(byId.get(work.others)).toMatchObject({ caseworker_id: receiverA.id, version: 1 })
    const reports = await t.db.selectFrom('visit_reports').select(['id', 'created_by', 'row_version']).execute()
    expect(reports.find((r) => r.id === work.draft)).toMatchObject({ created_by: receiverA.id, row_version: 2 })
    expect(reports.find((r) => r.id === work.submitted)).toMatchObject({ created_by: leaver.id, row_version: 1 })
    expect(await openWork(t.db, leaver.id)).toEqual(openWorkKinds.map((k) => ({ kind: k.kind, count: 0 })))

    const record = await t.db.selectFrom('staff_handovers').selectAll().where('id', '=', result.handoverId).executeTakeFirstOrThrow()
    expect(record).toMatchObject({ from_user_id: leaver.id, reason: '调离本局', handed_over_by: supervisor.id, moved: result.moved })
    const auditRow = await t.db.selectFrom('audit_log').select(['action', 'entity_id', 'reason', 'actor_id', 'summary']).where('action', '=', 'staff.handover').executeTakeFirstOrThrow()
    expect(auditRow).toMatchObject({ action: 'staff.handover', entity_id: leaver.id, reason: '调离本局', actor_id: supervisor.id })

    await drainJobs(t.pool, t.db, smtp.url)
    expect(smtp.received).toHaveLength(1)
    const [mail] = smtp.to('a@example.test')
    const leaverName = `测试${leaver.username}`
    expect(mail.subject).toBe(`工作交接：${leaverName} 的工作已移交给您`)
    expect(mail.text).toContain('- 收养后随访: 3')
    expect(mail.text).toContain('- 安置后报告: 2')
    expect(mail.text).toContain('- 未提交的走访报告: 1')
    expect(mail.text).toContain('https://registry.example.test/')
  })

  test('one receiver per kind: each gets their part and their own e-mail, in their language', async () => {
    await plantWork()
    const result = await handOver(t.db, actor(), input({ followup_visit: receiverA.id, post_placement_report: receiverB.id, visit_report_draft: receiverA.id, rootseeking_reception: receiverA.id }))
    expect(result.moved).toEqual({ followup_visit: { [receiverA.id]: 3 }, post_placement_report: { [receiverB.id]: 2 }, visit_report_draft: { [receiverA.id]: 1 }, rootseeking_reception: { [receiverA.id]: 1 } })
    expect(result.emailed).toBe(2)
    await drainJobs(t.pool, t.db, smtp.url)
    expect(smtp.to('a@example.test')).toHaveLength(1)
    const [en] = smtp.to('b@example.test')
    expect(en.subject).toMatch(/^Hand-over: the work of .+ is now yours$/)
    expect(en.text).toContain('- Post-placement reports: 2')
    expect(en.text).not.toContain('visits')
  })

  test('every kind of open work has its label in both languages', () => {
    for (const k of openWorkKinds) {
      expect(catalogs.zh[kindLabel(k.kind)]).toBeTruthy()
      expect(catalogs.en[kindLabel(k.kind)]).toBeTruthy()
    }
  })
})

describe('refusals move nothing', () => {
  async function snapshot() {
    const { rows } = await sql<{ s: string }>`select string_agg(id || ':' || coalesce(caseworker_id::text, '-') || ':' || version, ',' order by id) as s from followup_tasks`.execute(t.db)
    const drafts = await t.db.selectFrom('visit_reports').select(['id', 'created_by']).orderBy('id').execute()
    const records = await t.db.selectFrom('staff_handovers').select('id').execute()
    const { rows: mails } = await sql<{ n: string }>`select count(*) as n from graphile_worker.jobs where task_identifier = 'send_email'`.execute(t.db)
    return { tasks: rows[0].s, drafts, records: records.length, mails: mails[0].n }
  }
  async function refused(receivers: HandoverInput['receivers'], overrides: Partial<HandoverInput> = {}) {
    const before = await snapshot()
    const error = await handOver(t.db, actor(), input(receivers, overrides)).then(() => null, (e: unknown) => e)
    expect(error).toBeInstanceOf(ProcedureError)
    expect(await snapshot()).toEqual(before)
    return error as ProcedureError
  }

  test('a receiver who is inactive, of another registry, not a caseworker, or the leaver', async () => {
    await plantWork()
    const inactive = await makeUser(t.db, { roles: ['caseworker'] })
    await t.db.updateTable('users').set({ active: false }).where('id', '=', inactive.id).execute()
    await makeRegistry(t.db, '500112', '重庆市荣昌区民政局')
    const elsewhere = await makeUser(t.db, { roles: ['caseworker'], registryCode: '500112' })
    const registrarOnly = await makeUser(t.db, { roles: ['registrar'] })
    for (const wrong of [inactive, elsewhere, registrarOnly, leaver]) {
      // the wrong receiver for the last kind only: the kinds before it would have moved without one transaction
      const error = await refused({ ...all(receiverA.id), visit_report_draft: wrong.id })
      expect(error.messageKey).toBe('handover.receiverInvalid')
      expect(error.params.name).toBe(`测试${wrong.username}`)
    }
    const eligible = (await eligibleReceivers(t.db, R, leaver.id)).map((r) => r.id)
    expect(eligible).toContain(receiverA.id)
    expect(eligible).toContain(receiverB.id)
    for (const wrong of [inactive, elsewhere, registrarOnly, leaver]) expect(eligible).not.toContain(wrong.id)
  })

  test('a kind without a receiver, no reason, or work that changed since the page was loaded', async () => {
    await plantWork()
    expect((await refused({ followup_visit: receiverA.id, post_placement_report: receiverA.id })).messageKey).toBe('handover.receiverRequired')
    expect((await refused(all(receiverA.id), { reason: '  ' })).messageKey).toBe('handover.reasonRequired')
    expect((await refused(all(receiverA.id), { expected: { ...expected, followup_visit: 2 } })).messageKey).toBe('handover.changed')
  })
})

describe('deactivation asks for the hand-over first', () => {
  test('a user with open work is not deactivated; after the hand-over they are', async () => {
    await plantWork()
    const adminActor = { id: admin.id, username: admin.username, registryCode: R }
    const error = await setActive(t.db, adminActor, leaver.id, false).then(() => null, (e: unknown) => e) as ProcedureError
    expect(error).toBeInstanceOf(ProcedureError)
    expect(error.messageKey).toBe('handover.deactivateBlocked')
    expect(error.params).toEqual({ count: 7, path: `/staff/handover/${leaver.id}` })
    const still = await t.db.selectFrom('users').select('active').where('id', '=', leaver.id).executeTakeFirstOrThrow()
    expect(still.active).toBe(true)

    await handOver(t.db, actor(), input(all(receiverB.id)))
    await setActive(t.db, adminActor, leaver.id, false)
    const after = await t.db.selectFrom('users').select('active').where('id', '=', leaver.id).executeTakeFirstOrThrow()
    expect(after.active).toBe(false)
    // the hand-over page of the former caseworker shows nothing left and the record
    const page = await handoverPage(t.db, R, leaver.id)
    expect(page.total).toBe(0)
    expect(page.history).toHaveLength(1)
    expect((await handoverOverview(t.db, R)).find((s) => s.id === leaver.id)).toBeUndefined()
  })
})
