// Ledger exports against real PostgreSQL and the real worker: 100,000 rows written by a job with
// its progress recorded, read back from the .xlsx; ID numbers masked; permissions and secrecy
// respected; a bad filter refused; a right withdrawn before the job runs stops it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Readable } from 'node:stream'
import { runOnce } from 'graphile-worker'
import { sql } from 'kysely'
import ExcelJS from 'exceljs'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { applicationInput, makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { maskCitizenId } from '#app/platform/citizen-id.ts'
import { ForbiddenError } from '#app/platform/http.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { exportDownload, FilterError, requestExport, runExport } from '#app/ledgers/exports.server.ts'
import { openFile } from '#app/archive/files.server.ts'
import { taskList } from '#jobs/worker.ts'
import { quietLogger } from '#db/migrate.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer, assessor: Viewer

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  assessor = await makeViewer(t.db, 'assessor')
})
afterAll(async () => { await t.destroy() })

const runJobs = () => runOnce({ pgPool: t.pool, taskList: taskList({ db: t.db, cipher, mailFrom: 'x@test.invalid' }), logger: quietLogger() })

async function fileOf(viewer: Viewer, id: string) {
  const { chunks } = await exportDownload(t.db, cipher, viewer, id)
  const parts: Buffer[] = []
  for await (const c of chunks) parts.push(c)
  return Buffer.concat(parts)
}

async function sheetRows(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.read(Readable.from(bytes))
  const rows: ExcelJS.CellValue[][] = []
  workbook.worksheets[0].eachRow({ includeEmpty: false }, (row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1)))
  return rows
}

describe('exports', () => {
  test('a registered adoption is exported with its ID number masked, its dates as dates, in both formats', async () => {
    const input = applicationInput()
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor, input)
    const xlsx = await requestExport(t.db, supervisor, { ledger: 'applications', params: { state: 'registered' }, format: 'xlsx', locale: 'zh' })
    const csv = await requestExport(t.db, supervisor, { ledger: 'applications', params: { state: 'registered' }, format: 'csv', locale: 'en' })
    await runJobs()
    const rows = await sheetRows(await fileOf(supervisor, xlsx))
    expect(rows[1]).toEqual(['编号', '状态', '类型', '收养人', '收养人身份证号（部分隐藏）', '被收养人', '受理日期', '登记字号', '登记日期', '不予登记日期', '经办人', '保密', '居住地乡镇（街道）'])
    const mine = rows.find((r) => r[0] === Number(id))!
    expect(mine[4]).toBe(maskCitizenId(input.adopter1.idNumber!))
    expect(mine[6]).toBeInstanceOf(Date)
    // Received in August: an institution child's notice seeking the birth parents ran its sixty days
    // before the assessment (tests/support/applications.ts makeReadyApplication).
    expect((mine[6] as Date).toISOString().slice(0, 10)).toBe('2026-08-03')
    const text = (await fileOf(supervisor, csv)).toString('utf8')
    expect(text.startsWith('\uFEFFNo.,State,')).toBe(true)
    expect(text).toContain(maskCitizenId(input.adopter1.idNumber!))
    expect(text).not.toContain(input.adopter1.idNumber!)
    expect(text).toContain(',2026-08-03,')
  })

  test('who may not read the register may not export it; secrecy cases stay with those who may see them', async () => {
    await expect(requestExport(t.db, assessor, { ledger: 'applications', params: {}, format: 'csv', locale: 'zh' })).rejects.toBeInstanceOf(ForbiddenError)
    const other = await makeViewer(t.db, 'registrar')
    const secret = await makeRegisteredAdoption(t.db, cipher, other, supervisor, { secrecy: true, secrecyRequestedBy: 'adopter' })
    expect((await t.db.selectFrom('applications').select('secrecy').where('id', '=', secret).executeTakeFirstOrThrow()).secrecy).toBe(true)
    const id = await requestExport(t.db, registrar, { ledger: 'applications', params: {}, format: 'csv', locale: 'zh' })
    await runJobs()
    const ids = (await fileOf(registrar, id)).toString('utf8').split('\r\n').slice(1).map((line) => line.split(',')[0])
    expect(ids).not.toContain(secret)
    // Nobody downloads another person's export.
    await expect(fileOf(supervisor, id)).rejects.toMatchObject({ status: 404 })
  })

  test('a bad filter is refused before anything is queued: end before start, a value not in the list', async () => {
    const before = (await t.db.selectFrom('ledger_exports').select('id').execute()).length
    await expect(requestExport(t.db, supervisor, { ledger: 'applications', params: { from: '2026-11-20', to: '2026-11-01' }, format: 'xlsx', locale: 'zh' }))
      .rejects.toSatisfy((e) => e instanceof FilterError && e.fields.to === 'ledger.filter.periodReversed')
    await expect(requestExport(t.db, supervisor, { ledger: 'applications', params: { state: 'nonsense' }, format: 'xlsx', locale: 'zh' }))
      .rejects.toSatisfy((e) => e instanceof FilterError && e.fields.state === 'ledger.filter.notInList')
    await expect(requestExport(t.db, supervisor, { ledger: 'no-such', params: {}, format: 'xlsx', locale: 'zh' })).rejects.toMatchObject({ messageKey: 'export.unknownLedger' })
    expect((await t.db.selectFrom('ledger_exports').select('id').execute()).length).toBe(before)
  })

  test('a right withdrawn before the job runs stops the export', async () => {
    const leaving = await makeViewer(t.db, 'registrar')
    const id = await requestExport(t.db, leaving, { ledger: 'applications', params: {}, format: 'csv', locale: 'zh' })
    await t.db.updateTable('users').set({ active: false }).where('id', '=', leaving.id).execute()
    await runJobs()
    expect(await t.db.selectFrom('ledger_exports').select(['state', 'blob_id']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ state: 'failed', blob_id: null })
  })

  test('the follow-up task ledger: every open visit in due-date order, as filtered; supervisors only', async () => {
    await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    const open = await t.db.selectFrom('followup_tasks').select(['id', 'due_on']).where('status', '=', 'open').where('kind', '=', 'visit').orderBy('due_on').orderBy('id').execute()
    expect(open.length).toBeGreaterThan(0)
    await expect(requestExport(t.db, registrar, { ledger: 'followup_tasks', params: {}, format: 'csv', locale: 'zh' })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(requestExport(t.db, supervisor, { ledger: 'followup_tasks', params: { status: 'lost' }, format: 'csv', locale: 'zh' }))
      .rejects.toSatisfy((e) => e instanceof FilterError && e.fields.status === 'ledger.filter.notInList')
    const exportId = await requestExport(t.db, supervisor, { ledger: 'followup_tasks', params: { status: 'open', kind: 'visit' }, format: 'csv', locale: 'zh' })
    await runExport(t.db, cipher, exportId, { batch: 7 }) // small batches: the (due_on, id) cursor carries across them
    const lines = (await fileOf(supervisor, exportId)).toString('utf8').trimEnd().split('\r\n')
    expect(lines[0]).toBe('\uFEFF任务编号,登记字号,类别,次序,应访日期,期间自,期间至,状态,回访人,居住地乡镇（街道）')
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(open.map((o) => o.id))
    expect(lines.some((l) => l.includes(',未指派'))).toBe(true)
  })

  test('the archive file register: as filtered, with the archivist\'s permission only', async () => {
    const archivist = await makeViewer(t.db, 'archivist')
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    const fileId = await openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)
    const file = await t.db.selectFrom('archive_files').select(['archive_number', 'title']).where('id', '=', fileId).executeTakeFirstOrThrow()
    await expect(requestExport(t.db, registrar, { ledger: 'archive_files', params: {}, format: 'csv', locale: 'zh' })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(requestExport(t.db, archivist, { ledger: 'archive_files', params: { type: 'adoption' }, format: 'csv', locale: 'zh' }))
      .rejects.toSatisfy((e) => e instanceof FilterError && e.fields.type === 'ledger.filter.notInList')
    const exportId = await requestExport(t.db, archivist, { ledger: 'archive_files', params: { state: 'open', q: file.archive_number }, format: 'csv', locale: 'zh' })
    await runExport(t.db, cipher, exportId)
    const lines = (await fileOf(archivist, exportId)).toString('utf8').trimEnd().split('\r\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toBe(`${file.archive_number},${file.title},收养登记,2026,待归档,1,永久,,2027-01-27,,否`) // due 60 days after opening
  })

  test('100,000 rows: written by the job in batches with its progress recorded, every row in the file', async () => {
    // Generated in SQL: registered adoptions with an adopter and a child each.
    await sql`
      with a as (
        insert into applications (registry_code, state, relation, placing_kind, received_on, registrar_id, created_by, approved_by, registration_number, registration_year, registered_on, assessment, resides_abroad)
        select '500111', 'registered', 'none', 'welfare_institution', date '2025-01-01' + (g % 600), ${registrar.id}, ${registrar.id}, ${supervisor.id},
               'BULK-' || g, 2025, date '2025-02-01' + (g % 600), 'recommended', true
        from generate_series(1, 100000) g
        returning id
      )
      insert into parties (application_id, role, position, name) select id, r.role, 1, r.name from a, (values ('adopter', '张三'), ('child', '张小')) as r(role, name)
    `.execute(t.db)
    const total = Number((await t.db.selectFrom('applications').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'registered').executeTakeFirstOrThrow()).n)
    const id = await requestExport(t.db, supervisor, { ledger: 'applications', params: { state: 'registered' }, format: 'xlsx', locale: 'zh' })
    const seen = new Set<number>()
    let running = true
    const watch = (async () => {
      while (running) {
        const row = await t.db.selectFrom('ledger_exports').select(['rows_done', 'rows_total']).where('id', '=', id).executeTakeFirstOrThrow()
        if (row.rows_total !== null) seen.add(row.rows_done)
        await new Promise((r) => setTimeout(r, 25))
      }
    })()
    await runExport(t.db, cipher, id)
    running = false
    await watch
    const done = await t.db.selectFrom('ledger_exports').select(['state', 'rows_done', 'rows_total']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(done).toEqual({ state: 'done', rows_done: total, rows_total: total })
    expect([...seen].filter((n) => n > 0 && n < total).length).toBeGreaterThan(1) // progress was visible on the way
    const rows = await sheetRows(await fileOf(supervisor, id))
    expect(rows.length).toBe(total + 2) // the filter line, the header, the rows
  }, 240_000)
})
