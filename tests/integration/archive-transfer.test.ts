// Transfer batches (移交) against real PostgreSQL: which files are due, proposing a numbered batch,
// a supervisor holding a confidential file back, confirming (final; files transferred and closed to
// new documents), and the transfer list PDF.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PDFDocument } from 'pdf-lib'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { currentVersion, makeReadyApplication, makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { approveDecision, proposeDecision } from '#app/registration/decisions.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { addDocument, fileIt, listFiles, openFile } from '#app/archive/files.server.ts'
import { confirmTransfer, holdBack, listTransfers, loadTransfer, proposeTransfer, transferCandidates, transferListPdf } from '#app/archive/transfers.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer, archivist: Viewer, elsewhere: Viewer
let dir: string

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  await ensureRegistry(t.db, '500112', '重庆市荣昌区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  archivist = await makeViewer(t.db, 'archivist')
  elsewhere = await makeViewer(t.db, 'archivist', '500112')
  dir = mkdtempSync(join(tmpdir(), 'transfer-'))
})
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await t.destroy()
})

async function pdf(pages = 2) {
  const doc = await PDFDocument.create()
  for (let i = 0; i < pages; i++) doc.addPage([595, 842])
  return doc.save()
}

async function openedFile() {
  const id = await makeReadyApplication(t.db, cipher, registrar)
  await proposeDecision(t.db, cipher, registrar, id, await currentVersion(t.db, id), { decision: 'register' }, TODAY)
  await approveDecision(t.db, cipher, supervisor, id, await currentVersion(t.db, id), { serial: `AR-${id}` }, TODAY)
  return openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)
}

/** A filed establishment file; `year` backdates it (files are numbered in the year they open). */
async function filedFile(options: { year?: number; confidential?: boolean } = {}) {
  const fileId = await openedFile()
  for (const category of ['application', 'interview_record', 'approval_form', 'adopter_documents', 'placing_documents']) {
    await addDocument(t.db, cipher, archivist, fileId, { category, title: category, author: '申请人', docDate: '2026-11-02', bytes: await pdf(2) })
  }
  const { version } = await t.db.selectFrom('archive_files').select('version').where('id', '=', fileId).executeTakeFirstOrThrow()
  await fileIt(t.db, archivist, fileId, version, { location: 'A-1-3', retention: 'permanent' })
  await t.db.updateTable('archive_files').set({ year: options.year ?? 2015, confidential: options.confidential ?? false }).where('id', '=', fileId).execute()
  return fileId
}

const stateOf = async (fileId: string) => (await t.db.selectFrom('archive_files').select('state').where('id', '=', fileId).executeTakeFirstOrThrow()).state
const numberOf = async (fileId: string) => (await t.db.selectFrom('archive_files').select('archive_number').where('id', '=', fileId).executeTakeFirstOrThrow()).archive_number
const candidateIds = async () => (await transferCandidates(t.db, archivist, TODAY)).files.map((f) => f.id)

describe('a transfer batch from proposal to the transfer list', () => {
  let plain: string, secret: string, tooYoung: string, stillOpen: string, transferId: string

  beforeAll(async () => {
    plain = await filedFile()
    secret = await filedFile({ confidential: true })
    tooYoung = await filedFile({ year: 2017 })
    stillOpen = await openedFile()
    await t.db.updateTable('archive_files').set({ year: 2015 }).where('id', '=', stillOpen).execute()
  })

  test('candidates: filed, at least 10 years old (the registry setting), in no batch', async () => {
    const { files, years, lastYear } = await transferCandidates(t.db, archivist, TODAY)
    expect({ years, lastYear }).toEqual({ years: 10, lastYear: 2016 })
    const ids = files.map((f) => f.id)
    expect(ids).toEqual(expect.arrayContaining([plain, secret]))
    expect(ids).not.toContain(tooYoung)
    expect(ids).not.toContain(stillOpen)
    const row = files.find((f) => f.id === plain)!
    expect(row).toMatchObject({ year: 2015, retention: 'permanent', documents: 6, confidential: false })
    expect(row.pages).toBeGreaterThanOrEqual(10)
    // The age is the registry's setting.
    await t.db.updateTable('registries').set({ archive_transfer_years: 8 }).where('code', '=', '500111').execute()
    expect(await candidateIds()).toContain(tooYoung)
    await t.db.updateTable('registries').set({ archive_transfer_years: 10 }).where('code', '=', '500111').execute()
    // Another registry sees none of them.
    expect((await transferCandidates(t.db, elsewhere, TODAY)).files).toEqual([])
  })

  test('proposing: only candidates; numbered 移〔year〕n号; the files leave the candidates', async () => {
    await expect(proposeTransfer(t.db, archivist, [plain, tooYoung], TODAY)).rejects.toMatchObject({ messageKey: 'transfer.notEligible' })
    await expect(proposeTransfer(t.db, archivist, [stillOpen], TODAY)).rejects.toMatchObject({ messageKey: 'transfer.notEligible' })
    await expect(proposeTransfer(t.db, archivist, [], TODAY)).rejects.toMatchObject({ messageKey: 'transfer.chooseFiles' })
    await expect(proposeTransfer(t.db, elsewhere, [plain], TODAY)).rejects.toMatchObject({ messageKey: 'transfer.notEligible' })
    await expect(proposeTransfer(t.db, supervisor, [plain], TODAY)).rejects.toMatchObject({ status: 403 })
    transferId = await proposeTransfer(t.db, archivist, [plain, secret, plain], TODAY)
    const { transfer, items } = await loadTransfer(t.db, archivist, transferId)
    expect(transfer).toMatchObject({ number: '移〔2026〕1号', state: 'proposed', registry_code: '500111' })
    expect(items.map((i) => i.id).sort()).toEqual([plain, secret].sort())
    const ids = await candidateIds()
    expect(ids).not.toContain(plain)
    expect(ids).not.toContain(secret)
    await expect(proposeTransfer(t.db, archivist, [plain], TODAY)).rejects.toMatchObject({ messageKey: 'transfer.notEligible' })
    const audits = await t.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'archive_transfer').where('entity_id', '=', transferId).execute()
    expect(audits.map((a) => a.action)).toEqual(['archive.transfer_proposed'])
    await expect(loadTransfer(t.db, elsewhere, transferId)).rejects.toMatchObject({ status: 404 })
  })

  test('a supervisor holds the confidential file back, with the reason recorded; nobody else may', async () => {
    await expect(holdBack(t.db, archivist, transferId, secret, '涉及收养秘密，当事人要求延期移交')).rejects.toMatchObject({ messageKey: 'transfer.hold.supervisorOnly' })
    await expect(holdBack(t.db, supervisor, transferId, plain, '理由')).rejects.toMatchObject({ messageKey: 'transfer.hold.notConfidential' })
    await expect(holdBack(t.db, supervisor, transferId, secret, '  ')).rejects.toMatchObject({ messageKey: 'transfer.hold.reasonRequired' })
    const before = (await loadTransfer(t.db, archivist, transferId)).version
    await holdBack(t.db, supervisor, transferId, secret, '涉及收养秘密，当事人要求延期移交')
    const { items, version } = await loadTransfer(t.db, archivist, transferId)
    expect(items.find((i) => i.id === secret)).toMatchObject({ heldBack: true, holdReason: '涉及收养秘密，当事人要求延期移交' })
    const row = await t.db.selectFrom('archive_transfer_items').select('hold_approved_by').where('file_id', '=', secret).executeTakeFirstOrThrow()
    expect(row.hold_approved_by).toBe(supervisor.id)
    expect(version).toBe(before + 1)
    await expect(holdBack(t.db, supervisor, transferId, secret, '再次')).rejects.toMatchObject({ messageKey: 'transfer.hold.already' })
    const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'reason']).where('action', '=', 'archive.transfer_held_back').executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ actor_id: supervisor.id, reason: '涉及收养秘密，当事人要求延期移交' })
  })

  test('confirming transfers every file not held back; the batch is then final', async () => {
    const { version } = await loadTransfer(t.db, archivist, transferId)
    await expect(confirmTransfer(t.db, archivist, transferId, version - 1, TODAY)).rejects.toMatchObject({ status: 409 })
    await expect(confirmTransfer(t.db, supervisor, transferId, version, TODAY)).rejects.toMatchObject({ status: 403 })
    await confirmTransfer(t.db, archivist, transferId, version, TODAY)
    const { transfer } = await loadTransfer(t.db, archivist, transferId)
    expect(transfer).toMatchObject({ state: 'confirmed', confirmed_on: TODAY, confirmed_by: archivist.id })
    expect(await stateOf(plain)).toBe('transferred')
    expect(await stateOf(secret)).toBe('filed')
    await expect(confirmTransfer(t.db, archivist, transferId, undefined, TODAY)).rejects.toMatchObject({ messageKey: 'transfer.final' })
    await expect(holdBack(t.db, supervisor, transferId, secret, '理由')).rejects.toMatchObject({ messageKey: 'transfer.final' })
    // The held-back file may go with a later batch; the transferred one is gone from the candidates.
    const ids = await candidateIds()
    expect(ids).toContain(secret)
    expect(ids).not.toContain(plain)
    expect((await listTransfers(t.db, archivist)).find((b) => b.id === transferId)).toMatchObject({ state: 'confirmed', files: 1, heldBack: 1 })
    expect((await t.db.selectFrom('audit_log').select('action').where('action', '=', 'archive.transfer_confirmed').execute()).length).toBe(1)
  })

  test('a transferred file takes no new document, and stays listed and searchable', async () => {
    await expect(addDocument(t.db, cipher, archivist, plain, { category: 'other', title: '补充', author: 'x', docDate: TODAY, bytes: await pdf(1), reason: '补交' }))
      .rejects.toMatchObject({ messageKey: 'archive.transferred' })
    const number = await numberOf(plain)
    expect((await listFiles(t.db, archivist, { q: number }, TODAY)).rows.map((f) => [f.id, f.state])).toEqual([[plain, 'transferred']])
  })

  test('the transfer list names the units and the files going; the held-back one only in the remarks', async () => {
    const { bytes, number } = await transferListPdf(t.db, archivist, transferId, { ip: '127.0.0.1' })
    expect(number).toBe('移〔2026〕1号')
    const path = join(dir, 'list.pdf')
    writeFileSync(path, bytes)
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' })
    expect(text).toContain(await numberOf(plain))
    expect(text).toContain('重庆市大足区民政局')
    // No bureau configured: the catalogue's generic name.
    expect(text).toContain('县档案馆')
    expect(text).toContain('移〔2026〕1号')
    expect(text).toMatch(/暂缓移交/)
    expect(text).toContain(await numberOf(secret))
    const audits = await t.db.selectFrom('audit_log').select(['action', 'ip']).where('action', '=', 'archive.transfer_list_printed').execute()
    expect(audits).toEqual([{ action: 'archive.transfer_list_printed', ip: '127.0.0.1' }])

    await t.db.updateTable('registries').set({ archives_bureau: '重庆市大足区档案馆' }).where('code', '=', '500111').execute()
    const again = await transferListPdf(t.db, archivist, transferId)
    writeFileSync(path, again.bytes)
    expect(execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' })).toContain('重庆市大足区档案馆')
  })
})

describe('numbering', () => {
  test('batches proposed at the same moment get consecutive numbers', async () => {
    const files = await Promise.all([filedFile(), filedFile(), filedFile()])
    const ids = await Promise.all(files.map((f) => proposeTransfer(t.db, archivist, [f], TODAY)))
    const numbers = await Promise.all(ids.map(async (id) => (await loadTransfer(t.db, archivist, id)).transfer.number))
    const existing = (await listTransfers(t.db, archivist)).length
    expect(numbers.sort()).toEqual(Array.from({ length: 3 }, (_, i) => `移〔2026〕${existing - 2 + i}号`).sort())
    // Another registry counts from 1.
    const theirs = await t.db.selectFrom('archive_transfers').select('number').where('registry_code', '=', '500112').execute()
    expect(theirs).toEqual([])
  })

  test('a batch of only held-back files cannot be confirmed', async () => {
    const secret = await filedFile({ confidential: true })
    const id = await proposeTransfer(t.db, archivist, [secret], TODAY)
    await holdBack(t.db, supervisor, id, secret, '延期')
    await expect(confirmTransfer(t.db, archivist, id, undefined, TODAY)).rejects.toMatchObject({ messageKey: 'transfer.empty' })
    await expect(transferListPdf(t.db, archivist, id)).rejects.toMatchObject({ messageKey: 'transfer.empty' })
  })
})
