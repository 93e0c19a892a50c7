// Demo applications against real PostgreSQL: built through the real commands on top of the demo
// accounts, they cover every state, registered cases are numbered with a valid certificate, and a
// second run adds nothing.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { seedDemo } from '#app/staff/demo-seed.server.ts'
import { loadApplication, type Viewer } from '#app/registration/applications.server.ts'
import { registrationBlockers } from '#app/registration/decisions.server.ts'
import { states } from '#app/registration/workflow.ts'
import { addDays } from '#app/registration/deadlines.ts'
import { parseCitizenId } from '#app/platform/citizen-id.ts'
import { seedDemoApplications } from '#app/registration/demo/seed.server.ts'

const REGISTRY = '500111'
const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let created = 0
beforeAll(async () => {
  t = await testDatabase()
  await seedDemo(t.db, { registryCode: REGISTRY, registryName: '重庆市大足区民政局', registryNameEn: 'Dazu District Civil Affairs Bureau', password: 'demo-password-2026' })
  const started = performance.now()
  ;({ created } = await seedDemoApplications(t.db, cipher, { registryCode: REGISTRY, today: TODAY }))
  console.log(`seedDemoApplications: ${created} applications in ${Math.round(performance.now() - started)} ms`)
})
afterAll(async () => { await t.destroy() })

const applications = () => t.db.selectFrom('applications').selectAll().where('registry_code', '=', REGISTRY).orderBy('id').execute()

async function supervisor(): Promise<Viewer> {
  const user = await t.db.selectFrom('users').select(['id', 'username']).where('username', '=', 'supervisor').executeTakeFirstOrThrow()
  return { id: user.id, username: user.username, registryCode: REGISTRY, roles: ['supervisor'] }
}

test('a few dozen applications, every state at least once', async () => {
  const rows = await applications()
  expect(created).toBe(rows.length)
  expect(rows.length).toBeGreaterThanOrEqual(30)
  const seen = new Set(rows.map((r) => r.state))
  for (const state of states) expect(seen, state).toContain(state)
})

test('the registry prints the Dazu prefix, reconsideration body and court', async () => {
  const registry = await t.db.selectFrom('registries').selectAll().where('code', '=', REGISTRY).executeTakeFirstOrThrow()
  expect(registry).toMatchObject({ number_prefix: '渝大足', reconsideration_body: '重庆市大足区人民政府', court: '重庆市大足区人民法院' })
})

test('every registered case has a number and a valid certificate with a serial, and passed every blocker', async () => {
  const viewer = await supervisor()
  const registered = (await applications()).filter((r) => r.state === 'registered')
  expect(registered.length).toBeGreaterThanOrEqual(8)
  for (const app of registered) {
    expect(app.registration_number).toMatch(/^（20\d\d）渝大足收字第\d{4}号$/)
    const valid = await t.db.selectFrom('certificates').selectAll().where('application_id', '=', app.id).where('status', '=', 'valid').execute()
    expect(valid).toHaveLength(1)
    expect(valid[0]).toMatchObject({ kind: 'adoption', number: app.registration_number })
    expect(valid[0].serial).toMatch(/^A\d{2}-\d{6}$/)
    const loaded = await loadApplication(t.db, cipher, viewer, app.id)
    expect(registrationBlockers(loaded, app.registered_on!)).toEqual([])
  }
  // Registrations spread over two years' sequences.
  expect(new Set(registered.map((r) => r.registration_year)).size).toBeGreaterThanOrEqual(2)
})

test('dates are never after today and ID numbers agree with birth dates and sexes', async () => {
  for (const app of await applications()) {
    for (const day of [app.received_on, app.registered_on, app.refused_on, app.de_facto_since, app.assessment_report_on]) {
      if (day) expect(day <= TODAY).toBe(true)
    }
  }
  const viewer = await supervisor()
  for (const app of await applications()) {
    const loaded = await loadApplication(t.db, cipher, viewer, app.id)
    for (const party of loaded.parties.filter((p) => p.idNumber)) {
      expect(parseCitizenId(party.idNumber!, { today: TODAY })).toEqual({ ok: true, birthDate: party.birthDate, sex: party.sex })
    }
  }
})

test('the special cases are there', async () => {
  const rows = await applications()
  expect(rows.some((r) => r.secrecy && r.secrecy_requested_by === 'adopter')).toBe(true)
  expect(rows.some((r) => r.relation === 'stepchild' && r.state === 'registered')).toBe(true)
  expect(rows.some((r) => r.relation === 'relative' && r.state === 'registered')).toBe(true)
  expect(rows.some((r) => r.de_facto_since !== null)).toBe(true)
  expect(rows.filter((r) => r.state === 'refused').every((r) => r.decision_facts && r.decision_basis)).toBe(true)
  // The ledger's "late" and "due soon" filters both have something to show.
  const open = rows.filter((r) => r.review_due_on)
  expect(open.some((r) => r.review_due_on! < TODAY)).toBe(true)
  expect(open.some((r) => r.review_due_on! >= TODAY && r.review_due_on! <= addDays(TODAY, 7))).toBe(true)
})

test('a second run creates nothing', async () => {
  const before = (await applications()).length
  expect(await seedDemoApplications(t.db, cipher, { registryCode: REGISTRY, today: TODAY })).toEqual({ created: 0 })
  expect((await applications()).length).toBe(before)
})
