// Corrections of imported registrations (issue 9) against a real PostgreSQL: registrations imported
// from a real ledger file, then corrected — the correction records (ID numbers encrypted), what
// follows the corrected fields (parties, certificate, intercountry row, follow-up plan), refusals
// next to their field, the optimistic version, the audit, and registrations made in the system refused.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry } from '#tests/support/factories.ts'
import { makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { ledgerCsv, ordinaryRow } from '#tests/support/ledgers.ts'
import { importCsv } from '#tests/support/imports.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ConflictError, ProcedureError } from '#app/platform/http.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { idNumberHash } from '#app/registration/applications.server.ts'
import { citizenIdFor } from '#app/registration/demo/people.ts'
import { correctImported, correctionForm, correctionHistory, CorrectionFieldError, decideCorrection, pendingCorrection, type CorrectionInput } from '#app/import/corrections.server.ts'
import { planVisits, DEFAULT_POLICY } from '#app/followup/policy.ts'

let t: TestDatabase
let cipher: FieldCipher
let registrar: Viewer
let supervisor: Viewer
const ids: Record<string, string> = {}

async function importRows(rows: ReturnType<typeof ordinaryRow>[]) {
  const { batchId: id } = await importCsv(t.db, cipher, registrar, ledgerCsv(rows))
  const apps = await t.db.selectFrom('applications').select(['id', 'registration_number']).where('import_batch_id', '=', id).orderBy('import_row').execute()
  expect(apps).toHaveLength(rows.length)
  return apps
}

/** A correction as the procedure has it (decision 027): proposed by the registrar, approved by the supervisor when it touches identity fields. */
async function correctApproved(id: string, input: CorrectionInput) {
  const outcome = await correctImported(t.db, cipher, registrar, id, input, TODAY)
  if (outcome.proposal) await decideCorrection(t.db, cipher, supervisor, outcome.proposal, { version: 1, decision: 'approve' }, TODAY)
  return outcome
}

const version = async (id: string) => (await t.db.selectFrom('applications').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version
const count = async (table: 'application_corrections' | 'audit_log') => Number((await t.db.selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)

beforeAll(async () => {
  t = await testDatabase()
  cipher = testContext(t.db).cipher
  await makeRegistry(t.db)
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  const apps = await importRows([
    ordinaryRow({ number: '（2010）渝大收字第0001号', registeredOn: '2010-06-01', childBirth: '2009-01-01', child: '张小明', childSex: '男', childId: citizenIdFor('500111', '2009-01-01', 'male', 31) }, 9001),
    ordinaryRow({ number: '（2010）渝大收字第0002号', registeredOn: '2010-07-01', childBirth: '2009-02-02' }, 9002),
    ordinaryRow({ number: '（2026）渝大收字第0003号', registeredOn: '2026-09-01', childBirth: '2025-01-01', childId: '' }, 9003),
    ordinaryRow({ number: '（2016）渝大收字第0004号', kind: '涉外收养', spouse: 'Mary Smith', spouseId: '', country: '美国', agency: 'Holt International', approvedOn: '2016-03-01', registeredOn: '2016-04-20', childBirth: '2015-01-01', childId: '' }, 9004),
  ])
  ;[ids.first, ids.second, ids.recent, ids.intercountry] = apps.map((a) => a.id)
})
afterAll(async () => { await t.destroy() })

describe('correcting an imported registration', () => {
  test('each changed field is a record (ID numbers encrypted), the record and its certificate follow, audited, shown newest first', async () => {
    const form = await correctionForm(t.db, cipher, registrar, ids.first)
    expect(form.imported).toBe(true)
    expect(form.values.childName).toBe('张小明')
    expect(form.values.childIdNumber).toBe('') // never sent to the form; shown masked
    expect(form.masked.childIdNumber).toMatch(/\*/)
    const newChildId = citizenIdFor('500111', '2009-01-01', 'male', 32)
    const audits = await count('audit_log')
    const outcome = await correctImported(t.db, cipher, registrar, ids.first, {
      version: form.version, reason: '台账录入错误，依原始档案更正',
      values: { ...form.values, childName: '张晓明', childIdNumber: newChildId, registrationNumber: '（2010）渝大收字第0101号' },
    }, TODAY)
    expect(outcome.fields.sort()).toEqual(['childIdNumber', 'childName', 'registrationNumber'])
    // Identity fields: a proposal only; the record unchanged until a second person approves (decision 027).
    expect(outcome.proposal).not.toBeNull()
    expect(await count('application_corrections')).toBe(0)
    expect((await t.db.selectFrom('parties').select('name').where('application_id', '=', ids.first).where('role', '=', 'child').executeTakeFirstOrThrow()).name).toBe('张小明')
    const proposal = await t.db.selectFrom('correction_proposals').select('payload_enc').where('id', '=', outcome.proposal!).executeTakeFirstOrThrow()
    expect(proposal.payload_enc).not.toContain(newChildId)
    const pending = await pendingCorrection(t.db, cipher, ids.first)
    expect(pending!.changes.find((c) => c.field === 'childIdNumber')!.newValue).toMatch(/\*/)
    // The proposer may not approve it: refused with a message, audited, nothing changed.
    await expect(decideCorrection(t.db, cipher, registrar, outcome.proposal!, { version: 1, decision: 'approve' }, TODAY)).rejects.toMatchObject({ messageKey: 'import.correction.self' })
    expect(await t.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'application.correction_self_approval_refused').where('entity_id', '=', ids.first).execute()).toEqual([{ actor_id: registrar.id }])
    expect(await count('application_corrections')).toBe(0)
    // Nor may the database let a proposal be decided by its proposer.
    await expect(t.db.updateTable('correction_proposals').set({ state: 'approved', decided_by: registrar.id }).where('id', '=', outcome.proposal!).execute()).rejects.toMatchObject({ code: '23514' })
    await decideCorrection(t.db, cipher, supervisor, outcome.proposal!, { version: 1, decision: 'approve' }, TODAY)

    const rows = await t.db.selectFrom('application_corrections').selectAll().where('application_id', '=', ids.first).orderBy('field').execute()
    expect(rows.map((r) => [r.field, r.encrypted, r.reason, r.corrected_by, r.approved_by, r.proposal_id])).toEqual([
      ['childIdNumber', true, '台账录入错误，依原始档案更正', registrar.id, supervisor.id, outcome.proposal],
      ['childName', false, '台账录入错误，依原始档案更正', registrar.id, supervisor.id, outcome.proposal],
      ['registrationNumber', false, '台账录入错误，依原始档案更正', registrar.id, supervisor.id, outcome.proposal],
    ])
    const idRow = rows[0]
    expect(idRow.new_value).not.toContain(newChildId)
    expect(cipher.decrypt(idRow.new_value!, { table: 'application_corrections', column: 'new_value', row: idRow.id })).toBe(newChildId)
    expect(cipher.decrypt(idRow.old_value!, { table: 'application_corrections', column: 'old_value', row: idRow.id })).toBe(citizenIdFor('500111', '2009-01-01', 'male', 31))
    expect([rows[1].old_value, rows[1].new_value]).toEqual(['张小明', '张晓明'])
    expect([rows[2].old_value, rows[2].new_value]).toEqual(['（2010）渝大收字第0001号', '（2010）渝大收字第0101号'])

    const child = await t.db.selectFrom('parties').select(['id', 'name', 'id_hash', 'id_number_enc']).where('application_id', '=', ids.first).where('role', '=', 'child').executeTakeFirstOrThrow()
    expect(child.name).toBe('张晓明')
    expect(child.id_hash).toBe(idNumberHash(cipher, newChildId))
    expect(cipher.decrypt(child.id_number_enc!, { table: 'parties', column: 'id_number_enc', row: child.id })).toBe(newChildId)
    const app = await t.db.selectFrom('applications').select(['registration_number', 'version']).where('id', '=', ids.first).executeTakeFirstOrThrow()
    expect(app).toEqual({ registration_number: '（2010）渝大收字第0101号', version: form.version + 1 })
    const certificate = await t.db.selectFrom('certificates').select('number').where('application_id', '=', ids.first).where('kind', '=', 'adoption').executeTakeFirstOrThrow()
    expect(certificate.number).toBe('（2010）渝大收字第0101号')

    // Proposed, self-approval refused, corrected (by the approver, for the proposer), approved.
    expect(await count('audit_log')).toBe(audits + 4)
    const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'reason', 'summary']).where('action', '=', 'application.corrected').where('entity_id', '=', ids.first).executeTakeFirstOrThrow()
    expect(audit.actor_id).toBe(supervisor.id)
    expect(audit.summary).toMatchObject({ proposedBy: registrar.id })
    expect(audit.reason).toBe('台账录入错误，依原始档案更正')
    expect(JSON.stringify(audit.summary)).not.toContain(newChildId)
    const event = await t.db.selectFrom('application_events').select(['kind', 'note']).where('application_id', '=', ids.first).where('kind', '=', 'corrected').executeTakeFirstOrThrow()
    expect(event.note).toContain('被收养人姓名')

    const history = await correctionHistory(t.db, cipher, ids.first)
    expect(history).toHaveLength(3)
    const idHistory = history.find((h) => h.field === 'childIdNumber')!
    expect(idHistory.newValue).toMatch(/\*/)
    expect(idHistory.newValue).not.toBe(newChildId)
  })

  test('a registration number another registration of the registry has is refused next to that field; nothing is changed', async () => {
    const form = await correctionForm(t.db, cipher, registrar, ids.second)
    const before = await count('application_corrections')
    const error = await correctImported(t.db, cipher, registrar, ids.second, {
      version: form.version, reason: '更正证号', values: { ...form.values, registrationNumber: '（2010）渝大收字第0101号', childName: '别的名字' },
    }, TODAY).catch((e) => e)
    expect(error).toBeInstanceOf(CorrectionFieldError)
    expect([error.field, error.messageKey]).toEqual(['registrationNumber', 'import.correction.numberTaken'])
    expect(await count('application_corrections')).toBe(before)
    const app = await t.db.selectFrom('applications').select(['registration_number', 'version']).where('id', '=', ids.second).executeTakeFirstOrThrow()
    expect(app).toEqual({ registration_number: '（2010）渝大收字第0002号', version: form.version })
    const child = await t.db.selectFrom('parties').select('name').where('application_id', '=', ids.second).where('role', '=', 'child').executeTakeFirstOrThrow()
    expect(child.name).not.toBe('别的名字')
  })

  test('a form loaded before another correction is refused (optimistic version)', async () => {
    const stale = await correctionForm(t.db, cipher, registrar, ids.second)
    await correctApproved(ids.second, { version: stale.version, reason: '第一次更正', values: { ...stale.values, adopter1Name: '王甲' } })
    const before = await count('application_corrections')
    await expect(correctImported(t.db, cipher, registrar, ids.second, { version: stale.version, reason: '第二次更正', values: { ...stale.values, adopter1Name: '王乙' } }, TODAY))
      .rejects.toBeInstanceOf(ConflictError)
    expect(await count('application_corrections')).toBe(before)
    const adopter = await t.db.selectFrom('parties').select('name').where('application_id', '=', ids.second).where('role', '=', 'adopter').where('position', '=', 1).executeTakeFirstOrThrow()
    expect(adopter.name).toBe('王甲')
  })

  test('the reason is mandatory; a date that does not exist, an ID number not matching the birth date, and no change at all are refused', async () => {
    const form = await correctionForm(t.db, cipher, registrar, ids.second)
    await expect(correctImported(t.db, cipher, registrar, ids.second, { version: form.version, reason: ' ', values: { ...form.values, childName: '某' } }, TODAY))
      .rejects.toMatchObject({ messageKey: 'import.correction.reasonRequired' })
    await expect(correctImported(t.db, cipher, registrar, ids.second, { version: form.version, reason: '更正', values: { ...form.values, registeredOn: '2010-02-30' } }, TODAY))
      .rejects.toMatchObject({ field: 'registeredOn', messageKey: 'import.correction.date' })
    await expect(correctImported(t.db, cipher, registrar, ids.second, { version: form.version, reason: '更正', values: { ...form.values, childBirthDate: '2009-03-03' } }, TODAY))
      .rejects.toMatchObject({ field: 'childBirthDate', messageKey: 'import.error.idBirthDate' })
    await expect(correctImported(t.db, cipher, registrar, ids.second, { version: form.version, reason: '更正', values: { ...form.values, childName: '' } }, TODAY))
      .rejects.toMatchObject({ field: 'childName', messageKey: 'import.correction.required' })
    await expect(correctImported(t.db, cipher, registrar, ids.second, { version: form.version, reason: '更正', values: form.values }, TODAY))
      .rejects.toMatchObject({ messageKey: 'import.correction.nothing' })
  })

  test('a corrected birth date plans the visits again: moved, cancelled past 18 as no longer needed, none twice', async () => {
    const open = async () => (await t.db.selectFrom('followup_tasks').select(['sequence', 'due_on', 'status', 'cancel_reason']).where('application_id', '=', ids.recent).orderBy('sequence').execute())
    const before = await open()
    expect(before.length).toBeGreaterThan(2)
    const form = await correctionForm(t.db, cipher, registrar, ids.recent)
    // The child was in fact born in 2009: 18 on 2027-01-01, so only the visits before that remain.
    await correctApproved(ids.recent, { version: form.version, reason: '出生日期录入错误', values: { ...form.values, childBirthDate: '2009-01-01' } })
    const after = await open()
    const expected = planVisits('2026-09-01', '2009-01-01', DEFAULT_POLICY).filter((v) => v.windowTo >= TODAY)
    expect(after.filter((x) => x.status === 'open').map((x) => [x.sequence, x.due_on])).toEqual(expected.map((v) => [v.sequence, v.dueOn]))
    expect(after.filter((x) => x.status === 'cancelled').every((x) => x.cancel_reason === 'plan_corrected')).toBe(true)
    expect(after).toHaveLength(before.length) // same steps, none added twice
    const audit = await t.db.selectFrom('audit_log').select('summary').where('action', '=', 'application.corrected').where('entity_id', '=', ids.recent).executeTakeFirstOrThrow()
    expect((audit.summary as { replannedTasks: number }).replannedTasks).toBe(before.filter((x) => x.status === 'open').length)
  })

  test('an intercountry adoption: its row follows, its six reports move with a corrected registration date', async () => {
    const form = await correctionForm(t.db, cipher, registrar, ids.intercountry)
    await correctApproved(ids.intercountry, { version: form.version, reason: '登记日期录入错误', values: { ...form.values, registeredOn: '2016-05-20', childName: 'Lily Smith' } })
    const row = await t.db.selectFrom('intercountry_adoptions').select(['id', 'registered_on', 'child_name']).where('registration_number', '=', '（2016）渝大收字第0004号').executeTakeFirstOrThrow()
    expect([row.registered_on, row.child_name]).toEqual(['2016-05-20', 'Lily Smith'])
    const reports = await t.db.selectFrom('followup_tasks').select(['due_on']).where('intercountry_id', '=', row.id).orderBy('sequence').execute()
    expect(reports).toHaveLength(6)
    expect(reports[0].due_on > '2016-05-20').toBe(true)
  })

  test('a registration made in the system is refused: it has its own legal route', async () => {
    const made = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    const form = await correctionForm(t.db, cipher, registrar, made)
    expect(form.imported).toBe(false)
    const error = await correctImported(t.db, cipher, registrar, made, { version: await version(made), reason: '试图更正', values: { ...form.values, childName: '改名' } }, TODAY).catch((e) => e)
    expect(error).toBeInstanceOf(ProcedureError)
    expect(error.messageKey).toBe('import.correction.notImported')
    expect(await t.db.selectFrom('application_corrections').select('id').where('application_id', '=', made).execute()).toHaveLength(0)
  })
})

describe('four eyes on identity corrections (decision 027)', () => {
  test('a refused proposal leaves the record as it was; one proposal open at a time', async () => {
    const form = await correctionForm(t.db, cipher, registrar, ids.second)
    const { proposal } = await correctImported(t.db, cipher, registrar, ids.second, { version: form.version, reason: '姓名录入错误', values: { ...form.values, childName: '李四' } }, TODAY)
    // One open proposal at a time.
    await expect(correctImported(t.db, cipher, registrar, ids.second, { version: form.version, reason: '再次更正', values: { ...form.values, childName: '李五' } }, TODAY))
      .rejects.toMatchObject({ messageKey: 'import.correction.pending' })
    await expect(decideCorrection(t.db, cipher, supervisor, proposal!, { version: 1, decision: 'refuse' }, TODAY)).rejects.toMatchObject({ messageKey: 'import.correction.refusalReasonRequired' })
    await decideCorrection(t.db, cipher, supervisor, proposal!, { version: 1, decision: 'refuse', note: '与档案不符' }, TODAY)
    const child = await t.db.selectFrom('parties').select('name').where('application_id', '=', ids.second).where('role', '=', 'child').executeTakeFirstOrThrow()
    expect(child.name).not.toBe('李四')
    expect(await version(ids.second)).toBe(form.version)
  })

  test('a registration date on or after the go-live date is refused next to its field', async () => {
    const form = await correctionForm(t.db, cipher, registrar, ids.first)
    const error = await correctImported(t.db, cipher, registrar, ids.first, { version: form.version, reason: '日期更正', values: { ...form.values, registeredOn: TODAY } }, TODAY).catch((e) => e)
    expect([error.field, error.messageKey]).toEqual(['registeredOn', 'import.error.afterGoLive'])
  })

  test('two approvers at once: the database lets one through, the other is told it changed', async () => {
    const form = await correctionForm(t.db, cipher, registrar, ids.first)
    const { proposal } = await correctImported(t.db, cipher, registrar, ids.first, { version: form.version, reason: '姓名录入错误', values: { ...form.values, adopter1Name: '赵甲' } }, TODAY)
    const other = await makeViewer(t.db, 'supervisor')
    const results = await Promise.allSettled([
      decideCorrection(t.db, cipher, supervisor, proposal!, { version: 1, decision: 'approve' }, TODAY),
      decideCorrection(t.db, cipher, other, proposal!, { version: 1, decision: 'approve' }, TODAY),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError)
    expect(await t.db.selectFrom('application_corrections').select('id').where('proposal_id', '=', proposal!).execute()).toHaveLength(1)
  })
})
