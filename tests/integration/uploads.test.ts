// Streaming uploads against real PostgreSQL: a multipart request's file goes into the blob store
// chunk by chunk (staged), the archive claims it in its transaction, and whatever is refused —
// a renamed file, a truncated one, one over the limit — leaves nothing stored.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createHash, randomBytes } from 'node:crypto'
import { PDFDocument } from 'pdf-lib'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { addDocument, openFile } from '#app/archive/files.server.ts'
import { TEXT_FIELDS_MAX_BYTES, withUploadForm } from '#app/platform/uploads.server.ts'
import { CHUNK_BYTES, postgresBlobStore, purgeStagedBlobs } from '#app/platform/storage.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let archivist: Viewer
let fileId: string

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  const registrar = await makeViewer(t.db, 'registrar')
  const supervisor = await makeViewer(t.db, 'supervisor')
  archivist = await makeViewer(t.db, 'archivist')
  const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  fileId = await openFile(t.db, cipher, { applicationId: id, type: 'establishment', actorId: supervisor.id }, TODAY)
})
afterAll(async () => { await t.destroy() })

/**
 * Bytes shaped like a JPEG's entropy-coded scan, as a file cut off mid-scan ends: every 0xFF is
 * stuffed with a 0x00, so no marker (the end-of-image FF D9 least of all) can appear by chance —
 * plain random bytes hold FF D9 in the last kilobyte about once in 64 runs.
 */
function entropyCoded(length: number): Buffer {
  const bytes = randomBytes(length)
  for (let i = 0; i < bytes.length - 1; i++) if (bytes[i] === 0xff) bytes[++i] = 0x00
  if (bytes[bytes.length - 1] === 0xff) bytes[bytes.length - 1] = 0x00
  return bytes
}

/** A browser-like multipart POST: text fields, then the file. */
function multipart(file: Uint8Array, filename: string, fields: Record<string, string> = {}) {
  const form = new FormData()
  for (const [k, v] of Object.entries({ intent: 'upload', category: 'other', title: filename, author: '档案员', docDate: TODAY, ...fields })) form.append(k, v)
  form.append('upload', new File([Buffer.from(file)], filename))
  return new Request('http://localhost/archive/1', { method: 'POST', body: form })
}

const staged = async () => (await t.db.selectFrom('blobs').select('id').where('claimed_at', 'is', null).execute()).length
const documentCount = async () => (await t.db.selectFrom('archive_documents').select('id').where('file_id', '=', fileId).execute()).length

async function upload(request: Request, maxBytes = 20 * 1024 * 1024, pages?: number) {
  return withUploadForm(request, t.db, cipher, { fileFields: ['upload'], maxBytes }, async ({ formData, uploads, tooLarge }) => {
    if (tooLarge.has('upload')) return { tooLarge: true as const }
    const file = uploads.get('upload')!
    return { id: await addDocument(t.db, cipher, archivist, fileId, { category: 'other', title: String(formData.get('title')), author: '档案员', docDate: TODAY, staged: file, pages }) }
  })
}

/** A PDF of `size` bytes whose page objects are visible: a real page and an image-like padding stream. */
async function bigPdf(size: number, useObjectStreams = false) {
  const doc = await PDFDocument.create()
  doc.addPage([595, 842])
  doc.addPage([595, 842])
  const padding = doc.context.stream(randomBytes(Math.floor(size)))
  doc.context.register(padding)
  return doc.save({ useObjectStreams })
}

describe('streamed uploads', () => {
  test('a 20 MB scan is stored in chunks with the hash of its bytes and reads back the same', async () => {
    const bytes = await bigPdf(19.9 * 1024 * 1024) // just under the default 20 MB limit
    const result = await upload(multipart(bytes, 'scan.pdf'))
    if (!('id' in result) || !result.id) throw new Error('refused')
    const doc = await t.db.selectFrom('archive_documents').select(['blob_id', 'sha256', 'size', 'pages', 'content_type']).where('id', '=', result.id).executeTakeFirstOrThrow()
    expect(doc).toMatchObject({ sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength, pages: 2, content_type: 'application/pdf' })
    const chunks = await t.db.selectFrom('blob_chunks').select('seq').where('blob_id', '=', doc.blob_id).execute()
    expect(chunks.length).toBe(Math.ceil(bytes.byteLength / CHUNK_BYTES))
    expect((await postgresBlobStore(cipher).get(t.db, doc.blob_id))!.equals(Buffer.from(bytes))).toBe(true)
    expect(await staged()).toBe(0)
  })

  test('over the limit: drained, nothing stored, the other fields still read', async () => {
    const before = await documentCount()
    const result = await upload(multipart(randomBytes(3 * 1024 * 1024), 'big.jpg'), 1024 * 1024)
    expect(result).toEqual({ tooLarge: true })
    expect(await staged()).toBe(0)
    expect(await documentCount()).toBe(before)
  })

  test('text fields are capped each and together: a body of many large fields is read and dropped, not held', async () => {
    // Each pad under the longest value any field may hold (MAX_FIELD_CHARS), together over the form's cap.
    const fields = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`pad${i}`, 'x'.repeat(15 * 1024)]))
    fields.big = 'y'.repeat(100 * 1024)
    const kept = await withUploadForm(multipart(Buffer.from('%PDF-1.4\n%%EOF\n'), 'a.pdf', fields), t.db, cipher, { fileFields: ['upload'], maxBytes: 1024 * 1024 },
      async ({ formData }) => [...formData.entries()].filter(([, v]) => typeof v === 'string').reduce((n, [, v]) => n + String(v).length, 0))
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThanOrEqual(TEXT_FIELDS_MAX_BYTES)
    expect(await staged()).toBe(0)
  })

  test('a renamed executable, a truncated PDF and a truncated JPEG are refused and leave no bytes behind', async () => {
    const before = await documentCount()
    const blobs = async () => (await t.db.selectFrom('blobs').select('id').execute()).length
    const blobsBefore = await blobs()
    await expect(upload(multipart(Buffer.from('MZ\x90\x00 not a pdf at all'), 'renamed.pdf'))).rejects.toMatchObject({ messageKey: 'archive.upload.type' })
    const whole = await bigPdf(64 * 1024)
    await expect(upload(multipart(whole.slice(0, whole.length - 2000), 'cut.pdf'))).rejects.toMatchObject({ messageKey: 'archive.upload.damaged' })
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), entropyCoded(5000)])
    await expect(upload(multipart(jpeg, 'cut.jpg'))).rejects.toMatchObject({ messageKey: 'archive.upload.damaged' })
    expect(await blobs()).toBe(blobsBefore)
    expect(await documentCount()).toBe(before)
  })

  test('a large PDF whose pages are in compressed object streams needs the page count from the archivist', async () => {
    const bytes = await bigPdf(9 * 1024 * 1024, true)
    await expect(upload(multipart(bytes, 'objstm.pdf'))).rejects.toMatchObject({ messageKey: 'archive.upload.pagesRequired' })
    expect(await staged()).toBe(0)
    const result = await upload(multipart(bytes, 'objstm.pdf'), 20 * 1024 * 1024, 2)
    if (!('id' in result) || !result.id) throw new Error('refused')
    expect((await t.db.selectFrom('archive_documents').select('pages').where('id', '=', result.id).executeTakeFirstOrThrow()).pages).toBe(2)
  })

  test('staged uploads nobody claimed are purged; claimed ones stay', async () => {
    const store = postgresBlobStore(cipher)
    async function* source() { yield randomBytes(1000) }
    const orphan = await store.putStream(t.db, source(), { maxBytes: 10_000 })
    await t.db.updateTable('blobs').set({ created_at: new Date(Date.now() - 2 * 86_400_000) } as never).where('id', '=', orphan.id).execute()
    const claimedBefore = (await t.db.selectFrom('blobs').select('id').where('claimed_at', 'is not', null).execute()).length
    expect(await purgeStagedBlobs(t.db, new Date(Date.now() - 86_400_000))).toBe(1)
    expect(await t.db.selectFrom('blob_chunks').select('seq').where('blob_id', '=', orphan.id).execute()).toEqual([])
    expect((await t.db.selectFrom('blobs').select('id').where('claimed_at', 'is not', null).execute()).length).toBe(claimedBefore)
  })
})
