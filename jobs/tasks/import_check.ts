// The dry run of an uploaded ledger (app/import): reads the file, checks every row, writes the
// report. Nothing else is written. Started again from the top on a retry.
import type { Task } from 'graphile-worker'
import { z } from 'zod'
import type { DB } from '#db/connection.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { processBatch } from '#app/import/batches.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'

const payload = z.object({ batchId: z.string().regex(/^\d+$/) })

export function importCheckTask(deps: { db: DB; cipher: FieldCipher }): Task {
  return async (raw) => {
    const { batchId } = payload.parse(raw)
    await processBatch(deps.db, deps.cipher, batchId, 'check', todayInShanghai())
  }
}
