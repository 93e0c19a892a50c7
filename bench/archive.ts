// bench/archive: throughput of the nightly integrity check (read back, decrypt, SHA-256, record)
// over many archived documents, against `sha256sum` on the same bytes on the same machine.
// Goal (issue 5): at least half of sha256sum's speed.
//   npm run bench -- archive [--documents 100000] [--size 4096]
// Runs on its own embedded PostgreSQL in a temporary directory.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes, createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { startEmbeddedPostgres } from '#db/embedded.ts'
import { createDb, createPool } from '#db/connection.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { checkIntegrity } from '#app/archive/files.server.ts'
import { report } from './report.ts'

const { values } = parseArgs({ options: { documents: { type: 'string', default: '100000' }, size: { type: 'string', default: '4096' } } })
const count = Number(values.documents)
const size = Number(values.size)
const dir = mkdtempSync(join(tmpdir(), 'adoption-bench-archive-'))
chmodSync(dir, 0o755)
const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'bench', log: () => {} })
const pool = createPool(pg.url, 8)
const db = createDb(pool)
const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
try {
  await migrateToLatest(db, pool)
  await db.insertInto('registries').values({ code: '500111', name: '重庆市大足区民政局' }).execute()
  const { id: userId } = await db.insertInto('users').values({ registry_code: '500111', username: 'bench', display_name: 'bench', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  const { id: appId } = await db.insertInto('applications').values({ registry_code: '500111', relation: 'none', placing_kind: 'welfare_institution', registrar_id: userId, created_by: userId }).returning('id').executeTakeFirstOrThrow()
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
    const blobs = await db.insertInto('blobs').values(docs.map((d) => ({ sha256: createHash('sha256').update(d).digest('hex'), size: d.length, content_enc: cipher.encryptBytes(d) }))).returning(['id', 'sha256']).execute()
    await db.insertInto('archive_documents').values(blobs.map((b) => ({
      file_id: fileId, category: 'other', title: 'scan', author: 'bench', doc_date: '2026-11-28', pages: 1, source: 'scan' as const, blob_id: b.id, sha256: b.sha256,
      content_type: 'application/pdf', size, added_by: userId,
    }))).execute()
  }
  writeFileSync(reference, Buffer.concat(chunks))
  chunks.length = 0
  await sql`vacuum analyze`.execute(db)

  const totalMb = (count * size) / 1024 / 1024
  const t0 = performance.now()
  execFileSync('sha256sum', [reference])
  const shaSeconds = (performance.now() - t0) / 1000
  const t1 = performance.now()
  const result = await checkIntegrity(db, cipher, { batch: 1000 })
  const checkSeconds = (performance.now() - t1) / 1000
  if (result.mismatches !== 0 || result.documents !== count) throw new Error(`unexpected result: ${JSON.stringify(result)}`)
  const ours = totalMb / checkSeconds
  const theirs = totalMb / shaSeconds
  console.log(`integrity check: ${count} documents, ${totalMb.toFixed(0)} MB in ${checkSeconds.toFixed(1)} s = ${ours.toFixed(1)} MB/s`)
  console.log(`sha256sum on the same bytes: ${shaSeconds.toFixed(2)} s = ${theirs.toFixed(1)} MB/s; ratio ${(ours / theirs).toFixed(3)} (goal ≥ 0.5)`)
  report('archive', {
    integrity_throughput: { value: ours, unit: 'MB/s', goal: '>= 0.5 × sha256sum' },
    sha256sum_throughput: { value: theirs, unit: 'MB/s' },
    documents_per_second: { value: count / checkSeconds, unit: 'doc/s' },
  }, { documents: count, document_bytes: size, ratio: ours / theirs, reference: 'sha256sum' })
} finally {
  await db.destroy()
  await pg.stop()
  rmSync(dir, { recursive: true, force: true })
}
