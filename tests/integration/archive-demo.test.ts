// The archive's demo requests, built through the archive's own commands on the demo registrations:
// one waiting for approval (the archivist's home page counts it), one approved and consulted (the
// access log has the view and the watermarked download), one refused with its reason; the files
// opened for them are the ones the archive job would open (never a second file); a second run adds
// nothing.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Role } from '#app/platform/permissions.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { seedDemo } from '#app/staff/demo-seed.server.ts'
import { seedDemoApplications } from '#app/registration/demo/seed.server.ts'
import { seedDemoArchive } from '#app/archive/demo.server.ts'
import { accessLog, listRequests, loadRequest } from '#app/archive/access.server.ts'
import { archiveDashboard, openFile } from '#app/archive/files.server.ts'

const REGISTRY = '500111'
const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
beforeAll(async () => {
  t = await testDatabase()
  await seedDemo(t.db, { registryCode: REGISTRY, registryName: '重庆市大足区民政局', registryNameEn: 'Dazu District Civil Affairs Bureau', password: 'demo-password-2026' })
  await seedDemoApplications(t.db, cipher, { registryCode: REGISTRY, today: TODAY })
}, 120_000)
afterAll(async () => { await t.destroy() })

const who = async (username: string): Promise<Viewer> => {
  const u = await t.db.selectFrom('users').select(['id', 'username']).where('username', '=', username).executeTakeFirstOrThrow()
  const roles = await t.db.selectFrom('user_roles').select('role').where('user_id', '=', u.id).execute()
  return { id: u.id, username: u.username, registryCode: REGISTRY, roles: roles.map((r) => r.role as Role) }
}

test('three requests: pending, approved and consulted, refused with its reason; once', async () => {
  expect(await seedDemoArchive(t.db, cipher, { registryCode: REGISTRY, today: TODAY })).toEqual({ created: 3 })
  const archivist = await who('archivist')
  const supervisor = await who('supervisor')

  const requests = await listRequests(t.db, archivist)
  expect(requests.map((r) => [r.state, r.kind])).toEqual([['refused', 'other'], ['approved', 'party'], ['pending', 'court']])
  // The archivist's home page and the supervisor's: one request to decide.
  expect((await archiveDashboard(t.db, archivist, TODAY)).pendingRequests).toBe(1)
  expect((await archiveDashboard(t.db, supervisor, TODAY)).pendingRequests).toBe(1)
  expect((await loadRequest(t.db, supervisor, requests[2].id)).mayDecide).toBe(true)

  // Approved: open to the archivist, who viewed the list and downloaded the certificate copy.
  const approved = await loadRequest(t.db, archivist, requests[1].id)
  expect(approved.open && approved.mine).toBe(true)
  expect(approved.documents.map((d) => d.category)).toContain('certificate_copy')
  expect(approved.request.decidedByName).not.toBe('')
  const log = await accessLog(t.db, archivist, { fileId: approved.file.id })
  expect(log.map((l) => [l.action, l.requestId, l.userName])).toEqual([
    ['download', requests[1].id, approved.request.staffName],
    ['view', requests[1].id, approved.request.staffName],
  ])
  expect(log[0].document).toBe(approved.documents.find((d) => d.category === 'certificate_copy')!.title)

  // Refused, with its reason; nothing opened to anyone.
  const refused = await loadRequest(t.db, archivist, requests[0].id)
  expect(refused.request.decision_reason).toMatch(/不予查阅/)
  expect(refused.open).toBe(false)
  expect(refused.documents).toEqual([])

  // The audit has the requests, the decisions and the download.
  const actions = (await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'archive.access%').execute()).map((a) => a.action).sort()
  expect(actions).toEqual(['archive.access_approved', 'archive.access_download', 'archive.access_refused', 'archive.access_requested', 'archive.access_requested', 'archive.access_requested'])

  // The archive job, run later for the same registration, finds the file open: one file per case.
  const file = await t.db.selectFrom('archive_files').select(['id', 'application_id']).where('id', '=', approved.file.id).executeTakeFirstOrThrow()
  expect(await openFile(t.db, cipher, { applicationId: file.application_id, type: 'establishment', actorId: supervisor.id }, TODAY)).toBe(file.id)
  const count = await t.db.selectFrom('archive_files').select((eb) => eb.fn.countAll<string>().as('n')).where('application_id', '=', file.application_id).executeTakeFirstOrThrow()
  expect(Number(count.n)).toBe(1)

  // Seeding again (a restart) adds nothing.
  expect(await seedDemoArchive(t.db, cipher, { registryCode: REGISTRY, today: TODAY })).toEqual({ created: 0 })
  expect(await listRequests(t.db, archivist)).toHaveLength(3)
  expect(await t.db.selectFrom('archive_access_log').select('id').execute()).toHaveLength(2)
})
