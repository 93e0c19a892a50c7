// Root-seeking return visits: the reply deadline in working days, the public status behind both
// keys, verification against the registry, the birth-family disclosure gate, the families' e-mails
// in English and Chinese with both time zones (rendered, and delivered over real SMTP), the
// reception record, the daily sweep of late replies, the hand-over functions and the rate limit.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import { runOnce } from 'graphile-worker'
import { PDFDocument } from 'pdf-lib'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry, makeUser } from '#tests/support/factories.ts'
import { applicationInput, currentVersion, makeReadyApplication, makeViewer, TODAY } from '#tests/support/applications.ts'
import { approveDecision, proposeDecision } from '#app/registration/decisions.server.ts'
import { citizenIdFor } from '#app/registration/demo/people.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { acceptRequest, addVisitor, declineRequest, listRequests, loadRequest, publicStatus, removeVisitor, submitRequest, verifyRequest, type Submission } from '#app/rootseeking/requests.server.ts'
import { decideDisclosure } from '#app/rootseeking/disclosure.server.ts'
import { rootseekingAction } from '#app/rootseeking/page.server.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import { closeRequest, receptionRecordData, recordReception, visitStatistics } from '#app/rootseeking/reception.server.ts'
import { countOpenRootSeekingWork, moveOpenRootSeekingWork } from '#app/rootseeking/handover.server.ts'
import { sweepLateReplies } from '#app/rootseeking/sweep.server.ts'
import { hit, SUBMIT_LIMIT } from '#app/rootseeking/rate-limit.server.ts'
import { acceptedMail, declinedMail, receivedMail } from '#app/rootseeking/mail.ts'
import { requestSchema } from '#app/rootseeking/schemas.ts'
import { formatReference } from '#app/rootseeking/reference.ts'
import { sql } from 'kysely'
import { taskList } from '#jobs/worker.ts'
import { quietLogger } from '#db/migrate.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer, caseworker: Viewer, caseworker2: Viewer
let smtp: SMTPServer
let smtpPort = 0
const received: ParsedMail[] = []

const BIRTH_MOTHER = '赵秀兰'
const BIRTH_ADDRESS = '重庆市大足区宝顶镇石门村三组'

beforeAll(async () => {
  t = await testDatabase()
  await makeRegistry(t.db)
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  caseworker = await makeViewer(t.db, 'caseworker')
  caseworker2 = await makeViewer(t.db, 'caseworker')
  await makeUser(t.db, { roles: ['supervisor'], registryCode: '500111', email: 'chief@bureau.test' })
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) { simpleParser(stream).then((mail) => { received.push(mail); callback() }, callback) },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  smtpPort = (smtp.server.address() as { port: number }).port
})
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
  await t.destroy()
})

const runJobs = () => runOnce({ pgPool: t.pool, taskList: taskList({ db: t.db, cipher, smtpUrl: `smtp://127.0.0.1:${smtpPort}`, mailFrom: 'Registry <registry@test.invalid>' }), logger: quietLogger() })

/** A registered step-parent adoption: the placing party is the birth mother (a birth-family detail). */
async function registeredWithBirthFamily(secrecy?: 'placing_party' | 'adopter') {
  const id = await makeReadyApplication(t.db, cipher, registrar, {
    relation: 'stepchild', placingKind: 'birth_parent', otherParentUnknownOrMissing: true, institutionName: undefined,
    joint: false, adopter2: undefined,
    placing1: { name: BIRTH_MOTHER, sex: 'female', birthDate: '1986-07-01', idNumber: citizenIdFor('500111', '1986-07-01', 'female', 91), hukouAddress: BIRTH_ADDRESS },
    child: { ...applicationInput().child, situation: 'other', inWelfareInstitution: false },
    ...(secrecy ? { secrecy: true, secrecyRequestedBy: secrecy } : {}),
  })
  await proposeDecision(t.db, cipher, registrar, id, await currentVersion(t.db, id), { decision: 'register' }, TODAY)
  await approveDecision(t.db, cipher, supervisor, id, await currentVersion(t.db, id), { serial: `RS-${id}` }, TODAY)
  return t.db.selectFrom('applications as a').innerJoin('parties as c', (j) => j.onRef('c.application_id', '=', 'a.id').on('c.role', '=', 'child'))
    .select(['a.id', 'a.registration_number', 'a.registered_on', 'c.birth_date']).where('a.id', '=', id).executeTakeFirstOrThrow()
}

async function pdf() {
  const doc = await PDFDocument.create()
  doc.addPage([595, 842])
  return doc.save()
}

async function submission(overrides: Partial<Submission> = {}, today = TODAY): Promise<Submission> {
  const input = requestSchema(today).parse({
    applicantName: 'Emily Carter', nationality: 'United States', residenceCountry: 'United States', email: 'Emily.Carter@example.test',
    language: 'en', timeZone: 'America/New_York', adopteeNameThen: '福小花', adopteeNameNow: 'Lily Carter', adopteeBirthDate: '2023-05-20',
    registrationNumber: 'X', registrationDate: '2024-01-10', institution: '大足区儿童福利院',
    wishedFrom: '2027-04-01', wishedTo: '2027-04-10', wishedPlaces: 'The welfare institution and the finding place',
    visitors: [
      { name: 'Emily Carter', relation: 'mother', nationality: 'United States', birthDate: '1980-02-02', passportNumber: 'a1234 5678', passportExpiry: '2030-01-01' },
      { name: 'Lily Carter', relation: 'adoptee', nationality: 'United States', birthDate: '2023-05-20', passportNumber: 'B87654321', passportExpiry: '2030-01-01' },
    ],
  })
  const bytes = await pdf()
  return {
    ...input, channel: 'online',
    documents: [
      { kind: 'application_form', filename: 'form.pdf', bytes },
      { kind: 'adoption_certificate', filename: 'certificate.pdf', bytes },
      { kind: 'passport', visitorIndex: 0, filename: 'p1.pdf', bytes },
      { kind: 'passport', visitorIndex: 1, filename: 'p2.pdf', bytes },
    ],
    ...overrides,
  }
}

const plan = (version: number, caseworkerId: string, overrides: Record<string, unknown> = {}) => ({
  version, caseworkerId, visitOn: '2026-12-10', startsAt: '09:30', endsAt: '12:00', places: '大足区儿童福利院', receivingStaff: '王登记、刘社工',
  interpreter: '陈译（英语）', institutionContact: '福利院办公室 023-43720000', mayShow: 'The institution\'s rooms and the records of the child\'s stay', noFee: true, ...overrides,
})

async function version(id: string) {
  return (await t.db.selectFrom('rootseeking_requests').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version
}

describe('the request and its reply deadline', () => {
  test('10 working days across National Day and Spring Festival, from the calendar table', async () => {
    const a = await submitRequest(t.db, cipher, null, '500111', await submission({}, '2026-09-28'), { today: '2026-09-28' })
    const b = await submitRequest(t.db, cipher, null, '500111', await submission({}, '2026-02-12'), { today: '2026-02-12' })
    const rows = await t.db.selectFrom('rootseeking_requests').select(['id', 'reply_due_on']).where('id', 'in', [a.id, b.id]).orderBy('id').execute()
    expect(rows.map((r) => r.reply_due_on)).toEqual(['2026-10-16', '2026-03-04'])
    // Shown with days left or late.
    const list = await listRequests(t.db, registrar, '2026-10-14')
    expect(list.find((r) => r.id === a.id)?.clock).toEqual({ late: false, workingDaysLeft: 2 })
    const late = await listRequests(t.db, registrar, '2026-10-19', { late: true })
    expect(late.find((r) => r.id === a.id)?.clock).toEqual({ late: true, workingDaysLeft: -1 })
  })

  test('references are random base32, passport numbers encrypted, the confirmation in the family\'s language', async () => {
    const { id, reference } = await submitRequest(t.db, cipher, null, '500111', await submission(), { today: TODAY })
    expect(reference).toMatch(/^[A-Z2-7]{12}$/)
    const other = await submitRequest(t.db, cipher, null, '500111', await submission(), { today: TODAY })
    expect(other.reference).not.toBe(reference)
    const visitors = await t.db.selectFrom('rootseeking_visitors').selectAll().where('request_id', '=', id).orderBy('position').execute()
    expect(visitors[0].passport_number_enc).not.toContain('A12345678')
    expect(cipher.decrypt(visitors[0].passport_number_enc)).toBe('A12345678')
    received.length = 0
    await runJobs()
    const mine = received.find((m) => m.text?.includes(formatReference(reference)))!
    expect(mine.subject).toContain('Your root-seeking visit request has been received')
    expect(mine.text).toContain('America/New_York')
    expect(mine.text).toContain('Asia/Shanghai')
  })

  test('uploads are checked by content; every visitor needs a passport copy', async () => {
    const base = await submission()
    const fake = new TextEncoder().encode('MZ\x90 not a pdf')
    await expect(submitRequest(t.db, cipher, null, '500111', { ...base, documents: [...base.documents.slice(0, 3), { kind: 'passport', visitorIndex: 1, filename: 'p2.pdf', bytes: fake }] }, { today: TODAY }))
      .rejects.toMatchObject({ messageKey: 'rootseeking.upload.type' })
    await expect(submitRequest(t.db, cipher, null, '500111', { ...base, documents: base.documents.slice(0, 3) }, { today: TODAY }))
      .rejects.toMatchObject({ messageKey: 'rootseeking.upload.missing.passport', params: { name: 'Lily Carter' } })
  })

  test('bad input: dates in the past, an expiring passport, a wrong time zone, refused next to the field', () => {
    const result = requestSchema(TODAY).safeParse({
      applicantName: 'A', nationality: 'B', residenceCountry: 'C', email: 'not-an-email', language: 'en', timeZone: 'Mars/Olympus',
      adopteeNameThen: 'x', adopteeNameNow: 'y', adopteeBirthDate: '2030-01-01', registrationNumber: '1', registrationDate: '2020-01-01', institution: 'z',
      wishedFrom: '2026-11-01', wishedTo: '2026-10-01', wishedPlaces: 'p',
      visitors: [{ name: 'A', relation: 'r', nationality: 'n', birthDate: '1980-01-01', passportNumber: '12!', passportExpiry: '2026-01-01' }],
    })
    expect(result.success).toBe(false)
    const issues = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]))
    expect(issues).toMatchObject({
      email: 'validation.email', timeZone: 'rootseeking.timeZone.invalid', adopteeBirthDate: 'rootseeking.date.notPast',
      wishedFrom: 'rootseeking.date.inPast', wishedTo: 'rootseeking.date.order', 'visitors.0.passportNumber': 'rootseeking.passport.format',
    })
  })
})

describe('an e-mail that bounces', () => {
  test('the mail server refusing the family\'s address shows on the list and the request, so staff reach them another way', async () => {
    const { id } = await submitRequest(t.db, cipher, null, '500111', await submission({ email: 'gone@example.test' }), { today: TODAY })
    const flagged = async () => (await listRequests(t.db, registrar, TODAY)).find((r) => r.id === id)!.emailBouncedAt
    expect(await flagged()).toBeNull()
    await t.db.insertInto('mail_bounces').values({ message_id: `<bounce-${id}@test>`, registry_code: '500111', address: 'Gone@Example.test', response: '550 5.1.1 No such user' }).execute()
    expect(await flagged()).toBeInstanceOf(Date)
    const loaded = await loadRequest(t.db, cipher, registrar, id, TODAY)
    expect(loaded.request.email_bounced_at).toBeInstanceOf(Date)
  })
})

describe('the public status', () => {
  test('shown only when the reference and the e-mail both match; the same nothing otherwise', async () => {
    const { reference } = await submitRequest(t.db, cipher, null, '500111', await submission(), { today: TODAY })
    const shown = await publicStatus(t.db, reference.toLowerCase().replace(/(.{4})/g, '$1-'), ' EMILY.carter@example.test ')
    expect(shown).toMatchObject({ state: 'received', receivedOn: TODAY, replyDueOn: '2026-12-11' })
    expect(JSON.stringify(shown)).not.toContain('example.test')
    expect(await publicStatus(t.db, reference, 'someone@else.test')).toBeNull()
    expect(await publicStatus(t.db, 'AAAAAAAAAAAA', 'emily.carter@example.test')).toBeNull()
    expect(await publicStatus(t.db, '1 OR 1=1', 'emily.carter@example.test')).toBeNull()
  })

  test('the rate limit is counted in PostgreSQL, per address and window', async () => {
    const results = []
    for (let i = 0; i < SUBMIT_LIMIT.max + 1; i++) results.push(await hit(t.db, SUBMIT_LIMIT, '203.0.113.9'))
    expect(results.filter(Boolean)).toHaveLength(SUBMIT_LIMIT.max)
    expect(results.at(-1)).toBe(false)
    expect(await hit(t.db, SUBMIT_LIMIT, '203.0.113.10')).toBe(true)
  })

  test('the window slides: hits from just before the top of the hour still count after it, and room comes back hit by hit', async () => {
    const address = '203.0.113.20'
    // Three hits 59 minutes ago and two 10 minutes ago: at the limit, whatever the clock hour.
    for (const minutesAgo of [59, 59, 59, 10, 10]) {
      await t.db.insertInto('public_rate_limit_hits')
        .values({ bucket: SUBMIT_LIMIT.bucket, key: address, at: sql<Date>`now() - make_interval(mins => ${minutesAgo})` }).execute()
    }
    expect(await hit(t.db, SUBMIT_LIMIT, address)).toBe(false)
    // Two minutes on, the three oldest have left the hour: three places, not a whole new hour's five.
    await t.db.updateTable('public_rate_limit_hits').set({ at: sql<Date>`at - interval '2 minutes'` }).where('key', '=', address).execute()
    const results = []
    for (let i = 0; i < 4; i++) results.push(await hit(t.db, SUBMIT_LIMIT, address))
    expect(results).toEqual([true, true, true, false])
  })

  test('requests from one address at once cannot both take the last place', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => hit(t.db, SUBMIT_LIMIT, '203.0.113.30')))
    expect(results.filter(Boolean)).toHaveLength(SUBMIT_LIMIT.max)
    expect(await t.db.selectFrom('public_rate_limit_hits').select((eb) => eb.fn.countAll<string>().as('n')).where('key', '=', '203.0.113.30').executeTakeFirstOrThrow())
      .toEqual({ n: String(SUBMIT_LIMIT.max) })
  })
})

describe('verification, reply and the disclosure gate', () => {
  test('an unknown registration number or a mismatch is refused with a clear reason', async () => {
    const reg = await registeredWithBirthFamily()
    const unknown = await submitRequest(t.db, cipher, null, '500111', await submission({ registrationNumber: 'NO-SUCH-NUMBER' }), { today: TODAY })
    await expect(verifyRequest(t.db, registrar, unknown.id, await version(unknown.id), { visitorsMatch: true }))
      .rejects.toMatchObject({ messageKey: 'rootseeking.verify.notFound' })
    // An adoption from before the electronic registry: verified against the paper archive file.
    await verifyRequest(t.db, registrar, unknown.id, await version(unknown.id), { visitorsMatch: true, paperArchive: '大足民收档 1998-0042' })
    await acceptRequest(t.db, cipher, registrar, unknown.id, plan(await version(unknown.id), caseworker.id), TODAY)
    expect(await t.db.selectFrom('rootseeking_requests').select(['state', 'paper_archive_reference', 'application_id']).where('id', '=', unknown.id).executeTakeFirstOrThrow())
      .toEqual({ state: 'accepted', paper_archive_reference: '大足民收档 1998-0042', application_id: null })
    const wrong = await submitRequest(t.db, cipher, null, '500111', await submission({ registrationNumber: reg.registration_number!, registrationDate: '2026-01-05', adopteeBirthDate: reg.birth_date! }), { today: TODAY })
    await expect(verifyRequest(t.db, registrar, wrong.id, await version(wrong.id), { visitorsMatch: true }))
      .rejects.toMatchObject({ messageKey: 'rootseeking.verify.mismatch.registrationDate' })
    // Accepting before verifying is refused.
    await expect(acceptRequest(t.db, cipher, registrar, wrong.id, plan(await version(wrong.id), caseworker.id), TODAY))
      .rejects.toMatchObject({ messageKey: 'rootseeking.accept.notVerified' })
  })

  test('no birth-family detail on the page or in the e-mail until a supervisor decides, with its basis', async () => {
    const reg = await registeredWithBirthFamily()
    const { id } = await submitRequest(t.db, cipher, null, '500111', await submission({ registrationNumber: reg.registration_number!, registrationDate: reg.registered_on!, adopteeBirthDate: reg.birth_date!, institution: '—' }), { today: TODAY })
    await verifyRequest(t.db, registrar, id, await version(id), { visitorsMatch: true, note: 'passports checked' })
    const before = await loadRequest(t.db, cipher, registrar, id, TODAY)
    expect(before.request.application_id).toBe(reg.id)
    expect(before.birthFamily).toBeNull()
    expect(JSON.stringify(before)).not.toContain(BIRTH_MOTHER)
    expect(JSON.stringify(before)).not.toContain(BIRTH_ADDRESS)
    // A plan that would tell the family the birth mother's name or village is refused.
    await expect(acceptRequest(t.db, cipher, registrar, id, plan(await version(id), caseworker.id, { mayShow: `生母${BIRTH_MOTHER}的情况` }), TODAY))
      .rejects.toMatchObject({ messageKey: 'rootseeking.disclosure.required' })
    await expect(acceptRequest(t.db, cipher, registrar, id, plan(await version(id), caseworker.id, { places: BIRTH_ADDRESS }), TODAY))
      .rejects.toMatchObject({ messageKey: 'rootseeking.disclosure.required' })
    // Only a supervisor decides.
    await expect(decideDisclosure(t.db, caseworker, id, { disclose: true, basis: 'x' })).rejects.toMatchObject({ status: 403 })
    await expect(decideDisclosure(t.db, registrar, id, { disclose: true, basis: 'x' })).rejects.toMatchObject({ status: 403 })
    await decideDisclosure(t.db, supervisor, id, { disclose: true, basis: '原档案无保密要求；生母书面同意与被收养人见面（2026-11-20）。' })
    const after = await loadRequest(t.db, cipher, supervisor, id, TODAY)
    expect(after.disclosure.current).toMatchObject({ disclose: true, basis: expect.stringContaining('生母书面同意') })
    expect(after.birthFamily?.map((p) => p.name)).toEqual([BIRTH_MOTHER])
    // Now the plan may say it.
    await acceptRequest(t.db, cipher, registrar, id, plan(await version(id), caseworker.id, { mayShow: `Meeting ${BIRTH_MOTHER} at the institution` }), TODAY)
    // The decision is append-only: the app's role may not even ask, and the owner is refused by the trigger.
    await expect(t.db.updateTable('rootseeking_disclosures').set({ disclose: false }).where('request_id', '=', id).execute()).rejects.toThrow(/permission denied/)
    await expect(t.owner.updateTable('rootseeking_disclosures').set({ disclose: false }).where('request_id', '=', id).execute()).rejects.toThrow(/append-only/)
  })

  test('a secrecy request by the placing party on the original file forbids disclosure', async () => {
    const reg = await registeredWithBirthFamily('placing_party')
    const { id } = await submitRequest(t.db, cipher, null, '500111', await submission({ registrationNumber: reg.registration_number!, registrationDate: reg.registered_on!, adopteeBirthDate: reg.birth_date!, institution: '—' }), { today: TODAY })
    await verifyRequest(t.db, registrar, id, await version(id), { visitorsMatch: true })
    await expect(decideDisclosure(t.db, supervisor, id, { disclose: true, basis: 'family asks' })).rejects.toMatchObject({ messageKey: 'rootseeking.disclosure.secrecy' })
    await decideDisclosure(t.db, supervisor, id, { disclose: false, basis: '送养方要求保守收养秘密（民法典第1110条）。' })
    const loaded = await loadRequest(t.db, cipher, supervisor, id, TODAY)
    expect(loaded.disclosure.current?.disclose).toBe(false)
    expect(loaded.birthFamily).toBeNull()
    expect(JSON.stringify(loaded)).not.toContain(BIRTH_MOTHER)
  })

  // Audit gap 3: imported registrations record secrecy but seldom who asked for it.
  test('secrecy asked by someone unknown (an imported record) forbids disclosure unless the decision records the paper file checked', async () => {
    const reg = await registeredWithBirthFamily()
    // As the historical import writes it: secrecy, requester unknown.
    const blob = await postgresBlobStore(cipher).put(t.db, new TextEncoder().encode('登记号\n'))
    const batch = await t.db.insertInto('import_batches').values({ registry_code: '500111', blob_id: blob, filename: 'ledger.csv', sha256: '0'.repeat(64), size: 7, format: 'csv', headers: ['登记号'], layout: 'test', created_by: registrar.id } as never)
      .returning('id').executeTakeFirstOrThrow()
    await t.db.updateTable('applications').set({ source: 'import', import_batch_id: batch.id, import_row: 1, imported_by: registrar.id, import_key: `test-${reg.id}`, import_kind: 'stepchild', secrecy: true, secrecy_requested_by: null } as never)
      .where('id', '=', reg.id).execute()
    const { id } = await submitRequest(t.db, cipher, null, '500111', await submission({ registrationNumber: reg.registration_number!, registrationDate: reg.registered_on!, adopteeBirthDate: reg.birth_date!, institution: '—' }), { today: TODAY })
    await verifyRequest(t.db, registrar, id, await version(id), { visitorsMatch: true })
    await expect(decideDisclosure(t.db, supervisor, id, { disclose: true, basis: '家庭请求' })).rejects.toMatchObject({ messageKey: 'rootseeking.disclosure.secrecyUnknown' })
    // Ticking the check without the paper file's reference is not a record of it.
    await expect(decideDisclosure(t.db, supervisor, id, { disclose: true, basis: '家庭请求', paperFileChecked: true, paperFileReference: '  ' }))
      .rejects.toMatchObject({ messageKey: 'rootseeking.disclosure.paperFileReferenceRequired' })
    expect((await loadRequest(t.db, cipher, supervisor, id, TODAY)).birthFamily).toBeNull()
    // The page's form puts the refusal next to the checkbox, values kept.
    const form = new FormData()
    form.set('intent', 'disclosure'); form.set('disclose', 'yes'); form.set('basis', '家庭请求')
    const context = { db: t.db, cipher } as unknown as Parameters<typeof rootseekingAction>[0]
    const user = { id: supervisor.id, username: supervisor.username, registryCode: '500111', roles: ['supervisor'] } as unknown as Parameters<typeof rootseekingAction>[1]
    const refused = await rootseekingAction(context, user, id, form, TODAY)
    expect(refused).toMatchObject({ ok: false, reply: { error: { paperFileChecked: ['rootseeking.disclosure.secrecyUnknown'] }, initialValue: { basis: '家庭请求' } } })
    // With the paper file checked and its reference recorded with the decision: disclosed.
    await decideDisclosure(t.db, supervisor, id, { disclose: true, basis: '纸质档案载明仅收养人要求保密；生母同意见面。', paperFileChecked: true, paperFileReference: '大足民收档 2003-0117' })
    const after = await loadRequest(t.db, cipher, supervisor, id, TODAY)
    expect(after.disclosure.current).toMatchObject({ disclose: true, paperFileReference: '大足民收档 2003-0117' })
    expect(after.birthFamily?.map((p) => p.name)).toEqual([BIRTH_MOTHER])
    expect(await t.db.selectFrom('rootseeking_disclosures').select(['paper_file_checked', 'paper_file_reference']).where('request_id', '=', id).execute())
      .toEqual([{ paper_file_checked: true, paper_file_reference: '大足民收档 2003-0117' }])
    // The database keeps the check and its reference together.
    await expect(t.db.insertInto('rootseeking_disclosures').values({ request_id: id, disclose: true, basis: 'x', decided_by: supervisor.id, paper_file_checked: true, paper_file_reference: null }).execute())
      .rejects.toThrow(/rootseeking_disclosures_paper_check/)
  })

  test('a placing party\'s secrecy request is not overridden by a paper-file check', async () => {
    const reg = await registeredWithBirthFamily('placing_party')
    const { id } = await submitRequest(t.db, cipher, null, '500111', await submission({ registrationNumber: reg.registration_number!, registrationDate: reg.registered_on!, adopteeBirthDate: reg.birth_date!, institution: '—' }), { today: TODAY })
    await verifyRequest(t.db, registrar, id, await version(id), { visitorsMatch: true })
    await expect(decideDisclosure(t.db, supervisor, id, { disclose: true, basis: '家庭请求', paperFileChecked: true, paperFileReference: '大足民收档 2003-0118' }))
      .rejects.toMatchObject({ messageKey: 'rootseeking.disclosure.secrecy' })
    // Secrecy asked by the adopters alone does not bar disclosure of the birth family.
    const byAdopter = await registeredWithBirthFamily('adopter')
    const other = await submitRequest(t.db, cipher, null, '500111', await submission({ registrationNumber: byAdopter.registration_number!, registrationDate: byAdopter.registered_on!, adopteeBirthDate: byAdopter.birth_date!, institution: '—' }), { today: TODAY })
    await verifyRequest(t.db, registrar, other.id, await version(other.id), { visitorsMatch: true })
    await decideDisclosure(t.db, supervisor, other.id, { disclose: true, basis: '收养人要求保密，送养方未要求；生母同意见面。' })
  })

  test('accepted: the plan mailed in English over SMTP with both times; the caseworker records the reception; closed; counted', async () => {
    const reg = await registeredWithBirthFamily()
    const { id, reference } = await submitRequest(t.db, cipher, null, '500111', await submission({ registrationNumber: reg.registration_number!, registrationDate: reg.registered_on!, adopteeBirthDate: reg.birth_date!, institution: '—' }), { today: TODAY })
    await verifyRequest(t.db, registrar, id, await version(id), { visitorsMatch: true })
    await expect(acceptRequest(t.db, cipher, registrar, id, plan(await version(id), supervisor.id), TODAY)).rejects.toMatchObject({ messageKey: 'rootseeking.plan.caseworkerUnknown' })
    await expect(acceptRequest(t.db, cipher, registrar, id, plan(await version(id), caseworker.id, { visitOn: TODAY }), TODAY)).rejects.toMatchObject({ messageKey: 'rootseeking.date.inPast' })
    received.length = 0
    await acceptRequest(t.db, cipher, registrar, id, plan(await version(id), caseworker.id), TODAY)
    await runJobs()
    const mail = received.find((m) => m.subject?.includes(formatReference(reference)) && m.subject.includes('accepted'))!
    expect(mail.subject).toBe(`Your root-seeking visit is accepted (reference ${formatReference(reference)})`)
    // 09:30 in China on 10 December is 20:30 the evening before in New York (EST).
    expect(mail.text).toMatch(/Wednesday, 9 December 2026.*20:30.*America\/New_York/)
    expect(mail.text).toMatch(/Thursday, 10 December 2026.*09:30.*Asia\/Shanghai/)
    expect(mail.text).toContain('Only the following verified people')
    expect(mail.text).toContain('Lily Carter')
    expect(mail.text).toContain('free of charge')
    expect(mail.text).not.toContain(BIRTH_MOTHER)

    const loaded = await loadRequest(t.db, cipher, caseworker, id, TODAY)
    expect(loaded.reception).toMatchObject({ caseworker_id: caseworker.id, state: 'planned', no_fee: true })
    const visitors = loaded.visitors.map((v) => v.id)
    expect(loaded.visitors[0].passportNumber).toBe('*****5678')
    const reception = loaded.reception!
    // Someone not named may not take part.
    await expect(recordReception(t.db, caseworker, id, { version: reception.version, visitedOn: '2026-11-27', attendees: [visitors[0], '999999'], placesVisited: 'x', shown: 'y' }, TODAY))
      .rejects.toMatchObject({ messageKey: 'rootseeking.record.notNamed' })
    await expect(recordReception(t.db, caseworker, id, { version: reception.version, visitedOn: '2026-12-01', attendees: visitors, placesVisited: 'x', shown: 'y' }, TODAY))
      .rejects.toMatchObject({ messageKey: 'rootseeking.date.future' })
    await recordReception(t.db, caseworker, id, { version: reception.version, visitedOn: '2026-11-27', attendees: visitors, placesVisited: '福利院、发现地', shown: '福利院的房间和在院记录', followUp: 'Letters to the institution' }, TODAY)
    const record = await receptionRecordData(t.db, caseworker, id)
    expect(record).toMatchObject({ attendees: ['Emily Carter', 'Lily Carter'], visitedOn: '2026-11-27', noFee: true })
    await closeRequest(t.db, caseworker, id, await version(id))
    const stats = await visitStatistics(t.db, '500111')
    expect(stats).toContainEqual({ year: 2026, country: 'United States', visits: 1, visitors: 2 })
  })

  test('declined: the reasons mailed in Chinese', async () => {
    const { id } = await submitRequest(t.db, cipher, null, '500111', await submission({ language: 'zh', timeZone: 'Europe/Paris', email: 'famille@example.test' }), { today: TODAY })
    received.length = 0
    await declineRequest(t.db, cipher, registrar, id, { version: await version(id), reasons: '收养登记证字号与档案不符，请核对后重新申请。' }, TODAY)
    await runJobs()
    const mail = received.find((m) => m.subject?.includes('关于您的寻根回访申请'))!
    expect(mail.text).toContain('收养登记证字号与档案不符')
    expect(mail.text).toContain('您可以在补正后重新提交申请。')
  })
})

describe('e-mails rendered in English and Chinese with both time zones', () => {
  const base = { reference: 'ABCDEFGHJKLM', applicantName: 'Emily Carter', registryName: '重庆市大足区民政局', statusUrl: 'https://registry.example/visit-request/status' }
  const p = { visitOn: '2026-12-10', startsAt: '09:30', endsAt: '12:00', places: '福利院', receivingStaff: '刘社工', interpreter: '陈译', institutionContact: '023-1', mayShow: 'rooms' }

  test('English, family in New York', () => {
    const m = acceptedMail({ ...base, locale: 'en', timeZone: 'America/New_York', plan: p, visitors: ['Emily Carter'] })
    expect(m.subject).toBe('Your root-seeking visit is accepted (reference ABCD-EFGH-JKLM)')
    expect(m.text).toContain('Starts: Wednesday, 9 December 2026 at 20:30 GMT-5 (America/New_York)')
    expect(m.text).toContain('Thursday, 10 December 2026 at 09:30 GMT+8 (Asia/Shanghai)')
    expect(m.text).toContain('Ends: Wednesday, 9 December 2026 at 23:00')
    expect(m.text).toContain('Thursday, 10 December 2026 at 12:00 GMT+8 (Asia/Shanghai)')
  })

  test('Chinese, family in Paris', () => {
    const m = acceptedMail({ ...base, locale: 'zh', timeZone: 'Europe/Paris', plan: p, visitors: ['Emily Carter'] })
    expect(m.subject).toBe('寻根回访申请已同意（编号 ABCD-EFGH-JKLM）')
    expect(m.text).toContain('开始: 2026年12月10日星期四 GMT+1 02:30 (Europe/Paris)')
    expect(m.text).toContain('2026年12月10日星期四 GMT+8 09:30 (Asia/Shanghai)')
    expect(m.text).toContain('接待不收取任何费用')
  })

  test('the confirmation and the refusal, in both languages', () => {
    for (const locale of ['en', 'zh'] as const) {
      const r = receivedMail({ ...base, locale, timeZone: 'Australia/Sydney', receivedAt: new Date('2026-11-28T02:00:00Z'), replyDueOn: '2026-12-11' })
      expect(r.text).toContain('ABCD-EFGH-JKLM')
      expect(r.text).toContain('(Australia/Sydney)')
      expect(r.text).toContain('(Asia/Shanghai)')
      expect(r.text).toContain('13:00') // 02:00 UTC is 13:00 in Sydney (AEDT)
      expect(r.text).toContain('10:00') // and 10:00 in China
      const d = declinedMail({ ...base, locale, timeZone: 'Australia/Sydney', reasons: 'R' })
      expect(d.text).toContain('R')
    }
  })
})

describe('late replies and hand-over', () => {
  test('the daily sweep escalates each late request to the supervisors once a day', async () => {
    const { id } = await submitRequest(t.db, cipher, null, '500111', await submission(), { today: '2026-11-02' })
    const due = (await t.db.selectFrom('rootseeking_requests').select('reply_due_on').where('id', '=', id).executeTakeFirstOrThrow()).reply_due_on
    expect(due).toBe('2026-11-16')
    const first = await sweepLateReplies(t.db, '2026-11-17')
    expect(first.escalated).toBeGreaterThanOrEqual(1)
    const again = await sweepLateReplies(t.db, '2026-11-17')
    expect(again.escalated).toBe(0)
    expect(await t.db.selectFrom('rootseeking_escalations').select('day').where('request_id', '=', id).execute()).toEqual([{ day: '2026-11-17' }])
    received.length = 0
    await runJobs()
    const late = received.filter((m) => m.subject === `寻根回访申请 ${id} 答复逾期`)
    expect(late).toHaveLength(1)
    expect(late[0].to).toMatchObject({ text: 'chief@bureau.test' })
    const next = await sweepLateReplies(t.db, '2026-11-18')
    expect(next.escalated).toBeGreaterThanOrEqual(1)
  })

  test('open receptions are counted and moved to a colleague', async () => {
    const reg = await registeredWithBirthFamily()
    const { id } = await submitRequest(t.db, cipher, null, '500111', await submission({ registrationNumber: reg.registration_number!, registrationDate: reg.registered_on!, adopteeBirthDate: reg.birth_date!, institution: '—' }), { today: TODAY })
    await verifyRequest(t.db, registrar, id, await version(id), { visitorsMatch: true })
    await acceptRequest(t.db, cipher, registrar, id, plan(await version(id), caseworker2.id), TODAY)
    expect(await countOpenRootSeekingWork(t.db, caseworker2.id)).toBe(1)
    const moved = await t.db.transaction().execute((trx) => moveOpenRootSeekingWork(trx, caseworker2.id, caseworker.id))
    expect(moved).toBe(1)
    expect(await countOpenRootSeekingWork(t.db, caseworker2.id)).toBe(0)
    expect((await t.db.selectFrom('rootseeking_receptions').select('caseworker_id').where('request_id', '=', id).executeTakeFirstOrThrow()).caseworker_id).toBe(caseworker.id)
  })
})

describe('a change of visitors', () => {
  test('adding or removing a visitor clears the verification; after the reply the visitors are fixed', async () => {
    const reg = await registeredWithBirthFamily()
    const { id } = await submitRequest(t.db, cipher, null, '500111', await submission({ registrationNumber: reg.registration_number!, registrationDate: reg.registered_on!, adopteeBirthDate: reg.birth_date!, institution: '—' }), { today: TODAY })
    await verifyRequest(t.db, registrar, id, await version(id), { visitorsMatch: true })
    const newcomer = { name: 'Daniel Carter', relation: 'father', nationality: 'United States', birthDate: '1979-01-01', passportNumber: 'C5556667', passportExpiry: '2031-01-01' }
    await addVisitor(t.db, cipher, registrar, id, await version(id), { ...newcomer, passportCopy: { filename: 'p3.pdf', bytes: await pdf() } })
    let row = await t.db.selectFrom('rootseeking_requests').select(['verified_at', 'application_id']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toEqual({ verified_at: null, application_id: null })
    await expect(acceptRequest(t.db, cipher, registrar, id, plan(await version(id), caseworker.id), TODAY)).rejects.toMatchObject({ messageKey: 'rootseeking.accept.notVerified' })
    await expect(addVisitor(t.db, cipher, registrar, id, await version(id), { ...newcomer, name: 'Twin' })).rejects.toMatchObject({ messageKey: 'rootseeking.passport.duplicate' })
    await verifyRequest(t.db, registrar, id, await version(id), { visitorsMatch: true })
    const daniel = (await t.db.selectFrom('rootseeking_visitors').select('id').where('request_id', '=', id).where('name', '=', 'Daniel Carter').executeTakeFirstOrThrow()).id
    await removeVisitor(t.db, registrar, id, await version(id), daniel)
    row = await t.db.selectFrom('rootseeking_requests').select(['verified_at', 'application_id']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.verified_at).toBeNull()
    await verifyRequest(t.db, registrar, id, await version(id), { visitorsMatch: true })
    await acceptRequest(t.db, cipher, registrar, id, plan(await version(id), caseworker.id), TODAY)
    await expect(addVisitor(t.db, cipher, registrar, id, await version(id), newcomer)).rejects.toMatchObject({ messageKey: 'rootseeking.visitors.fixed' })
  })
})
