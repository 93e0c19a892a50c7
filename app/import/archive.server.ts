// The archive files of imported records: opened one by one through the archive's own openFile,
// with the ledger's archive number kept (historical: no generated documents, the paper file holds
// the originals).
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { audit } from '#app/platform/audit.server.ts'
import { openFile } from '#app/archive/files.server.ts'

export type ImportedFile = { applicationId: string; type: 'establishment' | 'dissolution' | 'revocation'; archiveNumber: string | null }

export async function openImportedFiles(db: Kysely<Database>, cipher: FieldCipher, input: { batchId: string; actorId: string; files: ImportedFile[] }, today: string) {
  for (const file of input.files) {
    try {
      await openFile(db, cipher, { applicationId: file.applicationId, type: file.type, actorId: input.actorId, archiveNumber: file.archiveNumber, historical: true }, today)
    } catch (error) {
      if ((error as { code?: string }).code !== '23505' || !file.archiveNumber) throw error
      await openFile(db, cipher, { applicationId: file.applicationId, type: file.type, actorId: input.actorId, historical: true }, today)
      await audit(db, { actor: null, action: 'import.archive_number_taken', entityType: 'application', entityId: file.applicationId, summary: { batch: input.batchId, archiveNumber: file.archiveNumber } })
    }
  }
}
