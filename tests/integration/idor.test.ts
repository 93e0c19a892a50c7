// Every route of the app that opens one record by its id (app/routes/*$*) declares the one access
// rule that decides who may read it (decision 028), and is requested here, through its real
// loader, real session and real PostgreSQL, by a user of the same registry who holds the
// capability's permission but has no right to that record: the answer is 404 (never 403 or the
// record) and the refusal is in the audit log. The table is checked against the route files: a new
// `$` route without a declared rule fails this test.
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegisteredAdoption, makeApplication } from '#tests/support/applications.ts'
import { makeUser, TEST_PASSWORD } from '#tests/support/factories.ts'
import { attemptLogin } from '#app/platform/auth/login.server.ts'
import { sessionCookie } from '#app/platform/auth/sessions.server.ts'
import type { AppContext } from '#app/platform/context.server.ts'
import type { Role } from '#app/platform/permissions.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { openFile } from '#app/archive/files.server.ts'
import { requestAccess } from '#app/archive/access.server.ts'
import { recordIntercountry, recordReceipt } from '#app/followup/intercountry.server.ts'
import { assignTasks } from '#app/followup/assign.server.ts'
import { saveReport } from '#app/followup/reports.server.ts'

type Person = { viewer: Viewer; cookie: string }
type Probe = { who: Person; params: Record<string, string>; search?: string; audited: { action: string; entityId: string } }
type Entry =
  | { rule: string; probe: () => Promise<Probe> }
  /** A rule that opens every record of the registry to the permission's holders: the refused user is another registry's. */
  | { rule: string; registryWide: true; probe: () => Promise<Probe> }
  /** Declared, but its refusal is not yet exercised here (say why). */
  | { rule: string; pending: string }

let t: TestDatabase
let context: AppContext
const people: Record<string, Person> = {}
const ids: Record<string, string> = {}

async function person(role: Role, registryCode = '500111'): Promise<Person> {
  const user = await makeUser(t.db, { roles: [role], registryCode })
  const result = await attemptLogin(t.db, { username: user.username, password: TEST_PASSWORD, ip: null, userAgent: null })
  if (!result.ok) throw new Error('login failed')
  const cookie = (await sessionCookie(context.sessionSecret, false).serialize(result.token)).split(';')[0]
  return { viewer: { id: user.id, username: user.username, registryCode, roles: [role] }, cookie }
}

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])

beforeAll(async () => {
  t = await testDatabase()
  context = testContext(t.db)
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  await ensureRegistry(t.db, '500112', '重庆市璧山区民政局')
  for (const [name, role] of [['registrar', 'registrar'], ['otherRegistrar', 'registrar'], ['supervisor', 'supervisor'], ['archivist', 'archivist'],
    ['caseworker', 'caseworker'], ['otherCaseworker', 'caseworker'], ['assessor', 'assessor']] as const) people[name] = await person(role)
  // Holders of the registry-wide permissions in the neighbouring registry: the only users refused those records.
  for (const [name, role] of [['foreignRegistrar', 'registrar'], ['foreignArchivist', 'archivist'], ['foreignSupervisor', 'supervisor'], ['foreignSysadmin', 'sysadmin']] as const) {
    people[name] = await person(role, '500112')
  }
  const { registrar, supervisor, archivist, caseworker } = people
  // A secrecy adoption (收养秘密) handled by `registrar`: `otherRegistrar` may not read it.
  ids.secret = await makeRegisteredAdoption(t.db, context.cipher, registrar.viewer, supervisor.viewer, { secrecy: true, secrecyRequestedBy: 'adopter' })
  ids.secretDraft = await makeApplication(t.db, context.cipher, registrar.viewer, { secrecy: true, secrecyRequestedBy: 'adopter' })
  // Its archive file, and a request to consult it naming `registrar` as the staff member.
  ids.file = await openFile(t.db, context.cipher, { applicationId: ids.secret, type: 'establishment', actorId: supervisor.viewer.id }, '2026-11-28')
  ids.request = await requestAccess(t.db, context.cipher, archivist.viewer, ids.file, { kind: 'party', name: '周建华', idChecked: true, purpose: '办理户籍', staffId: registrar.viewer.id })
  // An intercountry adoption recorded by `caseworker`, its first report task assigned to them, a report received.
  ids.intercountry = await recordIntercountry(t.db, caseworker.viewer, {
    registrationNumber: 'IC-2019-7', registeredOn: '2019-05-06', approvedOn: '2019-04-01', childName: '张小燕', childBirthDate: '2016-02-02',
    adopters: 'John Smith, Mary Smith', country: '美国', agency: 'Holt International',
  }, '2026-11-28')
  const icTask = await t.db.selectFrom('followup_tasks').select(['id', 'version']).where('intercountry_id', '=', ids.intercountry).orderBy('sequence').executeTakeFirstOrThrow()
  await assignTasks(t.db, supervisor.viewer, [icTask], caseworker.viewer.id)
  ids.receipt = await recordReceipt(t.db, context.cipher, caseworker.viewer, icTask.id, { receivedOn: '2026-11-20', bytes: png }, '2026-11-28')
  // The secrecy adoption's first visit, assigned to `caseworker`, with a filed report and photo.
  const visit = await t.db.selectFrom('followup_tasks').select(['id', 'version', 'window_from']).where('application_id', '=', ids.secret).where('sequence', '=', 1).executeTakeFirstOrThrow()
  await assignTasks(t.db, supervisor.viewer, [{ id: visit.id, version: visit.version }], caseworker.viewer.id)
  ids.task = visit.id
  await saveReport(t.db, context.cipher, caseworker.viewer, visit.id, {
    visitedOn: visit.window_from, met: '收养人夫妇、孩子', dailyCare: '作息规律。', health: '健康。', schooling: '在家。', bonding: '亲密。', supportNeeds: [], concernLevel: 'none', photos: [png],
  }, { submit: true, today: visit.window_from })
  // Records of the registry-wide capabilities, and an assessment and an export (test data only: the refusal comes before their content is read).
  ids.agency = (await t.db.insertInto('assessment_agencies').values({
    registry_code: '500111', legal_name: '大足区阳光社会工作服务中心', credit_code: '91110000100006485K', business_scope: '社会工作服务、收养评估',
    contract_from: '2026-01-01', contract_to: '2026-12-31', dpa_signed_on: '2026-01-05',
  }).returning('id').executeTakeFirstOrThrow()).id
  const blob = await t.db.insertInto('blobs').values({ sha256: 'a'.repeat(64), size: 10 }).returning('id').executeTakeFirstOrThrow()
  ids.batch = (await t.db.insertInto('import_batches').values({
    registry_code: '500111', blob_id: blob.id, filename: 'ledger.csv', sha256: 'a'.repeat(64), size: 10, format: 'csv', encoding: 'utf-8', headers: ['登记证号'], layout: 'l', mapping: null,
    failure: null, failure_row: null, checked_at: null, imported_at: null, created_by: registrar.viewer.id, imported_by: null,
    approval_requested_by: null, approval_requested_at: null, approval_requested_run: null, approved_by: null, approved_at: null, approved_run: null,
    approval_refused_by: null, approval_refused_at: null, approval_refusal_reason: null,
  }).returning('id').executeTakeFirstOrThrow()).id
  ids.transfer = (await t.db.insertInto('archive_transfers').values({ registry_code: '500111', number: 'YJ-2026-001', proposed_by: archivist.viewer.id, confirmed_by: null, confirmed_on: null })
    .returning('id').executeTakeFirstOrThrow()).id
  const instrument = await t.db.insertInto('assessment_instruments').values({ registry_code: '500111', version: 1, definition: '{}', published_by: null }).returning('id').executeTakeFirstOrThrow()
  ids.assessment = (await t.db.insertInto('assessments').values({
    registry_code: '500111', application_id: ids.secretDraft, instrument_id: instrument.id, mode: 'in_house', agency_id: null, notice_on: null, consent_on: null, due_on: null,
    integration_from: null, integration_to: null, commissioned_by: registrar.viewer.id, commissioned_on: '2026-11-02', cancel_reason: null, cancelled_at: null, cancelled_by: null,
  }).returning('id').executeTakeFirstOrThrow()).id
  ids.export = (await t.db.insertInto('ledger_exports').values({
    registry_code: '500111', requested_by: registrar.viewer.id, ledger: 'adoptions', filter: '{}', format: 'csv', locale: 'zh', rows_total: null, blob_id: null, error: null, finished_at: null,
  }).returning('id').executeTakeFirstOrThrow()).id
  ids.rootseeking = (await t.db.insertInto('rootseeking_requests').values({
    registry_code: '500111', reference: 'ABCDEFGHJK23', channel: 'email', applicant_name: 'Emily Chen', nationality: '美国', residence_country: '美国', email: 'emily@example.org',
    language: 'en', time_zone: 'America/Chicago', adoptee_name_then: '周小梅', adoptee_name_now: 'Emily Chen', adoptee_birth_date: '2003-04-01', registration_number: '渝足收字2004第3号',
    registration_date: '2004-05-01', institution: '大足区社会福利院', wished_from: '2027-04-01', wished_to: '2027-04-10', wished_places: '福利院', message: null,
    received_on: '2026-11-20', reply_due_on: '2026-12-20', application_id: null, verified_by: null, verified_at: null, verification_note: null, paper_archive_reference: null,
    decided_by: null, decided_at: null, replied_on: null, decline_reasons: null, email_bounced_at: null, closed_at: null, created_by: null,
  }).returning('id').executeTakeFirstOrThrow()).id
  ids.photo = (await t.db.selectFrom('visit_report_photos as p').innerJoin('visit_reports as r', 'r.id', 'p.report_id').select('p.id').where('r.task_id', '=', visit.id).executeTakeFirstOrThrow()).id
}, 120_000)
afterAll(async () => { await t?.destroy() })

const app = (search?: string) => async (): Promise<Probe> =>
  ({ who: people.otherRegistrar, params: { id: ids.secret }, search, audited: { action: 'record.access_refused', entityId: ids.secret } })
const request = (extra: Record<string, string> = {}) => async (): Promise<Probe> =>
  ({ who: people.otherRegistrar, params: { id: ids.request, ...extra }, audited: { action: 'record.access_refused', entityId: ids.request } })
/** A record of registry 500111 requested by the holder of the same permission in registry 500112. */
const foreign = (who: string, record: string, extra: Record<string, string> = {}, key = 'id') => async (): Promise<Probe> =>
  ({ who: people[who], params: { [key]: ids[record], ...extra }, audited: { action: 'record.access_refused', entityId: ids[record] } })
const assessment = (extra: Record<string, string> = {}) => async (): Promise<Probe> =>
  ({ who: people.assessor, params: { id: ids.assessment, ...extra }, audited: { action: 'assessment.access_refused', entityId: ids.assessment } })
const anExport = async (): Promise<Probe> => ({ who: people.otherRegistrar, params: { id: ids.export }, audited: { action: 'record.access_refused', entityId: ids.export } })
const task = async (): Promise<Probe> => ({ who: people.otherCaseworker, params: { id: ids.task }, audited: { action: 'followup.access_refused', entityId: ids.task } })

const APPLICATIONS = 'visibleApplications (app/registration/applications.server.ts): registry, case.read, and for a secrecy case its registrars, supervisors and archivists'
const TASKS = 'readableTask (app/followup/access.server.ts, decision 023)'

// route file → its access rule and how it is refused. Keep in step with app/routes.
const ROUTES: Record<string, Entry> = {
  'applications.$id._index.tsx': { rule: APPLICATIONS, probe: app() },
  'applications.$id.approval.tsx': { rule: APPLICATIONS, probe: app() },
  'applications.$id.certificate[.pdf].tsx': { rule: APPLICATIONS, probe: app('?mode=read') },
  'applications.$id.dissolution-certificate[.pdf].tsx': { rule: APPLICATIONS, probe: app('?mode=read') },
  'applications.$id.refusal-notice[.pdf].tsx': { rule: APPLICATIONS, probe: app() },
  'applications.$id.notice-photo.tsx': { rule: APPLICATIONS, probe: app() },
  'applications.$id.print.tsx': { rule: APPLICATIONS, probe: app('?document=certificate&mode=copy') },
  'applications.$id.edit.tsx': { rule: APPLICATIONS, probe: async () => ({ ...(await app()()), params: { id: ids.secretDraft }, audited: { action: 'record.access_refused', entityId: ids.secretDraft } }) },
  'applications.$id.correct.tsx': { rule: APPLICATIONS, probe: app() },
  'archive.requests.$id.tsx': { rule: 'readableRequest (app/archive/access.server.ts)', probe: request() },
  'archive.requests.$id.slip[.pdf].tsx': { rule: 'readableRequest (app/archive/access.server.ts)', probe: request() },
  'archive.requests.$id.documents.$documentId.tsx': { rule: 'readableRequest (app/archive/access.server.ts), then the named staff member while the approval runs', probe: request({ documentId: '1' }) },
  'followup.intercountry.$id.tsx': {
    rule: 'readableIntercountry (app/followup/access.server.ts)',
    probe: async () => ({ who: people.registrar, params: { id: ids.intercountry }, audited: { action: 'record.access_refused', entityId: ids.intercountry } }),
  },
  'followup.receipts.$id.tsx': {
    rule: `${TASKS}, whose intercountry clause is readableIntercountry`,
    probe: async () => {
      const taskId = (await t.db.selectFrom('post_placement_receipts').select('task_id').where('id', '=', ids.receipt).executeTakeFirstOrThrow()).task_id
      return { who: people.registrar, params: { id: ids.receipt }, audited: { action: 'followup.access_refused', entityId: taskId } }
    },
  },
  'followup.tasks.$id.tsx': { rule: TASKS, probe: task },
  'followup.tasks.$id.record[.pdf].tsx': { rule: TASKS, probe: task },
  'followup.photos.$id.tsx': { rule: TASKS, probe: async () => ({ ...(await task()), params: { id: ids.photo } }) },
  'admin.users.$id.tsx': { rule: 'registry-wide: users.manage holders manage every account of their registry (getUser)', registryWide: true, probe: async () => ({ who: people.foreignSysadmin, params: { id: people.registrar.viewer.id }, audited: { action: 'record.access_refused', entityId: people.registrar.viewer.id } }) },
  'admin.agencies.$id.tsx': { rule: 'registry-wide: settings.manage holders, their registry\'s agencies (getAgency)', registryWide: true, probe: foreign('foreignSysadmin', 'agency') },
  'admin.import.$id.tsx': { rule: 'registry-wide: the registry\'s batches, import.run or case.approve (loadBatch → batchFor)', registryWide: true, probe: foreign('foreignRegistrar', 'batch') },
  'admin.import.$id.errors[.xlsx].tsx': { rule: 'as admin.import.$id (errorWorkbook → batchFor)', registryWide: true, probe: foreign('foreignRegistrar', 'batch') },
  'archive.$id._index.tsx': { rule: 'registry-wide: archive.manage holders keep every file of the registry (loadFile)', registryWide: true, probe: foreign('foreignArchivist', 'file') },
  'archive.$id.cover[.pdf].tsx': { rule: 'as archive.$id (loadFile)', registryWide: true, probe: foreign('foreignArchivist', 'file') },
  'archive.$id.documents.$documentId.tsx': { rule: 'as archive.$id (loadFile), a secrecy file\'s document only with a reason', registryWide: true, probe: foreign('foreignArchivist', 'file', { documentId: '1' }) },
  'archive.$id.read.$documentId.tsx': { rule: 'as archive.$id (loadFile)', registryWide: true, probe: foreign('foreignArchivist', 'file', { documentId: '1' }) },
  'archive.transfers.$id.tsx': { rule: 'registry-wide: who may view transfers (mayViewTransfers; loadTransfer)', registryWide: true, probe: foreign('foreignArchivist', 'transfer') },
  'archive.transfers.$id.list[.pdf].tsx': { rule: 'as archive.transfers.$id', registryWide: true, probe: foreign('foreignArchivist', 'transfer') },
  'assessments.$id._index.tsx': { rule: 'visibleAssessments (app/assessment/assessments.server.ts): the team, the agency, the registry\'s case staff', probe: assessment() },
  'assessments.$id.attachments.$attachmentId.tsx': { rule: 'visibleAssessments', probe: assessment({ attachmentId: '1' }) },
  'assessments.$id.report[.pdf].tsx': { rule: 'visibleAssessments', probe: assessment() },
  'ledgers.exports.$id.tsx': { rule: 'the export\'s own requester (loadExport)', probe: anExport },
  'ledgers.exports.$id.download.tsx': { rule: 'the export\'s own requester (exportDownload → loadExport)', probe: anExport },
  'rootseeking.$id._index.tsx': { rule: 'registry-wide: the root-seeking desk (rootseeking.read; loadRow); a secrecy match sealed to all but supervisors (record-access.test.ts)', registryWide: true, probe: foreign('foreignRegistrar', 'rootseeking') },
  'rootseeking.$id.documents.$documentId.tsx': { rule: 'as rootseeking.$id', registryWide: true, probe: foreign('foreignRegistrar', 'rootseeking', { documentId: '1' }) },
  'rootseeking.$id.record[.pdf].tsx': { rule: 'as rootseeking.$id (receptionRecordData)', registryWide: true, probe: foreign('foreignRegistrar', 'rootseeking') },
  'staff.handover.$userId.tsx': { rule: 'registry-wide: staff.handover holders, their registry\'s staff (handoverPage)', registryWide: true, probe: async () => ({ who: people.foreignSupervisor, params: { userId: people.registrar.viewer.id }, audited: { action: 'record.access_refused', entityId: people.registrar.viewer.id } }) },
}

test('every route that opens a record by its id has a declared access rule, and no rule names a route that is gone', () => {
  const files = readdirSync('app/routes').filter((f) => f.includes('$')).sort()
  expect(files.filter((f) => !(f in ROUTES))).toEqual([])
  expect(Object.keys(ROUTES).filter((f) => !files.includes(f))).toEqual([])
})

async function statusOf(file: string, probe: Probe): Promise<number> {
  const mod = (await import(/* @vite-ignore */ `../../app/routes/${file}`)) as { loader: (args: LoaderFunctionArgs) => Promise<unknown> }
  const path = `http://localhost/x${probe.search ?? ''}`
  // A context per request, as the server makes one (the guard remembers the session per context).
  const args = { request: new Request(path, { headers: { Cookie: probe.who.cookie } }), context: { ...context }, params: probe.params } as unknown as LoaderFunctionArgs
  try {
    const result = await mod.loader(args)
    return result instanceof Response ? result.status : 200
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status
    throw thrown
  }
}

describe('a user of the same registry without the right to the record: not found, and the refusal audited', () => {
  for (const [file, entry] of Object.entries(ROUTES)) {
    if ('pending' in entry) {
      test.todo(`${file}: ${entry.pending}`)
      continue
    }
    test(file, async () => {
      const probe = await entry.probe()
      // The refused user holds the permission: of this registry, or of the other one where the rule opens the whole registry.
      expect(probe.who.viewer.registryCode).toBe('registryWide' in entry ? '500112' : '500111')
      const before = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n'))
        .where('action', '=', probe.audited.action).where('actor_id', '=', probe.who.viewer.id).where('entity_id', '=', probe.audited.entityId).executeTakeFirstOrThrow()
      expect(await statusOf(file, probe)).toBe(404)
      const after = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n'))
        .where('action', '=', probe.audited.action).where('actor_id', '=', probe.who.viewer.id).where('entity_id', '=', probe.audited.entityId).executeTakeFirstOrThrow()
      expect(Number(after.n)).toBe(Number(before.n) + 1)
    })
  }
})

describe('an id that is not a number is "not found", never a server error', () => {
  for (const [file, entry] of Object.entries(ROUTES)) {
    if ('pending' in entry) continue
    test(file, async () => {
      const probe = await entry.probe()
      const key = 'userId' in probe.params ? 'userId' : 'id'
      expect(await statusOf(file, { ...probe, params: { ...probe.params, [key]: '12abc' } })).toBe(404)
    })
  }
})
