// Field encryption format v2 over real rows (decision 030): ciphertexts swapped between rows are
// refused; rows written in format v1 are read, found by ID number, and converted by the
// re-encryption job in resumable batches, after which v1 is refused.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { applicationInput, makeApplication, makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { loadApplication, recordFindings, type Viewer } from '#app/registration/applications.server.ts'
import { listApplications } from '#app/registration/ledger.server.ts'
import { chunkPlace, postgresBlobStore } from '#app/platform/storage.server.ts'
import { normalizeCitizenId } from '#app/platform/citizen-id.ts'
import { encryptedTables, fieldFormatDone, reencryptBatch, runReencryption } from '#app/platform/reencrypt.server.ts'
import { reencryptFieldsTask } from '#jobs/tasks/reencrypt_fields.ts'
import { makeRegistry } from '#tests/support/factories.ts'
import { v1BlindIndex, v1Encrypt, v1Seal } from '../support/legacy-cipher.ts'

const masterKey = parseMasterKey(generateMasterKey())
let t: TestDatabase
let registrar: Viewer
beforeAll(async () => {
  t = await testDatabase()
  await makeRegistry(t.db)
  registrar = await makeViewer(t.db, 'registrar')
})
afterAll(async () => { await t.destroy() })

const partiesOf = (id: string) => t.db.selectFrom('parties').select(['id', 'role', 'position', 'id_number_enc', 'id_hash', 'findings_enc']).where('application_id', '=', id).orderBy('role').orderBy('position').execute()

test('every encrypted column of the schema is known to the re-encryption job', async () => {
  const columns = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and (column_name like '%\\_enc' or column_name in ('totp_secret', 'old_value', 'new_value'))`.execute(t.db)
  const known = new Set(encryptedTables.flatMap((s) => s.columns.map((c) => `${s.table}.${c}`)))
  const missing = columns.rows.map((r) => `${r.table_name}.${r.column_name}`).filter((c) => !known.has(c))
  expect(missing).toEqual([])
})

test('a ciphertext swapped into another row is refused on read', async () => {
  const cipher = createFieldCipher(masterKey)
  const input = applicationInput()
  const a = await makeApplication(t.db, cipher, registrar, input)
  const b = await makeApplication(t.db, cipher, registrar)
  expect((await loadApplication(t.db, cipher, registrar, a)).parties.length).toBeGreaterThan(1)
  const childA = (await partiesOf(a)).find((p) => p.role === 'adopter' && p.position === 1)!
  const childB = (await partiesOf(b)).find((p) => p.role === 'adopter' && p.position === 1)!
  expect(childA.id_number_enc!.startsWith('v2:')).toBe(true)
  // Someone with write access to the table moves B's first adopter's number onto A's (and back).
  await t.db.updateTable('parties').set({ id_number_enc: childB.id_number_enc, id_hash: childB.id_hash }).where('id', '=', childA.id).execute()
  await expect(loadApplication(t.db, cipher, registrar, a)).rejects.toThrow(/refused/)
  await t.db.updateTable('parties').set({ id_number_enc: childA.id_number_enc, id_hash: childA.id_hash }).where('id', '=', childA.id).execute()
  expect((await loadApplication(t.db, cipher, registrar, a)).parties.find((p) => p.role === 'adopter' && p.position === 1)!.idNumber).toBe(input.adopter1.idNumber)
  // A finding recorded for one adopter, copied to the other adopter's row, is refused as well.
  await recordFindings(t.db, cipher, registrar, a, 1, { disqualifyingDisease: false, harmfulRecord: true })
  if (input.joint && input.adopter2) {
    const [first, second] = (await partiesOf(a)).filter((p) => p.role === 'adopter')
    await t.db.updateTable('parties').set({ findings_enc: first.findings_enc }).where('id', '=', second.id).execute()
    await expect(loadApplication(t.db, cipher, registrar, a)).rejects.toThrow(/refused/)
    await t.db.updateTable('parties').set({ findings_enc: null }).where('id', '=', second.id).execute()
  }
})

test('rows in format v1 are read and found, then the job converts them in batches and v1 is refused', async () => {
  const cipher = createFieldCipher(masterKey)
  const input = applicationInput()
  const id = await makeApplication(t.db, cipher, registrar, input)
  const idNumber = input.adopter1.idNumber!
  // The rows as the registry wrote them before format v2: no binding, the one old blind-index key.
  for (const p of await partiesOf(id)) {
    if (!p.id_number_enc) continue
    const plain = cipher.decrypt(p.id_number_enc, { table: 'parties', column: 'id_number_enc', row: p.id })
    await t.db.updateTable('parties').set({ id_number_enc: v1Encrypt(masterKey, plain), id_hash: v1BlindIndex(masterKey, normalizeCitizenId(plain)) }).where('id', '=', p.id).execute()
  }
  await t.db.updateTable('users').set({ totp_secret: v1Encrypt(masterKey, 'JBSWY3DPEHPK3PXP'), totp_enabled: true }).where('id', '=', registrar.id).execute()
  const blobId = await postgresBlobStore(cipher).put(t.db, Buffer.from('扫描件'))
  await t.db.updateTable('blob_chunks').set({ content_enc: v1Seal(masterKey, Buffer.from('扫描件')) }).where('blob_id', '=', blobId).execute()

  // Read and found while the job has not run.
  const loaded = await loadApplication(t.db, cipher, registrar, id)
  expect(loaded.parties.find((p) => p.role === 'adopter' && p.position === 1)!.idNumber).toBe(idNumber)
  expect((await listApplications(t.db, cipher, registrar, { q: idNumber }, TODAY)).rows.map((r) => r.id)).toContain(id)
  expect(await postgresBlobStore(cipher).get(t.db, blobId)).toEqual(Buffer.from('扫描件'))

  // One small batch, then the graphile-worker task for the rest (it resumes from the cursors).
  const first = await reencryptBatch(t.db, cipher, 1)
  expect(first.finished).toBe(false)
  expect(await fieldFormatDone(t.db)).toBe(false)
  const logger = { info: () => {}, error: (m: string) => { throw new Error(m) } }
  let result: Awaited<ReturnType<typeof runReencryption>> = { converted: 0, finished: false, failed: 0 }
  while (!result.finished) {
    result = await runReencryption(t.db, cipher, { limit: 2, maxBatches: 3 })
  }
  await reencryptFieldsTask({ db: t.db, cipher })({}, { logger } as never) // idempotent once done
  expect(result.failed).toBe(0)
  expect(await fieldFormatDone(t.db)).toBe(true)
  expect(cipher.acceptsLegacy()).toBe(false)

  for (const p of await partiesOf(id)) {
    if (!p.id_number_enc) continue
    expect(p.id_number_enc.startsWith('v2:')).toBe(true)
    const plain = cipher.decrypt(p.id_number_enc, { table: 'parties', column: 'id_number_enc', row: p.id })
    expect(p.id_hash).toBe(cipher.blindIndex('citizen_id', normalizeCitizenId(plain)))
  }
  const user = await t.db.selectFrom('users').select('totp_secret').where('id', '=', registrar.id).executeTakeFirstOrThrow()
  expect(cipher.decrypt(user.totp_secret!, { table: 'users', column: 'totp_secret', row: registrar.id })).toBe('JBSWY3DPEHPK3PXP')
  const chunk = await t.db.selectFrom('blob_chunks').select(['seq', 'content_enc']).where('blob_id', '=', blobId).executeTakeFirstOrThrow()
  expect(cipher.isCurrent(chunk.content_enc)).toBe(true)
  expect(cipher.decryptBytes(chunk.content_enc, chunkPlace(blobId, chunk.seq))).toEqual(Buffer.from('扫描件'))
  // After: still found by ID number with the current index alone; a v1 value is refused.
  expect((await listApplications(t.db, cipher, registrar, { q: idNumber }, TODAY)).rows.map((r) => r.id)).toContain(id)
  expect(() => cipher.decrypt(v1Encrypt(masterKey, 'x'), { table: 'users', column: 'totp_secret', row: registrar.id })).toThrow(/v1 refused/)
})
