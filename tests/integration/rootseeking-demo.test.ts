// The root-seeking demo requests, built through the real commands on the demo cases: one to
// verify, one late, one accepted for the demo caseworker, one visited and closed; a second run adds
// nothing.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { seedDemo } from '#app/staff/demo-seed.server.ts'
import { seedDemoApplications } from '#app/registration/demo/seed.server.ts'
import { seedDemoRootSeeking } from '#app/rootseeking/demo.server.ts'
import { visitStatistics } from '#app/rootseeking/reception.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
beforeAll(async () => {
  t = await testDatabase()
  await seedDemo(t.db, { registryCode: '500111', registryName: '重庆市大足区民政局', registryNameEn: 'Dazu District Civil Affairs Bureau', password: 'demo-password-2026' })
  await seedDemoApplications(t.db, cipher, { registryCode: '500111', today: TODAY })
})
afterAll(async () => { await t.destroy() })

test('four demo requests in four states, once', async () => {
  expect(await seedDemoRootSeeking(t.db, cipher, { registryCode: '500111', today: TODAY })).toEqual({ created: 4 })
  const rows = await t.db.selectFrom('rootseeking_requests').select(['state', 'reply_due_on', 'verified_at']).orderBy('id').execute()
  expect(rows.map((r) => r.state)).toEqual(['received', 'received', 'accepted', 'closed'])
  expect(rows[1].reply_due_on < TODAY).toBe(true)
  expect(await visitStatistics(t.db, '500111')).toHaveLength(1)
  expect(await seedDemoRootSeeking(t.db, cipher, { registryCode: '500111', today: TODAY })).toEqual({ created: 0 })
})
