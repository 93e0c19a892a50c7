// The demo shows follow-up working: the caseworker has visits (overdue and due this week), a report
// awaits the supervisor's review, an intercountry adoption has its expected reports.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { seedDemo } from '#app/staff/demo-seed.server.ts'
import { seedDemoApplications } from '#app/registration/demo/seed.server.ts'
import { seedDemoFollowup } from '#app/followup/demo.server.ts'
import { myVisits } from '#app/followup/visits.server.ts'
import { reviewQueue } from '#app/followup/reports.server.ts'
import { listIntercountry } from '#app/followup/intercountry.server.ts'

const REGISTRY = '500111'
const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
beforeAll(async () => {
  t = await testDatabase()
  await seedDemo(t.db, { registryCode: REGISTRY, registryName: '重庆市大足区民政局', registryNameEn: 'Dazu', password: 'demo-password-2026' })
  await seedDemoApplications(t.db, cipher, { registryCode: REGISTRY, today: TODAY })
  expect((await seedDemoFollowup(t.db, cipher, { registryCode: REGISTRY, today: TODAY })).assigned).toBeGreaterThan(0)
}, 120_000)
afterAll(async () => { await t.destroy() })

const who = async (username: string) => {
  const u = await t.db.selectFrom('users').select(['id', 'username']).where('username', '=', username).executeTakeFirstOrThrow()
  return { id: u.id, username: u.username, registryCode: REGISTRY, roles: [username as 'caseworker' | 'supervisor'] }
}

test('the caseworker has overdue visits and visits due this week; a report awaits review; an intercountry adoption', async () => {
  const visits = await myVisits(t.db, cipher, await who('caseworker'), TODAY)
  expect(visits.counts.thisWeek).toBeGreaterThan(0)
  expect(visits.counts.overdue + visits.counts.thisWeek + visits.counts.upcoming).toBeGreaterThan(2)
  expect(await reviewQueue(t.db, await who('supervisor'))).toHaveLength(1)
  const [ic] = await listIntercountry(t.db, await who('caseworker'), TODAY)
  expect(ic.reports.map((r) => r.status).slice(0, 2)).toEqual(['accepted', 'returned'])
  // Seeding again adds nothing.
  expect((await seedDemoFollowup(t.db, cipher, { registryCode: REGISTRY, today: TODAY })).assigned).toBe(0)
})
