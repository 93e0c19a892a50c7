// My visits for a caseworker with 2,000 open tasks: the sections read through the partial index
// followup_tasks_open_by_caseworker and stay fast (the goal: under 50 ms server time; the
// assertion here leaves room for a shared test machine, the measurement is printed).
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegisteredAdoption, makeViewer } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { myVisits } from '#app/followup/visits.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let caseworker: Viewer
beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  const registrar = await makeViewer(t.db, 'registrar')
  const supervisor = await makeViewer(t.db, 'supervisor')
  caseworker = await makeViewer(t.db, 'caseworker')
  const other = await makeViewer(t.db, 'caseworker')
  const apps: string[] = []
  for (let i = 0; i < 10; i++) apps.push(await makeRegisteredAdoption(t.db, cipher, registrar, supervisor))
  // 2,000 open tasks for this caseworker (200 per case, due over ten years) and 20,000 for others.
  await sql`
    insert into followup_tasks (registry_code, application_id, kind, sequence, due_on, window_from, window_to, caseworker_id)
    select '500111', a.id, 'visit', 100 + s, d, d - 14, d + 14, case when s <= 200 then ${caseworker.id}::bigint else ${other.id}::bigint end
    from unnest(${apps}::bigint[]) as a(id), generate_series(1, 2200) s, lateral (select date '2024-01-01' + (s * 3 + a.id::int % 3) as d) dd
  `.execute(t.db)
  await sql`analyze followup_tasks`.execute(t.owner) // only the owner may analyze
}, 120_000)
afterAll(async () => { await t.destroy() })

test('2,000 open tasks: the page data through the caseworker index', async () => {
  const today = '2026-11-28'
  const { count } = await t.db.selectFrom('followup_tasks').select((eb) => eb.fn.countAll<string>().as('count')).where('caseworker_id', '=', caseworker.id).where('status', '=', 'open').executeTakeFirstOrThrow()
  expect(Number(count)).toBeGreaterThanOrEqual(2000)
  await myVisits(t.db, cipher, caseworker, today) // warm
  const times: number[] = []
  for (let i = 0; i < 10; i++) {
    const started = performance.now()
    const v = await myVisits(t.db, cipher, caseworker, today)
    times.push(performance.now() - started)
    expect(v.overdue).toHaveLength(50)
  }
  times.sort((a, b) => a - b)
  console.log(`myVisits with ${count} open tasks: median ${times[5].toFixed(1)} ms, max ${times[9].toFixed(1)} ms`)
  // No time limit asserted here (a timed test flakes on a loaded machine): the plan below is what
  // keeps it fast; `npm run bench -- followup` measures the speed.
  const plan = await sql<{ 'QUERY PLAN': string }>`explain select id from followup_tasks t where t.caseworker_id = ${caseworker.id} and t.status = 'open' and t.registry_code = '500111' and t.due_on < ${today} and t.window_to < ${today} order by t.due_on, t.id limit 50`.execute(t.db)
  expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('followup_tasks_open_by_caseworker')
})
