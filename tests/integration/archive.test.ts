// The archive against real PostgreSQL: a decided case opens its file through the job the decision
// enqueued; numbering without gaps; the document order; closing a file; content-type sniffing;
// the integrity check catching a changed byte.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runOnce } from 'graphile-worker'
import { sql } from 'kysely'
import { PDFDocument } from 'pdf-lib'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { currentVersion, makeReadyApplication, makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { approveDecision, proposeDecision } from '#app/registration/decisions.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { addDocument, checkIntegrity, fileIt, listFiles, loadFile, openFile, readDocument } from '#app/archive/files.server.ts'
import { taskList } from '#jobs/worker.ts'
import { quietLogger } from '#db/migrate.ts'
import { withPoolClient } from '#db/copy-binary.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer, archivist: Viewer

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  archivist = await makeViewer(t.db, 'archivist')
})
afterAll(async () => { await t.destroy() })

async function pdf(pages = 2) {
  const doc = await PDFDocument.create()
  for (let i = 0; i < pages; i++) doc.addPage([595, 842])
  return doc.save()
}

async function registered() {
  const id = await makeReadyApplication(t.db, cipher, registrar)
  await proposeDecision(t.db, cipher, registrar, id, await currentVersion(t.db, id), { decision: 'register' }, TODAY)
  await approveDecision(t.db, cipher, supervisor, id, await currentVersion(t.db, id), { serial: `AR-${id}` }, TODAY)
  return id
}

const runJobs = () => runOnce({ pgPool: t.pool, taskList: taskList({ db: t.db, cipher, mailFrom: 'x@test.invalid' }), logger: quietLogger() })

describe('opening and numbering', () => {
  test('a registration enqueues its archive file in the same transaction; the job opens it with the certificate copy', async () => {
    const id = await registered()
    const { rows } = await sql<{ n: string }>`select count(*) as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'archive_open_file'`.execute(t.db)
    expect(Number(rows[0].n)).toBeGreaterThanOrEqual(1)
    await runJobs()
    const file = await t.db.selectFrom('archive_files').selectAll().where('application_id', '=', id).executeTakeFirstOrThrow()
    expect(file).toMatchObject({ type: 'establishment', state: 'open', year: 2026 })
    expect(file.archive_number).toMatch(/^500111-2026-SY-\d{4}$/)
    const loaded = await loadFile(t.db, archivist, file.id)
    expect(loaded.documents.map((d) => [d.category, d.source])).toEqual([['certificate_copy', 'generated']])
    expect(loaded.missing).toEqual(['application', 'interview_record', 'approval_form', 'adopter_documents', 'placing_documents'])
    // Opening again (a retried job) changes nothing.
    expect(await openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)).toBe(file.id)
  })

  test('numbers are gapless per year and type, also when files open at the same moment', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => registered()))
    await Promise.all(ids.map((id) => openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)))
    const seqs = (await t.db.selectFrom('archive_files').select('seq').where('type', '=', 'establishment').orderBy('seq').execute()).map((r) => r.seq)
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1))
  })
})

describe('documents and filing', () => {
  test('documents are listed in the order of the measures with running page numbers; filing needs every required kind', async () => {
    const id = await registered()
    const fileId = await openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)
    const version = async () => (await t.db.selectFrom('archive_files').select('version').where('id', '=', fileId).executeTakeFirstOrThrow()).version
    await expect(fileIt(t.db, archivist, fileId, await version(), { location: 'A-1-3', retention: 'permanent' })).rejects.toMatchObject({ messageKey: 'archive.missing' })
    for (const category of ['placing_documents', 'application', 'approval_form', 'interview_record', 'adopter_documents']) {
      await addDocument(t.db, cipher, archivist, fileId, { category, title: category, author: '申请人', docDate: '2026-11-02', bytes: await pdf(2) })
    }
    const loaded = await loadFile(t.db, archivist, fileId)
    expect(loaded.documents.map((d) => d.category)).toEqual(['application', 'interview_record', 'approval_form', 'adopter_documents', 'placing_documents', 'certificate_copy'])
    expect(loaded.documents.map((d) => [d.from, d.to]).slice(0, 3)).toEqual([[1, 2], [3, 4], [5, 6]])
    await fileIt(t.db, archivist, fileId, await version(), { location: 'A-1-3', retention: 'permanent' })
    // Closed: a document only with a reason; never removed or changed.
    await expect(addDocument(t.db, cipher, archivist, fileId, { category: 'other', title: '补充', author: 'x', docDate: TODAY, bytes: await pdf(1) })).rejects.toMatchObject({ messageKey: 'archive.reasonRequired' })
    await addDocument(t.db, cipher, archivist, fileId, { category: 'other', title: '补充', author: 'x', docDate: TODAY, bytes: await pdf(1), reason: '补交收养协议公证书' })
    await expect(sql`delete from archive_documents where file_id = ${fileId}`.execute(t.db)).rejects.toThrow(/never removed/)
    await expect(sql`update archive_documents set sha256 = 'x' where file_id = ${fileId}`.execute(t.db)).rejects.toThrow(/never changed/)
  })

  test('the type comes from the content: a renamed file, a truncated PDF and an oversized upload are refused, nothing stored', async () => {
    const id = await registered()
    const fileId = await openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)
    const before = (await loadFile(t.db, archivist, fileId)).documents.length
    const exe = Buffer.from('MZ\x90\x00 this is not a pdf')
    await expect(addDocument(t.db, cipher, archivist, fileId, { category: 'application', title: 'a.pdf', author: 'x', docDate: TODAY, bytes: exe })).rejects.toMatchObject({ messageKey: 'archive.upload.type' })
    const whole = await pdf(3)
    await expect(addDocument(t.db, cipher, archivist, fileId, { category: 'application', title: 'cut', author: 'x', docDate: TODAY, bytes: whole.slice(0, 40) })).rejects.toMatchObject({ messageKey: 'archive.upload.damaged' })
    await t.db.updateTable('registries').set({ archive_upload_max_mb: 1 }).where('code', '=', '500111').execute()
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1024 * 1024 + 10)])
    await expect(addDocument(t.db, cipher, archivist, fileId, { category: 'application', title: 'big', author: 'x', docDate: TODAY, bytes: big })).rejects.toMatchObject({ messageKey: 'archive.upload.tooLarge' })
    await t.db.updateTable('registries').set({ archive_upload_max_mb: 20 }).where('code', '=', '500111').execute()
    const tiff = Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00]), Buffer.alloc(64)])
    await addDocument(t.db, cipher, archivist, fileId, { category: 'application', title: 'scan.tif', author: 'x', docDate: TODAY, bytes: tiff })
    expect((await loadFile(t.db, archivist, fileId)).documents.length).toBe(before + 1)
  })
})

describe('integrity', () => {
  test('the nightly check reads every document back and catches a changed byte; reading it is refused', async () => {
    const id = await registered()
    const fileId = await openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)
    const clean = await checkIntegrity(t.db, withPoolClient(t.pool), cipher)
    expect(clean.mismatches).toBe(0)
    expect(clean.documents).toBeGreaterThan(0)
    const doc = await t.db.selectFrom('archive_documents').select(['id', 'blob_id']).where('file_id', '=', fileId).executeTakeFirstOrThrow()
    await sql`update blob_chunks set content_enc = overlay(content_enc placing '\\x00'::bytea from 40 for 1) where blob_id = ${doc.blob_id} and seq = 0`.execute(t.db)
    const run = await checkIntegrity(t.db, withPoolClient(t.pool), cipher)
    expect(run.mismatches).toBe(1)
    const flagged = await t.db.selectFrom('archive_documents').select(['check_ok']).where('id', '=', doc.id).executeTakeFirstOrThrow()
    expect(flagged.check_ok).toBe(false)
    await expect(readDocument(t.db, cipher, archivist, fileId, doc.id, null, null)).rejects.toMatchObject({ messageKey: 'archive.damaged' })
    const audits = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'archive.integrity_mismatch').execute()
    expect(audits.length).toBeGreaterThan(0)
  })

  test('overdue files are listed for the archivist', async () => {
    const id = await registered()
    const fileId = await openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)
    await t.db.updateTable('archive_files').set({ due_on: '2026-11-01' }).where('id', '=', fileId).execute()
    expect((await listFiles(t.db, archivist, { overdue: true }, TODAY)).rows.map((f) => f.id)).toContain(fileId)
  })
})
