// bench/archive: throughput of the nightly integrity check (read back, decrypt, SHA-256, record)
// over many archived documents, against `sha256sum` on the same bytes on the same machine.
// Goal (issue 5): at least half of sha256sum's speed.
//   npm run bench -- archive [--documents 100000] [--size 4096] [--runs 5]
// Runs on its own embedded PostgreSQL in a temporary directory.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes, createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { sql } from 'kysely'
import { startEmbeddedPostgres } from '#db/embedded.ts'
import { createDb, createPool } from '#db/connection.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { deriveAuditChainKey, useAuditChainKey } from '#app/platform/audit-chain.server.ts'
import { checkIntegrity } from '#app/archive/files.server.ts'
import { withPoolClient } from '#db/copy-binary.ts'
import { withUploadForm } from '#app/platform/uploads.server.ts'
import { median, report } from './report.ts'

const { values } = parseArgs({ options: { documents: { type: 'string', default: '100000' }, size: { type: 'string', default: '4096' }, runs: { type: 'string', default: '5' } } })
const runs = Number(values.runs)
const count = Number(values.documents)
const size = Number(values.size)
const dir = mkdtempSync(join(tmpdir(), 'adoption-bench-archive-'))
chmodSync(dir, 0o755)
const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'bench', log: () => {} })
const pool = createPool(pg.url, 8)
const db = createDb(pool)
const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
useAuditChainKey(deriveAuditChainKey(parseMasterKey(generateMasterKey()))) // audit rows are chained (decision 029)
try {
  await migrateToLatest(db, pool)
  await db.insertInto('registries').values({ code: '500111', name: '重庆市大足区民政局' }).execute()
  const { id: userId } = await db.insertInto('users').values({ registry_code: '500111', username: 'bench', display_name: 'bench', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  const { id: appId } = await db.insertInto('applications').values({ registry_code: '500111', relation: 'none', placing_kind: 'welfare_institution', registrar_id: userId, created_by: userId, resides_abroad: true }).returning('id').executeTakeFirstOrThrow()
  const { id: fileId } = await db.insertInto('archive_files').values({ registry_code: '500111', application_id: appId, type: 'establishment', year: 2026, seq: 1, archive_number: 'B-1', title: 'bench', due_on: '2026-12-31' }).returning('id').executeTakeFirstOrThrow()

  // The same bytes go to a file for sha256sum: one concatenated stream of all documents.
  console.log(`preparing ${count} documents of ${size} bytes…`)
  const reference = join(dir, 'all.bin')
  const chunks: Buffer[] = []
  const batch = 500
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i)
    const docs = Array.from({ length: n }, () => randomBytes(size))
    chunks.push(...docs)
    const blobs = await db.insertInto('blobs').values(docs.map((d) => ({ sha256: createHash('sha256').update(d).digest('hex'), size: d.length, claimed_at: new Date() }))).returning(['id', 'sha256']).execute()
    await db.insertInto('blob_chunks').values(blobs.map((b, j) => ({ blob_id: b.id, seq: 0, content_enc: cipher.encryptBytes(docs[j]) }))).execute()
    await db.insertInto('archive_documents').values(blobs.map((b) => ({
      file_id: fileId, category: 'other', title: 'scan', author: 'bench', doc_date: '2026-11-28', pages: 1, source: 'scan' as const, blob_id: b.id, sha256: b.sha256,
      content_type: 'application/pdf', size, added_by: userId,
    }))).execute()
  }
  writeFileSync(reference, Buffer.concat(chunks))
  chunks.length = 0
  await sql`vacuum analyze`.execute(db)

  // Alternating runs of both, medians compared: the machine's load at one moment affects both.
  const totalMb = (count * size) / 1024 / 1024
  const shaRuns: number[] = []
  const checkRuns: number[] = []
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now()
    execFileSync('sha256sum', [reference])
    shaRuns.push((performance.now() - t0) / 1000)
    const t1 = performance.now()
    const result = await checkIntegrity(db, withPoolClient(pool), cipher)
    checkRuns.push((performance.now() - t1) / 1000)
    if (result.mismatches !== 0 || result.documents !== count) throw new Error(`unexpected result: ${JSON.stringify(result)}`)
  }
  const checkSeconds = median(checkRuns)
  const shaSeconds = median(shaRuns)
  const ours = totalMb / checkSeconds
  const theirs = totalMb / shaSeconds
  console.log(`integrity check: ${count} documents, ${totalMb.toFixed(0)} MB, median of ${runs} runs ${checkSeconds.toFixed(2)} s = ${ours.toFixed(1)} MB/s (runs: ${checkRuns.map((r) => r.toFixed(2)).join(', ')})`)
  console.log(`sha256sum on the same bytes: median ${shaSeconds.toFixed(2)} s = ${theirs.toFixed(1)} MB/s; ratio ${(ours / theirs).toFixed(3)} (goal ≥ 0.5)`)

  // Upload memory: a 20 MB scan through the route's parser (withUploadForm), the request body
  // produced as a stream so that the bench itself never holds the file; the peak growth of the
  // process's memory is sampled while it runs, against request.formData() on the same stream
  // (what the route did before: the whole file in memory).
  const uploadBytes = 20 * 1024 * 1024
  const streamedPeak = await peakGrowth(() => withUploadForm(scanRequest(uploadBytes), db, cipher, { fileFields: ['upload'], maxBytes: 25 * 1024 * 1024 }, async ({ uploads }) => {
    if (uploads.get('upload')?.blob.size !== uploadBytes) throw new Error('upload not stored')
  }))
  const bufferedPeak = await peakGrowth(async () => { await scanRequest(uploadBytes).formData() })
  console.log(`upload of a 20 MB scan: peak memory growth ${mb(streamedPeak)} MB streamed, ${mb(bufferedPeak)} MB with request.formData()`)
  report('archive', {
    integrity_throughput: { value: ours, unit: 'MB/s', goal: '>= 0.5 × sha256sum' },
    sha256sum_throughput: { value: theirs, unit: 'MB/s' },
    documents_per_second: { value: count / checkSeconds, unit: 'doc/s' },
    upload_20mb_peak_growth: { value: streamedPeak / 1024 / 1024, unit: 'MB', goal: 'does not grow by the file size (20 MB)' },
    upload_20mb_peak_growth_buffered: { value: bufferedPeak / 1024 / 1024, unit: 'MB' },
  }, { documents: count, document_bytes: size, runs, ratio: ours / theirs, reference: 'sha256sum' })
} finally {
  await db.destroy()
  await pg.stop()
  rmSync(dir, { recursive: true, force: true })
}

function mb(bytes: number) {
  return (bytes / 1024 / 1024).toFixed(1)
}

/** A multipart POST whose file part is generated 64 KB at a time as the parser reads it. */
function scanRequest(size: number): Request {
  const boundary = '----bench' + randomBytes(8).toString('hex')
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nupload\r\n--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`)
  const tail = Buffer.from(`\n%%EOF\r\n--${boundary}--\r\n`)
  let left = size - 9 - 6 // "%PDF-1.4\n" before, "\n%%EOF" after
  let sentHead = false
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sentHead) { sentHead = true; controller.enqueue(head); return }
      if (left <= 0) { controller.enqueue(tail); controller.close(); return }
      const n = Math.min(65536, left)
      left -= n
      controller.enqueue(randomBytes(n))
    },
  })
  return new Request('http://localhost/archive/1', { method: 'POST', body, duplex: 'half', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } } as RequestInit)
}

/** The largest growth of resident memory over the starting point while `work` runs. */
async function peakGrowth(work: () => Promise<unknown>): Promise<number> {
  collectGarbage()
  const start = process.memoryUsage.rss()
  let peak = start
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 1)
  try {
    await work()
  } finally {
    clearInterval(timer)
  }
  peak = Math.max(peak, process.memoryUsage.rss())
  collectGarbage()
  return peak - start
}

function collectGarbage() {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
}
