// The storage interface for attachments (photos, audio notes, scans). The default keeps them in
// PostgreSQL, encrypted with the field key, so backups and access control cover them like every
// other record; a province that outgrows one database swaps in object storage behind the same calls.
import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { FieldCipher, Place } from './crypto.server.ts'

type Db = Kysely<Database> | Transaction<Database>

/**
 * Bytes are stored in chunks of this size, each one AES-GCM message (decision 008): an upload is
 * encrypted and written as it arrives and read back the same way, so the server holds one chunk,
 * never the whole file.
 */
export const CHUNK_BYTES = 256 * 1024

export type StoredBlob = { id: string; sha256: string; size: number }

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) { super(`upload larger than ${maxBytes} bytes`) }
}

export type BlobStore = {
  /** Stores bytes already in memory (small attachments, generated PDFs), kept by the caller's transaction. */
  put(db: Db, bytes: Uint8Array): Promise<string>
  /** The whole content, or null for an unknown id. */
  get(db: Db, id: string): Promise<Buffer | null>
  /** The content chunk by chunk, for streaming it out. */
  read(db: Db, id: string): AsyncGenerator<Buffer>
  /**
   * Streams an upload in as a *staged* blob: committed chunk by chunk outside any transaction, so
   * a slow upload holds no transaction open. Over `maxBytes` it is deleted and BlobTooLargeError
   * thrown. The record that keeps it must `claim` it in its own transaction; staged blobs left
   * behind (a refused form, a crash) are deleted by `discard` or the nightly purge.
   */
  putStream(db: Kysely<Database>, source: AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<StoredBlob>
  claim(trx: Transaction<Database>, id: string): Promise<void>
  discard(db: Kysely<Database>, id: string): Promise<void>
}

/** A chunk is bound to its blob and position (decision 030): chunks cannot be swapped or reordered. */
export const chunkPlace = (blobId: string | number, seq: number): Place => ({ table: 'blob_chunks', column: 'content_enc', row: [String(blobId), seq] })

export function postgresBlobStore(cipher: FieldCipher): BlobStore {
  const writeChunk = (db: Db, blobId: string, seq: number, plain: Uint8Array) =>
    db.insertInto('blob_chunks').values({ blob_id: blobId, seq, content_enc: cipher.encryptBytes(plain, chunkPlace(blobId, seq)) }).execute()
  const store: BlobStore = {
    async put(db, bytes) {
      const { id } = await db.insertInto('blobs').values({
        sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength, claimed_at: new Date(),
      }).returning('id').executeTakeFirstOrThrow()
      for (let seq = 0, at = 0; at < bytes.byteLength || seq === 0; seq++, at += CHUNK_BYTES) {
        await writeChunk(db, id, seq, bytes.subarray(at, at + CHUNK_BYTES))
      }
      return id
    },
    async get(db, id) {
      const exists = await db.selectFrom('blobs').select('id').where('id', '=', id).executeTakeFirst()
      if (!exists) return null
      const parts: Buffer[] = []
      for await (const part of store.read(db, id)) parts.push(part)
      return Buffer.concat(parts)
    },
    async *read(db, id) {
      // A few chunks per round trip: memory stays at a few chunks whatever the size.
      for (let from = 0; ; from += 4) {
        const rows = await db.selectFrom('blob_chunks').select(['seq', 'content_enc']).where('blob_id', '=', id)
          .where('seq', '>=', from).where('seq', '<', from + 4).orderBy('seq').execute()
        for (const row of rows) yield cipher.decryptBytes(row.content_enc, chunkPlace(id, row.seq))
        if (rows.length < 4) return
      }
    },
    async putStream(db, source, { maxBytes }) {
      const { id } = await db.insertInto('blobs').values({ sha256: '', size: 0 }).returning('id').executeTakeFirstOrThrow()
      const hash = createHash('sha256')
      let size = 0
      let seq = 0
      let pending: Uint8Array[] = []
      let pendingBytes = 0
      const flush = async () => {
        const chunk = pending.length === 1 ? pending[0] : Buffer.concat(pending)
        pending = []
        pendingBytes = 0
        await writeChunk(db, id, seq++, chunk)
      }
      try {
        for await (const part of source) {
          size += part.byteLength
          if (size > maxBytes) throw new BlobTooLargeError(maxBytes)
          hash.update(part)
          // Copy: the parser may reuse its buffer for the next part.
          let rest = Buffer.from(part)
          while (pendingBytes + rest.byteLength >= CHUNK_BYTES) {
            const take = CHUNK_BYTES - pendingBytes
            pending.push(rest.subarray(0, take))
            pendingBytes += take
            rest = rest.subarray(take)
            await flush()
          }
          if (rest.byteLength) { pending.push(rest); pendingBytes += rest.byteLength }
        }
        if (pendingBytes || seq === 0) await flush()
        const sha256 = hash.digest('hex')
        await db.updateTable('blobs').set({ sha256, size }).where('id', '=', id).execute()
        return { id, sha256, size }
      } catch (error) {
        await store.discard(db, id)
        throw error
      }
    },
    async claim(trx, id) {
      const claimed = await trx.updateTable('blobs').set({ claimed_at: new Date() }).where('id', '=', id).where('claimed_at', 'is', null).executeTakeFirst()
      if (Number(claimed.numUpdatedRows) !== 1) throw new Error(`blob ${id} is not a staged upload`)
    },
    async discard(db, id) {
      await db.deleteFrom('blobs').where('id', '=', id).where('claimed_at', 'is', null).execute()
    },
  }
  return store
}

/** Deletes staged uploads nobody claimed (a refused form whose cleanup failed, a crash mid-upload). */
export async function purgeStagedBlobs(db: Kysely<Database>, olderThan: Date): Promise<number> {
  const result = await db.deleteFrom('blobs').where('claimed_at', 'is', null).where('created_at', '<', olderThan).executeTakeFirst()
  return Number(result.numDeletedRows)
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
