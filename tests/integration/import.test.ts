// Historical imports against a real PostgreSQL: real .xlsx and .csv files (exceljs, GB18030 via
// iconv), the dry run, the exact report of a mixed file, the import with its archive files and
// follow-up plans, idempotent re-imports, the error workbook fixed and uploaded again.
import { execFileSync } from 'node:child_process'
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry } from '#tests/support/factories.ts'
import { makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { ledgerCsv, ledgerXlsx, ordinaryRow, type LedgerRow } from '#tests/support/ledgers.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { listApplications } from '#app/registration/ledger.server.ts'
import { citizenIdFor } from '#app/registration/demo/people.ts'
import { decideApproval, errorWorkbook, loadBatch, processBatch, requestApproval, startDryRun, startImport, uploadLedger } from '#app/import/batches.server.ts'
import { approveBatch, setGoLive } from '#tests/support/imports.ts'
import { openImportedFiles, type ImportedFile } from '#app/import/archive.server.ts'
import { ProcedureError } from '#app/platform/http.server.ts'
import { POST_PLACEMENT_SINCE_2015 } from '#app/followup/policy.ts'

let t: TestDatabase
let cipher: FieldCipher
let registrar: Viewer
let supervisor: Viewer

beforeAll(async () => {
  t = await testDatabase()
  cipher = testContext(t.db).cipher
  await makeRegistry(t.db)
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  await setGoLive(t.db, '500111', TODAY)
})
afterAll(async () => { await t.destroy() })

async function upload(bytes: Buffer | string, filename = 'ledger.xlsx') {
  const blob = await postgresBlobStore(cipher).putStream(t.db, Readable.from([typeof bytes === 'string' ? Buffer.from(bytes) : bytes]), { maxBytes: 50 * 1024 * 1024 })
  return uploadLedger(t.db, cipher, registrar, { blob, filename, contentType: null, complete: true, pdfPages: null })
}

async function version(id: string) {
  return (await t.db.selectFrom('import_batches').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version
}

async function dryRun(id: string, pastVisits: 'skip' | 'not_done' = 'skip') {
  const { batch } = await loadBatch(t.db, registrar, id, 'all', null)
  await startDryRun(t.db, registrar, id, { version: batch.version, mapping: batch.mapping, pastVisits })
  await processBatch(t.db, cipher, id, 'check', TODAY)
  return loadBatch(t.db, registrar, id, 'all', null)
}

async function runImport(id: string) {
  // A second person approves the dry run first (decision 027); a stopped import resumes on its approval.
  const { state } = await t.db.selectFrom('import_batches').select('state').where('id', '=', id).executeTakeFirstOrThrow()
  if (state === 'checked') await approveBatch(t.db, registrar, id, supervisor)
  await startImport(t.db, registrar, id, await version(id))
  await processBatch(t.db, cipher, id, 'import', TODAY)
  // The archive jobs the import enqueued, run as the worker would.
  const { rows } = await sql<{ payload: { batchId: string; actorId: string; files: ImportedFile[] } }>`
    select payload from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
    where k.identifier = 'import_open_archives' and payload->>'batchId' = ${id}`.execute(t.db)
  for (const job of rows) await openImportedFiles(t.db, cipher, job.payload, TODAY)
  return loadBatch(t.db, registrar, id, 'all', null)
}

async function counts() {
  const n = async (table: 'applications' | 'parties' | 'archive_files' | 'followup_tasks' | 'intercountry_adoptions' | 'certificates' | 'dissolutions') =>
    Number((await t.db.selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)
  return {
    applications: await n('applications'), parties: await n('parties'), archive: await n('archive_files'), tasks: await n('followup_tasks'),
    intercountry: await n('intercountry_adoptions'), certificates: await n('certificates'), dissolutions: await n('dissolutions'),
  }
}

const summary = (rows: Awaited<ReturnType<typeof loadBatch>>['rows']) =>
  rows.map((r) => [r.row, r.status, r.messages.map((m) => (m.field ? `${m.field}:${m.key}` : m.key)).join(' ')])

// Citizen IDs of an existing registration, and a bad check character.
const withBadCheck = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1')
const fullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))

let mixedId: string
let existingChildId: string

describe('a mixed ledger', () => {
  let rows: LedgerRow[]
  beforeAll(async () => {
    const existing = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    const number = (await t.db.selectFrom('applications').select('registration_number').where('id', '=', existing).executeTakeFirstOrThrow()).registration_number!
    const child = await t.db.selectFrom('parties').select(['name', 'birth_date']).where('application_id', '=', existing).where('role', '=', 'child').executeTakeFirstOrThrow()
    existingChildId = child.name
    rows = [
      ordinaryRow({ registeredOn: '2016.5.10', adopterId: fullWidth(citizenIdFor('500111', '1980-01-15', 'male', 1)) }, 1), // row 4: valid, full-width ID, dotted date
      ordinaryRow({ registeredOn: '2016年5月10日', secrecy: '是', archive: 'DZ-2016-SY-0002' }, 2), // row 5: valid, secrecy, kept archive number
      ordinaryRow({ registeredOn: '5/10/2016' }, 3), // row 6: valid, M/D/YYYY
      ordinaryRow({ registeredOn: new Date(Date.UTC(2016, 4, 10)), childBirth: '2014-02-03' }, 4), // row 7: real Excel date; child born 2014
      ordinaryRow({ adopterId: withBadCheck(citizenIdFor('500111', '1980-01-15', 'male', 5)) }, 5), // row 8: bad check character
      ordinaryRow({ registeredOn: '2016-02-30' }, 6), // row 9: impossible date
      ordinaryRow({ child: '' }, 7), // row 10: missing child's name
      ordinaryRow({ number: '（2016）渝大收字第0001号' }, 8), // row 11: number of row 4 again
      ordinaryRow({ number }, 9), // row 12: number of a registration made in the system
      ordinaryRow({ child: child.name, childBirth: child.birth_date!, childId: '', registeredOn: '2024-01-10' }, 10), // row 13: the same child as an existing record
      ordinaryRow({ kind: '涉外收养', spouse: 'Mary Smith', spouseId: '', country: '美国', agency: 'Holt International', approvedOn: '2016-03-01', registeredOn: '2016-04-20' }, 11), // row 14: intercountry
      ordinaryRow({ registeredOn: '2003-06-01', childBirth: '2002-01-01', dissolvedOn: '2010-09-09', dissolutionNumber: '（2010）渝大解字第0001号' }, 12), // row 15: dissolved
      ordinaryRow({ registeredOn: '2005-03-01', childBirth: '2004-01-01' }, 13), // row 16: child now over 18
      ordinaryRow({ registeredOn: '2026-09-01', childBirth: '2025-01-01' }, 14), // row 17: recent, visits ahead
    ]
    mixedId = await upload(await ledgerXlsx(rows))
  })

  test('the header of merged cells is read, and a mapping proposed from the usual names', async () => {
    const { batch } = await loadBatch(t.db, registrar, mixedId, 'all', null)
    expect(batch.headers.slice(0, 12)).toEqual(['序号', '登记证号', '登记日期', '收养类型', '收养人姓名', '收养人身份证号', '配偶姓名', '配偶身份证号', '被收养人姓名', '被收养人性别', '被收养人出生日期', '被收养人身份证号'])
    expect(batch.mapping).toMatchObject({ registrationNumber: '登记证号', registeredOn: '登记日期', adopter1Name: '收养人姓名', adopter1IdNumber: '收养人身份证号', adopter2Name: '配偶姓名', childName: '被收养人姓名', childBirthDate: '被收养人出生日期', secrecy: '是否保密', archiveNumber: '档案号', country: '收养人国籍' })
  })

  test('the dry run writes nothing and reports every row exactly', async () => {
    const before = await counts()
    const { batch, rows: report, mdyRows } = await dryRun(mixedId)
    expect(await counts()).toEqual(before)
    expect(batch.state).toBe('checked')
    expect(summary(report)).toEqual([
      [4, 'valid', ''],
      [5, 'valid', ''],
      [6, 'valid', 'import.note.mdy'],
      [7, 'valid', ''],
      [8, 'invalid', 'adopter1IdNumber:citizenId.checksum'],
      [9, 'invalid', 'registeredOn:import.error.date'],
      [10, 'invalid', 'childName:import.error.required'],
      [11, 'invalid', 'registrationNumber:import.error.numberRepeated'],
      [12, 'invalid', 'registrationNumber:import.error.numberUsed'],
      [13, 'duplicate', 'import.error.duplicateRecord'],
      [14, 'valid', ''],
      [15, 'valid', ''],
      [16, 'valid', ''],
      [17, 'valid', ''],
    ])
    expect(report[7].messages[0].params).toEqual({ row: 4 })
    expect({ total: batch.total_rows, valid: batch.valid_rows, invalid: batch.invalid_rows, duplicate: batch.duplicate_rows, existing: batch.existing_rows, mdyRows })
      .toEqual({ total: 14, valid: 8, invalid: 5, duplicate: 1, existing: 0, mdyRows: 1 })
  })

  test('the import creates the valid rows as imported registrations, found in the ledger at once', async () => {
    const before = await counts()
    const { batch, rows: report } = await runImport(mixedId)
    expect(batch.state).toBe('imported')
    expect(batch.created_rows).toBe(8)
    expect(report.filter((r) => r.status === 'created').map((r) => r.row)).toEqual([4, 5, 6, 7, 14, 15, 16, 17])
    const after = await counts()
    expect(after.applications - before.applications).toBe(8)
    expect(after.dissolutions - before.dissolutions).toBe(1)
    // Each imported application: marked with the batch, the row and the importer.
    const imported = await t.db.selectFrom('applications').select(['registration_number', 'state', 'source', 'import_batch_id', 'import_row', 'imported_by', 'secrecy', 'registered_on', 'import_kind'])
      .where('import_batch_id', '=', mixedId).orderBy('import_row').execute()
    expect(imported.map((a) => [a.import_row, a.state, a.source, a.imported_by, a.secrecy, a.registered_on, a.import_kind])).toEqual([
      [4, 'registered', 'import', registrar.id, false, '2016-05-10', 'ordinary'],
      [5, 'registered', 'import', registrar.id, true, '2016-05-10', 'ordinary'],
      [6, 'registered', 'import', registrar.id, false, '2016-05-10', 'ordinary'],
      [7, 'registered', 'import', registrar.id, false, '2016-05-10', 'ordinary'],
      [14, 'registered', 'import', registrar.id, false, '2016-04-20', 'intercountry'],
      [15, 'dissolved', 'import', registrar.id, false, '2003-06-01', 'ordinary'],
      [16, 'registered', 'import', registrar.id, false, '2005-03-01', 'ordinary'],
      [17, 'registered', 'import', registrar.id, false, '2026-09-01', 'ordinary'],
    ])
    // The full-width ID was stored normalised: found by its ASCII form.
    const byId = await listApplications(t.db, cipher, registrar, { q: citizenIdFor('500111', '1980-01-15', 'male', 1) }, TODAY)
    expect(byId.rows.map((r) => r.registrationNumber)).toEqual(['（2016）渝大收字第0001号'])
    const byNumber = await listApplications(t.db, cipher, registrar, { q: '渝大收字第0004号' }, TODAY)
    expect(byNumber.rows).toHaveLength(1)
    expect(byNumber.rows[0].child).toBe('福4')
  })

  test('archive files keep the ledger number, or get one allocated; no generated documents', async () => {
    const files = await t.db.selectFrom('archive_files as f').innerJoin('applications as a', 'a.id', 'f.application_id')
      .select(['a.import_row', 'f.type', 'f.archive_number', 'f.confidential', 'f.year']).where('a.import_batch_id', '=', mixedId).orderBy('a.import_row').orderBy('f.type').execute()
    expect(files).toHaveLength(9) // 8 establishment files + the dissolution's file
    expect(files.find((f) => f.import_row === 5)).toMatchObject({ archive_number: 'DZ-2016-SY-0002', confidential: true, year: 2016 })
    expect(files.filter((f) => f.import_row === 15).map((f) => f.type)).toEqual(['dissolution', 'establishment'])
    expect(new Set(files.map((f) => f.archive_number)).size).toBe(9)
    const docs = await t.db.selectFrom('archive_documents as d').innerJoin('archive_files as f', 'f.id', 'd.file_id').innerJoin('applications as a', 'a.id', 'f.application_id')
      .select(sql<string>`count(*)`.as('n')).where('a.import_batch_id', '=', mixedId).executeTakeFirstOrThrow()
    expect(Number(docs.n)).toBe(0)
  })

  test('an imported intercountry adoption gets its six expected reports', async () => {
    const ic = await t.db.selectFrom('intercountry_adoptions').selectAll().where('registration_number', '=', '（2016）渝大收字第0011号').executeTakeFirstOrThrow()
    expect(ic).toMatchObject({ source: 'import', country: '美国', agency: 'Holt International', approved_on: '2016-03-01', registered_on: '2016-04-20' })
    const tasks = await t.db.selectFrom('followup_tasks').select(['kind', 'sequence', 'due_on']).where('intercountry_id', '=', ic.id).orderBy('sequence').execute()
    expect(tasks.map((x) => x.kind)).toEqual(Array(6).fill('post_placement_report'))
    expect(tasks.map((x) => x.due_on)).toEqual(['2016-10-20', '2017-04-20', '2018-04-20', '2019-04-20', '2020-04-20', '2021-04-20'])
    expect(POST_PLACEMENT_SINCE_2015).toHaveLength(6)
  })

  test('domestic plans: only visits still ahead while the child is under 18', async () => {
    const plan = async (row: number) => t.db.selectFrom('followup_tasks as f').innerJoin('applications as a', 'a.id', 'f.application_id')
      .select(['f.sequence', 'f.due_on', 'f.window_to', 'f.status']).where('a.import_batch_id', '=', mixedId).where('a.import_row', '=', row).orderBy('f.sequence').execute()
    expect(await plan(16)).toEqual([]) // born 2004: 18 in 2022
    expect(await plan(15)).toEqual([]) // dissolved
    const recent = await plan(17) // registered 2026-09-01: the 1-month visit's window closed on 2026-10-15
    expect(recent[0]).toMatchObject({ sequence: 2, due_on: '2026-12-01', status: 'open' })
    expect(recent.every((v) => v.window_to >= TODAY && v.status === 'open')).toBe(true)
    const old = await plan(4) // registered 2016, born 2015: yearly visits from 2027 on
    expect(old[0].due_on).toBe('2027-05-10')
    expect(old.at(-1)!.due_on < '2033-04-02').toBe(true)
  })

  test('re-importing the same file creates nothing new', async () => {
    const again = await upload(await ledgerXlsx(rows))
    const { batch } = await loadBatch(t.db, registrar, again, 'all', null)
    expect(batch.mapping).toMatchObject({ registrationNumber: '登记证号' }) // the saved mapping
    const checked = await dryRun(again)
    expect(checked.batch).toMatchObject({ valid_rows: 0, existing_rows: 8, invalid_rows: 5, duplicate_rows: 1 })
    const before = await counts()
    await expect(startImport(t.db, registrar, again, await version(again))).rejects.toThrow(ProcedureError)
    expect(await counts()).toEqual(before)
  })

  test('the rows not imported come back as an .xlsx with an error column; fixed, they import, nothing twice', async () => {
    const stream = await errorWorkbook(t.db, cipher, registrar, mixedId, 'zh')
    const chunks: Buffer[] = []
    for await (const c of stream) chunks.push(c as Buffer)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header.at(-1)).toBe('错误')
    expect(header[1]).toBe('登记证号')
    expect(sheet.rowCount).toBe(1 + 6)
    const errors = Array.from({ length: 6 }, (_, i) => String(sheet.getRow(i + 2).getCell(header.length).value))
    expect(errors[0]).toContain('校验码')
    expect(errors[1]).toBe('登记日期：日期无法识别或不存在（2016-02-30）')
    expect(errors[3]).toContain('第 4 行')
    // Fix the bad date (row 9 of the original, 2nd row here) and the missing name; upload the file again.
    sheet.getRow(3).getCell(3).value = '2016-02-28'
    sheet.getRow(4).getCell(9).value = '福7'
    const fixed = Buffer.from(await workbook.xlsx.writeBuffer())
    const id = await upload(fixed, 'errors.xlsx')
    const checked = await dryRun(id)
    // Row 5 repeated row 4's number: row 4 is imported now, so the number is recognised (with a note).
    expect(summary(checked.rows)).toEqual([
      [2, 'invalid', 'adopter1IdNumber:citizenId.checksum'], [3, 'valid', ''], [4, 'valid', ''], [5, 'existing', 'import.note.differs'],
      [6, 'invalid', 'registrationNumber:import.error.numberUsed'], [7, 'duplicate', 'import.error.duplicateRecord'],
    ])
    const before = await counts()
    const done = await runImport(id)
    expect(done.batch.created_rows).toBe(2)
    expect((await counts()).applications - before.applications).toBe(2)
    // And once more: nothing.
    const third = await upload(fixed, 'errors.xlsx')
    expect((await dryRun(third)).batch).toMatchObject({ valid_rows: 0, existing_rows: 3 })
  })
})

describe('bad input', () => {
  test('a file that is not a spreadsheet, or a zip that is not a workbook, is refused clearly', async () => {
    await expect(upload(Buffer.from('%PDF-1.7\n\u0000\u0001binary'), 'scan.pdf')).rejects.toMatchObject({ messageKey: 'import.file.notSpreadsheet' })
    await expect(upload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]), 'x.xlsx')).rejects.toMatchObject({ messageKey: 'import.file.unreadable' })
    await expect(upload('\n\n\n', 'empty.csv')).rejects.toMatchObject({ messageKey: 'import.file.noHeader' })
  })

  test('a formula without a computed value is reported on its row', async () => {
    const rows = [ordinaryRow({}, 301), ordinaryRow({}, 302)]
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await ledgerXlsx(rows) as unknown as ArrayBuffer)
    workbook.worksheets[0].getCell('B5').value = { formula: 'CONCATENATE("a","b")' } as ExcelJS.CellFormulaValue
    const id = await upload(Buffer.from(await workbook.xlsx.writeBuffer()))
    const { rows: report } = await dryRun(id)
    expect(summary(report)).toEqual([[4, 'valid', ''], [5, 'invalid', 'registrationNumber:import.error.required registrationNumber:import.error.formula']])
  })

  test.each([
    ['UTF-8 with BOM', (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)]), 'utf-8'],
    ['UTF-8 without BOM', (s: string) => Buffer.from(s), 'utf-8'],
    ['GB18030', (s: string) => execFileSync('iconv', ['-f', 'utf-8', '-t', 'gb18030'], { input: s }), 'gb18030'],
  ])('CSV in %s: dates in several forms, full-width digits', async (_name, encode, encoding) => {
    const base = 400 + encoding.length * 10 + (_name.includes('BOM') && !_name.includes('without') ? 1 : 0) * 5
    const rows = [
      ordinaryRow({ registeredOn: '2001.3.5', childBirth: '2000-01-01', adopterId: fullWidth(citizenIdFor('500111', '1970-01-01', 'male', base)) }, base),
      ordinaryRow({ registeredOn: '2001年3月5日', childBirth: '2000-01-01', placing: '张三, "李四"' }, base + 1),
      ordinaryRow({ registeredOn: '3/5/2001', childBirth: '2000-01-01' }, base + 2),
      ordinaryRow({ registeredOn: '5.3.2001', childBirth: '2000-01-01' }, base + 3),
    ]
    const id = await upload(encode(ledgerCsv(rows)), 'ledger.csv')
    const { batch, rows: report } = await dryRun(id)
    expect(batch.encoding).toBe(encoding)
    expect(batch.headers[1]).toBe('登记证号')
    expect(summary(report)).toEqual([[2, 'valid', ''], [3, 'valid', ''], [4, 'valid', 'import.note.mdy'], [5, 'invalid', 'registeredOn:import.error.date']])
    await runImport(id)
    const dates = await t.db.selectFrom('applications').select(['registered_on', 'import_row']).where('import_batch_id', '=', id).orderBy('import_row').execute()
    expect(dates.map((d) => d.registered_on)).toEqual(['2001-03-05', '2001-03-05', '2001-03-05'])
    const placing = await t.db.selectFrom('parties as p').innerJoin('applications as a', 'a.id', 'p.application_id').select('p.name')
      .where('a.import_batch_id', '=', id).where('a.import_row', '=', 3).where('p.role', '=', 'placing').executeTakeFirstOrThrow()
    expect(placing.name).toBe('张三, "李四"')
  })
})

test('a CSV whose bytes stop being UTF-8 past the first chunk fails the dry run with a clear reason, writing nothing', async () => {
  const rows = Array.from({ length: 2500 }, (_, i) => ordinaryRow({}, 1000 + i))
  const bytes = Buffer.concat([Buffer.from(ledgerCsv(rows)), Buffer.from([0xff, 0xfe, 0x2c, 0x0d, 0x0a])])
  expect(bytes.length).toBeGreaterThan(300 * 1024)
  const id = await upload(bytes, 'broken.csv')
  const before = await counts()
  const { batch } = await dryRun(id)
  expect(batch).toMatchObject({ state: 'failed', failure: 'encoding' })
  expect(await counts()).toEqual(before)
})

test('past visits recorded as not done when the bureau chooses so', async () => {
  const id = await upload(await ledgerXlsx([ordinaryRow({ registeredOn: '2025-06-10', childBirth: '2024-01-01' }, 601)]))
  await dryRun(id, 'not_done')
  await runImport(id)
  const tasks = await t.db.selectFrom('followup_tasks as f').innerJoin('applications as a', 'a.id', 'f.application_id')
    .select(['f.sequence', 'f.due_on', 'f.status', 'f.cancel_reason']).where('a.import_batch_id', '=', id).orderBy('f.sequence').execute()
  expect(tasks.slice(0, 5)).toEqual([
    { sequence: 1, due_on: '2025-07-10', status: 'cancelled', cancel_reason: 'not_done_before_import' },
    { sequence: 2, due_on: '2025-09-10', status: 'cancelled', cancel_reason: 'not_done_before_import' },
    { sequence: 3, due_on: '2025-12-10', status: 'cancelled', cancel_reason: 'not_done_before_import' },
    { sequence: 4, due_on: '2026-06-10', status: 'cancelled', cancel_reason: 'not_done_before_import' },
    { sequence: 5, due_on: '2027-06-10', status: 'open', cancel_reason: null },
  ])
})

test('the mapping must name the required fields, each column once', async () => {
  const id = await upload(await ledgerXlsx([ordinaryRow({}, 501)]))
  const { batch } = await loadBatch(t.db, registrar, id, 'all', null)
  const { childName: _, ...without } = batch.mapping
  await expect(startDryRun(t.db, registrar, id, { version: batch.version, mapping: without, pastVisits: 'skip' })).rejects.toMatchObject({ messageKey: 'import.mapping.missing' })
  await expect(startDryRun(t.db, registrar, id, { version: batch.version, mapping: { ...batch.mapping, childNameAfter: batch.mapping.childName }, pastVisits: 'skip' })).rejects.toMatchObject({ messageKey: 'import.mapping.twice' })
  expect(Readable).toBeDefined()
})

test('the demo ledger: uploaded and dry-run for the demo registrar, once', async () => {
  const { seedDemo } = await import('#app/staff/demo-seed.server.ts')
  const { seedDemoImport } = await import('#app/import/demo.server.ts')
  const own = await testDatabase()
  try {
    await seedDemo(own.db, { registryCode: '500111', registryName: '重庆市大足区民政局', registryNameEn: 'Dazu', password: 'demo-password-2026' })
    expect(await seedDemoImport(own.db, cipher, { registryCode: '500111', today: TODAY })).toEqual({ created: 1 })
    expect(await seedDemoImport(own.db, cipher, { registryCode: '500111', today: TODAY })).toEqual({ created: 0 })
    const batch = await own.db.selectFrom('import_batches').selectAll().executeTakeFirstOrThrow()
    expect(batch).toMatchObject({ state: 'checked', total_rows: 7, valid_rows: 5, invalid_rows: 2 })
    const rows = await own.db.selectFrom('import_rows').select(['row_number', 'status', 'messages']).where('status', '=', 'invalid').orderBy('row_number').execute()
    expect(rows.map((r) => [r.row_number, (r.messages as { key: string }[]).map((m) => m.key)])).toEqual([[8, ['citizenId.checksum']], [9, ['import.error.date']]])
    // The town column: proposed from its header, matched (a retired town too); a misspelt one a warning on a valid row.
    expect(batch.mapping).toMatchObject({ residenceTown: '乡镇/街道' })
    const noted = await own.db.selectFrom('import_rows').select(['row_number', 'status', 'messages']).where(sql<boolean>`messages @> '[{"key":"import.note.townUnknown"}]'`).execute()
    expect(noted.map((r) => [r.row_number, r.status])).toEqual([[10, 'valid']])
  } finally {
    await own.destroy()
  }
})

test('a saved mapping is reused for the same layout; the administrator deletes it and the proposal returns', async () => {
  const { listMappings, deleteMapping } = await import('#app/import/mappings.server.ts')
  const admin = await makeViewer(t.db, 'sysadmin')
  const file = async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('x')
    sheet.addRow(['证号', '日期', '男方', '孩子', '孩子生日', '备注'])
    sheet.addRow(['（2001）渝大收字第0700号', '2001-01-01', '甲', '乙', '2000-01-01', ''])
    return Buffer.from(await workbook.xlsx.writeBuffer())
  }
  const first = await upload(await file())
  expect((await loadBatch(t.db, registrar, first, 'all', null)).batch.mapping).toEqual({ registrationNumber: '证号' }) // only what the usual names give
  const chosen = { registrationNumber: '证号', registeredOn: '日期', adopter1Name: '男方', childName: '孩子', childBirthDate: '孩子生日' }
  await startDryRun(t.db, registrar, first, { version: await version(first), mapping: chosen, pastVisits: 'skip' })
  const second = await upload(await file())
  expect((await loadBatch(t.db, registrar, second, 'all', null)).batch.mapping).toEqual(chosen)
  const saved = (await listMappings(t.db, '500111')).find((m) => m.headers.includes('男方'))!
  expect(saved.fields.map((f) => f.field)).toEqual(['registrationNumber', 'registeredOn', 'adopter1Name', 'childName', 'childBirthDate'])
  await deleteMapping(t.db, admin, saved.id)
  const third = await upload(await file())
  expect((await loadBatch(t.db, registrar, third, 'all', null)).batch.mapping).toEqual({ registrationNumber: '证号' })
})

describe('an import that fails half-way (issue 9)', () => {
  test('the failed chunk leaves nothing, the reason is kept for the page, and importing again continues without creating anything twice', async () => {
    // 1,200 rows: the first chunk (file rows 2–1001) and part of a second (1002–1201).
    const rows = Array.from({ length: 1200 }, (_, i) => ordinaryRow({
      number: `（1999）渝大收字第${i + 1}号`, registeredOn: '1999-03-01', childBirth: '1998-01-01', adopter: `甲${i}`, adopterId: '', spouse: '', spouseId: '', child: `乙${i}`, childId: '',
    }, 5000 + i))
    const id = await upload(ledgerCsv(rows), 'ledger.csv')
    expect((await dryRun(id)).batch.valid_rows).toBe(1200)
    const before = await counts()
    // A rule of the database that the row checks do not know refuses the child of file row 1102.
    await sql`create function test_refuse_party() returns trigger language plpgsql as $$
      begin if new.name = '乙1100' then raise exception 'refused by the test' using errcode = 'check_violation'; end if; return new; end $$`.execute(t.owner)
    await sql`create trigger test_refuse_party before insert on parties for each row execute function test_refuse_party()`.execute(t.owner)
    let failed: Awaited<ReturnType<typeof runImport>>
    try {
      failed = await runImport(id)
    } finally {
      await sql`drop trigger test_refuse_party on parties`.execute(t.owner)
      await sql`drop function test_refuse_party()`.execute(t.owner)
    }
    expect(failed.batch).toMatchObject({ state: 'approved', failure: 'constraint', failure_row: 1002 })
    expect(failed.kept).toBe(1000)
    const rowsOf = await t.db.selectFrom('applications').select(sql<string>`max(import_row)`.as('last')).where('import_batch_id', '=', id).executeTakeFirstOrThrow()
    expect(Number(rowsOf.last)).toBe(1001)
    const afterFailure = await counts()
    const audit = await t.db.selectFrom('audit_log').select('summary').where('action', '=', 'import.failed').where('entity_id', '=', id).executeTakeFirstOrThrow()
    expect(audit.summary).toMatchObject({ mode: 'import', reason: 'constraint', row: 1002 })
    // Shown in the reader's language.
    const { translate } = await import('#app/platform/i18n/index.ts')
    expect(translate('en', 'import.report.importStopped', { row: 1002, reason: translate('en', 'import.failure.constraint') })).toContain('row 1002')
    expect(translate('zh', 'import.failure.constraint')).toMatch(/数据库/)

    const done = await runImport(id)
    expect(done.batch).toMatchObject({ state: 'imported', created_rows: 1200, existing_rows: 0, failure: null, failure_row: null })
    const after = await counts()
    // Every record brings the same rows with it: the failed run wrote exactly the first chunk's
    // records, whole (no application without its parties, certificate, archive file...).
    for (const k of Object.keys(before) as (keyof typeof before)[]) {
      expect((afterFailure[k] - before[k]) * 1200, k).toBe((after[k] - before[k]) * 1000)
    }
    expect(after.applications - before.applications).toBe(1200)
  }, 120_000)
})

test('a ledger archive number taken by another file after the dry run: the file gets the next number allocated (this year\'s sequence, as any file opened today), audited, and the report row says so', async () => {
  const row = ordinaryRow({ number: '（2001）渝大收字第0077号', registeredOn: '2001-07-07', childBirth: '2000-02-02', archive: 'DZ-2001-TAKEN', adopterId: '', spouseId: '', childId: '' }, 7700)
  const id = await upload(ledgerCsv([row]), 'taken.csv')
  expect((await dryRun(id)).batch.valid_rows).toBe(1)
  // Imported, but before its archive job runs another file takes the number.
  await approveBatch(t.db, registrar, id, supervisor)
  await startImport(t.db, registrar, id, await version(id))
  await processBatch(t.db, cipher, id, 'import', TODAY)
  const other = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  const { openFile } = await import('#app/archive/files.server.ts')
  await openFile(t.db, cipher, { applicationId: other, type: 'establishment', actorId: registrar.id, archiveNumber: 'DZ-2001-TAKEN', historical: true }, TODAY)
  const { rows: jobs } = await sql<{ payload: { batchId: string; actorId: string; files: ImportedFile[] } }>`
    select payload from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
    where k.identifier = 'import_open_archives' and payload->>'batchId' = ${id}`.execute(t.db)
  expect(jobs).toHaveLength(1)
  await openImportedFiles(t.db, cipher, jobs[0].payload, TODAY)

  const app = await t.db.selectFrom('applications').select('id').where('import_batch_id', '=', id).executeTakeFirstOrThrow()
  const file = await t.db.selectFrom('archive_files').select(['archive_number', 'year']).where('application_id', '=', app.id).executeTakeFirstOrThrow()
  expect(file.archive_number).not.toBe('DZ-2001-TAKEN')
  expect(file.year).toBe(Number(TODAY.slice(0, 4)))
  const audit = await t.db.selectFrom('audit_log').select('summary').where('action', '=', 'import.archive_number_taken').where('entity_id', '=', app.id).executeTakeFirstOrThrow()
  expect(audit.summary).toMatchObject({ batch: id, archiveNumber: 'DZ-2001-TAKEN', allocated: file.archive_number })
  const report = await loadBatch(t.db, registrar, id, 'all', null)
  expect(report.rows[0].messages).toEqual([{ key: 'import.note.archiveNumberTaken', field: 'archiveNumber', params: { number: 'DZ-2001-TAKEN', allocated: file.archive_number } }])
  const { describe: describeMessage } = await import('#app/import/report.ts')
  expect(describeMessage('zh', report.rows[0].messages[0], report.batch.mapping)).toContain(`DZ-2001-TAKEN`)
  // Run again (a retried job): nothing more happens.
  await openImportedFiles(t.db, cipher, jobs[0].payload, TODAY)
  expect((await loadBatch(t.db, registrar, id, 'all', null)).rows[0].messages).toHaveLength(1)
})

describe('memory flat and chunks written two at a time (issue 9)', () => {
  const base = (i: number, over: Partial<LedgerRow> = {}) => ordinaryRow({
    number: `（1998）渝大收字第${i}号`, registeredOn: '1998-03-01', childBirth: '1997-01-01', adopter: `丙${i}`, adopterId: '', spouse: '', spouseId: '', child: `丁${i}`, childId: '', ...over,
  }, 8000 + i)

  test('rows repeating rows of earlier chunks are found through the database, not memory: the same report as in one chunk, and the keys are gone afterwards', async () => {
    const rows = [
      base(1, { archive: 'DZ-1998-A1' }), base(2), base(3), base(4),
      base(5, { number: '（1998）渝大收字第1号' }), // the number of row 2 (first chunk)
      base(6, { child: '丁2' }), // the child of row 3
      base(7, { archive: 'DZ-1998-A1' }), // the archive number of row 2
      base(1, { archive: 'DZ-1998-A1' }), // row 2 again, whole (its number first)
      base(9, { adopter: '丙3', child: '丁3', registeredOn: '1998-03-01' }), // row 4's key under another number
      base(10, { dissolvedOn: '2001-01-01', dissolutionNumber: '（2001）渝大解字第9号' }),
      base(11, { dissolvedOn: '2002-01-01', dissolutionNumber: '（2001）渝大解字第9号' }), // dissolution number of row 11
    ]
    const report = async (chunkRows: number) => {
      const id = await upload(ledgerCsv(rows), 'repeats.csv')
      const { batch } = await loadBatch(t.db, registrar, id, 'all', null)
      await startDryRun(t.db, registrar, id, { version: batch.version, mapping: batch.mapping, pastVisits: 'skip' })
      await processBatch(t.db, cipher, id, 'check', TODAY, { chunkRows })
      const seen = await t.db.selectFrom('import_seen').select(sql<string>`count(*)`.as('n')).where('batch_id', '=', id).executeTakeFirstOrThrow()
      expect(Number(seen.n)).toBe(0)
      const all = await loadBatch(t.db, registrar, id, 'all', null)
      return { rows: all.rows.map((r) => [r.row, r.status, r.messages.map((m) => `${m.key}${m.params?.row ? `@${m.params.row}` : ''}`).join(' ')]), totals: [all.batch.valid_rows, all.batch.invalid_rows, all.batch.duplicate_rows] }
    }
    const inOne = await report(1000)
    expect(inOne.rows).toEqual([
      [2, 'valid', ''], [3, 'valid', ''], [4, 'valid', ''], [5, 'valid', ''],
      [6, 'invalid', 'import.error.numberRepeated@2'],
      [7, 'duplicate', 'import.error.duplicateRow@3'],
      [8, 'invalid', 'import.error.archiveRepeated@2'],
      [9, 'invalid', 'import.error.numberRepeated@2'],
      [10, 'duplicate', 'import.error.rowRepeated@4'],
      [11, 'valid', ''],
      [12, 'invalid', 'import.error.dissolutionUsed'],
    ])
    expect(await report(2)).toEqual(inOne)
    expect(await report(1)).toEqual(inOne)
  })

  test('two imports of the same file racing chunk against chunk: every registration once; the loser stops on a number taken, and continuing recognises the rest', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => base(100 + i))
    const a = await upload(ledgerCsv(rows), 'race-a.csv')
    const b = await upload(ledgerCsv(rows), 'race-b.csv')
    for (const id of [a, b]) {
      const { batch } = await loadBatch(t.db, registrar, id, 'all', null)
      await startDryRun(t.db, registrar, id, { version: batch.version, mapping: batch.mapping, pastVisits: 'skip' })
      await processBatch(t.db, cipher, id, 'check', TODAY, { chunkRows: 5 })
      await approveBatch(t.db, registrar, id, supervisor)
      await startImport(t.db, registrar, id, await version(id))
    }
    const before = await counts()
    // Both at once, four chunks in flight between them, each chunk its own transaction.
    await Promise.all([a, b].map((id) => processBatch(t.db, cipher, id, 'import', TODAY, { chunkRows: 5, writers: 2 })))
    const once = async () => {
      const numbers = await t.db.selectFrom('applications').select(['registration_number', sql<string>`count(*)`.as('n')])
        .where('registration_number', 'like', '（1998）渝大收字第1__号').groupBy('registration_number').execute()
      expect(numbers.every((n) => Number(n.n) === 1)).toBe(true)
      const c = await counts()
      // Whole records only: adopter, child and placing party for each application.
      expect(c.parties - before.parties).toBe(3 * (c.applications - before.applications))
      return numbers.length
    }
    expect(await once()).toBeGreaterThan(0)
    const states = await t.db.selectFrom('import_batches').select(['id', 'state', 'failure']).where('id', 'in', [a, b]).execute()
    // A batch that lost a race stopped on a number taken by the other; pressing Import again
    // finishes it, recognising what either batch created.
    for (const s of states.filter((x) => x.state !== 'imported')) {
      expect(s.failure).toBe('taken')
      await startImport(t.db, registrar, s.id, await version(s.id))
      await processBatch(t.db, cipher, s.id, 'import', TODAY, { chunkRows: 5, writers: 2 })
    }
    expect(await once()).toBe(40)
    const done = await t.db.selectFrom('import_batches').select(['state', 'created_rows', 'existing_rows']).where('id', 'in', [a, b]).execute()
    expect(done.every((d) => d.state === 'imported')).toBe(true)
    expect(done.reduce((n, d) => n + d.created_rows, 0)).toBe(40)
    expect(done.reduce((n, d) => n + d.created_rows + d.existing_rows, 0)).toBe(80)
    // No row judged against a half-seen concurrent import (its child seen, its number not): the
    // lookups of a chunk are made in one snapshot.
    const statuses = await t.db.selectFrom('import_rows').select('status').distinct().where('batch_id', 'in', [a, b]).execute()
    expect(statuses.map((x) => x.status).sort()).toEqual(['created', 'existing'])
    expect((await counts()).applications - before.applications).toBe(40)
  }, 60_000)
})

describe('four eyes on every import (decision 027)', () => {
  const one = (n: number, over: Partial<LedgerRow> = {}) => ordinaryRow({
    number: `（2005）渝大收字第${n}号`, registeredOn: '2005-05-05', childBirth: '2004-04-04', adopter: `戊${n}`, adopterId: '', spouse: '', spouseId: '', child: `己${n}`, childId: '', ...over,
  }, 9500 + n)
  const checkedBatch = async (rows: LedgerRow[], name = 'four-eyes.csv') => {
    const id = await upload(ledgerCsv(rows), name)
    await dryRun(id)
    return id
  }
  const auditOf = (action: string, id: string) => t.db.selectFrom('audit_log').select(['actor_id', 'summary']).where('action', '=', action).where('entity_id', '=', id).execute()

  test('a registrar alone imports nothing: not before approval, not by approving their own batch (refused, audited); approved by a supervisor it runs', async () => {
    const id = await checkedBatch([one(1)])
    await expect(startImport(t.db, registrar, id, await version(id))).rejects.toMatchObject({ messageKey: 'import.state.notApproved' })
    await requestApproval(t.db, registrar, id, await version(id))
    await expect(startImport(t.db, registrar, id, await version(id))).rejects.toMatchObject({ messageKey: 'import.state.notApproved' })
    // The uploader, even holding the approving role as well, may not approve.
    const both = { ...registrar, roles: ['registrar', 'supervisor'] as const }
    await expect(decideApproval(t.db, both, id, { version: await version(id), decision: 'approve' })).rejects.toMatchObject({ messageKey: 'import.approval.self' })
    expect(await auditOf('import.self_approval_refused', id)).toEqual([{ actor_id: registrar.id, summary: { decision: 'approve' } }])
    // Nor would the database let the uploader's id be written as the approver.
    await expect(t.db.updateTable('import_batches').set({ approved_by: registrar.id }).where('id', '=', id).execute()).rejects.toMatchObject({ code: '23514' })
    expect((await loadBatch(t.db, registrar, id, 'all', null)).batch.state).toBe('approval_requested')
    await decideApproval(t.db, supervisor, id, { version: await version(id), decision: 'approve' })
    expect(await auditOf('import.approved', id)).toHaveLength(1)
    const before = await counts()
    await startImport(t.db, registrar, id, await version(id))
    await processBatch(t.db, cipher, id, 'import', TODAY)
    const done = await loadBatch(t.db, registrar, id, 'all', null)
    expect(done.batch).toMatchObject({ state: 'imported', created_rows: 1, approved_by: supervisor.id, approval_requested_by: registrar.id })
    expect((await counts()).applications).toBe(before.applications + 1)
  })

  test('the approval is of one dry run: a dry run run again voids it, and the stale approval cannot be given', async () => {
    const id = await checkedBatch([one(2)])
    await approveBatch(t.db, registrar, id, supervisor)
    const { batch } = await loadBatch(t.db, registrar, id, 'all', null)
    expect(batch.state).toBe('approved')
    await startDryRun(t.db, registrar, id, { version: batch.version, mapping: batch.mapping, pastVisits: 'skip' })
    await processBatch(t.db, cipher, id, 'check', TODAY)
    const again = await loadBatch(t.db, registrar, id, 'all', null)
    expect(again.batch).toMatchObject({ state: 'checked', approved_by: null, approval_requested_by: null, check_run: batch.check_run + 1 })
    await expect(startImport(t.db, registrar, id, await version(id))).rejects.toMatchObject({ messageKey: 'import.state.notApproved' })
    // A request made before the new dry run is void: the database refuses an approval of another run.
    await expect(t.db.updateTable('import_batches').set({ state: 'approved', approval_requested_by: registrar.id, approval_requested_run: batch.check_run, approved_by: supervisor.id, approved_run: batch.check_run })
      .where('id', '=', id).execute()).rejects.toMatchObject({ code: '23514' })
  })

  test('a refusal sends the batch back with its reason; two approvers at once: the database lets one through', async () => {
    const id = await checkedBatch([one(3)])
    await requestApproval(t.db, registrar, id, await version(id))
    await expect(decideApproval(t.db, supervisor, id, { version: await version(id), decision: 'refuse' })).rejects.toMatchObject({ messageKey: 'import.approval.reasonRequired' })
    await decideApproval(t.db, supervisor, id, { version: await version(id), decision: 'refuse', reason: '请核对原始台账' })
    expect((await loadBatch(t.db, registrar, id, 'all', null)).batch).toMatchObject({ state: 'checked', approval_refusal_reason: '请核对原始台账', approval_refused_by: supervisor.id })
    await requestApproval(t.db, registrar, id, await version(id))
    const other = await makeViewer(t.db, 'supervisor')
    const v = await version(id)
    const results = await Promise.allSettled([
      decideApproval(t.db, supervisor, id, { version: v, decision: 'approve' }),
      decideApproval(t.db, other, id, { version: v, decision: 'approve' }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ messageKey: 'error.conflict' })
    expect(await auditOf('import.approved', id)).toHaveLength(1)
  })

  test('rows dated on or after the go-live date are refused row by row; without a go-live date nothing is imported', async () => {
    const id = await checkedBatch([
      one(4, { registeredOn: '2026-11-27' }), // the day before: imported
      one(5, { registeredOn: TODAY }), // the go-live day itself: refused
      one(6, { registeredOn: '2026-11-20', dissolvedOn: TODAY, dissolutionNumber: '（2026）渝大解字第0999号' }), // dissolved on the go-live day: refused
    ], 'go-live.csv')
    const { rows: report, batch } = await loadBatch(t.db, registrar, id, 'all', null)
    expect(summary(report)).toEqual([
      [2, 'valid', ''],
      [3, 'invalid', 'registeredOn:import.error.afterGoLive'],
      [4, 'invalid', 'dissolvedOn:import.error.afterGoLive'],
    ])
    expect(batch.valid_rows).toBe(1)
    const { describe: describeMessage } = await import('#app/import/report.ts')
    expect(describeMessage('zh', report[1].messages[0], batch.mapping)).toContain('2026-11-28')
    await setGoLive(t.db, '500111', null)
    try {
      const fresh = await upload(ledgerCsv([one(7)]), 'no-go-live.csv')
      const loaded = await loadBatch(t.db, registrar, fresh, 'all', null)
      await expect(startDryRun(t.db, registrar, fresh, { version: loaded.batch.version, mapping: loaded.batch.mapping, pastVisits: 'skip' })).rejects.toMatchObject({ messageKey: 'import.goLive.unset' })
      await approveBatch(t.db, registrar, id, supervisor)
      await expect(startImport(t.db, registrar, id, await version(id))).rejects.toMatchObject({ messageKey: 'import.goLive.unset' })
    } finally {
      await setGoLive(t.db, '500111', TODAY)
    }
  })
})
