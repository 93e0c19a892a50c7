// Registration decisions the Civil Code dictates (audit gaps 4, 7, 8, 10): who needs a capability
// assessment, what happens to an assessment when the adopters change, which certificate may be
// printed on a blank, and a foundling whose parents are known.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry } from '#tests/support/factories.ts'
import { applicationInput, currentVersion, makeApplication, makeReadyApplication, makeRegisteredAdoption, makeViewer, reissueApproved, testTown, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { checklistStatus, loadApplication, updateApplication, type Viewer } from '#app/registration/applications.server.ts'
import {
  outsideAssessmentCheck, receive, recordOutsideAssessmentReport, registerDissolution, registrationBlockers, revoke, startOutsideAssessment,
} from '#app/registration/decisions.server.ts'
import { certificatePdf } from '#app/registration/documents.server.ts'
import { commissionAssessment, loadAssessment, type AssessorViewer } from '#app/assessment/assessments.server.ts'
import { applicationSchema, type ApplicationInput } from '#app/registration/schemas.ts'
import { citizenIdFor } from '#app/registration/demo/people.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer
let supervisor: Viewer
let assessors: AssessorViewer[]
beforeAll(async () => {
  t = await testDatabase()
  await makeRegistry(t.db)
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  assessors = [{ ...(await makeViewer(t.db, 'assessor')), agencyId: null }, { ...(await makeViewer(t.db, 'assessor')), agencyId: null }]
})
afterAll(async () => { await t.destroy() })

const v = (id: string) => currentVersion(t.db, id)
const assessmentOf = async (id: string) => (await t.db.selectFrom('applications').select('assessment').where('id', '=', id).executeTakeFirstOrThrow()).assessment

/** A widowed step-father adopting his late wife's son; who places the child is the test's choice. */
function stepchildInput(placing: 'guardian' | 'birth_parent', residenceTown: string, same?: ApplicationInput): ApplicationInput {
  const base = same ?? applicationInput({ residenceTown })
  return applicationSchema.parse({
    ...base,
    relation: 'stepchild', placingKind: placing, institutionName: undefined, joint: false, adopter2: undefined,
    consentOfSupporters: placing === 'guardian' ? 'yes' : 'unknown', otherParentUnknownOrMissing: placing === 'birth_parent',
    adopter1: { ...base.adopter1, maritalStatus: placing === 'guardian' ? 'widowed' : 'married' },
    placing1: { name: '张监护', sex: 'male', birthDate: '1960-01-01', idNumber: citizenIdFor('500111', '1960-01-01', 'male', 501) },
    child: { ...base.child, sex: 'male', name: '张小明', situation: placing === 'guardian' ? 'orphan' : 'other', inWelfareInstitution: false },
  })
}

describe('gap 4: only a step-parent adoption with the birth parent\'s consent needs no assessment', () => {
  test('a stepchild placed by the birth parent needs none', async () => {
    const town = await testTown(t.db, '500111')
    const id = await makeApplication(t.db, cipher, registrar, stepchildInput('birth_parent', town))
    expect(await assessmentOf(id)).toBe('not_required')
  })

  test('a stepchild placed by a guardian is an ordinary adoption: assessed', async () => {
    const town = await testTown(t.db, '500111')
    const id = await makeApplication(t.db, cipher, registrar, stepchildInput('guardian', town))
    expect(await assessmentOf(id)).toBe('pending')
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.app.assessment).toBe('pending')
  })

  test('changing who places the child decides the requirement again, both ways', async () => {
    const town = await testTown(t.db, '500111')
    const first = stepchildInput('birth_parent', town)
    const id = await makeApplication(t.db, cipher, registrar, first)
    await updateApplication(t.db, cipher, registrar, id, await v(id), stepchildInput('guardian', town, first))
    expect(await assessmentOf(id)).toBe('pending')
    await updateApplication(t.db, cipher, registrar, id, await v(id), stepchildInput('birth_parent', town, first))
    expect(await assessmentOf(id)).toBe('not_required')
  })
})

/** The same application with other people as adopters (new ID numbers), or only the husband replaced. */
async function inputOf(id: string, change: 'both' | 'husband' | 'address' | 'none') {
  const residenceTown = (await t.db.selectFrom('applications').select('residence_town_id').where('id', '=', id).executeTakeFirstOrThrow()).residence_town_id!
  const loaded = await loadApplication(t.db, cipher, registrar, id)
  const [p1, p2] = loaded.parties.filter((p) => p.role === 'adopter')
  const input = applicationInput({ residenceTown })
  const same = (p: typeof p1) => ({ ...input.adopter1, name: p.name, sex: p.sex!, birthDate: p.birthDate!, idNumber: p.idNumber! })
  const adopter1 = change === 'both' || change === 'husband'
    ? { ...input.adopter1, name: '另一人', idNumber: citizenIdFor('500111', '1985-03-12', 'male', 777) }
    : { ...same(p1), hukouAddress: change === 'address' ? '重庆市大足区棠香街道二环北路8号' : same(p1).hukouAddress }
  const adopter2 = change === 'both' ? { ...input.adopter2!, name: '另二人', idNumber: citizenIdFor('500111', '1986-07-01', 'female', 778) } : same(p2)
  return applicationSchema.parse({ ...input, adopter1, adopter2 })
}

const assessmentRow = (applicationId: string) =>
  t.db.selectFrom('assessments').select(['id', 'state', 'cancel_reason', 'cancelled_by']).where('application_id', '=', applicationId).orderBy('id').execute()

describe('gap 7: an assessment does not survive replacing the adopters', () => {
  test('replacing both adopters clears a recommendation back to pending (audit G3)', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    expect(await assessmentOf(id)).toBe('recommended')
    await updateApplication(t.db, cipher, registrar, id, await v(id), await inputOf(id, 'both'), TODAY)
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.app).toMatchObject({ assessment: 'pending', assessment_report_on: null, assessment_reference: null, state: 'received' })
    expect(loaded.events.map((e) => e.kind)).toContain('assessment_reset_adopters_changed')
  })

  test('replacing one adopter does it too; correcting an address of the same people does not', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    await updateApplication(t.db, cipher, registrar, id, await v(id), await inputOf(id, 'address'), TODAY)
    expect(await assessmentOf(id)).toBe('recommended')
    await updateApplication(t.db, cipher, registrar, id, await v(id), await inputOf(id, 'husband'), TODAY)
    expect(await assessmentOf(id)).toBe('pending')
  })

  test('a running assessment is cancelled with its reason; the application returns from the pause and can be assessed anew', async () => {
    const id = await makeApplication(t.db, cipher, registrar)
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    const first = await commissionAssessment(t.db, { ...registrar, agencyId: null }, id, { mode: 'in_house', members: assessors.map((a) => a.id), on: '2026-11-03' }, TODAY)
    expect((await loadApplication(t.db, cipher, registrar, id)).app.state).toBe('assessment')
    await updateApplication(t.db, cipher, registrar, id, await v(id), await inputOf(id, 'both'), TODAY)
    expect(await assessmentRow(id)).toEqual([{ id: first, state: 'cancelled', cancel_reason: 'adopters_changed', cancelled_by: registrar.id }])
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.app.state).toBe('received')
    expect(loaded.app.assessment).toBe('pending')
    expect(loaded.pauses).toEqual([{ kind: 'assessment', startedOn: '2026-11-03', endedOn: TODAY }])
    expect(loaded.app.review_due_on).not.toBeNull()
    const page = await loadAssessment(t.db, cipher, { ...registrar, agencyId: null }, first)
    expect(page.header).toMatchObject({ state: 'cancelled', cancelReason: 'adopters_changed' })
    const audit = await t.db.selectFrom('audit_log').select(['action', 'summary']).where('entity_type', '=', 'assessment').where('entity_id', '=', first).where('action', '=', 'assessment.cancelled').execute()
    expect(audit).toHaveLength(1)
    // The new people are assessed by a new assessment (one live assessment per application).
    const second = await commissionAssessment(t.db, { ...registrar, agencyId: null }, id, { mode: 'in_house', members: assessors.map((a) => a.id), on: TODAY }, TODAY)
    expect(second).not.toBe(first)
  })

  test('a case that becomes a step-parent adoption cancels its assessment (no longer needed)', async () => {
    const town = await testTown(t.db, '500111')
    const first = stepchildInput('guardian', town)
    const id = await makeApplication(t.db, cipher, registrar, first)
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    await commissionAssessment(t.db, { ...registrar, agencyId: null }, id, { mode: 'in_house', members: assessors.map((a) => a.id), on: '2026-11-03' }, TODAY)
    await updateApplication(t.db, cipher, registrar, id, await v(id), stepchildInput('birth_parent', town, first), TODAY)
    expect((await assessmentRow(id)).map((a) => [a.state, a.cancel_reason])).toEqual([['cancelled', 'case_changed']])
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.app).toMatchObject({ state: 'received', assessment: 'not_required' })
  })

  test('the database keeps the reason and the cancelled state together', async () => {
    const id = await makeApplication(t.db, cipher, registrar)
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    const a = await commissionAssessment(t.db, { ...registrar, agencyId: null }, id, { mode: 'in_house', members: assessors.map((x) => x.id), on: '2026-11-03' }, TODAY)
    await expect(t.db.updateTable('assessments').set({ state: 'cancelled' }).where('id', '=', a).execute()).rejects.toThrow(/assessments_cancel_reason/)
  })
})

describe('gap 8: the certificate is printed onto a blank only for a registered adoption with a valid certificate', () => {
  const blank = (id: string, certificateId?: string) => loadApplication(t.db, cipher, registrar, id).then((loaded) => certificatePdf(t.db, loaded, { mode: 'blank', certificateId }))
  const copy = (id: string) => loadApplication(t.db, cipher, registrar, id).then((loaded) => certificatePdf(t.db, loaded, { mode: 'copy' }))

  test('a registered adoption prints', async () => {
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    expect((await blank(id)).byteLength).toBeGreaterThan(1000)
  })

  test('revoked (certificate confiscated, or not recovered): refused with a message; the file copy still renders (audit G5)', async () => {
    const confiscated = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    await revoke(t.db, supervisor, confiscated, await v(confiscated), { reason: '欺诈', certificateConfiscated: true }, TODAY)
    await expect(blank(confiscated)).rejects.toMatchObject({ messageKey: 'registration.certificate.blank.revoked' })
    expect((await copy(confiscated)).byteLength).toBeGreaterThan(1000)
    const lost = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    await revoke(t.db, supervisor, lost, await v(lost), { reason: '欺诈', certificateConfiscated: false, notRecoveredNote: '当事人称已遗失' }, TODAY)
    await expect(blank(lost)).rejects.toMatchObject({ messageKey: 'registration.certificate.blank.revoked' })
  })

  test('dissolved: refused with a message', async () => {
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    await registerDissolution(t.db, cipher, registrar, id, await v(id), { agreementOn: TODAY, childConsents: null, certificateReturned: true }, TODAY)
    await expect(blank(id)).rejects.toMatchObject({ messageKey: 'registration.certificate.blank.dissolved' })
  })

  test('a certificate voided by a reissue is refused; the reissued one prints', async () => {
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    const [old] = await t.db.selectFrom('certificates').select('id').where('application_id', '=', id).execute()
    await reissueApproved(t.db, registrar, supervisor, id, { reason: '遗失补发', serial: `R-${id}` })
    await expect(blank(id, old.id)).rejects.toMatchObject({ messageKey: 'registration.certificate.blank.notValid' })
    expect((await blank(id)).byteLength).toBeGreaterThan(1000)
  })
})

describe('gap 10: a foundling is a child whose birth parents cannot be found', () => {
  const raw = (situation: string, foundling: boolean) => ({ ...applicationInput(), foundling, child: { ...applicationInput().child, situation } })

  test('the form refuses a foundling with another situation, the message next to both fields', () => {
    for (const situation of ['orphan', 'parents_in_difficulty', 'other']) {
      const result = applicationSchema.safeParse(raw(situation, true))
      expect(result.success).toBe(false)
      const issues = result.error!.issues.map((i) => [i.path.join('.'), i.message])
      expect(issues).toContainEqual(['child.situation', 'registration.foundlingSituation'])
      expect(issues).toContainEqual(['foundling', 'registration.foundlingSituation'])
    }
    expect(applicationSchema.safeParse(raw('parents_not_found', true)).success).toBe(true)
    expect(applicationSchema.safeParse(raw('orphan', false)).success).toBe(true)
  })

  test('such a record already stored (e.g. before this rule) does not break the case: the checklist lists, a blocker explains (audit G4)', async () => {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    // Stored before the form refused it: the foundling flag set on a child recorded as an orphan.
    await t.db.updateTable('applications').set({ foundling: true }).where('id', '=', id).execute()
    await t.db.updateTable('parties').set({ situation: 'orphan' }).where('application_id', '=', id).where('role', '=', 'child').execute()
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(() => checklistStatus(loaded, TODAY)).not.toThrow()
    expect(registrationBlockers(loaded, TODAY).map((b) => b.key)).toContain('registration.blocker.foundlingSituation')
  })
})

describe('gap 5: an assessment made outside the system only where the local rule allows it', () => {
  const report = { conclusion: 'recommended' as const, reportOn: TODAY, reference: '外地评估〔2026〕1号' }

  test('an ordinary couple cannot have one registrar record the conclusion alone: the step is refused and not offered', async () => {
    const id = await makeApplication(t.db, cipher, registrar)
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    await expect(startOutsideAssessment(t.db, cipher, registrar, id, await v(id), '2026-11-03', TODAY))
      .rejects.toMatchObject({ messageKey: 'registration.assessment.outsideNotAllowed' })
    expect(await outsideAssessmentCheck(t.db, cipher, id, 'start')).toBe('registration.assessment.outsideNotAllowed')
    expect((await loadApplication(t.db, cipher, registrar, id)).app.state).toBe('received')
  })

  test('overseas Chinese adopters, or a Hong Kong, Macao or Taiwan residence permit, may bring their report', async () => {
    const base = applicationInput({ residenceTown: await testTown(t.db, '500111') })
    const overseas = await makeApplication(t.db, cipher, registrar, { adopter1: { ...base.adopter1, overseasChinese: true } })
    const hongKong = await makeApplication(t.db, cipher, registrar, { adopter2: { ...base.adopter2!, idNumber: citizenIdFor('810000', '1986-07-01', 'female', 77) } })
    for (const id of [overseas, hongKong]) {
      await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
      await startOutsideAssessment(t.db, cipher, registrar, id, await v(id), '2026-11-03', TODAY)
      await recordOutsideAssessmentReport(t.db, cipher, registrar, id, await v(id), report, TODAY)
      expect(await assessmentOf(id)).toBe('recommended')
    }
  })

  test('never over an assessment running in the system: its team signs the conclusion', async () => {
    const base = applicationInput({ residenceTown: await testTown(t.db, '500111') })
    const id = await makeApplication(t.db, cipher, registrar, { adopter1: { ...base.adopter1, overseasChinese: true } })
    await receive(t.db, registrar, id, await v(id), '2026-11-02', TODAY)
    await commissionAssessment(t.db, { ...registrar, agencyId: null }, id, { mode: 'in_house', members: assessors.map((a) => a.id), on: '2026-11-03' }, TODAY)
    expect((await loadApplication(t.db, cipher, registrar, id)).app.state).toBe('assessment')
    await expect(recordOutsideAssessmentReport(t.db, cipher, registrar, id, await v(id), report, TODAY))
      .rejects.toMatchObject({ messageKey: 'registration.assessment.outsideOverRunning' })
    expect(await assessmentOf(id)).toBe('pending')
  })
})
