// Scoped and logged reads against real PostgreSQL (docs/decisions/028-scoped-and-logged-reads.md):
// archive access requests, intercountry adoptions, a root-seeking match against a secrecy case,
// documents with full ID numbers printed only after their reason, register views in the log, and
// the confirmation of a record opened from another site.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegisteredAdoption } from '#tests/support/applications.ts'
import { makeUser, TEST_PASSWORD } from '#tests/support/factories.ts'
import { attemptLogin } from '#app/platform/auth/login.server.ts'
import { sessionCookie } from '#app/platform/auth/sessions.server.ts'
import type { AppContext } from '#app/platform/context.server.ts'
import { NotFoundError } from '#app/platform/http.server.ts'
import type { Role } from '#app/platform/permissions.ts'
import { crossSiteConfirmation } from '#app/platform/http/middleware.server.ts'
import { checkPrintGrant, signPrintGrant } from '#app/platform/print-grant.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { openFile } from '#app/archive/files.server.ts'
import { listRequests as listAccessRequests, requestAccess, viewRequest } from '#app/archive/access.server.ts'
import { listIntercountry, loadIntercountry, recordIntercountry } from '#app/followup/intercountry.server.ts'
import { loadRequest as loadRootSeeking, submitRequest } from '#app/rootseeking/requests.server.ts'
import { requestSchema } from '#app/rootseeking/schemas.ts'
import * as certificateRoute from '#app/routes/applications.$id.certificate[.pdf].tsx'
import * as printRoute from '#app/routes/applications.$id.print.tsx'
import * as ledgerRoute from '#app/routes/applications._index.tsx'

type Person = { viewer: Viewer; cookie: string }
let t: TestDatabase
let context: AppContext
const p: Record<string, Person> = {}
let secret: string

async function person(role: Role): Promise<Person> {
  const user = await makeUser(t.db, { roles: [role], registryCode: '500111' })
  const result = await attemptLogin(t.db, { username: user.username, password: TEST_PASSWORD, ip: null, userAgent: null })
  if (!result.ok) throw new Error('login failed')
  return { viewer: { id: user.id, username: user.username, registryCode: '500111', roles: [role] }, cookie: (await sessionCookie(context.sessionSecret, false).serialize(result.token)).split(';')[0] }
}

beforeAll(async () => {
  t = await testDatabase()
  context = testContext(t.db)
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  for (const [name, role] of [['registrar', 'registrar'], ['other', 'registrar'], ['supervisor', 'supervisor'], ['archivist', 'archivist'], ['caseworker', 'caseworker'], ['caseworker2', 'caseworker']] as const) {
    p[name] = await person(role)
  }
  secret = await makeRegisteredAdoption(t.db, context.cipher, p.registrar.viewer, p.supervisor.viewer, { secrecy: true, secrecyRequestedBy: 'adopter' })
}, 120_000)
afterAll(async () => { await t?.destroy() })

const notFound = async (work: Promise<unknown>) => expect(work).rejects.toBeInstanceOf(NotFoundError)
const auditRows = (action: string, actor: string) => t.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('actor_id', '=', actor).execute()

describe('archive access requests', () => {
  let requestId: string
  beforeAll(async () => {
    const fileId = await openFile(t.db, context.cipher, { applicationId: secret, type: 'establishment', actorId: p.supervisor.viewer.id }, '2026-11-28')
    requestId = await requestAccess(t.db, context.cipher, p.archivist.viewer, fileId, { kind: 'party', name: '周建华', idChecked: true, purpose: '办理户籍', staffId: p.registrar.viewer.id })
  })

  test('another registrar: not found (the secrecy file\'s title is not shown), the refusal audited, the request not in their list', async () => {
    await notFound(viewRequest(t.db, p.other.viewer, requestId, null))
    expect((await auditRows('record.access_refused', p.other.viewer.id)).some((r) => r.entity_type === 'archive_access_request' && r.entity_id === requestId)).toBe(true)
    expect(await listAccessRequests(t.db, p.other.viewer)).toEqual([])
  })

  test('the named staff member, the archivist and the approver read it; each read is logged', async () => {
    for (const who of [p.registrar, p.archivist, p.supervisor]) {
      const loaded = await viewRequest(t.db, who.viewer, requestId, '10.0.0.1')
      expect(loaded.request.id).toBe(requestId)
      const logged = await auditRows('archive.request_viewed', who.viewer.id)
      expect(logged.map((r) => r.entity_id)).toContain(requestId)
    }
  })
})

describe('intercountry adoptions', () => {
  let id: string
  beforeAll(async () => {
    id = await recordIntercountry(t.db, p.caseworker.viewer, {
      registrationNumber: 'IC-2018-3', registeredOn: '2018-05-06', approvedOn: '2018-04-01', childName: '李小燕', childBirthDate: '2015-02-02',
      adopters: 'Jan de Vries', country: '荷兰', agency: 'Wereldkinderen',
    }, '2026-11-28')
  })

  test('only the supervisor, the one who recorded it and a caseworker assigned its reports read it; the rest get not found, audited', async () => {
    await notFound(loadIntercountry(t.db, p.registrar.viewer, id, '2026-11-28'))
    await notFound(loadIntercountry(t.db, p.caseworker2.viewer, id, '2026-11-28'))
    expect((await auditRows('record.access_refused', p.caseworker2.viewer.id)).map((r) => r.entity_id)).toContain(id)
    expect((await listIntercountry(t.db, p.registrar.viewer, '2026-11-28')).map((a) => a.id)).not.toContain(id)
    for (const who of [p.caseworker, p.supervisor]) {
      expect((await loadIntercountry(t.db, who.viewer, id, '2026-11-28')).adoption.id).toBe(id)
      expect((await listIntercountry(t.db, who.viewer, '2026-11-28')).map((a) => a.id)).toContain(id)
      expect((await auditRows('followup.intercountry_viewed', who.viewer.id)).map((r) => r.entity_id)).toContain(id)
    }
  })
})

describe('root-seeking against a secrecy registration', () => {
  test('the caseworker learns only whether the checks passed; the supervisor sees who it names', async () => {
    const reg = await t.db.selectFrom('applications as a').innerJoin('parties as c', (j) => j.onRef('c.application_id', '=', 'a.id').on('c.role', '=', 'child'))
      .select(['a.registration_number', 'a.registered_on', 'c.birth_date', 'c.name']).where('a.id', '=', secret).executeTakeFirstOrThrow()
    const doc = await PDFDocument.create()
    doc.addPage([595, 842])
    const bytes = await doc.save()
    const input = requestSchema('2026-11-28').parse({
      applicantName: 'Emily Carter', nationality: 'United States', residenceCountry: 'United States', email: 'emily@example.test',
      language: 'en', timeZone: 'America/New_York', adopteeNameThen: '福小花', adopteeNameNow: 'Lily Carter', adopteeBirthDate: reg.birth_date,
      registrationNumber: reg.registration_number, registrationDate: reg.registered_on, institution: '大足区儿童福利院',
      wishedFrom: '2027-04-01', wishedTo: '2027-04-10', wishedPlaces: 'The welfare institution',
      visitors: [{ name: 'Emily Carter', relation: 'mother', nationality: 'United States', birthDate: '1980-02-02', passportNumber: 'A12345678', passportExpiry: '2030-01-01' }],
    })
    const { id } = await submitRequest(t.db, context.cipher, null, '500111', {
      ...input, channel: 'online',
      documents: [{ kind: 'application_form', filename: 'f.pdf', bytes }, { kind: 'adoption_certificate', filename: 'c.pdf', bytes }, { kind: 'passport', visitorIndex: 0, filename: 'p.pdf', bytes }],
    }, { today: '2026-11-28' })
    const seen = await loadRootSeeking(t.db, context.cipher, p.caseworker.viewer, id, '2026-11-28')
    expect(seen.registration?.sealed).toBe(true)
    expect(seen.registration?.adopters).toEqual([])
    expect(seen.registration?.childName).toBeNull()
    expect(seen.registration?.applicationId).toBeNull()
    expect(JSON.stringify(seen.registration)).not.toContain(reg.name)
    expect(seen.checks?.every((c) => c.ok)).toBe(true)
    const opened = await loadRootSeeking(t.db, context.cipher, p.supervisor.viewer, id, '2026-11-28')
    expect(opened.registration?.sealed).toBe(false)
    expect(opened.registration?.childName).toBe(reg.name)
    expect(opened.registration?.adopters.length).toBeGreaterThan(0)
  })
})

describe('a document with full ID numbers', () => {
  const call = async (mod: { loader?: unknown; action?: unknown }, kind: 'loader' | 'action', who: Person, url: string, body?: URLSearchParams) => {
    const request = new Request(`http://localhost${url}`, body ? { method: 'POST', body, headers: { Cookie: who.cookie, 'Content-Type': 'application/x-www-form-urlencoded' } } : { headers: { Cookie: who.cookie } })
    const fn = (kind === 'loader' ? mod.loader : mod.action) as (a: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown>
    try {
      return await fn({ request, context: { ...context }, params: { id: secret } } as never)
    } catch (thrown) {
      if (thrown instanceof Response) return thrown
      throw thrown
    }
  }
  const pdfText = async (response: Response) => {
    const file = join(mkdtempSync(join(tmpdir(), 'cert-')), 'c.pdf')
    writeFileSync(file, Buffer.from(await response.arrayBuffer()))
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  }

  test('asks the reason first, logs it, then serves the full copy once; the reading copy is masked', async () => {
    const adopter = await t.db.selectFrom('parties').select(['id', 'id_number_enc']).where('application_id', '=', secret).where('role', '=', 'adopter').executeTakeFirstOrThrow()
    const fullId = context.cipher.decrypt(adopter.id_number_enc!, { table: 'parties', column: 'id_number_enc', row: adopter.id })
    // No reason yet: the document's address leads to the reason page.
    const first = (await call(certificateRoute, 'loader', p.registrar, `/applications/${secret}/certificate.pdf?mode=copy`)) as Response
    expect(first.status).toBe(303)
    expect(first.headers.get('Location')).toBe(`/applications/${secret}/print?mode=copy&document=certificate`)
    // An empty reason: said next to the field, nothing logged.
    const empty = (await call(printRoute, 'action', p.registrar, `/applications/${secret}/print`, new URLSearchParams({ document: 'certificate', options: 'mode=copy', reason: '  ' }))) as { data: { error: string } }
    expect(empty.data.error).toBe('print.reasonRequired')
    expect(await auditRows('application.print_reason', p.registrar.viewer.id)).toEqual([])
    // With a reason: logged, and sent on with a grant.
    const granted = (await call(printRoute, 'action', p.registrar, `/applications/${secret}/print`, new URLSearchParams({ document: 'certificate', options: 'mode=copy', reason: '当事人申请补办存档副本' }))) as Response
    expect(granted.status).toBe(303)
    const logged = await auditRows('application.print_reason', p.registrar.viewer.id)
    expect(logged).toHaveLength(1)
    expect(logged[0].reason).toBe('当事人申请补办存档副本')
    const location = granted.headers.get('Location')!
    expect(location).toMatch(/certificate\.pdf\?mode=copy&grant=/)
    const full = (await call(certificateRoute, 'loader', p.registrar, location)) as Response
    expect(full.status).toBe(200)
    expect(await pdfText(full)).toContain(fullId)
    // The grant is the registrar's, for this document and mode only.
    const blank = location.replace('mode=copy', 'mode=blank')
    expect(((await call(certificateRoute, 'loader', p.registrar, blank)) as Response).status).toBe(303)
    expect(((await call(certificateRoute, 'loader', p.supervisor, location)) as Response).status).toBe(303)
    // The copy for reading: no reason, ID numbers masked.
    const reading = (await call(certificateRoute, 'loader', p.registrar, `/applications/${secret}/certificate.pdf?mode=read`)) as Response
    expect(reading.status).toBe(200)
    const text = await pdfText(reading)
    expect(text).not.toContain(fullId)
    expect(text).toContain(fullId.slice(0, 6))
  })

  test('a grant expires and cannot be forged', () => {
    const target = { userId: '1', recordId: '2', document: 'certificate', options: 'mode=copy' }
    const grant = signPrintGrant('s'.repeat(40), target, 'abcdefghijkl', 1_000_000)
    expect(checkPrintGrant('s'.repeat(40), grant, target, 1_000_000)).toBe('abcdefghijkl')
    expect(checkPrintGrant('s'.repeat(40), grant, target, 1_000_000 + 6 * 60_000)).toBeNull()
    expect(checkPrintGrant('t'.repeat(40), grant, target, 1_000_000)).toBeNull()
    expect(checkPrintGrant('s'.repeat(40), grant, { ...target, recordId: '3' }, 1_000_000)).toBeNull()
  })
})

test('a register view is in the audit log with its filter', async () => {
  const request = new Request('http://localhost/applications?q=%E7%8E%8B', { headers: { Cookie: p.supervisor.cookie } })
  await ledgerRoute.loader({ request, context: { ...context }, params: {} } as never)
  const rows = await auditRows('register.viewed', p.supervisor.viewer.id)
  expect(rows.map((r) => [r.entity_id, (r.summary as { filter?: string }).filter])).toContainEqual(['applications', 'q=%E7%8E%8B'])
})

describe('a record opened from another site', () => {
  let base: string
  let close: () => void
  beforeAll(async () => {
    const app = express()
    app.use(crossSiteConfirmation)
    app.get('*', (_req, res) => { res.type('text/plain').send('the record') })
    const server = app.listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    close = () => server.close()
  })
  afterAll(() => close?.())

  test('gets a confirmation page of this site that asks for the same address again; same-origin and typed addresses go through', async () => {
    const crossSite = await fetch(`${base}/applications/7?mode=read&x=%3Cb%3E`, { headers: { 'Sec-Fetch-Site': 'cross-site' } })
    const html = await crossSite.text()
    expect(html).not.toContain('the record')
    expect(html).toContain('打开此记录？')
    expect(html).toContain('<form method="get" action="/applications/7">')
    expect(html).toContain('<input type="hidden" name="mode" value="read">')
    expect(html).toContain('value="&#60;b&#62;"')
    expect(crossSite.headers.get('cache-control')).toBe('no-store')
    for (const site of ['same-origin', 'none']) {
      expect(await (await fetch(`${base}/applications/7`, { headers: { 'Sec-Fetch-Site': site } })).text()).toBe('the record')
    }
    expect(await (await fetch(`${base}/applications/7`)).text()).toBe('the record')
    // The public pages a family reaches from its mail open directly.
    expect(await (await fetch(`${base}/visit-request/status`, { headers: { 'Sec-Fetch-Site': 'cross-site' } })).text()).toBe('the record')
    expect(await (await fetch(`${base}/password/reset?token=x`, { headers: { 'Sec-Fetch-Site': 'cross-site' } })).text()).toBe('the record')
  })
})
