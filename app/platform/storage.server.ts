// The storage interface for attachments (photos, audio notes, scans). The default keeps them in
// PostgreSQL, encrypted with the field key, so backups and access control cover them like every
// other record; a province that outgrows one database swaps in object storage behind the same calls.
import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { FieldCipher } from './crypto.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export type BlobStore = {
  put(db: Db, bytes: Uint8Array): Promise<string>
  get(db: Db, id: string): Promise<Buffer | null>
}

export function postgresBlobStore(cipher: FieldCipher): BlobStore {
  return {
    async put(db, bytes) {
      const { id } = await db.insertInto('blobs').values({
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.byteLength,
        content_enc: cipher.encryptBytes(bytes),
      }).returning('id').executeTakeFirstOrThrow()
      return id
    },
    async get(db, id) {
      const row = await db.selectFrom('blobs').select('content_enc').where('id', '=', id).executeTakeFirst()
      return row ? cipher.decryptBytes(row.content_enc) : null
    },
  }
}

/** What may be attached: photos, audio notes and scans, recognised by their first bytes too. */
export const ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024
const signatures: Array<{ type: string; test: (b: Uint8Array) => boolean }> = [
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { type: 'application/pdf', test: (b) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 },
  { type: 'image/tiff', test: (b) => (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a) },
  { type: 'audio/mpeg', test: (b) => (b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0) },
  { type: 'audio/mp4', test: (b) => b[4] === 0x66 && b[5] === 0x74 && b[6] === 0x79 && b[7] === 0x70 },
  { type: 'audio/wav', test: (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 },
]

/** The content type the bytes really are, or null when the file is not an accepted kind. */
export function sniffAttachmentType(bytes: Uint8Array): string | null {
  return signatures.find((s) => s.test(bytes))?.type ?? null
}
