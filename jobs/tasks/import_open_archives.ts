// Opens the archive files of a chunk of imported records (enqueued by the import's transaction),
// keeping the ledger's archive number when it had one. Idempotent: openFile finds a file already
// open. A kept number someone took in the meantime falls back to an allocated one (audited).
import type { Task } from 'graphile-worker'
import { z } from 'zod'
import type { DB } from '#db/connection.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { openImportedFiles } from '#app/import/archive.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'

const payload = z.object({
  batchId: z.string().regex(/^\d+$/),
  actorId: z.string().regex(/^\d+$/),
  files: z.array(z.object({
    applicationId: z.string().regex(/^\d+$/),
    type: z.enum(['establishment', 'dissolution', 'revocation']),
    archiveNumber: z.string().nullable(),
  })),
})

export function importOpenArchivesTask(deps: { db: DB; cipher: FieldCipher }): Task {
  return async (raw) => {
    const input = payload.parse(raw)
    await openImportedFiles(deps.db, deps.cipher, input, todayInShanghai())
  }
}
