// Re-encrypts stored fields to format v2 (app/platform/reencrypt.server.ts, decision 030): a few
// batches per run, then the job queues itself again under the same key, so that other jobs are not
// held up and a stopped worker resumes from the recorded cursors.
import type { Task } from 'graphile-worker'
import type { DB } from '#db/connection.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { REENCRYPT_TASK, runReencryption } from '#app/platform/reencrypt.server.ts'
import { enqueue } from '#app/platform/jobs.server.ts'

export function reencryptFieldsTask(deps: { db: DB; cipher: FieldCipher }): Task {
  return async (_payload, helpers) => {
    const result = await runReencryption(deps.db, deps.cipher, { limit: 200, maxBatches: 25 })
    if (result.converted) helpers.logger.info(`field encryption: ${result.converted} rows re-encrypted to format v2`)
    if (!result.finished) {
      await enqueue(deps.db, REENCRYPT_TASK, {}, { jobKey: REENCRYPT_TASK })
    } else if (result.failed) {
      helpers.logger.error(`field encryption: ${result.failed} values could not be read; format v1 stays accepted (see field_encryption_state.failed)`)
    }
  }
}
