// Nightly: uploads that were streamed in but never kept (a form refused after its file arrived,
// a crash mid-upload) are deleted once a day old (app/platform/storage.server.ts).
import type { Task } from 'graphile-worker'
import type { DB } from '#db/connection.ts'
import { purgeStagedBlobs } from '#app/platform/storage.server.ts'

export function storagePurgeStagedTask(deps: { db: DB }): Task {
  return async (_payload, helpers) => {
    const purged = await purgeStagedBlobs(deps.db, new Date(Date.now() - 86_400_000))
    if (purged) helpers.logger.info(`storage: purged ${purged} staged uploads nobody kept`)
  }
}
