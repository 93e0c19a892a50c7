// Four eyes on the certificate (decision 027) against a real PostgreSQL: an imported registration
// is printed on the preprinted blank only through a reissue (补发/换发) that another person approved
// — the print route answers 422 with the message before, the PDF after; the requester cannot
// approve their own reissue (refused, audited, refused by the database too); two approvers at once
// are resolved by the database; the replaced certificate is superseded.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeUser, makeRegistry, TEST_PASSWORD } from '#tests/support/factories.ts'
import { makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { ledgerCsv, ordinaryRow } from '#tests/support/ledgers.ts'
import { importCsv } from '#tests/support/imports.ts'
import { attemptLogin } from '#app/platform/auth/login.server.ts'
import { sessionCookie } from '#app/platform/auth/sessions.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ConflictError } from '#app/platform/http.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { decideReissue, issueReissue, requestReissue } from '#app/registration/reissues.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { grantPrint, printOptions } from '#app/registration/print.server.ts'
import { loader as certificateLoader } from '#app/routes/applications.$id.certificate[.pdf].tsx'

let t: TestDatabase
let cipher: FieldCipher
let registrar: Viewer
let supervisor: Viewer
let registrarCookie: string
let imported: string
let context: ReturnType<typeof testContext>

beforeAll(async () => {
  t = await testDatabase()
  context = testContext(t.db)
  cipher = context.cipher
  await makeRegistry(t.db)
  const user = await makeUser(t.db, { roles: ['registrar'] })
  registrar = { id: user.id, username: user.username, registryCode: user.registryCode, roles: ['registrar'] }
  supervisor = await makeViewer(t.db, 'supervisor')
  const login = await attemptLogin(t.db, { username: user.username, password: TEST_PASSWORD, ip: null, userAgent: null })
  if (!login.ok) throw new Error('login failed')
  registrarCookie = (await sessionCookie(context.sessionSecret, false).serialize(login.token)).split(';')[0]
  const { batchId } = await importCsv(t.db, cipher, registrar, ledgerCsv([ordinaryRow({ number: '（2012）渝大收字第0042号', registeredOn: '2012-03-04', childBirth: '2011-01-01' }, 42)]))
  imported = (await t.db.selectFrom('applications').select('id').where('import_batch_id', '=', batchId).executeTakeFirstOrThrow()).id
})
afterAll(async () => { await t.destroy() })

// Full ID numbers are printed only after the reason page (decision 028): its grant first, as the browser would follow it.
async function print(id: string, mode: 'blank' | 'copy' = 'blank') {
  const asked = new Request(`http://localhost/applications/${id}/print`, { headers: { Cookie: registrarCookie } })
  const user = await requireUser(asked, context, 'case.read')
  const options = printOptions('certificate', new URLSearchParams({ mode }))
  const granted = await grantPrint(context, user, id, 'certificate', options, '打印收养登记证')
  const request = new Request(`http://localhost${granted.headers.get('Location')}`, { headers: { Cookie: registrarCookie } })
  try {
    return await certificateLoader({ request, context, params: { id } } as never) as Response
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}

test('an imported registration: the blank is refused (422, the message) until a reissue approved by another person is issued; then it prints', async () => {
  const refused = await print(imported)
  expect(refused.status).toBe(422)
  expect(await refused.text()).toContain('须经他人批准补发或换发后')
  // The full-page copy for the file stays available.
  expect((await print(imported, 'copy')).status).toBe(200)

  const reissue = await requestReissue(t.db, registrar, imported, { kind: 'corrected', reason: '原证书姓名有误，依档案换发' })
  // Requested, not yet approved: still refused, and no new certificate can be issued.
  expect((await print(imported)).status).toBe(422)
  await expect(issueReissue(t.db, registrar, reissue, { version: 1, serial: 'B-0042' }, TODAY)).rejects.toMatchObject({ messageKey: 'reissue.notApproved' })
  // The requester cannot approve: refused with a message, audited; nor does the database allow it.
  const self = { ...registrar, roles: ['registrar', 'supervisor'] as const }
  await expect(decideReissue(t.db, self, reissue, { version: 1, decision: 'approve' })).rejects.toMatchObject({ messageKey: 'reissue.self' })
  const audits = await t.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'application.reissue_self_approval_refused').where('entity_id', '=', imported).execute()
  expect(audits).toEqual([{ actor_id: registrar.id }])
  await expect(t.db.updateTable('certificate_reissues').set({ state: 'approved', decided_by: registrar.id }).where('id', '=', reissue).execute()).rejects.toMatchObject({ code: '23514' })

  await decideReissue(t.db, supervisor, reissue, { version: 1, decision: 'approve' })
  expect((await print(imported)).status).toBe(422) // approved, but the new blank not issued yet
  await issueReissue(t.db, registrar, reissue, { version: 2, serial: 'B-0042' }, TODAY)
  const ok = await print(imported)
  expect(ok.status).toBe(200)
  expect(ok.headers.get('Content-Type')).toBe('application/pdf')
  const certificates = await t.db.selectFrom('certificates').select(['serial', 'status', 'replaces_id', 'id']).where('application_id', '=', imported).where('kind', '=', 'adoption').orderBy('id').execute()
  expect(certificates.map((c) => [c.serial, c.status])).toEqual([[null, 'superseded'], ['B-0042', 'valid']])
  expect(certificates[1].replaces_id).toBe(certificates[0].id)
})

test('a refused reissue issues nothing; two approvers at once: the database lets one through', async () => {
  const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  const first = await requestReissue(t.db, registrar, id, { kind: 'lost', reason: '遗失' })
  await expect(requestReissue(t.db, registrar, id, { kind: 'damaged', reason: '损毁' })).rejects.toMatchObject({ messageKey: 'reissue.alreadyOpen' })
  await expect(decideReissue(t.db, supervisor, first, { version: 1, decision: 'refuse' })).rejects.toMatchObject({ messageKey: 'reissue.refusalReasonRequired' })
  await decideReissue(t.db, supervisor, first, { version: 1, decision: 'refuse', note: '未登报声明作废' })
  await expect(issueReissue(t.db, registrar, first, { version: 2, serial: 'B-X1' }, TODAY)).rejects.toMatchObject({ messageKey: 'reissue.notApproved' })

  const second = await requestReissue(t.db, registrar, id, { kind: 'lost', reason: '遗失，已登报声明' })
  const other = await makeViewer(t.db, 'supervisor')
  const results = await Promise.allSettled([
    decideReissue(t.db, supervisor, second, { version: 1, decision: 'approve' }),
    decideReissue(t.db, other, second, { version: 1, decision: 'refuse', note: '不同意' }),
  ])
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError)
  const decided = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).where('action', 'in', ['application.reissue_approved', 'application.reissue_refused']).execute()
  expect(decided).toHaveLength(2) // the first request's refusal and one decision of the second
})
