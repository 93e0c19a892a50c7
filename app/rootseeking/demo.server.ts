// Demo root-seeking requests (demo mode only), through the real commands: one awaiting
// verification that matches a registered demo case, one with a late reply and an unknown number,
// one accepted with its plan for the demo caseworker, and last year's visit recorded and closed.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { demoAccount } from '#app/staff/demo-seed.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { addDays } from '#app/registration/deadlines.ts'
import { acceptRequest, submitRequest, verifyRequest, type Submission } from './requests.server.ts'
import { closeRequest, recordReception } from './reception.server.ts'

// The smallest file the content check accepts as a PDF scan (a demo has no real passports).
const DEMO_PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')


type Family = { name: string; nationality: string; country: string; email: string; language: 'en' | 'zh'; timeZone: string; adoptee: string; partner: string }
const families: Family[] = [
  { name: 'Sarah Miller', nationality: 'United States', country: 'United States', email: 'sarah.miller@example.com', language: 'en', timeZone: 'America/Chicago', adoptee: 'Grace Miller', partner: 'Tom Miller' },
  { name: 'Anna Lindqvist', nationality: 'Sweden', country: 'Sweden', email: 'anna.lindqvist@example.se', language: 'en', timeZone: 'Europe/Stockholm', adoptee: 'Mei Lindqvist', partner: 'Erik Lindqvist' },
  { name: 'Claire Dubois', nationality: 'France', country: 'France', email: 'claire.dubois@example.fr', language: 'en', timeZone: 'Europe/Paris', adoptee: 'Lina Dubois', partner: 'Marc Dubois' },
  { name: '陈美玲', nationality: 'Canada', country: 'Canada', email: 'meiling.chen@example.ca', language: 'zh', timeZone: 'America/Toronto', adoptee: 'Joy Chen', partner: 'David Chen' },
]

export async function seedDemoRootSeeking(db: Kysely<Database>, cipher: FieldCipher, options: { registryCode: string; today: string }) {
  const existing = await db.selectFrom('rootseeking_requests').select('id').where('registry_code', '=', options.registryCode).limit(1).execute()
  if (existing.length) return { created: 0 }
  const [registrar, caseworker] = await Promise.all([demoAccount(db, options.registryCode, 'registrar'), demoAccount(db, options.registryCode, 'caseworker')])
  if (!registrar || !caseworker) return { created: 0 }
  const cases = await db.selectFrom('applications as a').innerJoin('parties as c', (j) => j.onRef('c.application_id', '=', 'a.id').on('c.role', '=', 'child'))
    .select(['a.registration_number', 'a.registered_on', 'c.name', 'c.birth_date', 'c.institution_name'])
    .where('a.registry_code', '=', options.registryCode).where('a.state', '=', 'registered').where('a.registration_number', 'is not', null)
    .orderBy('a.id').limit(3).execute()
  const { today } = options
  const submission = (f: Family, registration: (typeof cases)[number] | undefined, wishedFrom: string): Submission => ({
    channel: 'online', applicantName: f.name, nationality: f.nationality, residenceCountry: f.country, email: f.email, language: f.language, timeZone: f.timeZone,
    adopteeNameThen: registration?.name ?? '福小梅', adopteeNameNow: f.adoptee, adopteeBirthDate: registration?.birth_date ?? '2012-03-08',
    registrationNumber: registration?.registration_number ?? '渝大足收字2013第0007号', registrationDate: registration?.registered_on ?? '2013-06-18',
    institution: registration?.institution_name ?? '大足区儿童福利院', wishedFrom, wishedTo: addDays(wishedFrom, 7),
    wishedPlaces: 'The welfare institution; the place where she was found', message: undefined,
    visitors: [
      { name: f.name, relation: 'mother', nationality: f.nationality, birthDate: '1978-04-12', passportNumber: `P${f.email.length}4821${f.name.length}7`, passportExpiry: '2031-05-01' },
      { name: f.adoptee, relation: 'adoptee', nationality: f.nationality, birthDate: registration?.birth_date ?? '2012-03-08', passportNumber: `Q${f.email.length}9930${f.name.length}2`, passportExpiry: '2030-09-30' },
    ],
    documents: [
      { kind: 'application_form', filename: 'application-form.pdf', bytes: DEMO_PDF },
      { kind: 'adoption_certificate', filename: 'adoption-certificate.pdf', bytes: DEMO_PDF },
      { kind: 'passport', visitorIndex: 0, filename: 'passport-1.pdf', bytes: DEMO_PDF },
      { kind: 'passport', visitorIndex: 1, filename: 'passport-2.pdf', bytes: DEMO_PDF },
    ],
  })
  const version = async (id: string) => (await db.selectFrom('rootseeking_requests').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version
  const plan = (id: string, v: number, visitOn: string) => ({
    version: v, caseworkerId: caseworker.id, visitOn, startsAt: '09:30', endsAt: '12:00', places: '大足区儿童福利院；龙岗街道发现地', receivingStaff: '王登记、刘社工',
    interpreter: '陈译（英语）', institutionContact: '福利院办公室 023-43720000', mayShow: '福利院的房间、在院期间的照片和成长记录（不含送养方信息）', noFee: true as const,
  })
  // The day a demo request was received, as the moment its confirmation mail says (10:00 in China).
  const receivedOn = (day: string) => ({ today: day, now: new Date(`${day}T02:00:00Z`) })
  let created = 0
  // 1. Received three days ago, matching a registered case: to verify and answer.
  if (cases[0]) {
    await submitRequest(db, cipher, null, options.registryCode, submission(families[0], cases[0], addDays(today, 60)), receivedOn(addDays(today, -3)))
    created++
  }
  // 2. Received a month ago, never answered: late (and its number is not in the registry).
  await submitRequest(db, cipher, registrar, options.registryCode, { ...submission(families[3], undefined, addDays(today, 40)), channel: 'mail' }, receivedOn(addDays(today, -30)))
  created++
  // 3. Accepted, the visit planned for the demo caseworker.
  if (cases[1]) {
    const { id } = await submitRequest(db, cipher, null, options.registryCode, submission(families[1], cases[1], addDays(today, 14)), receivedOn(addDays(today, -9)))
    await verifyRequest(db, registrar, id, await version(id), { visitorsMatch: true, note: '护照复印件与来访人员一致。' })
    await acceptRequest(db, cipher, registrar, id, plan(id, await version(id), addDays(today, 14)), addDays(today, -5))
    created++
  }
  // 4. Last year's visit: recorded and closed (the statistics count it).
  if (cases[2]) {
    const received = addDays(today, -400)
    const { id } = await submitRequest(db, cipher, null, options.registryCode, submission(families[2], cases[2], addDays(received, 30)), receivedOn(received))
    await verifyRequest(db, registrar, id, await version(id), { visitorsMatch: true })
    await acceptRequest(db, cipher, registrar, id, plan(id, await version(id), addDays(received, 30)), addDays(received, 5))
    const visitors = await db.selectFrom('rootseeking_visitors').select('id').where('request_id', '=', id).execute()
    const reception = await db.selectFrom('rootseeking_receptions').select('version').where('request_id', '=', id).executeTakeFirstOrThrow()
    await recordReception(db, caseworker, id, { version: reception.version, visitedOn: addDays(received, 30), attendees: visitors.map((v) => v.id), placesVisited: '大足区儿童福利院', shown: '福利院的房间和在院期间的照片', followUp: '希望寄送近照给福利院。' }, today)
    await closeRequest(db, caseworker, id, await version(id))
    created++
  }
  return { created }
}
