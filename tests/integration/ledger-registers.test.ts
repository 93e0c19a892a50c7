// The registers of issue 8 beyond registrations, tasks and archive files, against real PostgreSQL:
// for each, a filter gives exactly the expected rows; its export, read back (.xlsx with exceljs,
// .csv with its BOM), holds those rows under the expected headers; a user without the page's
// permission may not export it; a reversed period is refused and no export is created.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Readable } from 'node:stream'
import { sql } from 'kysely'
import ExcelJS from 'exceljs'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { applicationInput, currentVersion, makeApplication, makeReadyApplication, makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { ForbiddenError } from '#app/platform/http.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { exportDownload, FilterError, requestExport, runExport, type ExportFormat } from '#app/ledgers/exports.server.ts'
import { registerOf } from '#app/ledgers/registers.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { currentInstrument } from '#app/assessment/instruments.server.ts'
import { assessmentsQuery, parseAssessmentFilter, withAgency } from '#app/assessment/ledger.server.ts'
import { accessLedger, accessRequestsQuery, parseAccessFilter } from '#app/archive/access-ledger.server.ts'
import { decideAccess, requestAccess } from '#app/archive/access.server.ts'
import { openFile } from '#app/archive/files.server.ts'
import { parseVisitReportFilter, visitReportsQuery } from '#app/followup/report-ledger.server.ts'
import { parsePlacementFilter, placementReportsQuery, PLACEMENT_STATES } from '#app/followup/placement-ledger.server.ts'
import { decideReceipt, loadIntercountry, recordIntercountry, recordReceipt } from '#app/followup/intercountry.server.ts'
import { parseRootseekingFilter, rootseekingQuery } from '#app/rootseeking/ledger.server.ts'
import { decisionsQuery, parseDecisionFilter } from '#app/registration/decisions-ledger.server.ts'
import { approveDecision, proposeDecision, registerDissolution, revoke } from '#app/registration/decisions.server.ts'
import { maskCitizenId } from '#app/platform/citizen-id.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer, archivist: Viewer, caseworker: Viewer

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  archivist = await makeViewer(t.db, 'archivist')
  caseworker = await makeViewer(t.db, 'caseworker')
})
afterAll(async () => { await t.destroy() })

async function fileOf(viewer: Viewer, id: string) {
  const { chunks } = await exportDownload(t.db, cipher, viewer, id)
  const parts: Buffer[] = []
  for await (const c of chunks) parts.push(c)
  return Buffer.concat(parts)
}

/** Exports `ledger` as `viewer` with `params`, runs the job, returns the file's rows (header first, no filter line). */
async function exported(viewer: Viewer, ledger: string, params: Record<string, unknown>, format: ExportFormat = 'xlsx', locale: 'zh' | 'en' = 'zh') {
  const id = await requestExport(t.db, viewer, { ledger, params, format, locale })
  await runExport(t.db, cipher, id, { batch: 2 }) // small batches: the cursor carries across them
  const bytes = await fileOf(viewer, id)
  if (format === 'csv') {
    const text = bytes.toString('utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    return { text, rows: text.slice(1).trimEnd().split('\r\n').map((line) => line.split(',')) as unknown[][] }
  }
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.read(Readable.from(bytes))
  const rows: unknown[][] = []
  workbook.worksheets[0].eachRow({ includeEmpty: false }, (row) => rows.push((row.values as unknown[]).slice(1)))
  return { text: '', rows: rows.slice(1) }
}

const exportCount = async () => Number((await t.db.selectFrom('ledger_exports').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)

/** A reversed period is refused (named on its end field) before anything is queued. */
async function expectPeriodRefused(viewer: Viewer, ledger: string, from: string, to: string, extra: Record<string, unknown> = {}) {
  const before = await exportCount()
  await expect(requestExport(t.db, viewer, { ledger, params: { ...extra, [from]: '2026-11-20', [to]: '2026-11-01' }, format: 'xlsx', locale: 'zh' }))
    .rejects.toSatisfy((e) => e instanceof FilterError && e.fields[to] === 'ledger.filter.periodReversed')
  expect(await exportCount()).toBe(before)
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`)

describe('assessments register', () => {
  let signed: string, late: string, corrected: string
  let assessorA: Viewer, assessorB: Viewer, agencyAssessor: Viewer, agencyId: string

  beforeAll(async () => {
    assessorA = await makeViewer(t.db, 'assessor')
    assessorB = await makeViewer(t.db, 'assessor')
    agencyAssessor = await makeViewer(t.db, 'assessor')
    agencyId = (await t.db.insertInto('assessment_agencies').values({
      registry_code: '500111', legal_name: '大足区阳光社会工作服务中心', credit_code: '91110000100006485K', business_scope: '收养评估',
      contract_from: '2026-01-01', contract_to: '2026-12-31', dpa_signed_on: '2026-01-05',
    }).returning('id').executeTakeFirstOrThrow()).id
    await t.db.updateTable('users').set({ agency_id: agencyId }).where('id', '=', agencyAssessor.id).execute()
    const instrument = await currentInstrument(t.db, '500111')
    const make = async (input: { commissioned: string; state: 'open' | 'signed'; due: string; members: Viewer[]; agency?: string }) => {
      const applicationId = await makeApplication(t.db, cipher, registrar)
      const { id } = await t.db.insertInto('assessments').values({
        registry_code: '500111', application_id: applicationId, instrument_id: instrument.id, mode: input.agency ? 'agency' : 'in_house', agency_id: input.agency ?? null,
        state: input.state, commissioned_by: registrar.id, commissioned_on: input.commissioned, notice_on: input.commissioned, consent_on: input.commissioned, due_on: input.due,
      }).returning('id').executeTakeFirstOrThrow()
      for (const m of input.members) await t.db.insertInto('assessment_members').values({ assessment_id: id, user_id: m.id, declared_at: new Date(), conflict: false }).execute()
      return id
    }
    const report = (assessmentId: string, version: number, conclusion: 'recommended' | 'not_recommended', on: string, superseded: boolean) =>
      t.db.insertInto('assessment_reports').values({
        assessment_id: assessmentId, version, number: `（2026）评估第${assessmentId}-${version}号`, conclusion, total: 80, facts_enc: cipher.encrypt('—'), report_on: on,
        reason: version > 1 ? '更正' : null, created_by: assessorA.id, finalized_at: new Date(), superseded_at: superseded ? new Date() : null,
      }).execute()
    signed = await make({ commissioned: '2026-03-01', state: 'signed', due: '2026-05-01', members: [assessorA, assessorB] })
    await report(signed, 1, 'recommended', '2026-04-20', false)
    late = await make({ commissioned: '2026-10-01', state: 'open', due: '2026-11-20', members: [agencyAssessor], agency: agencyId })
    corrected = await make({ commissioned: '2025-12-01', state: 'signed', due: '2026-01-30', members: [assessorA] })
    await report(corrected, 1, 'recommended', '2026-01-20', true)
    await report(corrected, 2, 'not_recommended', '2026-02-01', false)
  })

  const ids = async (viewer: Viewer, raw: Record<string, string>) => {
    const { filter, errors } = parseAssessmentFilter(raw)
    expect(errors).toEqual({})
    return (await assessmentsQuery(t.db, await withAgency(t.db, viewer), filter, TODAY).execute()).map((r) => r.id)
  }

  test('each filter gives exactly its rows, newest first', async () => {
    expect(await ids(supervisor, {})).toEqual([corrected, late, signed])
    expect(await ids(supervisor, { state: 'signed' })).toEqual([corrected, signed])
    expect(await ids(supervisor, { conclusion: 'recommended' })).toEqual([signed]) // the superseded report does not count
    expect(await ids(supervisor, { conclusion: 'not_recommended' })).toEqual([corrected])
    expect(await ids(supervisor, { assessor: assessorB.id })).toEqual([signed])
    expect(await ids(supervisor, { agency: 'in_house' })).toEqual([corrected, signed])
    expect(await ids(supervisor, { agency: agencyId })).toEqual([late])
    expect(await ids(supervisor, { from: '2026-01-01' })).toEqual([late, signed]) // commissioned in 2026
    expect(await ids(supervisor, { basis: 'completed', from: '2026-01-01', to: '2026-03-31' })).toEqual([corrected])
    expect(await ids(supervisor, { due: 'late' })).toEqual([late])
    expect(await ids(supervisor, { late: '1' })).toEqual([late]) // the home page's link
    expect(await ids(supervisor, { after: corrected })).toEqual([late, signed])
    // Assessors see only the assessments they are on; an agency's only its agency's.
    expect(await ids(assessorB, {})).toEqual([signed])
    expect(await ids(agencyAssessor, {})).toEqual([late])
  })

  test('values not in the lists are named next to their fields', () => {
    expect(parseAssessmentFilter({ state: 'closed', conclusion: 'maybe', agency: 'acme', due: 'never', basis: 'x' }).errors)
      .toEqual({ state: 'ledger.filter.notInList', conclusion: 'ledger.filter.notInList', agency: 'ledger.filter.notInList', due: 'ledger.filter.notInList', basis: 'ledger.filter.notInList' })
  })

  test('the export holds the filtered rows with dates as dates and the days left; an assessor exports only their own', async () => {
    const { rows } = await exported(supervisor, 'assessments', { state: 'signed' })
    expect(rows[0]).toEqual(['编号', '登记字号', '收养人', '状态', '评估机构', '评估小组', '委托日期', '同意日期', '60 日期限', '剩余天数', '评估结论', '报告编号', '报告日期', '总分', '居住地乡镇（街道）'])
    expect(rows.slice(1).map((r) => String(r[0]))).toEqual([corrected, signed])
    const first = rows[1]
    expect(first[3]).toBe('报告已签署')
    expect(first[4]).toBe('本机关评估小组')
    expect(first[6]).toEqual(day('2025-12-01'))
    expect(first[10]).toBe('不建议办理')
    expect(first[12]).toEqual(day('2026-02-01'))
    const open = await exported(supervisor, 'assessments', { due: 'late' }, 'csv', 'en')
    expect(open.rows[0].slice(0, 4)).toEqual(['No.', 'Registration no.', 'Adopters', 'State'])
    const daysLeft = Math.round((Date.parse('2026-11-20') - Date.parse(todayInShanghai())) / 86_400_000) // the job's today
    expect(open.rows.slice(1).map((r) => [r[0], r[4], r[8], r[9]])).toEqual([[late, '大足区阳光社会工作服务中心', '2026-11-20', String(daysLeft)]])
    expect((await exported(assessorB, 'assessments', {})).rows.slice(1).map((r) => String(r[0]))).toEqual([signed])
  })

  test('refused: without the permission, and with a reversed period (nothing queued)', async () => {
    await expect(requestExport(t.db, archivist, { ledger: 'assessments', params: {}, format: 'csv', locale: 'zh' })).rejects.toBeInstanceOf(ForbiddenError)
    await expectPeriodRefused(supervisor, 'assessments', 'from', 'to', { basis: 'completed' })
    expect(registerOf('assessments')!.permission).toBe('assessment.read') // the page's
  })
})

describe('access requests register', () => {
  let valid: string, expired: string, refused: string, pending: string, archiveNumber: string

  beforeAll(async () => {
    const applicationId = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    const fileId = await openFile(t.db, cipher, { applicationId, type: 'establishment', actorId: supervisor.id }, TODAY)
    archiveNumber = (await t.db.selectFrom('archive_files').select('archive_number').where('id', '=', fileId).executeTakeFirstOrThrow()).archive_number
    const ask = (kind: 'party' | 'court' | 'police' | 'other', staff: Viewer) => requestAccess(t.db, cipher, archivist, fileId, {
      kind, name: `${kind} 申请人`, idChecked: true, letterReference: kind === 'court' || kind === 'police' ? '（2026）渝0111民他12号' : undefined, purpose: '继承纠纷', staffId: staff.id,
    })
    const decide = async (id: string, approve: boolean) => {
      const { version } = await t.db.selectFrom('archive_access_requests').select('version').where('id', '=', id).executeTakeFirstOrThrow()
      await decideAccess(t.db, supervisor, id, version, { approve, reason: approve ? '符合规定' : '理由不足', revealBirthFamily: false })
    }
    valid = await ask('party', caseworker); await decide(valid, true)
    expired = await ask('court', registrar); await decide(expired, true)
    await t.db.updateTable('archive_access_requests').set({ valid_until: new Date('2026-03-20T00:00:00Z'), created_at: new Date('2026-03-05T02:00:00Z') }).where('id', '=', expired).execute()
    refused = await ask('police', caseworker); await decide(refused, false)
    pending = await ask('other', registrar)
  })

  const ids = async (viewer: Viewer, raw: Record<string, string>) => {
    const { filter, errors } = parseAccessFilter(raw)
    expect(errors).toEqual({})
    return (await accessRequestsQuery(t.db, viewer, filter, TODAY).execute()).map((r) => r.id)
  }

  test('each filter gives exactly its rows; an approval past its term is expired, not approved', async () => {
    expect(await ids(archivist, {})).toEqual([pending, refused, expired, valid])
    expect(await ids(archivist, { state: 'approved' })).toEqual([valid])
    expect(await ids(archivist, { state: 'expired' })).toEqual([expired])
    expect(await ids(archivist, { state: 'pending' })).toEqual([pending])
    expect(await ids(archivist, { kind: 'court' })).toEqual([expired])
    expect(await ids(archivist, { staff: caseworker.id })).toEqual([refused, valid])
    expect(await ids(archivist, { approver: supervisor.id })).toEqual([refused, expired, valid])
    expect(await ids(archivist, { from: '2026-03-01', to: '2026-03-31' })).toEqual([expired])
    expect(await ids(archivist, { after: refused })).toEqual([expired, valid])
    // Staff who neither manage nor approve see the requests naming them only.
    expect(await ids(registrar, {})).toEqual([pending, expired])
    expect(parseAccessFilter({ state: 'lost', kind: 'press' }).errors).toEqual({ state: 'ledger.filter.notInList', kind: 'ledger.filter.notInList' })
  })

  test('the page names a staff member not in its list next to the field and lists the rest as filtered', async () => {
    const page = await accessLedger(t.db, archivist, new URLSearchParams({ staff: '999999', kind: 'court' }), TODAY)
    expect(page.errors).toEqual({ staff: 'ledger.filter.notInList' })
    expect(page.filter).toEqual({ kind: 'court' })
    expect(page.rows.map((r) => [r.id, r.shown])).toEqual([[expired, 'expired']])
    expect(page.choices.staff.map((s) => s.id).sort()).toEqual([caseworker.id, registrar.id].sort())
  })

  test("the export holds the filtered rows; a registrar's holds only the requests naming them", async () => {
    const { rows } = await exported(supervisor, 'access_requests', { staff: caseworker.id })
    expect(rows[0]).toEqual(['申请', '档号', '保密', '申请人类别', '申请人姓名或单位经办人', '单位', '公函文号', '利用目的', '查阅的工作人员', '申请日期', '状态', '审批人', '审批日期', '有效期至', '允许查阅生父母（送养人）材料'])
    expect(rows.slice(1).map((r) => [String(r[0]), r[1], r[3], r[10], r[14] ?? null])).toEqual([[refused, archiveNumber, '公安机关', '未批准', null], [valid, archiveNumber, '当事人', '已批准（有效）', '否']])
    expect(rows[1][9]).toBeInstanceOf(Date)
    const csv = await exported(registrar, 'access_requests', {}, 'csv')
    expect(csv.rows.slice(1).map((r) => r[0])).toEqual([pending, expired])
    expect(csv.rows[2][9]).toBe('2026-03-05')
    expect(csv.rows[2][10]).toBe('已批准（已过期）')
  })

  test('refused: without the permission, and with a reversed period (nothing queued)', async () => {
    await expect(requestExport(t.db, caseworker, { ledger: 'access_requests', params: {}, format: 'csv', locale: 'zh' })).rejects.toBeInstanceOf(ForbiddenError)
    await expectPeriodRefused(archivist, 'access_requests', 'from', 'to')
    expect(registerOf('access_requests')!.permission).toBe('archive.read')
  })
})

describe('visit report register', () => {
  let reviewed: string, serious: string, minor: string, caseworker2: Viewer, registration: string
  const health = '孩子患有先天性心脏病，正在治疗。'
  const concern = '邻居反映孩子夜间常独自在家。'

  beforeAll(async () => {
    caseworker2 = await makeViewer(t.db, 'caseworker')
    const applicationId = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    registration = (await t.db.selectFrom('applications').select('registration_number').where('id', '=', applicationId).executeTakeFirstOrThrow()).registration_number!
    const tasks = await t.db.selectFrom('followup_tasks').select('id').where('application_id', '=', applicationId).orderBy('sequence').limit(3).execute()
    const file = async (task: string, input: { by: Viewer; on: string; level: 'none' | 'minor' | 'serious'; reviewed?: boolean; reported?: boolean; version?: number; draft?: boolean }) => (await t.db.insertInto('visit_reports').values({
      task_id: task, version: input.version ?? 1, status: input.draft ? 'draft' : input.reviewed ? 'reviewed' : 'submitted', visited_on: input.on,
      met_enc: cipher.encrypt('养父母、孩子'), daily_care_enc: cipher.encrypt('良好'), health_enc: cipher.encrypt(health), schooling_enc: cipher.encrypt('幼儿园'), bonding_enc: cipher.encrypt('亲密'),
      concern_level: input.level, concern_details_enc: input.level === 'none' ? null : cipher.encrypt(concern),
      reported_to: input.reported ? 'police' : null, reported_at: input.reported ? new Date('2026-09-15T08:00:00Z') : null,
      correction_reason: (input.version ?? 1) > 1 ? '更正' : null, created_by: input.by.id,
      signed_by: input.draft ? null : input.by.id, signed_at: input.draft ? null : new Date(`${input.on}T06:00:00Z`),
      reviewed_by: input.reviewed ? supervisor.id : null, reviewed_at: input.reviewed ? new Date('2026-06-20T06:00:00Z') : null,
    }).returning('id').executeTakeFirstOrThrow()).id
    reviewed = await file(tasks[0].id, { by: caseworker, on: '2026-06-10', level: 'none', reviewed: true })
    serious = await file(tasks[1].id, { by: caseworker2, on: '2026-09-15', level: 'serious', reported: true })
    minor = await file(tasks[2].id, { by: caseworker, on: '2026-11-20', level: 'minor' })
    await file(tasks[0].id, { by: caseworker, on: '2026-06-10', level: 'minor', version: 2, draft: true }) // a correction being drafted: not filed
  })

  const ids = async (raw: Record<string, string>) => {
    const { filter, errors } = parseVisitReportFilter(raw)
    expect(errors).toEqual({})
    return (await visitReportsQuery(t.db, supervisor, filter, TODAY).execute()).map((r) => r.id)
  }

  test('each filter gives exactly its filed reports', async () => {
    expect(await ids({})).toEqual([minor, serious, reviewed])
    expect(await ids({ concern: 'serious' })).toEqual([serious])
    expect(await ids({ reviewed: 'yes' })).toEqual([reviewed])
    expect(await ids({ reviewed: 'no' })).toEqual([minor, serious])
    expect(await ids({ mandatory: 'yes' })).toEqual([serious])
    expect(await ids({ mandatory: 'no' })).toEqual([minor, reviewed])
    expect(await ids({ caseworker: caseworker2.id })).toEqual([serious])
    expect(await ids({ from: '2026-09-01', to: '2026-09-30' })).toEqual([serious])
    expect(await ids({ after: minor })).toEqual([serious, reviewed])
    expect(parseVisitReportFilter({ concern: 'grave', reviewed: 'maybe' }).errors).toEqual({ concern: 'ledger.filter.notInList', reviewed: 'ledger.filter.notInList' })
  })

  test('the export holds levels and flags, never the text of a report', async () => {
    const csv = await exported(supervisor, 'visit_reports', { mandatory: 'yes' }, 'csv')
    expect(csv.rows[0]).toEqual(['记录编号', '登记证号', '次序', '版本', '回访日期', '期间外', '回访人', '提交日期', '关注程度', '强制报告', '报告对象', '报告日期', '审核', '审核人', '审核日期', '居住地乡镇（街道）'])
    expect(csv.rows.slice(1)).toEqual([[serious, registration, '2', '1', '2026-09-15', expect.any(String), expect.any(String), '2026-09-15', '严重', '是', '公安机关', '2026-09-15', '待审核', '', '', '测试镇']])
    const all = await exported(supervisor, 'visit_reports', {}, 'xlsx')
    expect(all.rows.slice(1).map((r) => [String(r[0]), r[8], r[12]])).toEqual([[minor, '轻微', '待审核'], [serious, '严重', '待审核'], [reviewed, '无', '已审核']])
    for (const text of [csv.text, JSON.stringify(all.rows)]) {
      expect(text).not.toContain(health)
      expect(text).not.toContain(concern)
    }
  })

  test("refused: without the supervisor's permission, and with a reversed period (nothing queued)", async () => {
    await expect(requestExport(t.db, registrar, { ledger: 'visit_reports', params: {}, format: 'csv', locale: 'zh' })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(requestExport(t.db, caseworker, { ledger: 'visit_reports', params: {}, format: 'csv', locale: 'zh' })).rejects.toBeInstanceOf(ForbiddenError)
    await expectPeriodRefused(supervisor, 'visit_reports', 'from', 'to')
    expect(registerOf('visit_reports')!.permission).toBe('followup.supervise')
  })
})

describe('post-placement report register', () => {
  let us: string, italy: string
  let usTasks: string[], italyTasks: string[]
  const pdf = new TextEncoder().encode('%PDF-1.4\n% a report\n')

  beforeAll(async () => {
    us = await recordIntercountry(t.db, caseworker, {
      registrationNumber: '渝涉外收字（2023）第0005号', registeredOn: '2023-03-10', approvedOn: '2023-02-20', childName: '福小安', childBirthDate: '2021-06-01',
      adopters: 'John Smith, Mary Smith', country: '美国', agency: 'Holt International',
    }, TODAY)
    italy = await recordIntercountry(t.db, caseworker, {
      registrationNumber: '渝涉外收字（2024）第0002号', registeredOn: '2024-06-01', approvedOn: '2024-05-01', childName: '福小乐', childBirthDate: '2022-01-01',
      adopters: 'Marco Rossi, Giulia Rossi', country: '意大利', agency: 'CIAI',
    }, TODAY)
    const tasks = async (id: string) => (await loadIntercountry(t.db, caseworker, id, TODAY)).reports
    usTasks = (await tasks(us)).map((r) => r.id)
    italyTasks = (await tasks(italy)).map((r) => r.id)
    const version = async (task: string) => (await t.db.selectFrom('followup_tasks').select('version').where('id', '=', task).executeTakeFirstOrThrow()).version
    const accepted = await recordReceipt(t.db, cipher, caseworker, usTasks[0], { receivedOn: '2023-09-01', bytes: pdf }, TODAY)
    await decideReceipt(t.db, caseworker, accepted, { accept: true, taskVersion: await version(usTasks[0]) })
    const returned = await recordReceipt(t.db, cipher, caseworker, usTasks[1], { receivedOn: '2024-03-01', bytes: pdf }, TODAY)
    await decideReceipt(t.db, caseworker, returned, { accept: false, reason: '缺少近照。', taskVersion: await version(usTasks[1]) })
    await recordReceipt(t.db, cipher, caseworker, usTasks[2], { receivedOn: '2025-03-01', bytes: pdf }, TODAY)
  })

  const ids = async (raw: Record<string, string>, viewer: Viewer = caseworker) => {
    const { filter, errors } = parsePlacementFilter(raw)
    expect(errors).toEqual({})
    return (await placementReportsQuery(t.db, viewer, filter, TODAY).execute()).map((r) => r.id)
  }
  const desc = (list: string[]) => [...list].sort((a, b) => Number(b) - Number(a))

  test('each filter gives exactly its rows; the state is the one the intercountry page shows', async () => {
    expect(await ids({})).toEqual(desc([...usTasks, ...italyTasks]))
    expect(await ids({ state: 'accepted' })).toEqual([usTasks[0]])
    expect(await ids({ state: 'returned' })).toEqual([usTasks[1]])
    expect(await ids({ state: 'received' })).toEqual([usTasks[2]])
    expect(await ids({ country: '意大利' })).toEqual(desc(italyTasks))
    expect(await ids({ from: '2026-01-01', to: '2026-12-31' })).toEqual(desc([usTasks[3], italyTasks[2]]))
    // Every state agrees with the intercountry page's.
    const shown = [...(await loadIntercountry(t.db, caseworker, us, TODAY)).reports, ...(await loadIntercountry(t.db, caseworker, italy, TODAY)).reports]
    for (const state of PLACEMENT_STATES) expect(await ids({ state })).toEqual(desc(shown.filter((r) => r.status === state).map((r) => r.id)))
    expect((await ids({ state: 'overdue' })).length).toBeGreaterThan(0)
    expect(parsePlacementFilter({ state: 'lost' }).errors).toEqual({ state: 'ledger.filter.notInList' })
  })

  test('the export holds the filtered rows with their dates', async () => {
    // A registrar who neither recorded these adoptions nor was assigned their reports reads none of
    // them (readableIntercountry, decision 028): the export is as empty as the page.
    expect((await exported(registrar, 'placement_reports', {})).rows.slice(1)).toEqual([])
    const { rows } = await exported(caseworker, 'placement_reports', { country: '美国', state: 'returned' })
    expect(rows[0]).toEqual(['任务编号', '登记证号', '登记日期', '被收养人姓名', '收养人', '收养国', '外国收养组织', '次序', '应交日期', '期间自', '期间至', '报告状态', '最近收到日期', '回访人'])
    expect(rows.slice(1).map((r) => [String(r[0]), r[1], r[5], r[7], r[11], r[12]])).toEqual([[usTasks[1], '渝涉外收字（2023）第0005号', '美国', 2, '已退回补正', day('2024-03-01')]])
    expect(rows[1][8]).toEqual(day('2024-03-10'))
    const csv = await exported(caseworker, 'placement_reports', { country: '意大利' }, 'csv', 'en')
    expect(csv.rows[0][0]).toBe('Task')
    expect(csv.rows.slice(1).map((r) => r[0])).toEqual(desc(italyTasks))
  })

  test('refused: without the permission, and with a reversed period (nothing queued)', async () => {
    await expect(requestExport(t.db, archivist, { ledger: 'placement_reports', params: {}, format: 'csv', locale: 'zh' })).rejects.toBeInstanceOf(ForbiddenError)
    await expectPeriodRefused(caseworker, 'placement_reports', 'from', 'to')
    expect(registerOf('placement_reports')!.permission).toBe('followup.read')
  })
})

describe('root-seeking request register', () => {
  let visited: string, late: string, fresh: string
  const passport = 'E12345678'
  const email = 'hannah.brooks@example.test'

  beforeAll(async () => {
    const make = async (reference: string, input: { received: string; due: string; state: 'received' | 'visited'; country: string }) => (await t.db.insertInto('rootseeking_requests').values({
      registry_code: '500111', reference, channel: 'online', state: input.state, applicant_name: 'Hannah Brooks', nationality: '美国', residence_country: input.country,
      email, language: 'en', time_zone: 'America/New_York', adoptee_name_then: '福小梅', adoptee_name_now: 'Mei Brooks', adoptee_birth_date: '2005-04-01',
      registration_number: '渝涉外收字（2006）第0012号', registration_date: '2006-05-10', institution: '大足区儿童福利院', wished_from: '2027-04-01', wished_to: '2027-04-10',
      wished_places: '福利院', message: '希望看看我小时候住过的地方。', received_on: input.received, reply_due_on: input.due,
      ...(input.state === 'visited' ? { paper_archive_reference: '纸质档案 2006-12', verified_by: registrar.id, verified_at: new Date(), decided_by: registrar.id, decided_at: new Date(), replied_on: '2026-03-10' } : {}),
    }).returning('id').executeTakeFirstOrThrow()).id
    visited = await make('AAAABBBBCCCC', { received: '2026-03-02', due: '2026-03-16', state: 'visited', country: '美国' })
    late = await make('AAAABBBBCCCD', { received: '2026-11-10', due: '2026-11-24', state: 'received', country: '加拿大' })
    fresh = await make('AAAABBBBCCCE', { received: '2026-11-25', due: '2026-12-09', state: 'received', country: '美国' })
    for (const [position, name] of [[1, 'Hannah Brooks'], [2, 'Mei Brooks']] as const) {
      await t.db.insertInto('rootseeking_visitors').values({
        request_id: visited, position, name, relation: position === 1 ? '母亲' : '本人', nationality: '美国', birth_date: '1970-01-01',
        passport_number_enc: cipher.encrypt(`${passport}${position}`), passport_hash: `hash-${position}`, passport_expiry: '2030-01-01',
      }).execute()
    }
    await t.db.insertInto('rootseeking_receptions').values({
      request_id: visited, caseworker_id: caseworker.id, state: 'recorded', visit_on: '2026-04-08', starts_at: '09:00', ends_at: '12:00', places: '大足区儿童福利院',
      receiving_staff: '张三', interpreter: '李四', institution_contact: '王五', may_show: '房间', no_fee: true, planned_by: registrar.id, visited_on: '2026-04-08',
      attendees: 'Hannah Brooks、Mei Brooks', recorded_by: caseworker.id, recorded_at: new Date(),
    }).execute()
  })

  const ids = async (raw: Record<string, string>, viewer: Viewer = registrar) => {
    const { filter, errors } = parseRootseekingFilter(raw, viewer)
    expect(errors).toEqual({})
    return (await rootseekingQuery(t.db, viewer, filter, TODAY).execute()).map((r) => r.id)
  }

  test('each filter gives exactly its rows', async () => {
    expect(await ids({})).toEqual([fresh, late, visited])
    expect(await ids({ state: 'received' })).toEqual([fresh, late])
    expect(await ids({ country: '美国' })).toEqual([fresh, visited])
    expect(await ids({ from: '2026-11-01', to: '2026-11-30' })).toEqual([fresh, late])
    expect(await ids({ caseworker: caseworker.id })).toEqual([visited])
    expect(await ids({ due: 'late' })).toEqual([late])
    expect(await ids({ show: 'late' })).toEqual([late]) // the home page's links
    expect(await ids({ show: 'mine' }, caseworker)).toEqual([visited])
    expect(parseRootseekingFilter({ state: 'lost', due: 'soon' }).errors).toEqual({ state: 'ledger.filter.notInList', due: 'ledger.filter.notInList' })
  })

  test('the export holds the filtered rows; no passport number, e-mail address or message', async () => {
    const { rows } = await exported(caseworker, 'rootseeking', { country: '美国' })
    expect(rows[0]).toEqual(['编号', '收到方式', '状态', '申请人', '国籍', '居住国', '现用姓名', '收养时姓名', '收养登记证字号', '收养登记日期', '原所在儿童福利机构', '收到日期', '答复期限', '答复日期', '来访人数', '接待日期', '实际接待日期', '接待负责人'])
    expect(rows.slice(1).map((r) => [r[0], r[2], r[14], r[17] ?? null])).toEqual([['AAAA-BBBB-CCCE', '待答复', 0, null], ['AAAA-BBBB-CCCC', '已接待', 2, expect.any(String)]])
    expect(rows[2][16]).toEqual(day('2026-04-08'))
    const csv = await exported(registrar, 'rootseeking', {}, 'csv')
    expect(csv.rows.slice(1).map((r) => r[0])).toEqual(['AAAA-BBBB-CCCE', 'AAAA-BBBB-CCCD', 'AAAA-BBBB-CCCC'])
    for (const text of [csv.text, JSON.stringify(rows)]) {
      expect(text).not.toContain(passport)
      expect(text).not.toContain(email)
      expect(text).not.toContain('希望看看')
    }
  })

  test('refused: without the permission, and with a reversed period (nothing queued)', async () => {
    await expect(requestExport(t.db, archivist, { ledger: 'rootseeking', params: {}, format: 'csv', locale: 'zh' })).rejects.toBeInstanceOf(ForbiddenError)
    await expectPeriodRefused(registrar, 'rootseeking', 'from', 'to')
    expect(registerOf('rootseeking')!.permission).toBe('rootseeking.read')
  })
})

describe('refusals, dissolutions and revocations register', () => {
  let refusedNow: string, refusedBefore: string, dissolved: string, revoked: string
  const adopter = applicationInput()

  beforeAll(async () => {
    const refuse = async (ground: 'age_gap' | 'other', overrides = {}) => {
      const id = await makeReadyApplication(t.db, cipher, registrar, overrides)
      await proposeDecision(t.db, cipher, registrar, id, await currentVersion(t.db, id), { decision: 'refuse', ground, facts: '事实', basis: '依据' }, TODAY)
      await approveDecision(t.db, cipher, supervisor, id, await currentVersion(t.db, id), {}, TODAY)
      return id
    }
    refusedNow = await refuse('age_gap', { adopter1: adopter.adopter1 })
    refusedBefore = await refuse('other')
    await t.db.updateTable('applications').set({ refused_on: '2025-06-02' }).where('id', '=', refusedBefore).execute()
    dissolved = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    await registerDissolution(t.db, cipher, registrar, dissolved, await currentVersion(t.db, dissolved), { agreementOn: TODAY, childConsents: null, certificateReturned: true }, TODAY)
    revoked = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    await revoke(t.db, supervisor, revoked, await currentVersion(t.db, revoked), { reason: '以欺骗手段取得登记', certificateConfiscated: true }, TODAY)
    await makeRegisteredAdoption(t.db, cipher, registrar, supervisor) // registered and in force: not a decision of this register
  })

  const ids = async (raw: Record<string, string>) => {
    const { filter, errors } = parseDecisionFilter(raw)
    expect(errors).toEqual({})
    return (await decisionsQuery(t.db, supervisor, filter, TODAY).execute()).map((r) => r.id)
  }

  test('each filter gives exactly its decisions: all refusals of a year with their grounds', async () => {
    const mine = [revoked, dissolved, refusedBefore, refusedNow]
    expect((await ids({})).filter((id) => mine.includes(id))).toEqual(mine)
    expect((await ids({ kind: 'refused', year: '2026' })).filter((id) => mine.includes(id))).toEqual([refusedNow])
    expect(await ids({ kind: 'refused', year: '2025' })).toEqual([refusedBefore])
    expect((await ids({ ground: 'age_gap' })).filter((id) => mine.includes(id))).toEqual([refusedNow])
    expect(await ids({ kind: 'dissolved' })).toEqual([dissolved])
    expect(await ids({ kind: 'revoked', from: TODAY, to: TODAY })).toEqual([revoked])
    expect(await ids({ from: '2025-01-01', to: '2025-12-31' })).toEqual([refusedBefore])
    expect(parseDecisionFilter({ kind: 'withdrawn', ground: 'dislike', year: 'last' }).errors)
      .toEqual({ kind: 'ledger.filter.notInList', ground: 'ledger.filter.notInList', year: 'ledger.filter.notInList' })
  })

  test('the export: the ground and the notice number of each refusal, ID numbers masked', async () => {
    const refusal = await t.db.selectFrom('applications').select('refusal_number').where('id', '=', refusedNow).executeTakeFirstOrThrow()
    const { rows } = await exported(supervisor, 'decisions', { kind: 'refused', year: '2026', ground: 'age_gap' })
    expect(rows[0]).toEqual(['编号', '决定类别', '决定日期', '文书编号', '不予登记理由', '撤销理由', '登记字号', '登记日期', '证书收回', '类型', '收养人', '收养人身份证号（部分隐藏）', '被收养人', '经办人', '批准 / 办理人', '保密', '居住地乡镇（街道）'])
    expect(rows.slice(1).map((r) => [String(r[0]), r[1], r[3], r[4], r[11]])).toEqual([[refusedNow, '不予登记', refusal.refusal_number, '年龄差不足四十周岁（第1102条）', maskCitizenId(adopter.adopter1.idNumber!)]])
    expect(rows[1][2]).toEqual(day(TODAY))
    const csv = await exported(registrar, 'decisions', {}, 'csv')
    expect(csv.text).not.toContain(adopter.adopter1.idNumber!)
    expect(csv.text).not.toMatch(/\d{17}[\dX]/) // no full ID number of anyone
    const number = (await t.db.selectFrom('dissolutions').select('number').where('application_id', '=', dissolved).executeTakeFirstOrThrow()).number
    const row = csv.rows.find((r) => r[0] === dissolved)!
    expect([row[1], row[3], row[8]]).toEqual(['解除收养关系登记', number, '是'])
    expect(csv.rows.find((r) => r[0] === revoked)!.slice(1, 6)).toEqual(['撤销收养登记', TODAY, expect.any(String), '', '以欺骗手段取得登记'])
  })

  test('refused: without the permission, and with a reversed period (nothing queued)', async () => {
    await expect(requestExport(t.db, caseworker, { ledger: 'decisions', params: {}, format: 'csv', locale: 'zh' })).rejects.toBeInstanceOf(ForbiddenError)
    await expectPeriodRefused(supervisor, 'decisions', 'from', 'to', { kind: 'refused' })
    expect(registerOf('decisions')!.permission).toBe('case.read')
  })
})
