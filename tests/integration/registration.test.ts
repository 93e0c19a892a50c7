// The registration workflow against real PostgreSQL: every transition, the review clock, the
// four-eyes approval, numbering under concurrency, stale versions, registry and secrecy scoping.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { applicationInput, currentVersion, makeApplication, makeReadyApplication, makeViewer, reissueApproved, testNotice as notice, testTown, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '#app/platform/http.server.ts'
import { InvalidStateError, loadApplication, ProcedureError, updateApplication, type Viewer } from '#app/registration/applications.server.ts'
import {
  approveDecision, endPublicNotice, proposeDecision, receive, recordAssessmentReport, registerDissolution, registrationBlockers,
  returnDecision, revoke, startAssessment, startPublicNotice, withdraw,
} from '#app/registration/decisions.server.ts'
import { listApplications } from '#app/registration/ledger.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { citizenIdFor } from '#app/registration/demo/people.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer
let registrar2: Viewer
let supervisor: Viewer
beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  await t.db.updateTable('registries').set({ number_prefix: '渝大足' }).where('code', '=', '500111').execute()
  registrar = await makeViewer(t.db, 'registrar')
  registrar2 = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
})
afterAll(async () => { await t.destroy() })

const v = (id: string) => currentVersion(t.db, id)
const state = async (id: string) => (await t.db.selectFrom('applications').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state

describe('transitions', () => {
  test('draft → received starts the clock; the due date is stored', async () => {
    const id = await makeApplication(t.db, cipher, registrar)
    expect(await state(id)).toBe('draft')
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    const row = await t.db.selectFrom('applications').select(['state', 'received_on', 'review_due_on']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toEqual({ state: 'received', received_on: '2026-11-02', review_due_on: '2026-12-02' })
  })

  test('a receipt date in the future is refused', async () => {
    const id = await makeApplication(t.db, cipher, registrar)
    await expect(receive(t.db, registrar, id, await v(id), '2026-11-29', TODAY)).rejects.toBeInstanceOf(ProcedureError)
  })

  test('assessment pauses the clock and its report resumes it, shifting the due date', async () => {
    const id = await makeApplication(t.db, cipher, registrar)
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    await startAssessment(t.db, registrar, id, await v(id), '2026-11-05', TODAY)
    let row = await t.db.selectFrom('applications').select(['state', 'review_due_on']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toEqual({ state: 'assessment', review_due_on: null })
    await recordAssessmentReport(t.db, registrar, id, await v(id), { conclusion: 'recommended', reportOn: '2026-11-20', reference: 'R-1' }, TODAY)
    row = await t.db.selectFrom('applications').select(['state', 'review_due_on']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toEqual({ state: 'received', review_due_on: '2026-12-17' })
  })

  test('a stepchild adoption needs no assessment and cannot be sent to one', async () => {
    const id = await makeApplication(t.db, cipher, registrar, {
      relation: 'stepchild', placingKind: 'birth_parent', otherParentUnknownOrMissing: true, institutionName: undefined,
      joint: false, adopter2: undefined,
      placing1: { name: '李秀英', sex: 'female', birthDate: '1986-07-01', idNumber: citizenIdFor('500111', '1986-07-01', 'female', 77) },
      child: { ...applicationInput().child, situation: 'other', inWelfareInstitution: false },
    })
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.app.assessment).toBe('not_required')
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    await expect(startAssessment(t.db, registrar, id, await v(id), '2026-11-03', TODAY)).rejects.toMatchObject({ messageKey: 'registration.assessment.notRequired' })
  })

  test('a foundling needs its 60-day notice before the decision; the notice cannot end before its sixty full days', async () => {
    const id = await makeApplication(t.db, cipher, registrar, { foundling: true })
    await receive(t.db, registrar, id, await v(id), '2026-08-01', TODAY)
    await startPublicNotice(t.db, cipher, registrar, id, await v(id), notice('2026-08-03'), TODAY)
    expect(await state(id)).toBe('public_notice')
    // Published 3 Aug: the 60th day is 2 Oct, inside the National Day holiday (1–7 Oct), so the
    // last day is 8 Oct (art. 203) and the end can be recorded from 9 Oct.
    await expect(endPublicNotice(t.db, registrar, id, await v(id), '2026-10-02', TODAY)).rejects.toMatchObject({ messageKey: 'registration.notice.tooEarly', params: { lastDay: '2026-10-08', date: '2026-10-09' } })
    await expect(endPublicNotice(t.db, registrar, id, await v(id), '2026-10-08', TODAY)).rejects.toMatchObject({ messageKey: 'registration.notice.tooEarly' })
    await endPublicNotice(t.db, registrar, id, await v(id), '2026-10-09', TODAY)
    expect(await state(id)).toBe('received')
    const row = await t.db.selectFrom('public_notices').selectAll().where('application_id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ published_on: '2026-08-03', medium: 'newspaper', outlet: '重庆日报', photo_content_type: 'image/png' })
  })

  test('a child in a welfare institution whose birth parents cannot be found needs the notice too (art. 1105 para. 2)', async () => {
    // The commonest domestic case: placed by the institution, not a foundling.
    const id = await makeApplication(t.db, cipher, registrar)
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.parties.find((p) => p.role === 'child')).toMatchObject({ situation: 'parents_not_found', inWelfareInstitution: true })
    expect(loaded.app.foundling).toBe(false)
    expect(registrationBlockers(loaded, TODAY).map((b) => b.key)).toContain('registration.blocker.notice')
    await receive(t.db, registrar, id, await v(id), '2026-08-01', TODAY)
    await startPublicNotice(t.db, cipher, registrar, id, await v(id), notice('2026-08-03', 'website'), TODAY)
    await endPublicNotice(t.db, registrar, id, await v(id), '2026-10-09', TODAY)
    expect(registrationBlockers(await loadApplication(t.db, cipher, registrar, id), TODAY).map((b) => b.key)).not.toContain('registration.blocker.notice')
  })

  test('art. 1095: a guardian places a child whose parents both lack full capacity; the evidence is on the checklist, no notice', async () => {
    const id = await makeApplication(t.db, cipher, registrar, {
      placingKind: 'guardian', institutionName: undefined,
      placing1: { name: '张桂芳', sex: 'female', birthDate: '1958-02-01', idNumber: citizenIdFor('500111', '1958-02-01', 'female', 95), hukouAddress: '重庆市大足区龙岗街道五星大道9号' },
      child: { ...applicationInput().child, situation: 'parents_lack_capacity', inWelfareInstitution: false },
    })
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.parties.find((p) => p.role === 'child')?.situation).toBe('parents_lack_capacity')
    const blockers = registrationBlockers(loaded, TODAY).map((b) => b.key === 'registration.blocker.ruleFails' ? `fails ${b.params?.rule}` : b.key === 'registration.blocker.document' ? `doc ${b.params?.code}` : b.key)
    expect(blockers).not.toContain('fails 1094')
    expect(blockers).not.toContain('fails 1093')
    expect(blockers).toContain('doc parents_incapacity_proof')
    expect(blockers).not.toContain('registration.blocker.notice')
  })

  test('art. 1108: a surviving parent places the child; the deceased parent\'s parents\' priority blocks until recorded', async () => {
    const mother = { name: '陈晓梅', sex: 'female' as const, birthDate: '1990-02-01', idNumber: citizenIdFor('500111', '1990-02-01', 'female', 96), hukouAddress: '重庆市大足区龙岗街道五星大道9号' }
    const input = {
      placingKind: 'birth_parent' as const, institutionName: undefined, otherParentDeceased: true, placing1: mother,
      child: { ...applicationInput().child, situation: 'parents_in_difficulty' as const, inWelfareInstitution: false },
    }
    const id = await makeApplication(t.db, cipher, registrar, input)
    let loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.app).toMatchObject({ other_parent_deceased: true, deceased_parents_parents: 'unknown' })
    const keys = (l: typeof loaded) => registrationBlockers(l, TODAY).map((b) => (b.key === 'registration.blocker.document' ? `doc ${b.params?.code}` : b.key === 'registration.blocker.ruleFails' ? `fails ${b.params?.rule}` : b.key))
    expect(keys(loaded)).toContain('registration.blocker.grandparents1108')
    expect(keys(loaded)).not.toContain('fails 1097') // the survivor places alone
    expect(keys(loaded)).toContain('doc deceased_parent_death_proof')
    expect(keys(loaded)).toContain('doc grandparents_status_proof')
    // The grandparents waive their priority in writing: the blocker gives way to the written waiver.
    await updateApplication(t.db, cipher, registrar, id, await v(id), applicationInput({ ...input, deceasedParentsParents: 'waived', residenceTown: await testTown(t.db, '500111') }))
    loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(keys(loaded)).not.toContain('registration.blocker.grandparents1108')
    expect(keys(loaded)).toContain('doc grandparents_waiver')
    // The database keeps the facts together: a death without the grandparents' status is refused.
    await expect(t.db.updateTable('applications').set({ deceased_parents_parents: null }).where('id', '=', id).execute()).rejects.toMatchObject({ code: '23514' })
  })

  test('the notice is only for a child whose birth parents cannot be found; its photo must be an image', async () => {
    const orphan = await makeApplication(t.db, cipher, registrar, { child: { ...applicationInput().child, situation: 'orphan', inWelfareInstitution: true } })
    await receive(t.db, registrar, orphan, await v(orphan), '2026-11-02', TODAY)
    await expect(startPublicNotice(t.db, cipher, registrar, orphan, await v(orphan), notice('2026-11-03'), TODAY)).rejects.toMatchObject({ messageKey: 'registration.notice.onlyParentsNotFound' })
    const id = await makeApplication(t.db, cipher, registrar)
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    await expect(startPublicNotice(t.db, cipher, registrar, id, await v(id), { ...notice('2026-11-03'), photo: new TextEncoder().encode('not an image') }, TODAY))
      .rejects.toMatchObject({ messageKey: 'registration.notice.photoType' })
    expect(await state(id)).toBe('received')
    expect(await t.db.selectFrom('public_notices').select('id').where('application_id', '=', id).execute()).toHaveLength(0)
  })

  test('registration cannot be proposed while anything blocks it, and the blockers say what', async () => {
    const id = await makeApplication(t.db, cipher, registrar)
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    const blockers = registrationBlockers(await loadApplication(t.db, cipher, registrar, id), TODAY)
    expect(blockers.map((b) => b.key)).toEqual(expect.arrayContaining([
      'registration.blocker.rulePending', 'registration.blocker.assessment', 'registration.blocker.document',
    ]))
    await expect(proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)).rejects.toMatchObject({ messageKey: 'registration.blocker.some' })
    expect(await state(id)).toBe('received')
  })

  test('propose → approve registers with a number, a date and a certificate; both people recorded', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    expect(registrationBlockers(await loadApplication(t.db, cipher, registrar, id), TODAY)).toEqual([])
    await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)
    expect(await state(id)).toBe('pending_approval')
    const { registrationNumber } = await approveDecision(t.db, cipher, supervisor, id, await v(id), { serial: 'S-000001' }, TODAY)
    expect(registrationNumber).toMatch(/^（2026）渝大足收字第\d{4}号$/)
    const loaded = await loadApplication(t.db, cipher, supervisor, id)
    expect(loaded.app).toMatchObject({ state: 'registered', registered_on: TODAY, decision_proposed_by: registrar.id, approved_by: supervisor.id, review_due_on: null })
    expect(loaded.certificates).toMatchObject([{ kind: 'adoption', number: registrationNumber, serial: 'S-000001', status: 'valid' }])
    expect(loaded.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['created', 'receive', 'propose_decision', 'approve_registration']))
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute()
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['application.propose_decision', 'application.approve_registration']))
  })

  test('a certificate is not issued when a name has a character the font lacks; the character is named', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar, { child: { ...applicationInput().child, nameAfterAdoption: '王𠮷' } })
    await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)
    await expect(approveDecision(t.db, cipher, supervisor, id, await v(id), { serial: 'GLYPH-1' }, TODAY))
      .rejects.toMatchObject({ messageKey: 'registration.missingGlyph', params: { chars: '𠮷' } })
    expect(await state(id)).toBe('pending_approval')
  })

  test('the proposer cannot approve their own decision (four eyes)', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    const both: Viewer = { ...registrar, roles: ['registrar', 'supervisor'] }
    await proposeDecision(t.db, cipher, both, id, await v(id), { decision: 'register' }, TODAY)
    await expect(approveDecision(t.db, cipher, both, id, await v(id), { serial: 'S-4EYES' }, TODAY)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(sql`update applications set approved_by = decision_proposed_by where id = ${id}`.execute(t.db)).rejects.toThrow(/applications_four_eyes/)
  })

  test('a supervisor can return a proposal; the registrar can then refuse with facts and basis', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)
    await returnDecision(t.db, supervisor, id, await v(id), '补充询问笔录')
    expect(await state(id)).toBe('received')
    await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'refuse', ground: 'adopter_conditions', facts: '收养人隐瞒犯罪记录', basis: '《民法典》第一千零九十八条第四项' }, TODAY)
    await approveDecision(t.db, cipher, supervisor, id, await v(id), {}, TODAY)
    const loaded = await loadApplication(t.db, cipher, supervisor, id)
    expect(loaded.app).toMatchObject({ state: 'refused', refused_on: TODAY, decision: 'refuse', refusal_ground: 'adopter_conditions', registration_number: null })
  })

  test('withdrawal closes an open case and any running pause', async () => {
    const id = await makeApplication(t.db, cipher, registrar)
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    await startAssessment(t.db, registrar, id, await v(id), '2026-11-05', TODAY)
    await withdraw(t.db, registrar, id, await v(id), '申请人撤回', TODAY)
    expect(await state(id)).toBe('withdrawn')
    const open = await t.db.selectFrom('clock_pauses').select('id').where('application_id', '=', id).where('ended_on', 'is', null).execute()
    expect(open).toHaveLength(0)
    await expect(receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)).rejects.toBeInstanceOf(InvalidStateError)
  })

  test('reissue voids the old certificate and keeps the number; a serial cannot be used twice', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)
    await approveDecision(t.db, cipher, supervisor, id, await v(id), { serial: 'S-R1' }, TODAY)
    await reissueApproved(t.db, registrar, supervisor, id, { reason: '遗失', serial: 'S-R2' })
    const certs = (await loadApplication(t.db, cipher, registrar, id)).certificates
    expect(certs.map((c) => [c.serial, c.status])).toEqual([['S-R1', 'superseded'], ['S-R2', 'valid']])
    expect(certs[0].number).toBe(certs[1].number)
    await expect(reissueApproved(t.db, registrar, supervisor, id, { reason: '损毁', serial: 'S-R1', kind: 'damaged' })).rejects.toMatchObject({ messageKey: 'registration.serialTaken' })
  })

  test('dissolution takes the certificate back and issues a numbered dissolution certificate', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)
    await approveDecision(t.db, cipher, supervisor, id, await v(id), { serial: 'S-D1' }, TODAY)
    const number = await registerDissolution(t.db, cipher, registrar, id, await v(id), { agreementOn: TODAY, childConsents: null, certificateReturned: true }, TODAY)
    expect(number).toMatch(/解字第\d{4}号/)
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.app.state).toBe('dissolved')
    expect(loaded.certificates.map((c) => [c.kind, c.status])).toEqual([['adoption', 'returned'], ['dissolution', 'valid']])
  })

  test('dissolution needs the consent of a child aged 8 or over', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar, {
      child: { ...applicationInput().child, birthDate: '2018-11-28', consents: 'yes' },
    })
    await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)
    await approveDecision(t.db, cipher, supervisor, id, await v(id), { serial: 'S-D8' }, TODAY)
    await expect(registerDissolution(t.db, cipher, registrar, id, await v(id), { agreementOn: TODAY, childConsents: null, certificateReturned: true }, TODAY))
      .rejects.toMatchObject({ messageKey: 'registration.dissolution.childConsent' })
  })

  test('revocation voids the registration and records the confiscated certificate', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)
    await approveDecision(t.db, cipher, supervisor, id, await v(id), { serial: 'S-V1' }, TODAY)
    await revoke(t.db, supervisor, id, await v(id), { reason: '提交伪造的婚姻状况证明', certificateConfiscated: true }, TODAY)
    const loaded = await loadApplication(t.db, cipher, supervisor, id)
    expect(loaded.app.state).toBe('revoked')
    expect(loaded.revocation).toMatchObject({ reason: '提交伪造的婚姻状况证明', certificate_confiscated: true })
    expect(loaded.certificates[0].status).toBe('confiscated')
  })

  test('the database refuses a state outside the table and a registration without its number', async () => {
    const id = await makeApplication(t.db, cipher, registrar)
    await expect(sql`update applications set state = 'approved' where id = ${id}`.execute(t.db)).rejects.toThrow(/check constraint/)
    await expect(sql`update applications set state = 'registered', received_on = '2026-11-01' where id = ${id}`.execute(t.db)).rejects.toThrow(/applications_registered_complete/)
  })
})

describe('concurrency', () => {
  test('50 registrations approved at the same moment get 50 distinct numbers without gaps', async () => {
    const year = 2026
    const before = await t.db.selectFrom('number_counters').select('last_value').where('kind', '=', 'adoption').where('year', '=', year).executeTakeFirst()
    const start = before?.last_value ?? 0
    const ids: string[] = []
    for (let i = 0; i < 50; i++) {
      const id = await makeReadyApplication(t.db, cipher, registrar)
      await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)
      ids.push(id)
    }
    const versions = await Promise.all(ids.map((id) => v(id)))
    const results = await Promise.all(ids.map((id, i) => approveDecision(t.db, cipher, supervisor, id, versions[i], { serial: `C-${i}` }, TODAY)))
    const seqs = (await t.db.selectFrom('applications').select('registration_seq').where('id', 'in', ids).execute()).map((r) => r.registration_seq!).sort((a, b) => a - b)
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => start + i + 1))
    expect(new Set(results.map((r) => r.registrationNumber)).size).toBe(50)
  })

  test('a rolled-back decision gives its number back: no gap', async () => {
    const a = await makeReadyApplication(t.db, cipher, registrar)
    await proposeDecision(t.db, cipher, registrar, a, await v(a), { decision: 'register' }, TODAY)
    await t.db.insertInto('certificates').values({ application_id: a, kind: 'adoption', number: 'y', serial: 'TAKEN2', issued_on: TODAY, issued_by: supervisor.id, status: 'void' }).execute()
    const before = (await t.db.selectFrom('number_counters').select('last_value').where('kind', '=', 'adoption').where('year', '=', 2026).executeTakeFirstOrThrow()).last_value
    // The serial is taken: the whole approval rolls back, number included.
    await expect(approveDecision(t.db, cipher, supervisor, a, await v(a), { serial: 'TAKEN2' }, TODAY)).rejects.toMatchObject({ messageKey: 'registration.serialTaken' })
    const after = (await t.db.selectFrom('number_counters').select('last_value').where('kind', '=', 'adoption').where('year', '=', 2026).executeTakeFirstOrThrow()).last_value
    expect(after).toBe(before)
    expect(await state(a)).toBe('pending_approval')
  })

  test('two registrars editing the same application: the second gets a conflict', async () => {
    const id = await makeApplication(t.db, cipher, registrar)
    const loaded = await v(id)
    const residenceTown = await testTown(t.db, registrar.registryCode)
    await updateApplication(t.db, cipher, registrar, id, loaded, applicationInput({ deFactoSince: '2024-01-01', residenceTown }))
    await expect(updateApplication(t.db, cipher, registrar, id, loaded, applicationInput({ residenceTown }))).rejects.toBeInstanceOf(ConflictError)
    await expect(receive(t.db, registrar, id, loaded, '2026-11-02', TODAY)).rejects.toBeInstanceOf(ConflictError)
  })

  test('two supervisors approving at once: one wins, the other gets a conflict', async () => {
    const supervisor2 = await makeViewer(t.db, 'supervisor')
    const id = await makeReadyApplication(t.db, cipher, registrar)
    await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)
    const version = await v(id)
    const results = await Promise.allSettled([
      approveDecision(t.db, cipher, supervisor, id, version, { serial: 'P-1' }, TODAY),
      approveDecision(t.db, cipher, supervisor2, id, version, { serial: 'P-2' }, TODAY),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(failure.reason).toBeInstanceOf(ConflictError)
  })
})

describe('scoping and search', () => {
  test('one registry can never read another registry\'s cases', async () => {
    await ensureRegistry(t.db, '500112', '另一区民政局')
    const foreign = await makeViewer(t.db, 'supervisor', '500112')
    const id = await makeApplication(t.db, cipher, registrar)
    await expect(loadApplication(t.db, cipher, foreign, id)).rejects.toBeInstanceOf(NotFoundError)
    const page = await listApplications(t.db, cipher, foreign, {}, TODAY)
    expect(page.rows.map((r) => r.id)).not.toContain(id)
    await expect(receive(t.db, foreign, id, await v(id), '2026-11-02', TODAY)).rejects.toBeInstanceOf(NotFoundError)
  })

  test('a secrecy case is visible to its registrar, supervisors and archivists only', async () => {
    const id = await makeApplication(t.db, cipher, registrar, { secrecy: true, secrecyRequestedBy: 'adopter' })
    const archivist = await makeViewer(t.db, 'archivist')
    await expect(loadApplication(t.db, cipher, registrar, id)).resolves.toBeTruthy()
    await expect(loadApplication(t.db, cipher, supervisor, id)).resolves.toBeTruthy()
    await expect(loadApplication(t.db, cipher, archivist, id)).resolves.toBeTruthy()
    await expect(loadApplication(t.db, cipher, registrar2, id)).rejects.toBeInstanceOf(NotFoundError)
    expect((await listApplications(t.db, cipher, registrar2, {}, TODAY)).rows.map((r) => r.id)).not.toContain(id)
  })

  test('search by citizen ID number finds the case through the keyed hash; the column holds no plain number', async () => {
    const input = applicationInput()
    const id = await makeApplication(t.db, cipher, registrar, input)
    const stored = await t.db.selectFrom('parties').select(['id_number_enc', 'id_hash']).where('application_id', '=', id).where('role', '=', 'adopter').execute()
    expect(stored.every((p) => !p.id_number_enc!.includes(input.adopter1.idNumber!.slice(6, 14)))).toBe(true)
    const found = await listApplications(t.db, cipher, registrar, { q: input.adopter2!.idNumber!.toLowerCase() }, TODAY)
    expect(found.rows.map((r) => r.id)).toEqual([id])
  })

  test('name search by the character-pair index keeps the ilike rule: one character, a pair in order, Latin letters in any case, wildcards literal', async () => {
    const child = applicationInput().child
    const a = await makeApplication(t.db, cipher, registrar, { child: { ...child, name: '翀骞Mary Ann' } })
    const b = await makeApplication(t.db, cipher, registrar, { child: { ...child, name: '骞翀' } })
    const ids = async (q: string) => (await listApplications(t.db, cipher, registrar, { q }, TODAY)).rows.map((r) => r.id).sort()
    expect(await ids('翀骞')).toEqual([a])
    expect(await ids('骞翀')).toEqual([b])
    expect(await ids('翀')).toEqual([a, b].sort())
    expect(await ids('mARY a')).toEqual([a])
    expect(await ids('骞M')).toEqual([a])
    expect(await ids('翀_')).toEqual([])
    expect(await ids('翀%')).toEqual([])
  })

  test('search by name and by registration number; filter late cases; page by key', async () => {
    const id = await makeApplication(t.db, cipher, registrar, { child: { ...applicationInput().child, name: '独特名字' } })
    expect((await listApplications(t.db, cipher, registrar, { q: '独特' }, TODAY)).rows.map((r) => r.id)).toEqual([id])
    const late = await makeApplication(t.db, cipher, registrar)
    await receive(t.db, registrar, late, await v(late), '2026-10-12', TODAY)
    const lateRows = (await listApplications(t.db, cipher, registrar, { due: 'late' }, TODAY)).rows
    expect(lateRows.map((r) => r.id)).toContain(late)
    expect(lateRows.every((r) => r.dueOn! < TODAY)).toBe(true)
    const first = await listApplications(t.db, cipher, supervisor, {}, TODAY)
    expect(first.rows).toHaveLength(50)
    const second = await listApplications(t.db, cipher, supervisor, { after: first.next! }, TODAY)
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(first.rows.length + second.rows.length)
    const registered = (await listApplications(t.db, cipher, supervisor, { state: 'registered' }, TODAY)).rows[0]
    expect((await listApplications(t.db, cipher, supervisor, { q: registered.registrationNumber! }, TODAY)).rows.map((r) => r.id)).toEqual([registered.id])
  })
})

describe('dates of steps', () => {
  test('a step cannot be dated before the receipt or an earlier pause; pauses never overlap', async () => {
    const id = await makeApplication(t.db, cipher, registrar, { foundling: true })
    await receive(t.db, registrar, id, await v(id), '2026-08-01', TODAY)
    await expect(startPublicNotice(t.db, cipher, registrar, id, await v(id), notice('2026-07-30'), TODAY)).rejects.toMatchObject({ messageKey: 'registration.dateBeforeReceipt' })
    await startPublicNotice(t.db, cipher, registrar, id, await v(id), notice('2026-08-02'), TODAY)
    await endPublicNotice(t.db, registrar, id, await v(id), '2026-10-09', TODAY)
    await expect(startAssessment(t.db, registrar, id, await v(id), '2026-09-01', TODAY)).rejects.toMatchObject({ messageKey: 'registration.dateBeforePause' })
    await startAssessment(t.db, registrar, id, await v(id), '2026-10-09', TODAY)
    await expect(recordAssessmentReport(t.db, registrar, id, await v(id), { conclusion: 'recommended', reportOn: '2026-10-01', reference: 'R' }, TODAY))
      .rejects.toMatchObject({ messageKey: 'registration.reportBeforeCommission' })
  })

  test('the registration is dated the day of approval: a backdated (or later) date is refused', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    await proposeDecision(t.db, cipher, registrar, id, await v(id), { decision: 'register' }, TODAY)
    for (const registeredOn of ['2026-11-19', '2026-11-27', '2026-11-29']) {
      await expect(approveDecision(t.db, cipher, supervisor, id, await v(id), { serial: 'DATE-1', registeredOn }, TODAY))
        .rejects.toMatchObject({ messageKey: 'registration.registeredOnToday' })
    }
    await approveDecision(t.db, cipher, supervisor, id, await v(id), { serial: 'DATE-1' }, TODAY)
    expect(await t.db.selectFrom('applications').select('registered_on').where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ registered_on: TODAY })
  })
})
