// Streaming multipart forms (decision 008): a file part goes straight from the request into the
// blob store, chunk by chunk, while its first and last bytes are kept for checks — the server never
// holds the whole file. Text fields are read into memory as usual (small, capped). The action then
// validates the fields and, in its own transaction, claims the staged blob or discards it.
import type { Kysely } from 'kysely'
import { unstable_composeUploadHandlers, unstable_parseMultipartFormData } from '@remix-run/node'
import { badFormData, malformedInput } from './http/input-guard.server.ts'
import type { Database } from '#db/schema.ts'
import type { FieldCipher } from './crypto.server.ts'
import { BlobTooLargeError, postgresBlobStore, sniffAttachmentType, type StoredBlob } from './storage.server.ts'

/** The routes whose actions parse with withUploadForm: the server lets their multipart bodies be larger. */
export const STREAMING_UPLOAD_PATHS: readonly RegExp[] = [/^\/archive\/\d+\/?$/, /^\/admin\/import\/?$/]

export type StagedUpload = {
  blob: StoredBlob
  filename: string
  /** What the bytes are (by their first bytes), or null for a kind we do not accept. */
  contentType: string | null
  /** False when the file visibly stops short (a PDF without its end marker, a JPEG or PNG cut off). */
  complete: boolean
  /** Pages counted in a PDF's uncompressed page objects; null when none are visible (object streams). */
  pdfPages: number | null
}

export type UploadForm = {
  formData: FormData
  uploads: Map<string, StagedUpload>
  /** Fields whose file went over the limit: drained, nothing kept. */
  tooLarge: Set<string>
  /** Deletes every staged upload of this form not claimed (call when the form is refused). */
  discard(): Promise<void>
}

const TAIL_BYTES = 1024
/** A text field's bytes, and all text fields' of one form together (decision 032): a body of the streaming routes' size made of text fields must not be held in memory. */
export const TEXT_FIELD_MAX_BYTES = 64 * 1024
export const TEXT_FIELDS_MAX_BYTES = 1024 * 1024
const PAGE_OBJECT = /\/Type\s*\/Page(?![a-zA-Z])/g

/** Watches the bytes go by: the head for the type, the tail for truncation, PDF page objects. */
function inspector() {
  let head = Buffer.alloc(0)
  let tail = Buffer.alloc(0)
  let pages = 0
  let carry = ''
  return {
    see(part: Uint8Array) {
      const bytes = Buffer.from(part.buffer, part.byteOffset, part.byteLength)
      if (head.length < 16) head = Buffer.concat([head, bytes.subarray(0, 16 - head.length)])
      tail = Buffer.concat([tail, bytes]).subarray(-TAIL_BYTES)
      // latin1 maps bytes to characters one to one; the carry catches a marker split across parts.
      const text = carry + bytes.toString('latin1')
      pages += (text.match(PAGE_OBJECT) ?? []).length - (carry.match(PAGE_OBJECT) ?? []).length
      carry = text.slice(-24)
    },
    result() {
      const contentType = sniffAttachmentType(head)
      return { contentType, complete: isComplete(contentType, tail), pdfPages: contentType === 'application/pdf' && pages > 0 ? pages : null }
    },
  }
}

function isComplete(contentType: string | null, tail: Buffer): boolean {
  switch (contentType) {
    case 'application/pdf': return tail.includes('%%EOF')
    case 'image/jpeg': return tail.subarray(-2).equals(Buffer.from([0xff, 0xd9])) || tail.includes(Buffer.from([0xff, 0xd9]))
    case 'image/png': return tail.includes(Buffer.from('IEND'))
    default: return true
  }
}

async function drain(data: AsyncIterable<Uint8Array>) {
  for await (const _ of data); // eslint-disable-line @typescript-eslint/no-unused-vars
}

/**
 * Parses a multipart form, streaming the parts named in `fileFields` into staged blobs of at most
 * `maxBytes` each. Any other file part is drained and ignored; text fields are kept (64 KB each).
 */
export async function parseUploadForm(
  request: Request,
  db: Kysely<Database>,
  cipher: FieldCipher,
  options: { fileFields: readonly string[]; maxBytes: number },
): Promise<UploadForm> {
  const store = postgresBlobStore(cipher)
  const uploads = new Map<string, StagedUpload>()
  const tooLarge = new Set<string>()
  const discard = async () => {
    for (const upload of uploads.values()) await store.discard(db, upload.blob.id)
    uploads.clear()
  }
  const files = async ({ name, filename, data }: { name: string; filename?: string; data: AsyncIterable<Uint8Array> }) => {
    if (typeof filename !== 'string') return undefined
    if (!options.fileFields.includes(name) || uploads.has(name) || filename === '') {
      await drain(data)
      return '' // a file input left empty arrives as a part with no name and no bytes
    }
    const watch = inspector()
    const source = data[Symbol.asyncIterator]()
    const watched = { [Symbol.asyncIterator]: () => ({ next: async () => { const r = await source.next(); if (!r.done) watch.see(r.value); return r } }) }
    try {
      const blob = await store.putStream(db, watched, { maxBytes: options.maxBytes })
      uploads.set(name, { blob, filename, ...watch.result() })
    } catch (error) {
      if (!(error instanceof BlobTooLargeError)) throw error
      tooLarge.add(name)
      await drain({ [Symbol.asyncIterator]: () => source })
    }
    // The form carries only a marker: the upload itself is in `uploads`, which no field can forge.
    return ''
  }
  // Text fields in memory up to their caps; a field over its cap, or past the form's, is read and
  // dropped (the form's validation then says what is missing), never kept.
  let textBytes = 0
  const texts = async ({ filename, data }: { filename?: string; data: AsyncIterable<Uint8Array> }) => {
    if (typeof filename === 'string') { await drain(data); return undefined }
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of data) {
      size += chunk.byteLength
      textBytes += chunk.byteLength
      if (size <= TEXT_FIELD_MAX_BYTES && textBytes <= TEXT_FIELDS_MAX_BYTES) chunks.push(chunk)
    }
    if (size > TEXT_FIELD_MAX_BYTES || textBytes > TEXT_FIELDS_MAX_BYTES) return undefined
    return new TextDecoder().decode(Buffer.concat(chunks))
  }
  try {
    const formData = await unstable_parseMultipartFormData(request, unstable_composeUploadHandlers(files, texts))
    return { formData, uploads, tooLarge, discard }
  } catch (error) {
    await discard()
    throw error
  }
}

/**
 * Runs `work` on the request's form, streamed when it is multipart; afterwards every staged upload
 * the work did not claim is deleted — a refused form keeps nothing, a kept one loses nothing.
 */
export async function withUploadForm<T>(
  request: Request,
  db: Kysely<Database>,
  cipher: FieldCipher,
  options: { fileFields: readonly string[]; maxBytes: number },
  work: (form: UploadForm) => Promise<T>,
): Promise<T> {
  const multipart = (request.headers.get('content-type') ?? '').startsWith('multipart/form-data')
  const form: UploadForm = multipart
    ? await parseUploadForm(request, db, cipher, options)
    : { formData: await request.formData(), uploads: new Map(), tooLarge: new Set(), discard: async () => {} }
  try {
    // The input guard does not read these bodies twice: their text fields are checked here.
    if (badFormData(form.formData)) throw malformedInput()
    return await work(form)
  } finally {
    await form.discard()
  }
}
