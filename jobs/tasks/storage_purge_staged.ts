// Nightly: uploads that were streamed in but never kept (a form refused after its file arrived,
// a crash mid-upload) are deleted once a day old (app/platform/storage.server.ts), and so are the
// temporary string tables of a ledger import that died (app/import/xlsx.server.ts).
import type { Task } from 'graphile-worker'
import type { DB } from '#db/connection.ts'
import { purgeStagedBlobs } from '#app/platform/storage.server.ts'
import { purgeLeftoverStringTables } from '#app/import/xlsx.server.ts'
import { pruneLoginThrottle } from '#app/platform/auth/throttle.server.ts'

export function storagePurgeStagedTask(deps: { db: DB }): Task {
  return async (_payload, helpers) => {
    const dayAgo = new Date(Date.now() - 86_400_000)
    const purged = await purgeStagedBlobs(deps.db, dayAgo)
    if (purged) helpers.logger.info(`storage: purged ${purged} staged uploads nobody kept`)
    const tables = purgeLeftoverStringTables(dayAgo)
    if (tables) helpers.logger.info(`import: removed ${tables} temporary string tables left by a stopped import`)
    // Login throttle rows no window remembers any more (decision 031).
    await pruneLoginThrottle(deps.db)
  }
}
