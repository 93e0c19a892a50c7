// Capability assessments against real PostgreSQL: team and recusal, the 60-day clock, instrument
// versions, the signing rule and read-only reports, the registration gate, agency isolation.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { applicationInput, currentVersion, makeApplication, makeViewer, testNotice, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { NotFoundError, ForbiddenError } from '#app/platform/http.server.ts'
import { checklistStatus, loadApplication, markDocument, recordFindings } from '#app/registration/applications.server.ts'
import { approveDecision, endPublicNotice, proposeDecision, receive, registrationBlockers, startPublicNotice } from '#app/registration/decisions.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import {
  addActivity, addMember, commissionAssessment, readAttachment, conclude, declare, listAssessments, loadAssessment, raiseAlert, saveScore, setDates,
  setIntegration, sign, type AssessorViewer,
} from '#app/assessment/assessments.server.ts'
import { currentInstrument, publishInstrument } from '#app/assessment/instruments.server.ts'
import { defaultInstrument } from '#app/assessment/instrument.ts'
import { loadFile, openFile } from '#app/archive/files.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: AssessorViewer
let supervisor: AssessorViewer
let a1: AssessorViewer, a2: AssessorViewer, a3: AssessorViewer
let agencyId: string
let g1: AssessorViewer, g2: AssessorViewer

async function assessor(agency: string | null = null): Promise<AssessorViewer> {
  const v = await makeViewer(t.db, 'assessor')
  if (agency) await t.db.updateTable('users').set({ agency_id: agency }).where('id', '=', v.id).execute()
  return { ...v, agencyId: agency }
}

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  registrar = { ...(await makeViewer(t.db, 'registrar')), agencyId: null }
  supervisor = { ...(await makeViewer(t.db, 'supervisor')), agencyId: null }
  a1 = await assessor(); a2 = await assessor(); a3 = await assessor()
  const agency = await t.db.insertInto('assessment_agencies').values({
    registry_code: '500111', legal_name: '大足区阳光社会工作服务中心', credit_code: '91110000100006485K', business_scope: '社会工作服务、收养评估',
    contract_from: '2026-01-01', contract_to: '2026-12-31', dpa_signed_on: '2026-01-05',
  }).returning('id').executeTakeFirstOrThrow()
  agencyId = agency.id
  g1 = await assessor(agencyId); g2 = await assessor(agencyId)
})
afterAll(async () => { await t.destroy() })

const v = (id: string) => currentVersion(t.db, id)
const av = async (id: string) => (await t.db.selectFrom('assessments').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version

async function receivedApplication() {
  const id = await makeApplication(t.db, cipher, registrar)
  await receive(t.db, registrar, id, await v(id), '2026-09-01', TODAY)
  return id
}

/** Takes an assessment through notice, consent, integration and every dimension at `score` per cent. */
async function complete(id: string, team: AssessorViewer[], percent = 1) {
  for (const m of team) await declare(t.db, m, id, { conflict: false })
  await setDates(t.db, team[0], id, await av(id), { noticeOn: '2026-09-03', consentOn: '2026-09-05' }, TODAY)
  await addActivity(t.db, cipher, team[0], id, { kind: 'home_visit', on: '2026-09-10', place: '申请人家中', present: team.map((m) => m.id), notes: '住房约 120 平方米，整洁。' }, TODAY)
  await setIntegration(t.db, team[0], id, await av(id), { from: '2026-09-20', to: '2026-10-25' }, TODAY)
  for (const d of defaultInstrument.dimensions) {
    await saveScore(t.db, cipher, team[1], id, { dimension: d.code, score: Math.round(d.maxScore! * percent), vetoes: [], findings: '符合要求。' })
  }
}

describe('team', () => {
  test('a team needs two assessors of the bureau; agency assessors only for their agency', async () => {
    const app = await receivedApplication()
    await expect(commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id], on: '2026-09-02' }, TODAY)).rejects.toMatchObject({ messageKey: 'assessment.team.tooSmall' })
    await expect(commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, g1.id], on: '2026-09-02' }, TODAY)).rejects.toMatchObject({ messageKey: 'assessment.team.notAssessors' })
    await expect(commissionAssessment(t.db, registrar, app, { mode: 'agency', agencyId, members: [g1.id, a1.id], on: '2026-09-02' }, TODAY)).rejects.toMatchObject({ messageKey: 'assessment.team.notAssessors' })
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    expect((await loadApplication(t.db, cipher, registrar, app)).app.state).toBe('assessment')
    expect(id).toBeTruthy()
  })

  test('a member must declare before seeing the case; a declared conflict removes them and the team must be completed', async () => {
    const app = await receivedApplication()
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    const before = await loadAssessment(t.db, cipher, a1, id)
    expect(before.mustDeclare).toBe(true)
    expect(before.activities).toEqual([])
    await expect(setDates(t.db, a1, id, await av(id), { noticeOn: '2026-09-03' }, TODAY)).rejects.toMatchObject({ messageKey: 'assessment.declaration.first' })
    expect(await declare(t.db, a2, id, { conflict: true, note: '申请人系本人表兄' })).toEqual({ teamSize: 1 })
    await expect(loadAssessment(t.db, cipher, a2, id)).rejects.toBeInstanceOf(NotFoundError)
    await declare(t.db, a1, id, { conflict: false })
    await setDates(t.db, a1, id, await av(id), { noticeOn: '2026-09-03', consentOn: '2026-09-04' }, TODAY)
    await setIntegration(t.db, a1, id, await av(id), { from: '2026-09-05', to: '2026-10-10' }, TODAY)
    await expect(conclude(t.db, cipher, a1, id, await av(id), { reportOn: '2026-10-20', facts: '…' }, TODAY)).rejects.toMatchObject({ messageKey: 'assessment.team.tooSmall' })
    await addMember(t.db, registrar, id, a3.id)
    await declare(t.db, a3, id, { conflict: false })
    expect((await loadAssessment(t.db, cipher, a3, id)).mustDeclare).toBe(false)
  })
})

describe('clock and dates', () => {
  test('the 60 days run from the consent; late assessments are listed', async () => {
    const app = await receivedApplication()
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    await declare(t.db, a1, id, { conflict: false })
    await expect(setDates(t.db, a1, id, await av(id), { noticeOn: '2026-09-10', consentOn: '2026-09-09' }, TODAY)).rejects.toThrow(/consent_after_notice/)
    await setDates(t.db, a1, id, await av(id), { noticeOn: '2026-09-03', consentOn: '2026-09-05' }, TODAY)
    const row = await t.db.selectFrom('assessments').select('due_on').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.due_on).toBe('2026-11-04')
    const late = await listAssessments(t.db, supervisor, { late: true }, TODAY)
    expect(late.map((x) => x.id)).toContain(id)
  })

  test('an integration period under 30 days or before consent is refused', async () => {
    const app = await receivedApplication()
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    await declare(t.db, a1, id, { conflict: false })
    await setDates(t.db, a1, id, await av(id), { noticeOn: '2026-09-03', consentOn: '2026-09-05' }, TODAY)
    await expect(setIntegration(t.db, a1, id, await av(id), { from: '2026-09-10', to: '2026-10-09' }, TODAY)).rejects.toMatchObject({ messageKey: 'assessment.integration.tooShort' })
    await expect(setIntegration(t.db, a1, id, await av(id), { from: '2026-09-01', to: '2026-10-09' }, TODAY)).rejects.toMatchObject({ messageKey: 'assessment.integration.beforeConsent' })
    await setIntegration(t.db, a1, id, await av(id), { from: '2026-09-10', to: '2026-10-10' }, TODAY)
  })
})

describe('instrument versions', () => {
  test('an assessment keeps the version it started with after a new one is published', async () => {
    const app = await receivedApplication()
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    const started = await currentInstrument(t.db, '500111')
    const changed = structuredClone(defaultInstrument)
    changed.title = { zh: '某省收养评估指标（2027版）', en: 'Provincial instrument 2027' }
    changed.scale = { max: 100, pass: 85 }
    const version = await publishInstrument(t.db, { id: supervisor.id, username: supervisor.username, registryCode: '500111' }, changed)
    expect(version).toBe(started.version + 1)
    await declare(t.db, a1, id, { conflict: false })
    const loaded = await loadAssessment(t.db, cipher, a1, id)
    expect(loaded.header.instrument.version).toBe(started.version)
    expect(loaded.header.instrument.definition.scale?.pass).toBe(80)
    await expect(publishInstrument(t.db, { id: supervisor.id, username: supervisor.username, registryCode: '500111' }, { ...changed, scale: { max: 100, pass: 120 } })).rejects.toThrow()
  })

  test('scores outside the instrument are refused', async () => {
    const app = await receivedApplication()
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    await declare(t.db, a1, id, { conflict: false })
    await expect(saveScore(t.db, cipher, a1, id, { dimension: 'motivation', score: 99, vetoes: [], findings: 'x' })).rejects.toMatchObject({ messageKey: 'assessment.score.out_of_range' })
    await expect(saveScore(t.db, cipher, a1, id, { dimension: 'motivation', score: 5, vetoes: ['nonsense'], findings: 'x' })).rejects.toMatchObject({ messageKey: 'assessment.score.unknown_veto' })
    await expect(saveScore(t.db, cipher, a1, id, { dimension: 'astrology', score: 5, vetoes: [], findings: 'x' })).rejects.toMatchObject({ messageKey: 'assessment.score.unknown_dimension' })
  })
})

describe('report, signing and the registration gate', () => {
  test('every member signs; the signed report is read-only; registration opens only then', async () => {
    const app = await receivedApplication()
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    await complete(id, [a1, a2])
    await conclude(t.db, cipher, a1, id, await av(id), { reportOn: '2026-10-30', facts: '申请人夫妇身体健康，经济稳定。' }, TODAY)
    // Someone not on the team cannot sign.
    await expect(sign(t.db, cipher, a3, id, TODAY)).rejects.toBeInstanceOf(NotFoundError)
    expect(await sign(t.db, cipher, a1, id, TODAY)).toEqual({ complete: false })
    expect((await loadApplication(t.db, cipher, registrar, app)).app.assessment).toBe('pending')
    expect(await sign(t.db, cipher, a2, id, TODAY)).toEqual({ complete: true })
    const loaded = await loadApplication(t.db, cipher, registrar, app)
    expect(loaded.app).toMatchObject({ state: 'received', assessment: 'recommended', assessment_report_on: '2026-10-30' })
    // The vetoes fed the adopters' findings (none here).
    expect(loaded.parties.filter((p) => p.role === 'adopter').every((p) => p.findings?.disqualifyingDisease === false && p.findings?.harmfulRecord === false)).toBe(true)
    await expect(sql`update assessment_reports set conclusion = 'not_recommended' where assessment_id = ${id}`.execute(t.db)).rejects.toThrow(/read-only/)
    await expect(sql`delete from assessment_reports where assessment_id = ${id}`.execute(t.db)).rejects.toThrow(/never deleted/)
    expect(registrationBlockers(loaded, TODAY).map((b) => b.key)).not.toContain('registration.blocker.assessment')
  })

  test('a veto makes the conclusion negative whatever the score, and registration stays closed', async () => {
    const app = await receivedApplication()
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    await complete(id, [a1, a2])
    await saveScore(t.db, cipher, a1, id, { dimension: 'marriage_family', score: 10, vetoes: ['domestic_violence'], findings: '邻居反映长期家暴。' })
    await conclude(t.db, cipher, a1, id, await av(id), { reportOn: '2026-10-30', facts: '…' }, TODAY)
    await sign(t.db, cipher, a1, id, TODAY)
    await sign(t.db, cipher, a2, id, TODAY)
    const loaded = await loadApplication(t.db, cipher, registrar, app)
    expect(loaded.app.assessment).toBe('not_recommended')
    expect(registrationBlockers(loaded, TODAY).map((b) => b.key)).toContain('registration.blocker.assessmentNegative')
  })

  test('a correction is a new version with a reason; the old one is kept; the application waits for the new signatures', async () => {
    const app = await receivedApplication()
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    await complete(id, [a1, a2])
    await conclude(t.db, cipher, a1, id, await av(id), { reportOn: '2026-10-30', facts: '初稿' }, TODAY)
    await sign(t.db, cipher, a1, id, TODAY)
    await sign(t.db, cipher, a2, id, TODAY)
    await expect(conclude(t.db, cipher, a1, id, await av(id), { reportOn: '2026-11-02', facts: '更正' }, TODAY)).rejects.toMatchObject({ messageKey: 'assessment.report.reasonRequired' })
    await conclude(t.db, cipher, a1, id, await av(id), { reportOn: '2026-11-02', facts: '更正后的事实', reason: '收入数字录入错误' }, TODAY)
    expect((await loadApplication(t.db, cipher, registrar, app)).app.assessment).toBe('pending')
    await sign(t.db, cipher, a1, id, TODAY)
    await sign(t.db, cipher, a2, id, TODAY)
    const loaded = await loadAssessment(t.db, cipher, a1, id)
    expect(loaded.reports.map((r) => [r.version, Boolean(r.supersededAt), Boolean(r.finalizedAt)])).toEqual([[1, true, true], [2, false, true]])
    expect(loaded.reports[0].facts).toBe('初稿')
    expect((await loadApplication(t.db, cipher, registrar, app)).app).toMatchObject({ assessment: 'recommended', assessment_report_on: '2026-11-02' })
  })

  test('the whole way: a signed recommending report lets the registrar register', async () => {
    const app = await makeApplication(t.db, cipher, registrar, applicationInput())
    // An institution child whose birth parents cannot be found: the notice seeking them runs its
    // sixty days first (Civil Code art. 1105).
    await receive(t.db, registrar, app, await v(app), '2026-06-01', TODAY)
    await startPublicNotice(t.db, cipher, registrar, app, await v(app), testNotice('2026-06-02'), TODAY)
    await endPublicNotice(t.db, registrar, app, await v(app), '2026-09-01', TODAY)
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'agency', agencyId, members: [g1.id, g2.id], on: '2026-09-02' }, TODAY)
    await complete(id, [g1, g2])
    await conclude(t.db, cipher, g1, id, await av(id), { reportOn: '2026-10-30', facts: '…' }, TODAY)
    await sign(t.db, cipher, g1, id, TODAY)
    await sign(t.db, cipher, g2, id, TODAY)
    const loaded = await loadApplication(t.db, cipher, registrar, app)
    for (const item of checklistStatus(loaded, TODAY)) await markDocument(t.db, registrar, app, item.code, 'verify')
    await proposeDecision(t.db, cipher, registrar, app, await v(app), { decision: 'register' }, TODAY)
    const result = await approveDecision(t.db, cipher, supervisor, app, await v(app), { serial: 'AS-1' }, TODAY)
    expect(result.registrationNumber).toBeTruthy()
    // The signed report joins the case's archive file, before the certificate copy.
    const fileId = await openFile(t.db, cipher, { applicationId: app, type: 'establishment', actorId: supervisor.id }, TODAY)
    const archived = await loadFile(t.db, registrar, fileId)
    expect(archived.documents.map((d) => d.category)).toEqual(['assessment_report', 'certificate_copy'])
    void recordFindings
  })
})

describe('attachments', () => {
  test('a photo is stored encrypted with its activity, read back by the team, and the read is audited; other files are refused', async () => {
    const app = await receivedApplication()
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    await declare(t.db, a1, id, { conflict: false })
    await setDates(t.db, a1, id, await av(id), { noticeOn: '2026-09-03', consentOn: '2026-09-05' }, TODAY)
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('家访照片')])
    const activity = { kind: 'home_visit' as const, on: '2026-09-10', place: '申请人家中', present: [a1.id], notes: '拍摄了儿童房。' }
    await expect(addActivity(t.db, cipher, a1, id, activity, TODAY, [{ filename: 'run.exe', bytes: Buffer.from('MZ\x90\x00') }])).rejects.toMatchObject({ messageKey: 'assessment.attachment.type' })
    expect((await loadAssessment(t.db, cipher, a1, id)).activities).toHaveLength(0)
    await addActivity(t.db, cipher, a1, id, activity, TODAY, [{ filename: '儿童房.png', bytes: png }])
    const loaded = await loadAssessment(t.db, cipher, a1, id)
    const file = loaded.activities[0].attachments[0]
    expect(file).toMatchObject({ filename: '儿童房.png', contentType: 'image/png', size: png.length })
    const stored = await t.db.selectFrom('blob_chunks').select('content_enc').orderBy('blob_id', 'desc').limit(1).executeTakeFirstOrThrow()
    expect(stored.content_enc.includes(Buffer.from('家访照片'))).toBe(false)
    const read = await readAttachment(t.db, cipher, registrar, id, file.id)
    expect(read.bytes.equals(png)).toBe(true)
    const audits = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute()
    expect(audits.map((a) => a.action)).toContain('assessment.attachment_read')
    await expect(readAttachment(t.db, cipher, g1, id, file.id)).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('alerts and isolation', () => {
  test('a must-report finding e-mails every supervisor in the same transaction, without details', async () => {
    await t.db.updateTable('users').set({ email: 'chief@example.test' }).where('id', '=', supervisor.id).execute()
    const app = await receivedApplication()
    const id = await commissionAssessment(t.db, registrar, app, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    await declare(t.db, a1, id, { conflict: false })
    const result = await raiseAlert(t.db, cipher, a1, id, { code: 'harm_during_integration', note: '孩子手臂有多处淤青，称被打。' })
    expect(result).toMatchObject({ police: true })
    expect(result.notified).toBeGreaterThanOrEqual(1)
    const { rows } = await sql<{ payload: { to: string; subject: string; text: string } }>`select payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'send_email'`.execute(t.db)
    const mail = rows.map((r) => r.payload).find((p) => p.to === 'chief@example.test')!
    expect(mail.subject).toContain('须报警')
    expect(mail.text).not.toContain('淤青')
  })

  test('an agency assessor sees only their agency\'s cases; in-house assessors do not see agency cases', async () => {
    const app = await receivedApplication()
    const agencyCase = await commissionAssessment(t.db, registrar, app, { mode: 'agency', agencyId, members: [g1.id, g2.id], on: '2026-09-02' }, TODAY)
    const app2 = await receivedApplication()
    const houseCase = await commissionAssessment(t.db, registrar, app2, { mode: 'in_house', members: [a1.id, a2.id], on: '2026-09-02' }, TODAY)
    await expect(loadAssessment(t.db, cipher, g1, houseCase)).rejects.toBeInstanceOf(NotFoundError)
    await expect(loadAssessment(t.db, cipher, a1, agencyCase)).rejects.toBeInstanceOf(NotFoundError)
    expect((await listAssessments(t.db, g1, {}, TODAY)).map((x) => x.id)).not.toContain(houseCase)
    // An agency assessor cannot read the application itself.
    await expect(loadApplication(t.db, cipher, g1, app)).rejects.toBeInstanceOf(NotFoundError)
    const refused = await t.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'assessment.access_refused').execute()
    expect(refused.map((r) => r.entity_id)).toEqual(expect.arrayContaining([houseCase, agencyCase]))
    await expect(addMember(t.db, a1, houseCase, a3.id)).rejects.toBeInstanceOf(ForbiddenError)
  })
})
