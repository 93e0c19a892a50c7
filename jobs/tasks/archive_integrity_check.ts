// The nightly integrity check of every archived document (jobs/crontab).
import type { Task } from 'graphile-worker'
import type { DB } from '#db/connection.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { checkIntegrity } from '#app/archive/files.server.ts'

export function archiveIntegrityTask(deps: { db: DB; cipher: FieldCipher }): Task {
  return async (_payload, helpers) => {
    const result = await checkIntegrity(deps.db, (work) => helpers.withPgClient(work), deps.cipher)
    helpers.logger.info(`archive integrity: ${result.documents} documents, ${result.mismatches} mismatches`)
  }
}
