// bench/followup: the daily follow-up sweep and the caseworker's visit list at scale (issue 6).
//   npm run bench -- followup [--registrations 1000000] [--runs 5] [--day 2026-11-28]
// Runs on its own embedded PostgreSQL in a temporary directory. Data, made with set-based SQL
// (generate_series): N registered adoptions spread over the 18 years before the day, each child
// 0–10 years old at registration, one child and one adopter party each, and the visit plan of the
// default policy (1, 3, 6 months, then yearly until the child is 18; windows of ±14 days). Visits
// whose window closed more than 60 days ago are done but for 1 in 50 (the overdue backlog); one
// caseworker per 500 registrations, 1 registration in 100 unassigned; a few supervisors.
//
// Figures:
//  - sweep: the median time of one daily sweep (app/followup/sweep.server.ts: notices, deliveries
//    and one digest job per recipient, in one transaction), notices and jobs reset between runs,
//    against the floor: the one SELECT returning the same task ids (sweepCandidatesSql). Goal: at
//    most 2 × the floor. Also the steady state: the same sweep once the day's notices exist.
//  - memory: the process's RSS and heap before and after the sweeps (the sweep streams nothing
//    through Node: flat).
//  - visit list: server time of myVisits (the caseworker's "My visits" loader,
//    app/followup/visits.server.ts) for a caseworker with 2,000 open tasks. Goal: < 50 ms.
import { mkdtempSync, chmodSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { startEmbeddedPostgres } from '#db/embedded.ts'
import { createDb, createPool, type DB } from '#db/connection.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { sweep, sweepCandidatesSql, sweepStatement } from '#app/followup/sweep.server.ts'
import { myVisits } from '#app/followup/visits.server.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { deriveAuditChainKey, useAuditChainKey } from '#app/platform/audit-chain.server.ts'
import { median, report } from './report.ts'

const { values } = parseArgs({ options: {
  registrations: { type: 'string', default: '1000000' },
  runs: { type: 'string', default: '5' },
  day: { type: 'string', default: '2026-11-28' },
  explain: { type: 'boolean', default: false },
} })
const N = Number(values.registrations)
const RUNS = Math.max(1, Number(values.runs))
const DAY = values.day!
const R = '500111'
const LIST_TASKS = 2000
const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
useAuditChainKey(deriveAuditChainKey(parseMasterKey(generateMasterKey()))) // audit rows are chained (decision 029)

/**
 * The caseworker's visit list: what the "My visits" loader does (app/followup/visits.server.ts),
 * counts of every section and the cards it shows, with the family's details decrypted and audited.
 */
async function visitListForBench(db: DB, caseworkerId: string) {
  const viewer = { id: caseworkerId, username: 'bench', registryCode: R, roles: ['caseworker'] as const }
  const page = await myVisits(db, cipher, viewer, DAY)
  return { rows: [...page.overdue, ...page.thisWeek, ...page.upcoming], counts: page.counts }
}

// The open tasks by the partial index (caseworker_id, due_on), each with its registration and its
// parties looked up by key (a LATERAL fenced with OFFSET 0: per task, never a hash join over every
// application).
const visitListSql = (caseworkerId: string) => sql<{ id: string; registration_number: string; parties: unknown }>`
  select t.id, t.kind, t.sequence, t.due_on, t.window_from, t.window_to, t.version, a.registration_number, a.registered_on, a.parties
  from followup_tasks t
  cross join lateral (
    select a.registration_number, a.registered_on,
           (select json_agg(json_build_object('role', p.role, 'name', p.name) order by p.role, p.position)
            from parties p where p.application_id = a.id and p.role in ('child', 'adopter')) as parties
    from applications a where a.id = t.application_id offset 0
  ) a
  where t.caseworker_id = ${caseworkerId} and t.status = 'open'
  order by t.due_on, t.id`

const mb = (n: number) => n / 1024 / 1024
const ms = async (work: () => Promise<unknown>) => { const t0 = performance.now(); await work(); return performance.now() - t0 }

const dir = mkdtempSync(join(tmpdir(), 'adoption-bench-followup-'))
chmodSync(dir, 0o755)
const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'bench', log: () => {} })
const pool = createPool(pg.url, 4)
const db = createDb(pool)
try {
  await migrateToLatest(db, pool)
  const started = performance.now()
  console.log(`preparing ${N.toLocaleString('en')} registrations and their visit plans…`)
  await db.insertInto('registries').values({ code: R, name: '重庆市大足区民政局' }).execute()
  const caseworkers = Math.max(2, Math.ceil(N / 500))
  await sql`
    insert into users (registry_code, username, display_name, email, password_hash)
    select ${R}, 'cw' || i, '个案工作人员' || i, 'cw' || i || '@bench.invalid', 'x' from generate_series(1, ${caseworkers}) i`.execute(db)
  await sql`insert into user_roles (user_id, role) select id, 'caseworker' from users where username like 'cw%'`.execute(db)
  await sql`
    insert into users (registry_code, username, display_name, email, password_hash)
    select ${R}, name, name, name || '@bench.invalid', 'x' from (values ('registrar'), ('sup1'), ('sup2'), ('sup3'), ('listed')) v(name)`.execute(db)
  await sql`insert into user_roles (user_id, role) select id, 'supervisor' from users where username like 'sup%'`.execute(db)
  await sql`insert into user_roles (user_id, role) select id, 'caseworker' from users where username = 'listed'`.execute(db)
  const registrar = (await db.selectFrom('users').select('id').where('username', '=', 'registrar').executeTakeFirstOrThrow()).id
  const listed = (await db.selectFrom('users').select('id').where('username', '=', 'listed').executeTakeFirstOrThrow()).id
  const firstCw = Number((await db.selectFrom('users').select((eb) => eb.fn.min<string>('id').as('id')).where('username', 'like', 'cw%').executeTakeFirstOrThrow()).id)

  // Bulk load: the rows are made consistent by construction; row triggers (foreign-key checks) are
  // skipped for the load only (superuser, this database alone) and the tables analysed after.
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx)
    await sql`set local synchronous_commit = off`.execute(trx)
    await sql`
      insert into applications (id, registry_code, relation, placing_kind, registrar_id, created_by, state, received_on, approved_by,
                                registration_number, registration_year, registration_seq, registered_on, resides_abroad)
      overriding system value
      select i, ${R}, 'none', 'welfare_institution', ${registrar}, ${registrar}, 'registered', r - 30, ${registrar},
             '（' || extract(year from r) || '）渝足收字第' || lpad(i::text, 7, '0') || '号', extract(year from r), i, r,
             true -- a town or abroad (check applications_residence_recorded, migration 0021); the bench has no town list
      from (select i, (${DAY}::date - 1 - ((i::bigint * 7919) % 6574)::int)::date as r from generate_series(1, ${N}) i) s`.execute(trx)
    await sql`
      insert into parties (application_id, role, position, name, sex, birth_date)
      select i, 'child', 1, '儿童' || i, case when i % 2 = 0 then 'female' else 'male' end,
             (a.registered_on - (365 * (i % 11)) - (i % 300))::date
      from generate_series(1, ${N}) i join applications a on a.id = i
      union all
      select i, 'adopter', 1, '收养人' || i, 'male', (a.registered_on - 365 * 35)::date
      from generate_series(1, ${N}) i join applications a on a.id = i`.execute(trx)
    // The default policy's plan: 1, 3, 6 months, then every 12 until the 18th birthday.
    await sql`
      insert into followup_tasks (registry_code, application_id, kind, sequence, due_on, window_from, window_to, caseworker_id, status, closed_at)
      select ${R}, a.id, 'visit', row_number() over (partition by a.id order by m), d, greatest(d - 14, a.registered_on + 1), least(d + 14, (c.birth_date + interval '18 years')::date - 1),
             case when a.id % 100 = 0 then null else ${firstCw}::bigint + (a.id % ${caseworkers}) end,
             case when d + 14 < ${DAY}::date - 60 and a.id % 50 <> 0 then 'done' else 'open' end,
             case when d + 14 < ${DAY}::date - 60 and a.id % 50 <> 0 then (d + 10)::timestamptz end
      from applications a
      join parties c on c.application_id = a.id and c.role = 'child'
      cross join lateral (select unnest(array[1, 3, 6]) as m union all select generate_series(12, 216, 12)) months
      cross join lateral (select (a.registered_on + make_interval(months => months.m))::date as d) due
      where d < (c.birth_date + interval '18 years')::date`.execute(trx)
  })
  // The listed caseworker: 2,000 open visits taken from others.
  await sql`
    update followup_tasks set caseworker_id = ${listed}
    where id in (select id from followup_tasks where status = 'open' and caseworker_id is not null order by id desc limit ${LIST_TASKS})`.execute(db)
  await sql`vacuum analyze`.execute(db)
  const counts = (await sql<{ tasks: string; open: string; candidates: string }>`
    select count(*) as tasks, count(*) filter (where status = 'open') as open,
           (select count(*) from (${sweepCandidatesSql(DAY)}) c) as candidates from followup_tasks`.execute(db)).rows[0]
  const prepareSeconds = (performance.now() - started) / 1000
  console.log(`prepared in ${prepareSeconds.toFixed(0)} s: ${Number(counts.tasks).toLocaleString('en')} tasks, ${Number(counts.open).toLocaleString('en')} open, ${Number(counts.candidates).toLocaleString('en')} in a state on ${DAY}; ${caseworkers} caseworkers`)

  // The day before was swept (and its digests mailed): the sweep of DAY announces what changed
  // on DAY — windows opening, visits falling due, overdue, escalated — as it does every morning.
  const before1 = new Date(Date.parse(`${DAY}T00:00:00Z`) - 86400000).toISOString().slice(0, 10)
  const baseline = await sweep(db, before1)
  await sql`update followup_deliveries set mailed_at = now()`.execute(db)
  await sql`delete from graphile_worker._private_jobs`.execute(db)
  await sql`vacuum analyze followup_notices, followup_deliveries`.execute(db)
  console.log(`${before1} swept as the day before: ${baseline.notices.toLocaleString('en')} notices`)
  const reset = async () => {
    await sql`delete from followup_deliveries where swept_on = ${DAY}::date`.execute(db)
    await sql`delete from followup_notices where swept_on = ${DAY}::date`.execute(db)
    await sql`delete from graphile_worker._private_jobs`.execute(db)
    await sql`vacuum followup_notices, followup_deliveries`.execute(db)
  }
  // The floor: the one SELECT of the task ids the day's sweep announces (in a state on DAY, that
  // state not announced before).
  const floorSql = sql`
    select c.id from (${sweepCandidatesSql(DAY)}) c
    where not exists (select 1 from followup_notices n where n.task_id = c.id and n.kind = c.kind)
       or (c.escalate and not exists (select 1 from followup_notices n where n.task_id = c.id and n.kind = 'escalated'))`
  await reset()
  const floorRuns: number[] = []
  let floorRows = 0
  for (let i = 0; i < RUNS + 1; i++) {
    const t = await ms(async () => { floorRows = (await floorSql.execute(db)).rows.length })
    if (i > 0) floorRuns.push(t) // the first run warms the cache
  }
  if (values.explain) {
    // The plan of one sweep, rolled back (--explain).
    await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${sweepStatement(DAY)}`.execute(trx)
      console.log(rows.map((r) => r['QUERY PLAN']).join('\n'))
      throw new Error('rollback')
    }).catch((e: Error) => { if (e.message !== 'rollback') throw e })
  }
  global.gc?.()
  const before = process.memoryUsage()
  const sweepRuns: number[] = []
  let result = { notices: 0, deliveries: 0, digests: 0 }
  for (let i = 0; i < RUNS; i++) {
    await reset()
    sweepRuns.push(await ms(async () => { result = await sweep(db, DAY) }))
  }
  const announced = Number((await sql<{ n: string }>`select count(distinct task_id) as n from followup_notices where swept_on = ${DAY}::date`.execute(db)).rows[0].n)
  if (announced !== floorRows) throw new Error(`the sweep announced ${announced} tasks, the floor selects ${floorRows}`)
  const steadyRuns: number[] = []
  for (let i = 0; i < RUNS; i++) steadyRuns.push(await ms(() => sweep(db, DAY)))
  global.gc?.()
  const after = process.memoryUsage()
  // For the record: the very first sweep, on an empty record, announces every task in a state at once.
  await sql`truncate followup_deliveries, followup_notices`.execute(db)
  await sql`delete from graphile_worker._private_jobs`.execute(db)
  await sql`analyze followup_notices, followup_deliveries`.execute(db)
  let first = { notices: 0, deliveries: 0, digests: 0 }
  const firstMs = await ms(async () => { first = await sweep(db, DAY) })
  const sweepMs = median(sweepRuns)
  const floorMs = median(floorRuns)
  const steadyMs = median(steadyRuns)
  console.log(`floor (one SELECT, ${floorRows.toLocaleString('en')} task ids): median ${floorMs.toFixed(1)} ms`)
  console.log(`sweep of ${DAY} (${result.notices.toLocaleString('en')} notices, ${result.deliveries.toLocaleString('en')} deliveries, ${result.digests} digest jobs): median ${sweepMs.toFixed(1)} ms = ${(sweepMs / floorMs).toFixed(2)} × floor (goal ≤ 2)`)
  console.log(`sweep again the same day (nothing new): median ${steadyMs.toFixed(1)} ms = ${(steadyMs / floorMs).toFixed(2)} × floor`)
  console.log(`first sweep ever, on an empty record (${first.notices.toLocaleString('en')} notices, ${first.deliveries.toLocaleString('en')} deliveries): ${firstMs.toFixed(0)} ms`)
  console.log(`memory: rss ${mb(before.rss).toFixed(1)} → ${mb(after.rss).toFixed(1)} MB, heap ${mb(before.heapUsed).toFixed(1)} → ${mb(after.heapUsed).toFixed(1)} MB`)

  // The visit list of the caseworker with 2,000 open tasks.
  const listRuns: number[] = []
  let listed2000 = 0
  for (let i = 0; i < 21; i++) {
    const t = await ms(async () => { const page = await visitListForBench(db, listed); listed2000 = Object.values(page.counts as Record<string, number>).reduce((a, b) => a + b, 0) })
    if (i > 0) listRuns.push(t)
  }
  const listMs = median(listRuns)
  if (values.explain) {
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${visitListSql(listed)}`.execute(db)
    console.log(rows.map((r) => r['QUERY PLAN']).join('\n'))
  }
  console.log(`visit list (${listed2000} open tasks: myVisits, the page's loader, counts and shown cards with the families' details): median ${listMs.toFixed(1)} ms (goal < 50)`)

  report('followup', {
    sweep: { value: sweepMs, unit: 'ms', goal: '<= 2 × floor' },
    sweep_floor: { value: floorMs, unit: 'ms' },
    sweep_ratio: { value: sweepMs / floorMs, unit: '×', goal: '<= 2' },
    sweep_steady: { value: steadyMs, unit: 'ms' },
    sweep_first_ever: { value: firstMs, unit: 'ms' },
    sweep_rss_delta: { value: mb(after.rss - before.rss), unit: 'MB', goal: 'flat' },
    sweep_heap_delta: { value: mb(after.heapUsed - before.heapUsed), unit: 'MB', goal: 'flat' },
    visit_list: { value: listMs, unit: 'ms', goal: '< 50' },
  }, {
    registrations: N, tasks: Number(counts.tasks), open_tasks: Number(counts.open), announced: floorRows,
    notices: result.notices, deliveries: result.deliveries, digests: result.digests, first_ever_notices: first.notices, candidates: Number(counts.candidates), caseworkers, list_tasks: listed2000,
    runs: RUNS, day: DAY, prepare_seconds: Math.round(prepareSeconds), list_function: 'myVisits',
  })
} finally {
  await db.destroy()
  await pg.stop()
  rmSync(dir, { recursive: true, force: true })
}
