// bench/import: the import of a generated historical ledger of 50,000 rows (issue: historical
// records). Goal: ≥ 2,000 rows/s with every check on, and memory flat — the process's peak resident
// memory under 300 MB whatever the file's size (the file is streamed from the blob store).
//   npm run bench -- import [--rows 50000] [--format xlsx|csv] [--writers 2] [--chunk 1000] [--tsx]
// The import is measured as the built app runs it: this file bundled by esbuild into plain
// JavaScript (bench/.out/import.mjs) and run in a process of its own, without the TypeScript loader
// (tsx and its esbuild service are ~70 MB of a process's memory). --tsx measures in this process.
// Runs on its own embedded PostgreSQL in a temporary directory. The ledger is written to disk as a
// stream, stored as a blob as a stream, then checked (dry run) and imported as the jobs do; the
// archive files the import enqueues are opened by jobs afterwards and are not timed here.
import { createReadStream, createWriteStream, chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { startEmbeddedPostgres } from '#db/embedded.ts'
import { createDb, createPool } from '#db/connection.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { deriveAuditChainKey, useAuditChainKey } from '#app/platform/audit-chain.server.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import { citizenIdFor } from '#app/registration/demo/people.ts'
import { addDays } from '#app/registration/deadlines.ts'
import { CHUNK_ROWS, decideApproval, loadBatch, processBatch, requestApproval, startDryRun, startImport, uploadLedger, WRITERS } from '#app/import/batches.server.ts'
import { report } from './report.ts'

const { values } = parseArgs({ options: { rows: { type: 'string', default: '50000' }, format: { type: 'string', default: 'xlsx' }, write: { type: 'string' }, writers: { type: 'string' }, chunk: { type: 'string' }, tsx: { type: 'boolean' } } })
/** Rows per chunk (default: the import's own, CHUNK_ROWS). */
const chunkRows = values.chunk ? Number(values.chunk) : undefined
/** Chunks written at once (default: the import's own, WRITERS). */
const writers = values.writers ? Number(values.writers) : undefined
const rows = Number(values.rows)
if (!values.write && !values.tsx && !process.env.BENCH_IMPORT_BUNDLED) {
  const { build } = await import('esbuild')
  const bundle = fileURLToPath(new URL('./.out/import.mjs', import.meta.url))
  await build({ entryPoints: [fileURLToPath(import.meta.url)], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: bundle, logLevel: 'warning' })
  // The ledger's parse runs in a worker thread whose bundle sits beside the app's (decision 032).
  await build({ entryPoints: [fileURLToPath(new URL('../app/import/ledger-worker.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: fileURLToPath(new URL('./.out/ledger-worker.js', import.meta.url)), logLevel: 'warning' })
  const child = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, BENCH_IMPORT_BUNDLED: '1' } })
  process.exit(child.status ?? 1)
}
const format = values.format === 'csv' ? 'csv' : 'xlsx'
const TODAY = '2026-11-28'
const dir = values.write ? '' : mkdtempSync(join(tmpdir(), 'adoption-bench-import-'))
if (dir) chmodSync(dir, 0o755)

let peakRss = process.memoryUsage.rss()
let peakHeap = 0
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed) }, 20)
const mb = (bytes: number) => bytes / 1024 / 1024

// CPU seconds, of this process and of the PostgreSQL server (the postmaster and its backends, from
// /proc): on a shared machine these say more than the wall clock about what a change saved.
const nodeCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6 }
function postgresCpu(postmaster: number): number {
  let ticks = 0
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(d) === postmaster || Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12])
    } catch { /* gone meanwhile */ }
  }
  return ticks / 100
}

const header = ['序号', '登记证号', '登记日期', '收养类型', '收养人姓名', '收养人身份证号', '配偶姓名', '配偶身份证号', '被收养人姓名', '被收养人性别', '被收养人出生日期', '被收养人身份证号', '送养人', '是否保密', '档案号', '收养人国籍', '外国收养组织', '批准日期']
const kinds = ['社会收养', '亲属收养', '继子女收养', '社会收养', '涉外收养']
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'

/** Row i: unique registration number, unique child (area × birth date × sequence: 150,000 per area code), 1 in 50 invalid (bad ID check character). */
function row(i: number): (string | number | Date)[] {
  const year = 1995 + (i % 30)
  const registeredOn = `${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`
  const childBirth = addDays(`${year - 1}-01-01`, i % 300)
  const childSex = i % 2 ? 'male' : 'female'
  const seq = Math.floor(i / 300) % 500
  const kind = kinds[i % kinds.length]
  let adopterId = citizenIdFor('500111', addDays('1960-01-01', i % 5000), 'male', seq)
  if (i % 50 === 49) adopterId = adopterId.slice(0, 17) + (adopterId[17] === '1' ? '2' : '1')
  const s = surnames[i % surnames.length]
  const textDate = i % 3 === 0 ? registeredOn.replace(/-0?/g, '.') : i % 3 === 1 ? new Date(`${registeredOn}T00:00:00Z`) : registeredOn
  return [
    i + 1, `（${year}）渝大收字第${String(i).padStart(6, '0')}号`, textDate, kind, `${s}建${i}`, adopterId, `何秀${i}`, '',
    `${s}小${i}`, childSex === 'male' ? '男' : '女', childBirth, citizenIdFor(String(500112 + Math.floor(i / 150000)), childBirth, childSex, seq), '大足区儿童福利院', i % 10 === 0 ? '是' : '否',
    `DZ-${year}-${String(i).padStart(6, '0')}`, kind === '涉外收养' ? '美国' : '', kind === '涉外收养' ? 'Holt International' : '', '',
  ]
}

async function writeLedger(path: string) {
  if (format === 'csv') {
    const out = createWriteStream(path)
    const line = (cells: unknown[]) => cells.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : String(c))).join(',') + '\r\n'
    out.write('\ufeff' + line(header))
    for (let i = 0; i < rows; i++) if (!out.write(line(row(i)))) await once(out, 'drain')
    out.end()
    await once(out, 'finish')
    return
  }
  const { default: ExcelJS } = await import('exceljs') // in the writing child only
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true })
  const sheet = workbook.addWorksheet('台账')
  sheet.addRow(['大足区收养登记台账']).commit()
  sheet.addRow(header).commit()
  for (let i = 0; i < rows; i++) {
    const r = sheet.addRow(row(i))
    if (r.getCell(3).value instanceof Date) r.getCell(3).numFmt = 'yyyy-mm-dd'
    r.commit()
  }
  sheet.commit()
  await workbook.commit()
}

// The ledger is written by a child process, so that this process's memory is the import's alone.
if (values.write) {
  await writeLedger(values.write)
  process.exit(0)
}

const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'bench', log: () => {} })
const pool = createPool(pg.url, 8)
const db = createDb(pool)
const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
useAuditChainKey(deriveAuditChainKey(parseMasterKey(generateMasterKey()))) // audit rows are chained (decision 029)
try {
  await migrateToLatest(db, pool)
  // Imports need a go-live date and a second person's approval (decision 027).
  await db.insertInto('registries').values({ code: '500111', name: '重庆市大足区民政局', go_live_on: TODAY }).execute()
  const { id: userId } = await db.insertInto('users').values({ registry_code: '500111', username: 'bench', display_name: 'bench', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  const viewer = { id: userId, username: 'bench', registryCode: '500111', roles: ['registrar' as const] }
  const { id: approverId } = await db.insertInto('users').values({ registry_code: '500111', username: 'bench-approver', display_name: 'bench approver', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  const approver = { id: approverId, username: 'bench-approver', registryCode: '500111', roles: ['supervisor' as const] }

  const path = join(dir, `ledger.${format}`)
  console.log(`writing a ${rows}-row .${format} ledger…`)
  execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--write', path, '--rows', String(rows), '--format', format], { stdio: 'inherit' })
  const bytes = statSync(path).size
  console.log(`ledger: ${mb(bytes).toFixed(1)} MB`)
  const blob = await postgresBlobStore(cipher).putStream(db, createReadStream(path), { maxBytes: 1024 * 1024 * 1024 })
  const batchId = await uploadLedger(db, cipher, viewer, { blob, filename: `ledger.${format}`, contentType: null, complete: true, pdfPages: null })
  const { batch } = await loadBatch(db, viewer, batchId, 'all', null)
  await startDryRun(db, viewer, batchId, { version: batch.version, mapping: batch.mapping, pastVisits: 'skip' })
  const rssBefore = process.memoryUsage.rss()
  peakRss = rssBefore
  peakHeap = 0

  const backend = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0].pid
  const postmaster = Number(readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1].split(' ')[1])
  let cpu = { node: nodeCpu(), pg: postgresCpu(postmaster) }
  const cpuSince = () => ({ node: nodeCpu() - cpu.node, pg: postgresCpu(postmaster) - cpu.pg })
  const t0 = performance.now()
  await processBatch(db, cipher, batchId, 'check', TODAY, { chunkRows })
  const checkSeconds = (performance.now() - t0) / 1000
  const checkCpu = cpuSince()
  const dryRunPeak = { rss: peakRss, heap: peakHeap }
  const checked = await loadBatch(db, viewer, batchId, 'all', null)
  console.log(`dry run: ${checked.batch.total_rows} rows in ${checkSeconds.toFixed(1)} s = ${(checked.batch.total_rows / checkSeconds).toFixed(0)} rows/s (valid ${checked.batch.valid_rows}, invalid ${checked.batch.invalid_rows}, duplicate ${checked.batch.duplicate_rows})`)

  console.log(`  CPU: this process ${checkCpu.node.toFixed(1)} s, PostgreSQL ${checkCpu.pg.toFixed(1)} s`)
  await requestApproval(db, viewer, batchId, checked.batch.version)
  await decideApproval(db, approver, batchId, { version: checked.batch.version + 1, decision: 'approve' })
  await startImport(db, viewer, batchId, checked.batch.version + 2)
  cpu = { node: nodeCpu(), pg: postgresCpu(postmaster) }
  const t1 = performance.now()
  await processBatch(db, cipher, batchId, 'import', TODAY, { writers, chunkRows })
  const importSeconds = (performance.now() - t1) / 1000
  const importCpu = cpuSince()
  const done = await loadBatch(db, viewer, batchId, 'all', null)
  if (done.batch.state !== 'imported') throw new Error(`import ended in state ${done.batch.state}: ${done.batch.failure}`)
  const created = Number((await db.selectFrom('applications').select(sql<string>`count(*)`.as('n')).where('import_batch_id', '=', batchId).executeTakeFirstOrThrow()).n)
  if (created !== done.batch.created_rows) throw new Error('created count mismatch')
  const tasks = Number((await db.selectFrom('followup_tasks').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)
  console.log(`import: ${done.batch.total_rows} rows (${created} created, ${tasks} follow-up tasks) in ${importSeconds.toFixed(1)} s = ${(done.batch.total_rows / importSeconds).toFixed(0)} rows/s`)
  console.log(`  CPU: this process ${importCpu.node.toFixed(1)} s, PostgreSQL ${importCpu.pg.toFixed(1)} s`)
  clearInterval(sampler)
  console.log(`peak resident memory during the dry run and the import: ${mb(peakRss).toFixed(0)} MB (${mb(rssBefore).toFixed(0)} MB before); peak V8 heap used ${mb(peakHeap).toFixed(0)} MB`)
  console.log(`  by the end of the dry run: ${mb(dryRunPeak.rss).toFixed(0)} MB resident, ${mb(dryRunPeak.heap).toFixed(0)} MB V8 heap used`)
  report('import', {
    import_rows_per_second: { value: done.batch.total_rows / importSeconds, unit: 'rows/s', goal: '>= 2000' },
    dry_run_rows_per_second: { value: checked.batch.total_rows / checkSeconds, unit: 'rows/s' },
    peak_rss: { value: mb(peakRss), unit: 'MB', goal: '< 300, flat in the file size' },
    rss_growth: { value: mb(peakRss - rssBefore), unit: 'MB' },
    peak_heap_used: { value: mb(peakHeap), unit: 'MB' },
    dry_run_peak_rss: { value: mb(dryRunPeak.rss), unit: 'MB' },
    import_cpu_node: { value: importCpu.node, unit: 's' },
    import_cpu_postgres: { value: importCpu.pg, unit: 's' },
    dry_run_cpu_node: { value: checkCpu.node, unit: 's' },
    dry_run_cpu_postgres: { value: checkCpu.pg, unit: 's' },
  }, { rows, format, writers: writers ?? WRITERS, chunk_rows: chunkRows ?? CHUNK_ROWS, process: process.env.BENCH_IMPORT_BUNDLED ? 'bundled' : 'tsx', file_mb: mb(bytes), created, invalid: done.batch.invalid_rows })
} finally {
  clearInterval(sampler)
  await db.destroy()
  await pg.stop()
  rmSync(dir, { recursive: true, force: true })
}
