// Opens the archive file of a concluded case (enqueued by registration in the deciding
// transaction). Idempotent: a retry finds the file already open.
import type { Task } from 'graphile-worker'
import { z } from 'zod'
import type { DB } from '#db/connection.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { openFile } from '#app/archive/files.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'

const payload = z.object({
  applicationId: z.string().regex(/^\d+$/),
  type: z.enum(['establishment', 'refusal', 'dissolution', 'revocation']),
  actorId: z.string().regex(/^\d+$/),
})

export function archiveOpenFileTask(deps: { db: DB; cipher: FieldCipher }): Task {
  return async (raw) => {
    const input = payload.parse(raw)
    await openFile(deps.db, deps.cipher, input, todayInShanghai())
  }
}
