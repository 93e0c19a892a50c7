// Entrusted assessment agencies against real PostgreSQL: create and update with audit, the credit
// code (valid, and unique per registry), tying assessor accounts, and registry scoping.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { applicationInput, makeViewer, testTown } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { NotFoundError } from '#app/platform/http.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { agencySchema } from '#app/assessment/schemas.ts'
import {
  AssessorBusyError, createAgency, CreditCodeTakenError, getAgency, listAgencies, listAssessorAccounts, NotAssessorError, setUserAgency,
  updateAgency, type AgencyInput,
} from '#app/assessment/agencies.server.ts'
import { creditCodeCheckChar } from '#app/assessment/credit-code.ts'
import { currentInstrument } from '#app/assessment/instruments.server.ts'
import { createApplication, type Viewer } from '#app/registration/applications.server.ts'

let t: TestDatabase
let admin: Viewer
let otherAdmin: Viewer

const VALID = '91110000100006485K'

function input(overrides: Record<string, unknown> = {}): AgencyInput {
  return agencySchema.parse({
    legalName: '大足区阳光社会工作服务中心', creditCode: VALID, businessScope: '社会工作服务、收养评估',
    contractFrom: '2026-01-01', contractTo: '2026-12-31', dpaSignedOn: '2026-01-05', ...overrides,
  })
}

/** Another valid credit code: the first 17 characters given, the check character computed. */
const codeOf = (first17: string) => first17 + creditCodeCheckChar(first17)

const auditOf = (entityId: string, action: string) =>
  t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).where('action', '=', action).execute()

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  await ensureRegistry(t.db, '500112', '重庆市綦江区民政局')
  admin = await makeViewer(t.db, 'sysadmin')
  otherAdmin = await makeViewer(t.db, 'sysadmin', '500112')
})
afterAll(async () => { await t.destroy() })

describe('agencies', () => {
  test('an agency is created and updated, each change audited', async () => {
    const id = await createAgency(t.db, admin, input())
    const created = await getAgency(t.db, '500111', id)
    expect(created).toMatchObject({ legalName: '大足区阳光社会工作服务中心', creditCode: VALID, dpaSignedOn: '2026-01-05', active: true, assessors: 0 })
    expect(await auditOf(id, 'assessment.agency_created')).toHaveLength(1)

    await updateAgency(t.db, admin, id, { ...input({ legalName: '大足区阳光社工服务中心', contractTo: '2027-06-30', dpaSignedOn: undefined }), active: false })
    const updated = await getAgency(t.db, '500111', id)
    expect(updated).toMatchObject({ legalName: '大足区阳光社工服务中心', contractTo: '2027-06-30', dpaSignedOn: null, active: false })
    const [row] = await auditOf(id, 'assessment.agency_updated')
    expect(row.actor_id).toBe(admin.id)
    expect(row.summary).toMatchObject({
      legalName: ['大足区阳光社会工作服务中心', '大足区阳光社工服务中心'],
      contractTo: ['2026-12-31', '2027-06-30'],
      dpaSignedOn: ['2026-01-05', null],
      active: [true, false],
    })
    expect(row.summary).not.toHaveProperty('creditCode')
    expect((await listAgencies(t.db, '500111')).map((a) => a.id)).toContain(id)
  })

  test('a credit code already used by another agency of the registry is refused, on create and on update', async () => {
    const code = codeOf('91500111MA5U00001')
    const first = await createAgency(t.db, admin, input({ creditCode: code }))
    await expect(createAgency(t.db, admin, input({ creditCode: code, legalName: '另一家机构' }))).rejects.toBeInstanceOf(CreditCodeTakenError)
    const second = await createAgency(t.db, admin, input({ creditCode: codeOf('91500111MA5U00002'), legalName: '第二家机构' }))
    await expect(updateAgency(t.db, admin, second, { ...input({ creditCode: code, legalName: '第二家机构' }), active: true }))
      .rejects.toMatchObject({ messageKey: 'agencies.creditCodeTaken' })
    // Saving an agency with its own code is fine, and another registry may use the same code.
    await updateAgency(t.db, admin, first, { ...input({ creditCode: code }), active: true })
    await createAgency(t.db, otherAdmin, input({ creditCode: code }))
  })

  test('agencySchema refuses an invalid credit code and a contract that ends before it starts', () => {
    const bad = agencySchema.safeParse({ ...input(), creditCode: '91110000100006485A' })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]).toMatchObject({ path: ['creditCode'], message: 'assessment.agency.creditCode' })
    expect(agencySchema.safeParse({ ...input(), creditCode: '123' }).success).toBe(false)
    const order = agencySchema.safeParse({ ...input(), contractFrom: '2026-06-01', contractTo: '2026-05-31' })
    expect(order.error?.issues[0]).toMatchObject({ path: ['contractTo'], message: 'assessment.agency.contractOrder' })
    // Lower case is accepted and stored upper case.
    expect(agencySchema.parse({ ...input(), creditCode: VALID.toLowerCase() }).creditCode).toBe(VALID)
  })

  test('another registry\'s administrator can neither see nor change an agency', async () => {
    const id = await createAgency(t.db, admin, input({ creditCode: codeOf('91500111MA5U00003') }))
    await expect(updateAgency(t.db, otherAdmin, id, { ...input({ legalName: '被改名' }), active: true })).rejects.toBeInstanceOf(NotFoundError)
    await expect(getAgency(t.db, '500112', id)).rejects.toBeInstanceOf(NotFoundError)
    expect((await listAgencies(t.db, '500112')).map((a) => a.id)).not.toContain(id)
    expect((await getAgency(t.db, '500111', id)).legalName).toBe('大足区阳光社会工作服务中心')
    expect(await auditOf(id, 'assessment.agency_updated')).toHaveLength(0)
  })
})

describe('assessor accounts', () => {
  test('an assessor is tied to an agency and back, counted and audited', async () => {
    const agency = await createAgency(t.db, admin, input({ creditCode: codeOf('91500111MA5U00004') }))
    const assessor = await makeViewer(t.db, 'assessor')
    await setUserAgency(t.db, admin, assessor.id, agency)
    expect((await getAgency(t.db, '500111', agency)).assessors).toBe(1)
    expect((await listAssessorAccounts(t.db, '500111')).find((a) => a.id === assessor.id)).toMatchObject({ agencyId: agency })
    await setUserAgency(t.db, admin, assessor.id, null)
    expect((await getAgency(t.db, '500111', agency)).assessors).toBe(0)
    const rows = await auditOf(assessor.id, 'assessment.assessor_agency_changed')
    expect(rows.map((r) => r.summary)).toEqual([{ from: null, to: agency }, { from: agency, to: null }])
  })

  test('only accounts holding the assessor role can be tied', async () => {
    const agency = await createAgency(t.db, admin, input({ creditCode: codeOf('91500111MA5U00005') }))
    const registrar = await makeViewer(t.db, 'registrar')
    await expect(setUserAgency(t.db, admin, registrar.id, agency)).rejects.toBeInstanceOf(NotAssessorError)
    const row = await t.db.selectFrom('users').select('agency_id').where('id', '=', registrar.id).executeTakeFirstOrThrow()
    expect(row.agency_id).toBeNull()
    expect(await auditOf(registrar.id, 'assessment.assessor_agency_changed')).toHaveLength(0)
  })

  test('tying is scoped to the registry: neither another registry\'s user nor its agency', async () => {
    const agency = await createAgency(t.db, admin, input({ creditCode: codeOf('91500111MA5U00006') }))
    const foreignAgency = await createAgency(t.db, otherAdmin, input({ creditCode: codeOf('91500112MA5U00006') }))
    const assessor = await makeViewer(t.db, 'assessor')
    const foreignAssessor = await makeViewer(t.db, 'assessor', '500112')
    await expect(setUserAgency(t.db, admin, foreignAssessor.id, agency)).rejects.toBeInstanceOf(NotFoundError)
    await expect(setUserAgency(t.db, admin, assessor.id, foreignAgency)).rejects.toBeInstanceOf(NotFoundError)
    await expect(setUserAgency(t.db, otherAdmin, assessor.id, foreignAgency)).rejects.toBeInstanceOf(NotFoundError)
    expect((await listAssessorAccounts(t.db, '500112')).map((a) => a.id)).not.toContain(assessor.id)
  })

  test('an assessor on an unfinished assessment cannot change sides', async () => {
    const agency = await createAgency(t.db, admin, input({ creditCode: codeOf('91500111MA5U00007') }))
    const assessor = await makeViewer(t.db, 'assessor')
    // A bare open assessment with the assessor on its team (the commissioning itself is tested elsewhere).
    const registrar = await makeViewer(t.db, 'registrar')
    const applicationId = await createApplication(t.db, createFieldCipher(parseMasterKey(generateMasterKey())), registrar, applicationInput({ residenceTown: await testTown(t.db, '500111') }))
    const instrument = await currentInstrument(t.db, '500111')
    const { id } = await t.db.insertInto('assessments').values({
      registry_code: '500111', application_id: applicationId, instrument_id: instrument.id, mode: 'in_house', agency_id: null,
      commissioned_by: registrar.id, commissioned_on: '2026-09-02',
    }).returning('id').executeTakeFirstOrThrow()
    await t.db.insertInto('assessment_members').values({ assessment_id: id, user_id: assessor.id, declared_at: null, conflict: null, conflict_note: null, removed_at: null }).execute()
    await expect(setUserAgency(t.db, admin, assessor.id, agency)).rejects.toBeInstanceOf(AssessorBusyError)
    await t.db.updateTable('assessments').set({ state: 'signed' }).where('id', '=', id).execute()
    await setUserAgency(t.db, admin, assessor.id, agency)
  })
})
