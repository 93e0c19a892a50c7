// Earlier intercountry adoptions: recorded by hand with their six expected post-placement reports;
// a report received with its file (content-checked), returned for correction with the reason,
// received again and accepted (the task is done); overdue derived from the window.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeViewer } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { ConflictError, ProcedureError } from '#app/platform/http.server.ts'
import { decideReceipt, listIntercountry, loadIntercountry, receiptFile, recordIntercountry, recordReceipt } from '#app/followup/intercountry.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let caseworker: Viewer
beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  caseworker = await makeViewer(t.db, 'caseworker')
})
afterAll(async () => { await t.destroy() })

const input = {
  registrationNumber: '渝涉外收字（2023）第0005号', registeredOn: '2023-03-10', approvedOn: '2023-02-20', childName: '福小安', childBirthDate: '2021-06-01',
  adopters: 'John Smith, Mary Smith', country: '美国', agency: 'Holt International', agencyEmail: 'china@holt.example',
}
const pdf = new TextEncoder().encode('%PDF-1.4\n% a report\n')
const refusal = async (p: Promise<unknown>) => { try { await p } catch (e) { if (e instanceof ProcedureError) return e.messageKey; throw e } return null }

test('recorded by hand: the six reports of the schedule since 2015; bad dates and duplicates refused', async () => {
  const today = '2026-11-28'
  expect(await refusal(recordIntercountry(t.db, caseworker, { ...input, approvedOn: '2023-04-01' }, today))).toBe('followup.ic.approvedAfterRegistered')
  const id = await recordIntercountry(t.db, caseworker, input, today)
  expect(await refusal(recordIntercountry(t.db, caseworker, input, today))).toBe('followup.ic.duplicate')
  const { reports } = await loadIntercountry(t.db, caseworker, id, today)
  expect(reports.map((r) => r.due_on)).toEqual(['2023-09-10', '2024-03-10', '2025-03-10', '2026-03-10', '2027-03-10', '2028-03-10'])
  // Nothing received yet: the four past their window are overdue, the rest expected.
  expect(reports.map((r) => r.status)).toEqual(['overdue', 'overdue', 'overdue', 'overdue', 'expected', 'expected'])
  const old = await recordIntercountry(t.db, caseworker, { ...input, registrationNumber: '渝涉外收字（2012）第0001号', registeredOn: '2012-05-02', approvedOn: '2012-04-01', childBirthDate: '2011-01-01' }, today)
  expect((await loadIntercountry(t.db, caseworker, old, today)).reports.map((r) => r.due_on)).toEqual(['2012-06-02', '2012-11-02', '2013-05-02', '2014-05-02', '2015-05-02', '2017-05-02'])
})

test('received, returned with a reason, received again, accepted: the task is done', async () => {
  const today = '2026-11-28'
  const id = await recordIntercountry(t.db, caseworker, { ...input, registrationNumber: '渝涉外收字（2023）第0009号' }, today)
  const first = (await loadIntercountry(t.db, caseworker, id, today)).reports[0]
  expect(await refusal(recordReceipt(t.db, cipher, caseworker, first.id, { receivedOn: today, bytes: new TextEncoder().encode('not a pdf') }, today))).toBe('followup.ic.fileType')
  expect(await refusal(recordReceipt(t.db, cipher, caseworker, first.id, { receivedOn: '2026-11-29', bytes: pdf }, today))).toBe('followup.ic.receivedFuture')
  const r1 = await recordReceipt(t.db, cipher, caseworker, first.id, { receivedOn: '2026-11-20', bytes: pdf }, today)
  expect(await refusal(recordReceipt(t.db, cipher, caseworker, first.id, { receivedOn: today, bytes: pdf }, today))).toBe('followup.ic.pendingReceipt')
  expect((await loadIntercountry(t.db, caseworker, id, today)).reports[0].status).toBe('received')
  const file = await receiptFile(t.db, cipher, caseworker, r1)
  expect(Buffer.from(file.bytes).equals(Buffer.from(pdf))).toBe(true)
  expect(file.contentType).toBe('application/pdf')

  let task = (await loadIntercountry(t.db, caseworker, id, today)).reports[0]
  expect(await refusal(decideReceipt(t.db, caseworker, r1, { accept: false, reason: ' ', taskVersion: task.version }))).toBe('followup.ic.reasonRequired')
  await decideReceipt(t.db, caseworker, r1, { accept: false, reason: '缺少孩子的近照和医生签字。', taskVersion: task.version })
  await expect(decideReceipt(t.db, caseworker, r1, { accept: true, taskVersion: task.version })).rejects.toBeInstanceOf(ConflictError)
  task = (await loadIntercountry(t.db, caseworker, id, today)).reports[0]
  // Returned: shown as such until the corrected report comes, even past its window.
  expect(task.status).toBe('returned')
  const list = await listIntercountry(t.db, caseworker, today)
  expect(list.find((a) => a.id === id)!.reports[0]).toMatchObject({ returnedReason: '缺少孩子的近照和医生签字。' })

  const r2 = await recordReceipt(t.db, cipher, caseworker, first.id, { receivedOn: today, bytes: pdf }, today)
  task = (await loadIntercountry(t.db, caseworker, id, today)).reports[0]
  await decideReceipt(t.db, caseworker, r2, { accept: true, taskVersion: task.version })
  const done = (await loadIntercountry(t.db, caseworker, id, today)).reports[0]
  expect(done.status).toBe('accepted')
  expect(done.receipts.map((r) => r.outcome)).toEqual(['returned', 'accepted'])
  const row = await t.db.selectFrom('followup_tasks').select(['status', 'closed_at']).where('id', '=', first.id).executeTakeFirstOrThrow()
  expect(row.status).toBe('done')
  expect(row.closed_at).not.toBeNull()
  expect((await listIntercountry(t.db, caseworker, today, 'overdue')).some((a) => a.id === id)).toBe(true) // reports 2–4 still overdue
})
