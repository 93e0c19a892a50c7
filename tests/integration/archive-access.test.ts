// Consulting the archive: requests, approval, expiry, watermarked downloads, the access log.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { PDFDocument } from 'pdf-lib'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { applicationInput, currentVersion, makeReadyApplication, makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { ForbiddenError } from '#app/platform/http.server.ts'
import { approveDecision, proposeDecision } from '#app/registration/decisions.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { addDocument, openFile } from '#app/archive/files.server.ts'
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
  await expect(sql`delete from archive_access_log`.execute(t.db)).rejects.toThrow(/append-only/)
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
