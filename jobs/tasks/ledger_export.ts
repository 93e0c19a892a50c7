// Writes one ledger export (app/ledgers/exports.server.ts), enqueued when it was requested.
import type { Task } from 'graphile-worker'
import type { DB } from '#db/connection.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { runExport } from '#app/ledgers/exports.server.ts'

export function ledgerExportTask(deps: { db: DB; cipher: FieldCipher }): Task {
  return async (payload) => {
    const { exportId } = payload as { exportId: string }
    await runExport(deps.db, deps.cipher, String(exportId))
  }
}
