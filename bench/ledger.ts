// bench/ledger: the registrar's ledger at scale (issue 8, speed).
//   npm run bench -- ledger [--registrations 1000000] [--runs 200] [--seconds 5] [--concurrency 8] [--export-rows 100000] [--explain] [--skip-build] [--profile DIR]
// It runs `npm run build` first (the HTTP part runs build/start.js; --skip-build to reuse build/). Runs on its own embedded PostgreSQL
// in a temporary directory. Data, made with set-based SQL (generate_series, as bench/followup):
// N registered adoptions spread over the 18 years before the day, each with one child and one or
// two adopters whose names are drawn from common Chinese surnames and given-name characters (so a
// two-character fragment hits a few rows in a million, as in a real register), and an archive file.
//
// Figures:
//  - page query: server time of listApplications (the ledger page's query, in-process) with a
//    filter and a name search (state=registered, q = a two-character fragment): median and p95 of
//    many runs. Goal: p95 < 50 ms. Also the filter alone.
//  - rps: requests per second of the real page over HTTP (build/start.js, logged in as a
//    registrar, keep-alive, C concurrent clients) against /healthz of the same process, same
//    machine, same concurrency. Goal: page ≥ 40 % of /healthz.
//  - export: a 100,000-row .xlsx export of the ledger (runExport, the job) in this process: rows
//    per second and the peak RSS sampled every 20 ms during it. Goal: flat, < 300 MB.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, chmodSync, rmSync, existsSync, readFileSync } from 'node:fs'
import { request as httpRequest, Agent } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { startEmbeddedPostgres } from '#db/embedded.ts'
import { withCredentials } from '#db/privileges.ts'
import { createDb, createPool } from '#db/connection.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { deriveAuditChainKey, useAuditChainKey } from '#app/platform/audit-chain.server.ts'
import { listApplications, applicationsQuery } from '#app/registration/ledger.server.ts'
import { requestExport, runExport } from '#app/ledgers/exports.server.ts'
import { createUser } from '#app/staff/users.server.ts'
import { median, report } from './report.ts'

const { values } = parseArgs({ options: {
  registrations: { type: 'string', default: '1000000' },
  runs: { type: 'string', default: '200' },
  seconds: { type: 'string', default: '5' },
  concurrency: { type: 'string', default: '8' },
  'export-rows': { type: 'string', default: '100000' },
  day: { type: 'string', default: '2026-11-28' },
  explain: { type: 'boolean', default: false },
  'skip-build': { type: 'boolean', default: false },
  profile: { type: 'string' },
} })
const N = Number(values.registrations)
const RUNS = Math.max(5, Number(values.runs))
const SECONDS = Number(values.seconds)
const C = Math.max(1, Number(values.concurrency))
const EXPORT_ROWS = Number(values['export-rows'])
const DAY = values.day!
const R = '500111'
const PASSWORD = 'bench-password-2026'
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const masterKey = generateMasterKey()
const cipher = createFieldCipher(parseMasterKey(masterKey))
useAuditChainKey(deriveAuditChainKey(parseMasterKey(masterKey))) // audit rows are chained (decision 029)

// Common surnames and given-name characters. A name is a surname and one or two characters, drawn
// by multiplicative hashes of the row number (deterministic, spread).
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅飞鹏辉宇浩然子轩梓涵欣怡佳琪雨萱思雅嘉俊文博一诺晨阳昊天泽宁若曦可馨睿安悦瑶梦婷家豪振宏立新海波晓东春燕秋月冬雪永福德才雅琴慧敏丹凤金凤少华'
const nameSql = (i: string, salt: number) => sql.raw(`
  substr('${SURNAMES}', 1 + ((${i}::bigint * ${2654435761 + salt}) % ${[...SURNAMES].length})::int, 1)
  || substr('${GIVEN}', 1 + ((${i}::bigint * ${40503 + salt * 7}) % ${[...GIVEN].length})::int, 1)
  || case when (${i}::bigint * ${97 + salt}) % 4 = 0 then '' else substr('${GIVEN}', 1 + ((${i}::bigint * ${69069 + salt * 13}) % ${[...GIVEN].length})::int, 1) end`)

const mb = (n: number) => n / 1024 / 1024
const ms = async (work: () => Promise<unknown>) => { const t0 = performance.now(); await work(); return performance.now() - t0 }
const p95 = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const port = (s.address() as { port: number }).port; s.close(() => resolve(port)) }).on('error', reject)
  })
}

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string }
function call(agent: Agent | undefined, port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string; read?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => { if (options.read !== false) chunks.push(c) })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** C clients, each with its own keep-alive connection, requesting `path` for `seconds`. */
/** CPU time (user + system, ms) the app's process has used so far (Linux; 0 where /proc is missing). */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10 // clock ticks of 10 ms
  } catch {
    return 0
  }
}

/** Requests per second over `seconds`, and the app's CPU per request (steadier than rps on a busy machine). */
async function load(port: number, path: string, headers: Record<string, string>, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: C })
  const run = async (until: number) => {
    let ok = 0
    let bad = 0
    await Promise.all(Array.from({ length: C }, async () => {
      while (performance.now() < until) {
        const answer = await call(agent, port, path, { headers, read: false })
        if (answer.status === 200) ok++
        else bad++
      }
    }))
    return { ok, bad }
  }
  await run(performance.now() + 1000) // warm-up
  const cpu0 = processCpuMs(child?.pid)
  const t0 = performance.now()
  const { ok, bad } = await run(t0 + seconds * 1000)
  const elapsed = (performance.now() - t0) / 1000
  const cpuPerRequest = (processCpuMs(child?.pid) - cpu0) / ok
  agent.destroy()
  if (bad) throw new Error(`${path}: ${bad} answers other than 200`)
  return { rps: ok / elapsed, cpuPerRequest }
}

const dir = mkdtempSync(join(tmpdir(), 'adoption-bench-ledger-'))
chmodSync(dir, 0o755)
const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'bench', log: () => {} })
const pool = createPool(pg.url, 4)
const db = createDb(pool)
let child: ReturnType<typeof spawn> | null = null
let childLog = ''
try {
  // The app over HTTP is the built one: built here, so that it holds this tree's migrations
  // (--skip-build to reuse build/ as it is).
  if (!values['skip-build']) {
    console.log('npm run build…')
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  }
  if (!existsSync(join(root, 'build/start.js'))) throw new Error('no build: run `npm run build` first')
  await migrateToLatest(db, pool)
  const started = performance.now()
  console.log(`preparing ${N.toLocaleString('en')} registrations, their parties and archive files…`)
  await db.insertInto('registries').values({ code: R, name: '重庆市大足区民政局' }).execute()
  const registrarId = await createUser(db, null, { registryCode: R, username: 'registrar', displayName: '登记员', email: null, password: PASSWORD, roles: ['registrar'], mustChangePassword: false })
  await sql`
    insert into users (registry_code, username, display_name, email, password_hash)
    select ${R}, 'reg' || i, '登记员' || i, null, 'x' from generate_series(1, 9) i`.execute(db)
  await sql`insert into user_roles (user_id, role) select id, 'registrar' from users where username like 'reg_'`.execute(db)
  const firstReg = Number((await db.selectFrom('users').select((eb) => eb.fn.min<string>('id').as('id')).where('username', 'like', 'reg_').executeTakeFirstOrThrow()).id)

  // Bulk load: the rows are consistent by construction; row triggers (foreign-key checks) are
  // skipped for the load only (superuser, this database alone), the tables analysed after. The
  // search indexes (if a migration made any) are dropped for the load and made again after it, as
  // an operator would for a bulk load; their definitions come from the catalogue.
  const searchIndexes = (await sql<{ name: string; def: string }>`
    select indexname as name, indexdef as def from pg_indexes
    where schemaname = 'public' and tablename in ('parties', 'applications') and indexdef ilike '%using gin%'`.execute(db)).rows
  for (const index of searchIndexes) await sql`drop index ${sql.id(index.name)}`.execute(db)
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx)
    await sql`set local synchronous_commit = off`.execute(trx)
    await sql`
      insert into applications (id, registry_code, relation, placing_kind, registrar_id, created_by, state, received_on, approved_by,
                                registration_number, registration_year, registration_seq, registered_on, resides_abroad)
      overriding system value
      select i, ${R}, 'none', 'welfare_institution', ${firstReg}::bigint + (i % 9), ${registrarId}, 'registered', r - 30, ${registrarId},
             '（' || extract(year from r) || '）渝足收字第' || lpad(i::text, 7, '0') || '号', extract(year from r), i, r,
             true -- a town or abroad (check applications_residence_recorded, migration 0021); the bench has no town list
      from (select i, (${DAY}::date - 1 - ((i::bigint * 7919) % 6574)::int)::date as r from generate_series(1, ${N}) i) s`.execute(trx)
    await sql`
      insert into parties (application_id, role, position, name, sex, birth_date)
      select a.id, 'child', 1, ${nameSql('a.id', 0)}, case when a.id % 2 = 0 then 'female' else 'male' end, (a.registered_on - (365 * (a.id % 11))::int - (a.id % 300)::int)::date
      from applications a
      union all
      select a.id, 'adopter', 1, ${nameSql('a.id', 1)}, 'male', (a.registered_on - 365 * 35)::date from applications a
      union all
      select a.id, 'adopter', 2, ${nameSql('a.id', 2)}, 'female', (a.registered_on - 365 * 33)::date from applications a where a.id % 3 <> 0`.execute(trx)
    await sql`
      insert into archive_files (registry_code, application_id, type, year, seq, archive_number, title, state, due_on, opened_at, filed_at, filed_by)
      select ${R}, a.id, 'establishment', a.registration_year, a.id, 'WS·' || a.registration_year || '·' || lpad(a.id::text, 7, '0'), '收养登记档案',
             case when a.registered_on < ${DAY}::date - 60 then 'filed' else 'open' end, a.registered_on + 60, a.registered_on::timestamptz,
             case when a.registered_on < ${DAY}::date - 60 then (a.registered_on + 30)::timestamptz end,
             case when a.registered_on < ${DAY}::date - 60 then ${registrarId}::bigint end
      from applications a`.execute(trx)
  })
  await sql`select setval(pg_get_serial_sequence('applications', 'id'), ${N})`.execute(db)
  for (const index of searchIndexes) {
    const t = await ms(() => sql.raw(index.def).execute(db))
    console.log(`index ${index.name} made in ${(t / 1000).toFixed(1)} s`)
  }
  await sql`vacuum analyze`.execute(db)
  const counts = (await sql<{ parties: string; files: string }>`select (select count(*) from parties) as parties, (select count(*) from archive_files) as files`.execute(db)).rows[0]
  const prepareSeconds = (performance.now() - started) / 1000
  console.log(`prepared in ${prepareSeconds.toFixed(0)} s: ${Number(counts.parties).toLocaleString('en')} parties, ${Number(counts.files).toLocaleString('en')} archive files`)

  // The fragment: the two-character start of a given name drawn for the row in the middle — a
  // real name, matching a few rows per million like a family name and a given-name character do.
  const probe = (await sql<{ name: string }>`select name from parties where application_id = ${Math.ceil(N / 2)} and role = 'child'`.execute(db)).rows[0].name
  const q = [...probe].slice(0, 2).join('')
  const viewer = { id: registrarId, username: 'registrar', registryCode: R, roles: ['registrar'] as const }
  const searchFilter = { state: 'registered' as const, q }
  const matching = Number((await applicationsQuery(db, cipher, viewer, searchFilter, DAY).clearSelect().clearOrderBy().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)
  console.log(`search: state=registered, q=${q} — ${matching} matching registrations`)
  if (values.explain) {
    const compiled = applicationsQuery(db, cipher, viewer, searchFilter, DAY).limit(51).compile()
    const { rows } = await pool.query(`explain (analyze, buffers) ${compiled.sql}`, compiled.parameters as unknown[])
    console.log(rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'))
  }
  const timeRuns = async (filter: Parameters<typeof listApplications>[3]) => {
    const runs: number[] = []
    let shown = 0
    for (let i = 0; i < RUNS + 5; i++) {
      const t = await ms(async () => { shown = (await listApplications(db, cipher, viewer, filter, DAY)).rows.length })
      if (i >= 5) runs.push(t) // the first runs warm the cache
    }
    return { median: median(runs), p95: p95(runs), shown }
  }
  const search = await timeRuns(searchFilter)
  console.log(`ledger page query, state=registered + q=${q} (${search.shown} shown): median ${search.median.toFixed(1)} ms, p95 ${search.p95.toFixed(1)} ms (goal p95 < 50) over ${RUNS} runs`)
  const filterOnly = await timeRuns({ state: 'registered' })
  console.log(`ledger page query, state=registered alone (${filterOnly.shown} shown): median ${filterOnly.median.toFixed(1)} ms, p95 ${filterOnly.p95.toFixed(1)} ms`)
  // A sorted column (app/ledgers/sorting.server.ts): the first page, and a page further on by its cursor.
  const sortedFilter = { state: 'registered' as const, sort: 'received', dir: 'desc' as const }
  const sorted = await timeRuns(sortedFilter)
  const onward = (await listApplications(db, cipher, viewer, sortedFilter, DAY)).next ?? undefined
  const sortedNext = await timeRuns({ ...sortedFilter, after: onward })
  console.log(`ledger page query, state=registered sorted by receipt date: median ${sorted.median.toFixed(1)} ms, p95 ${sorted.p95.toFixed(1)} ms; its next page p95 ${sortedNext.p95.toFixed(1)} ms`)
  if (values.explain) {
    for (const filter of [{ state: 'registered' as const }, sortedFilter]) {
      const compiled = applicationsQuery(db, cipher, viewer, filter, DAY).limit(51).compile()
      const { rows } = await pool.query(`explain (analyze, buffers) ${compiled.sql}`, compiled.parameters as unknown[])
      console.log(`plan of ${JSON.stringify(filter)}:\n${rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}`)
    }
  }

  // The real page over HTTP, against /healthz of the same process.
  const port = await freePort()
  const dataDir = join(dir, 'app-data')
  child = spawn(process.execPath, [...(values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : []), join(root, 'build/start.js')], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', DATABASE_OWNER_URL: pg.url, DATABASE_URL: withCredentials(pg.url, 'bench_app', randomBytes(12).toString('base64url')), PORT: String(port), HOST: '127.0.0.1', WORKER: 'off', DEMO: 'off', ENCRYPTION_KEY: masterKey, SESSION_SECRET: randomBytes(32).toString('base64url'), DATA_DIR: dataDir, REGISTRY_CODE: R },
  })
  child.stdout!.on('data', (c: Buffer) => { childLog += c })
  child.stderr!.on('data', (c: Buffer) => { childLog += c })
  for (let i = 0; ; i++) {
    const up = await call(undefined, port, '/healthz').then((a) => a.status === 200, () => false)
    if (up) break
    if (i > 600 || child.exitCode !== null) throw new Error(`the app did not start:\n${childLog}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const login = await call(undefined, port, '/login', {
    method: 'POST', body: new URLSearchParams({ username: 'registrar', password: PASSWORD }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin' },
  })
  const setCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? [])
  if (login.status !== 302 || !setCookie.length) throw new Error(`login failed: ${login.status} ${login.body.slice(0, 300)}`)
  const cookie = setCookie.map((c) => c.split(';')[0]).join('; ')
  const pagePath = `/applications?state=registered&q=${encodeURIComponent(q)}`
  const page = await call(undefined, port, pagePath, { headers: { Cookie: cookie } })
  if (page.status !== 200 || !page.body.includes(q)) throw new Error(`the page did not answer with the rows: ${page.status} ${page.body.slice(0, 300)}`)
  const health1 = await load(port, '/healthz', {}, SECONDS)
  const pageLoad = await load(port, pagePath, { Cookie: cookie }, SECONDS)
  const health2 = await load(port, '/healthz', {}, SECONDS) // again: the machine's load at one moment affects both
  const [healthRps, healthRps2, pageRps] = [health1.rps, health2.rps, pageLoad.rps]
  const trivialRps = (healthRps + healthRps2) / 2
  const healthCpu = Math.min(health1.cpuPerRequest, health2.cpuPerRequest)
  // For the record: the smallest signed-in page of the app (/account: the session, the layout and
  // its catalogue, no query of its own) — what any page costs before its own work.
  const account = await call(undefined, port, '/account', { headers: { Cookie: cookie } })
  const accountLoad = await load(port, '/account', { Cookie: cookie }, SECONDS)
  const accountRps = accountLoad.rps
  console.log(`HTTP, ${C} keep-alive clients, ${SECONDS} s each: /healthz ${healthRps.toFixed(0)} and ${healthRps2.toFixed(0)} req/s, ledger page ${pageRps.toFixed(0)} req/s = ${(pageRps / trivialRps).toFixed(2)} × /healthz (goal ≥ 0.4)`)
  console.log(`  the app's CPU per request: /healthz ${healthCpu.toFixed(2)} ms, ledger page ${pageLoad.cpuPerRequest.toFixed(2)} ms, /account ${accountLoad.cpuPerRequest.toFixed(2)} ms (CPU ratio /healthz ÷ page ${(healthCpu / pageLoad.cpuPerRequest).toFixed(2)})`)
  console.log(`  the page is ${(page.body.length / 1024).toFixed(0)} KB of HTML; /account (signed in, no query of its own, ${(account.body.length / 1024).toFixed(0)} KB) ${accountRps.toFixed(0)} req/s: the ledger page = ${(pageRps / accountRps).toFixed(2)} × /account`)
  child.kill('SIGTERM')
  await new Promise((r) => child!.once('exit', r))
  child = null

  // The export: a period covering EXPORT_ROWS registrations (or all of them when fewer).
  const from = N > EXPORT_ROWS
    ? (await sql<{ d: string }>`select registered_on::text as d from applications order by registered_on desc offset ${EXPORT_ROWS - 1} limit 1`.execute(db)).rows[0].d
    : undefined
  const exportId = await requestExport(db, viewer, { ledger: 'applications', params: from ? { from } : {}, format: 'xlsx', locale: 'zh' })
  global.gc?.()
  const rssBefore = process.memoryUsage().rss
  let peak = rssBefore
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 20)
  const exportMs = await ms(() => runExport(db, cipher, exportId))
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage().rss)
  const done = await db.selectFrom('ledger_exports as e').innerJoin('blobs as b', 'b.id', 'e.blob_id').select(['e.state', 'e.rows_done', 'b.size']).where('e.id', '=', exportId).executeTakeFirstOrThrow()
  if (done.state !== 'done') throw new Error(`export ended ${done.state}`)
  const rowsPerSecond = done.rows_done / (exportMs / 1000)
  console.log(`export: ${done.rows_done.toLocaleString('en')} rows (.xlsx, ${mb(Number(done.size)).toFixed(1)} MB) in ${(exportMs / 1000).toFixed(1)} s = ${rowsPerSecond.toFixed(0)} rows/s; rss ${mb(rssBefore).toFixed(0)} MB before, peak ${mb(peak).toFixed(0)} MB (goal flat, < 300)`)

  report('ledger', {
    page_query_p95: { value: search.p95, unit: 'ms', goal: '< 50' },
    page_query_median: { value: search.median, unit: 'ms' },
    filter_only_p95: { value: filterOnly.p95, unit: 'ms' },
    sorted_p95: { value: sorted.p95, unit: 'ms' },
    sorted_next_p95: { value: sortedNext.p95, unit: 'ms' },
    page_rps: { value: pageRps, unit: 'req/s' },
    healthz_rps: { value: trivialRps, unit: 'req/s' },
    rps_ratio: { value: pageRps / trivialRps, unit: '×', goal: '>= 0.4' },
    account_rps: { value: accountRps, unit: 'req/s' },
    healthz_cpu_per_request: { value: healthCpu, unit: 'ms' },
    page_cpu_per_request: { value: pageLoad.cpuPerRequest, unit: 'ms' },
    account_cpu_per_request: { value: accountLoad.cpuPerRequest, unit: 'ms' },
    export_rows_per_second: { value: rowsPerSecond, unit: 'rows/s' },
    export_peak_rss: { value: mb(peak), unit: 'MB', goal: '< 300, flat' },
    export_rss_before: { value: mb(rssBefore), unit: 'MB' },
  }, {
    registrations: N, parties: Number(counts.parties), archive_files: Number(counts.files), q, matching, runs: RUNS, concurrency: C, seconds: SECONDS,
    page_bytes: page.body.length, account_bytes: account.body.length, export_rows: done.rows_done, export_bytes: Number(done.size), prepare_seconds: Math.round(prepareSeconds), day: DAY,
  })
} catch (error) {
  if (childLog) console.error(`the app's output:\n${childLog}`)
  throw error
} finally {
  if (child && child.exitCode === null && child.signalCode === null) { child.kill('SIGTERM'); await new Promise((r) => child!.once('exit', r)) }
  await db.destroy()
  await pg.stop()
  rmSync(dir, { recursive: true, force: true })
}
