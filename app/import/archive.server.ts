// The archive files of imported records: opened one by one through the archive's own openFile,
// with the ledger's archive number kept (historical: no generated documents, the paper file holds
// the originals).
import { sql, type Kysely } from 'kysely'
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
      // The ledger's number was taken by another file after the dry run: the file gets the next
      // number of its year instead, audited, and the import report's row says so.
      const fileId = await openFile(db, cipher, { applicationId: file.applicationId, type: file.type, actorId: input.actorId, historical: true }, today)
      const allocated = (await db.selectFrom('archive_files').select('archive_number').where('id', '=', fileId).executeTakeFirstOrThrow()).archive_number
      const note = { key: 'import.note.archiveNumberTaken', field: 'archiveNumber', params: { number: file.archiveNumber, allocated } }
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('import_rows').set({ messages: sql`messages || ${JSON.stringify([note])}::jsonb` })
          .where('batch_id', '=', input.batchId).where('application_id', '=', file.applicationId)
          .where(sql<boolean>`not messages @> ${JSON.stringify([{ key: note.key }])}::jsonb`).execute()
        await audit(trx, { actor: null, action: 'import.archive_number_taken', entityType: 'application', entityId: file.applicationId, summary: { batch: input.batchId, archiveNumber: file.archiveNumber, allocated } })
      })
    }
  }
}
