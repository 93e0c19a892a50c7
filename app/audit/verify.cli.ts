// `npm run audit:verify`: walks every registry's audit chain and recomputes each row's MAC
// (decision 029). Prints where a chain breaks, keeps the result for the audit administrator's page,
// and exits 1 on a break (for a monitoring system). On the embedded database, run it while the
// registry is stopped (the embedded server belongs to one process at a time).
import { createDb, createPool } from '#db/connection.ts'
import { migrateAndGrant, openDatabase } from '#db/setup.ts'
import { isDemo, readEnv } from '#app/platform/env.server.ts'
import { loadKeys } from '#app/platform/keys.server.ts'
import { checkAuditChains, deriveAuditChainKey, useAuditChainKey } from '#app/platform/audit-chain.server.ts'

const env = readEnv()
const target = await openDatabase({ databaseUrl: env.DATABASE_URL, ownerUrl: env.DATABASE_OWNER_URL, dataDir: env.DATA_DIR, database: 'adoption_registry', demo: isDemo(env) })
const db = createDb(createPool(target.appUrl, 2))
let code = 0
try {
  await migrateAndGrant(target)
  useAuditChainKey(deriveAuditChainKey(loadKeys(env).masterKey))
  const report = await checkAuditChains(db, 'command')
  if (report.ok) {
    console.log(`audit chain intact: ${report.rowsChecked} rows verified${report.pending ? `, ${report.pending} earlier rows waiting to be sealed at the next start` : ''}`)
  } else {
    code = 1
    for (const b of report.breaks) {
      console.log(`registry ${b.chain || '(deployment)'}: ${b.kind} at ${b.id ? `row id ${b.id}` : 'the end of the chain'}${b.seq ? ` (position ${b.seq})` : ''}`)
    }
  }
} catch (error) {
  code = 2
  console.error(error instanceof Error ? error.message : error)
} finally {
  await db.destroy()
  await target.embedded?.stop()
}
process.exit(code)
