// Hostile ledgers through the upload and the dry run, against a real PostgreSQL (decision 032): the
// refusal reaches the page's reason (and its row), nothing is written; a cell over Excel's length
// refuses its row only.
import { Readable } from 'node:stream'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry } from '#tests/support/factories.ts'
import { makeViewer, TODAY } from '#tests/support/applications.ts'
import { flatHeader, ledgerCsv, ordinaryRow } from '#tests/support/ledgers.ts'
import { setGoLive } from '#tests/support/imports.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { loadBatch, processBatch, startDryRun, uploadLedger } from '#app/import/batches.server.ts'

let t: TestDatabase
let cipher: FieldCipher
let registrar: Viewer

beforeAll(async () => {
  t = await testDatabase()
  cipher = testContext(t.db).cipher
  await makeRegistry(t.db)
  registrar = await makeViewer(t.db, 'registrar')
  // Imports need the registry's go-live date (decision 027).
  await setGoLive(t.db, registrar.registryCode)
})
afterAll(async () => { await t.destroy() })

async function upload(bytes: Buffer, filename: string) {
  const blob = await postgresBlobStore(cipher).putStream(t.db, Readable.from([bytes]), { maxBytes: 50 * 1024 * 1024 })
  return uploadLedger(t.db, cipher, registrar, { blob, filename, contentType: null, complete: true, pdfPages: null })
}

async function dryRun(id: string) {
  const { batch } = await loadBatch(t.db, registrar, id, 'all', null)
  await startDryRun(t.db, registrar, id, { version: batch.version, mapping: batch.mapping, pastVisits: 'skip' })
  await processBatch(t.db, cipher, id, 'check', TODAY)
  return loadBatch(t.db, registrar, id, 'all', null)
}

test('an encrypted workbook (the OLE compound file of a password) is refused at the upload, saying so', async () => {
  const cfb = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096, 0)])
  await expect(upload(cfb, 'protected.xlsx')).rejects.toMatchObject({ messageKey: 'import.file.encrypted' })
  expect(await t.db.selectFrom('import_batches').select('id').execute()).toEqual([])
})

test('a CSV line of 5 MB: refused at the upload when the rows read with the header reach it; else the dry run stops at its row with the reason', async () => {
  const early = Buffer.from(`${ledgerCsv([ordinaryRow({}, 1)])}${'A'.repeat(5 * 1024 * 1024)}\n`)
  await expect(upload(early, 'early.csv')).rejects.toMatchObject({ messageKey: 'import.file.rowTooLong' })
  const rows = Array.from({ length: 20 }, (_, i) => ordinaryRow({}, 100 + i))
  const id = await upload(Buffer.from(`${ledgerCsv(rows)}${'A'.repeat(5 * 1024 * 1024)}\n`), 'late.csv')
  const { batch } = await dryRun(id)
  expect(batch).toMatchObject({ state: 'failed', failure: 'rowTooLong', failure_row: 22 })
})

test('a cell over 32,767 characters makes its row invalid with a message; the other rows are checked as usual', async () => {
  const rows = [ordinaryRow({}, 11), ordinaryRow({ adopter: '王'.repeat(40_000) }, 12)]
  const id = await upload(Buffer.from(ledgerCsv(rows)), 'long.csv')
  const { batch, rows: report } = await dryRun(id)
  expect(batch.state).toBe('checked')
  expect(flatHeader).toContain('收养人姓名')
  expect(report.map((r) => [r.row, r.status])).toEqual([[2, 'valid'], [3, 'invalid']])
  expect(report[1].messages.map((m) => `${m.field}:${m.key}`)).toContain('adopter1Name:import.error.cellTooLong')
})
