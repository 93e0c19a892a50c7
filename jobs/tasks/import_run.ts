// The import of a checked ledger (app/import): each chunk of rows is one transaction; a retry after
// a crash finds the rows already created and goes on.
import type { Task } from 'graphile-worker'
import { z } from 'zod'
import type { DB } from '#db/connection.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { processBatch } from '#app/import/batches.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'

const payload = z.object({ batchId: z.string().regex(/^\d+$/) })

export function importRunTask(deps: { db: DB; cipher: FieldCipher }): Task {
  return async (raw) => {
    const { batchId } = payload.parse(raw)
    await processBatch(deps.db, deps.cipher, batchId, 'import', todayInShanghai())
  }
}
