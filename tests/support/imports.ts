// A ledger taken through the whole import as the bureau does it (decision 027): uploaded by the
// registrar, its proposed mapping accepted, checked (dry run), the approval asked for, approved by a
// second person (a supervisor), then imported — each step by the import's own functions, the job's
// work (processBatch) run in this process.
import { Readable } from 'node:stream'
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import { decideApproval, loadBatch, processBatch, requestApproval, startDryRun, startImport, uploadLedger } from '#app/import/batches.server.ts'
import { makeViewer, TODAY } from './applications.ts'

/** The registry's go-live date, which imports need: rows must be dated before it. */
export async function setGoLive(db: Kysely<Database>, registryCode: string, on: string | null = TODAY) {
  await db.updateTable('registries').set({ go_live_on: on }).where('code', '=', registryCode).execute()
}

const batchVersion = async (db: Kysely<Database>, id: string) => (await db.selectFrom('import_batches').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version

/** Asks for approval as the registrar and approves as a second person (a new supervisor unless one is given). */
export async function approveBatch(db: Kysely<Database>, registrar: Viewer, batchId: string, approver?: Viewer) {
  await requestApproval(db, registrar, batchId, await batchVersion(db, batchId))
  const second = approver ?? await makeViewer(db, 'supervisor', registrar.registryCode)
  await decideApproval(db, second, batchId, { version: await batchVersion(db, batchId), decision: 'approve' })
}

/** The whole import; the registry's go-live date is set to TODAY if it has none. */
export async function importCsv(db: Kysely<Database>, cipher: FieldCipher, registrar: Viewer, csv: string, filename = 'ledger.csv', approver?: Viewer) {
  const registry = await db.selectFrom('registries').select('go_live_on').where('code', '=', registrar.registryCode).executeTakeFirstOrThrow()
  if (!registry.go_live_on) await setGoLive(db, registrar.registryCode)
  const blob = await postgresBlobStore(cipher).putStream(db, Readable.from([Buffer.from(csv)]), { maxBytes: 1 << 20 })
  const batchId = await uploadLedger(db, cipher, registrar, { blob, filename, contentType: null, complete: true, pdfPages: null })
  const { batch } = await loadBatch(db, registrar, batchId, 'all', null)
  await startDryRun(db, registrar, batchId, { version: batch.version, mapping: batch.mapping, pastVisits: 'skip' })
  await processBatch(db, cipher, batchId, 'check', TODAY)
  const checked = await loadBatch(db, registrar, batchId, 'all', null)
  await approveBatch(db, registrar, batchId, approver)
  await startImport(db, registrar, batchId, await batchVersion(db, batchId))
  await processBatch(db, cipher, batchId, 'import', TODAY)
  return { batchId, proposed: batch.mapping, checked }
}
