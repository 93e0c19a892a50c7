// Consulting the archive: requests, approval, expiry, watermarked downloads, the access log.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { PDFDocument } from 'pdf-lib'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { applicationInput, currentVersion, makeReadyApplication, makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { citizenIdFor } from '#app/registration/demo/people.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { ForbiddenError } from '#app/platform/http.server.ts'
import { approveDecision, proposeDecision } from '#app/registration/decisions.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { addDocument, openFile, readDocument } from '#app/archive/files.server.ts'
import { accessSlipPdf } from '#app/archive/documents.server.ts'
import { accessLog, consultDocument, decideAccess, loadRequest, requestAccess } from '#app/archive/access.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer, archivist: Viewer, clerk: Viewer

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  archivist = await makeViewer(t.db, 'archivist')
  clerk = await makeViewer(t.db, 'registrar')
})
afterAll(async () => { await t.destroy() })

async function archivedCase(overrides = {}) {
  const id = await makeReadyApplication(t.db, cipher, registrar, overrides)
  await proposeDecision(t.db, cipher, registrar, id, await currentVersion(t.db, id), { decision: 'register' }, TODAY)
  await approveDecision(t.db, cipher, supervisor, id, await currentVersion(t.db, id), { serial: `AC-${id}` }, TODAY)
  const fileId = await openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)
  const pdf = await PDFDocument.create()
  pdf.addPage([595, 842])
  await addDocument(t.db, cipher, archivist, fileId, { category: 'placing_documents', title: '生父母身份证复印件', author: '送养人', docDate: TODAY, bytes: await pdf.save() })
  return fileId
}
const version = async (id: string) => (await t.db.selectFrom('archive_access_requests').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version

test('a police request with its letter is approved; the named clerk downloads a watermarked copy; the log shows it', async () => {
  const fileId = await archivedCase()
  await expect(requestAccess(t.db, cipher, archivist, fileId, { kind: 'police', name: '李警官', unit: '大足区公安分局', idChecked: false, purpose: '案件调查', staffId: clerk.id }))
    .rejects.toMatchObject({ messageKey: 'access.letterRequired' })
  const requestId = await requestAccess(t.db, cipher, archivist, fileId, { kind: 'police', name: '李警官', unit: '大足区公安分局', idChecked: false, letterReference: '足公（刑）函〔2026〕88号', purpose: '案件调查', staffId: clerk.id })
  // Nothing opens before approval, and the one who recorded it cannot approve it.
  expect((await loadRequest(t.db, clerk, requestId)).documents).toEqual([])
  await expect(decideAccess(t.db, archivist, requestId, await version(requestId), { approve: true, reason: 'x', revealBirthFamily: false })).rejects.toBeInstanceOf(ForbiddenError)
  await decideAccess(t.db, supervisor, requestId, await version(requestId), { approve: true, reason: '依法协助调查', revealBirthFamily: false })
  const open = await loadRequest(t.db, clerk, requestId)
  expect(open.open).toBe(true)
  const certificate = open.documents.find((d) => d.category === 'certificate_copy')!
  // Only the named staff member.
  await expect(consultDocument(t.db, cipher, supervisor, requestId, certificate.id, null, TODAY)).rejects.toBeInstanceOf(ForbiddenError)
  const copy = await consultDocument(t.db, cipher, clerk, requestId, certificate.id, '127.0.0.1', TODAY)
  const dir = mkdtempSync(join(tmpdir(), 'wm-'))
  writeFileSync(join(dir, 'c.pdf'), copy.bytes)
  const text = execFileSync('pdftotext', [join(dir, 'c.pdf'), '-'], { encoding: 'utf8' })
  expect(text).toContain('李警官')
  expect(text).toContain(`利用申请 ${requestId}`)
  const log = await accessLog(t.db, archivist, { fileId })
  expect(log.map((l) => [l.action, l.requestId, l.userName])).toContainEqual(['download', requestId, expect.any(String)])
  // The app's role may not even ask (decision 029); the owner is refused by the trigger.
  await expect(sql`delete from archive_access_log`.execute(t.db)).rejects.toThrow(/permission denied/)
  await expect(sql`delete from archive_access_log`.execute(t.owner)).rejects.toThrow(/append-only/)
})

test('an approval expires; a refused request opens nothing', async () => {
  const fileId = await archivedCase()
  const a = await requestAccess(t.db, cipher, archivist, fileId, { kind: 'party', name: '周建华', idChecked: true, purpose: '办理户籍', staffId: clerk.id })
  await decideAccess(t.db, supervisor, a, await version(a), { approve: true, reason: '当事人查阅本人档案', revealBirthFamily: false })
  await t.db.updateTable('archive_access_requests').set({ valid_until: sql`now() - interval '1 minute'` as never }).where('id', '=', a).execute()
  const expired = await loadRequest(t.db, clerk, a)
  expect(expired.open).toBe(false)
  expect(expired.documents).toEqual([])
  const b = await requestAccess(t.db, cipher, archivist, fileId, { kind: 'other', name: '某公司', idChecked: false, purpose: '背景调查', staffId: clerk.id })
  await decideAccess(t.db, supervisor, b, await version(b), { approve: false, reason: '无正当理由', revealBirthFamily: false })
  expect((await loadRequest(t.db, clerk, b)).open).toBe(false)
  await expect(decideAccess(t.db, supervisor, b, await version(b), { approve: true, reason: '改变主意', revealBirthFamily: false })).rejects.toMatchObject({ messageKey: 'access.decided' })
})

test('a secrecy file withholds the birth family\'s documents unless the approval reveals them', async () => {
  const fileId = await archivedCase({ secrecy: true, secrecyRequestedBy: 'placing_party', child: applicationInput().child })
  const a = await requestAccess(t.db, cipher, archivist, fileId, { kind: 'court', name: '王法官', letterReference: '（2026）渝0111民他1号', idChecked: false, purpose: '审理案件', staffId: clerk.id })
  await decideAccess(t.db, supervisor, a, await version(a), { approve: true, reason: '法院调查', revealBirthFamily: false })
  const hidden = await loadRequest(t.db, clerk, a)
  expect(hidden.withheld).toBe(true)
  expect(hidden.documents.map((d) => d.category)).not.toContain('placing_documents')
  const b = await requestAccess(t.db, cipher, archivist, fileId, { kind: 'court', name: '王法官', letterReference: '（2026）渝0111民他2号', idChecked: false, purpose: '审理案件', staffId: clerk.id })
  await decideAccess(t.db, supervisor, b, await version(b), { approve: true, reason: '法院调取生父母材料', revealBirthFamily: true })
  expect((await loadRequest(t.db, clerk, b)).documents.map((d) => d.category)).toContain('placing_documents')
})

// Audit gap 2 (G7): the certificate copy prints the placing party (送养人 姓名或名称、住址); the
// application, interview record, approval form and agreement name them too.
test('a secrecy file approved with the birth family withheld serves no document naming them; the page and the slip say what was withheld', async () => {
  const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor, {
    relation: 'relative', placingKind: 'birth_parents', institutionName: undefined, secrecy: true, secrecyRequestedBy: 'placing_party',
    placing1: { name: '赵秀兰', sex: 'female', birthDate: '1990-01-01', idNumber: citizenIdFor('500111', '1990-01-01', 'female', 601), hukouAddress: '宝顶镇石门村三组' },
    placing2: { name: '钱大明', sex: 'male', birthDate: '1989-01-01', idNumber: citizenIdFor('500111', '1989-01-01', 'male', 603), hukouAddress: '宝顶镇石门村三组' },
    child: { ...applicationInput().child, situation: 'parents_in_difficulty', inWelfareInstitution: false },
  })
  const fileId = await openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)
  const scan = async (category: string, title: string) => {
    const pdf = await PDFDocument.create()
    pdf.addPage([595, 842])
    await addDocument(t.db, cipher, archivist, fileId, { category, title, author: '登记机关', docDate: TODAY, bytes: await pdf.save() })
  }
  await scan('application', '收养登记申请书')
  await scan('agreement', '收养协议')
  await scan('adopter_documents', '收养人身份证复印件')
  const a = await requestAccess(t.db, cipher, archivist, fileId, { kind: 'court', name: '王法官', letterReference: 'X1', idChecked: false, purpose: '审理案件', staffId: clerk.id })
  await decideAccess(t.db, supervisor, a, await version(a), { approve: true, reason: '法院调查，生父母信息不予披露', revealBirthFamily: false })
  const hidden = await loadRequest(t.db, clerk, a)
  expect(hidden.withheld).toBe(true)
  expect(hidden.documents.map((d) => d.category)).toEqual(['adopter_documents'])
  expect(hidden.withheldCategories).toEqual(expect.arrayContaining([{ category: 'certificate_copy', count: 1 }, { category: 'application', count: 1 }, { category: 'agreement', count: 1 }]))
  // The certificate copy cannot be fetched by its id either.
  const certificate = await t.db.selectFrom('archive_documents').select('id').where('file_id', '=', fileId).where('category', '=', 'certificate_copy').executeTakeFirstOrThrow()
  await expect(consultDocument(t.db, cipher, clerk, a, certificate.id, null, TODAY)).rejects.toMatchObject({ status: 404 })
  // The slip names what was withheld and why, instead of promising a mask it does not apply.
  const dir = mkdtempSync(join(tmpdir(), 'slip-'))
  writeFileSync(join(dir, 'slip.pdf'), await accessSlipPdf(t.db, clerk, a))
  const slip = execFileSync('pdftotext', [join(dir, 'slip.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
  expect(slip).toContain('审批未同意披露生父母等送养方身份信息')
  expect(slip).toContain('收养登记证（存根/副本）（1件）')
  expect(slip).toContain('收养协议（1件）')
  expect(slip).not.toContain('赵秀兰')
  // With the birth family revealed, the certificate copy is served — and it does name them.
  const b = await requestAccess(t.db, cipher, archivist, fileId, { kind: 'court', name: '王法官', letterReference: 'X2', idChecked: false, purpose: '审理案件', staffId: clerk.id })
  await decideAccess(t.db, supervisor, b, await version(b), { approve: true, reason: '法院调取生父母材料', revealBirthFamily: true })
  const shown = await loadRequest(t.db, clerk, b)
  expect(shown.withheldCategories).toEqual([])
  const copy = await consultDocument(t.db, cipher, clerk, b, certificate.id, null, TODAY)
  writeFileSync(join(dir, 'cert.pdf'), copy.bytes)
  expect(execFileSync('pdftotext', [join(dir, 'cert.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toContain('赵秀兰')
})

// Audit gap 11: the archivist's own reads (custody).
test('a secrecy file\'s document is read by the archivist only with a reason, and the read is in the access log', async () => {
  const fileId = await archivedCase({ secrecy: true, secrecyRequestedBy: 'both', child: applicationInput().child })
  const doc = await t.db.selectFrom('archive_documents').select('id').where('file_id', '=', fileId).where('category', '=', 'certificate_copy').executeTakeFirstOrThrow()
  await expect(readDocument(t.db, cipher, archivist, fileId, doc.id, null, null)).rejects.toMatchObject({ messageKey: 'archive.read.reasonRequired' })
  await expect(readDocument(t.db, cipher, archivist, fileId, doc.id, '   ', null)).rejects.toMatchObject({ messageKey: 'archive.read.reasonRequired' })
  await expect(readDocument(t.db, cipher, archivist, fileId, doc.id, '理'.repeat(501), null)).rejects.toMatchObject({ messageKey: 'archive.read.reasonTooLong' })
  expect(await accessLog(t.db, archivist, { fileId })).toEqual([])
  const read = await readDocument(t.db, cipher, archivist, fileId, doc.id, ' 核对印制号 ', '10.0.0.9')
  expect(read.contentType).toBe('application/pdf')
  const log = await accessLog(t.db, supervisor, { fileId })
  expect(log.map((l) => [l.action, l.reason, l.requestId, l.ip])).toEqual([['read', '核对印制号', null, '10.0.0.9']])
  // A file without secrecy is read without a reason, and logged all the same.
  const plain = await archivedCase()
  const plainDoc = await t.db.selectFrom('archive_documents').select('id').where('file_id', '=', plain).where('category', '=', 'certificate_copy').executeTakeFirstOrThrow()
  await readDocument(t.db, cipher, archivist, plain, plainDoc.id, null, null)
  expect((await accessLog(t.db, archivist, { fileId: plain })).map((l) => [l.action, l.reason])).toEqual([['read', null]])
  // The log's rule: a read has no request, a view or download has one.
  await expect(t.db.insertInto('archive_access_log').values({ request_id: null, file_id: plain, document_id: null, user_id: archivist.id, action: 'download', ip: null }).execute()).rejects.toThrow(/archive_access_log_read/)
})
