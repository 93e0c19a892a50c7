// A ledger taken through the whole import as an administrator would: uploaded, its proposed
// mapping accepted, checked (dry run), then imported — each step by the import's own functions,
// the job's work (processBatch) run in this process.
import { Readable } from 'node:stream'
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import { loadBatch, processBatch, startDryRun, startImport, uploadLedger } from '#app/import/batches.server.ts'
import { TODAY } from './applications.ts'

export async function importCsv(db: Kysely<Database>, cipher: FieldCipher, registrar: Viewer, csv: string, filename = 'ledger.csv') {
  const blob = await postgresBlobStore(cipher).putStream(db, Readable.from([Buffer.from(csv)]), { maxBytes: 1 << 20 })
  const batchId = await uploadLedger(db, cipher, registrar, { blob, filename, contentType: null, complete: true, pdfPages: null })
  const { batch } = await loadBatch(db, registrar, batchId, 'all', null)
  await startDryRun(db, registrar, batchId, { version: batch.version, mapping: batch.mapping, pastVisits: 'skip' })
  await processBatch(db, cipher, batchId, 'check', TODAY)
  const checked = await loadBatch(db, registrar, batchId, 'all', null)
  await startImport(db, registrar, batchId, checked.batch.version)
  await processBatch(db, cipher, batchId, 'import', TODAY)
  return { batchId, proposed: batch.mapping, checked }
}
