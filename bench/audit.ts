// The cost of the audit chain (decision 029): audited write transactions per second with N
// concurrent writers in one registry (all queueing on its chain head) and spread over registries,
// against the same transactions inserting the row without the chain; and the nightly
// verification's rows per second. `--transactions N` (default 4000), `--writers N` (default 8).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { startEmbeddedPostgres } from '#db/embedded.ts'
import { createDb, createPool, type DB } from '#db/connection.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { deriveAuditChainKey, useAuditChainKey, verifyAuditChains } from '#app/platform/audit-chain.server.ts'
import { audit } from '#app/platform/audit.server.ts'
import { median, report } from './report.ts'

const { values } = parseArgs({ options: { transactions: { type: 'string', default: '4000' }, writers: { type: 'string', default: '8' }, runs: { type: 'string', default: '3' } } })
const total = Number(values.transactions)
const writers = Number(values.writers)
const runs = Number(values.runs)
const dir = mkdtempSync(join(tmpdir(), 'adoption-bench-audit-'))
chmodSync(dir, 0o755)
const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'bench', log: () => {} })
const pool = createPool(pg.url, writers + 2)
const db = createDb(pool)
const key = deriveAuditChainKey(parseMasterKey(generateMasterKey()))
useAuditChainKey(key)
const registries = Array.from({ length: 8 }, (_, i) => `5001${String(10 + i)}`)

/** Each writer runs its share of transactions: a small row change and its audit row, as the app does. */
async function load(write: (trx: DB, registry: string, i: number) => Promise<void>, spread: boolean): Promise<number> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    while (next < total) {
      const i = next++
      const registry = spread ? registries[(i + w) % registries.length] : registries[0]
      await db.transaction().execute(async (trx) => {
        await sql`update registries set name_en = ${`r${i}`} where code = ${registry}`.execute(trx)
        await write(trx as unknown as DB, registry, i)
      })
    }
  }))
  return total / ((performance.now() - t0) / 1000)
}

const chained = (trx: DB, registry: string, i: number) => audit(trx, { actor: null, registryCode: registry, action: 'bench.write', entityType: 'registry', entityId: registry, summary: { i } })
const plain = async (trx: DB, registry: string, i: number) => {
  await sql`insert into audit_log (registry_code, action, entity_type, entity_id, summary) values (${registry}, 'bench.plain', 'registry', ${registry}, ${JSON.stringify({ i })}::jsonb)`.execute(trx)
}

try {
  await migrateToLatest(db, pool)
  for (const code of registries) await db.insertInto('registries').values({ code, name: code }).execute()
  const figures: Record<string, number[]> = { plainOne: [], chainedOne: [], plainSpread: [], chainedSpread: [] }
  for (let run = 0; run < runs; run++) {
    figures.plainOne.push(await load(plain, false))
    figures.chainedOne.push(await load(chained, false))
    figures.plainSpread.push(await load(plain, true))
    figures.chainedSpread.push(await load(chained, true))
  }
  // The plain rows carry no MAC: drop them from the verification's view by sealing nothing; count chained rows only.
  const t0 = performance.now()
  const verified = await verifyAuditChains(db, key)
  const verifySeconds = (performance.now() - t0) / 1000
  const m = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, median(v)]))
  console.log(`${writers} writers, ${total} transactions per run, median of ${runs}:`)
  console.log(`  one registry:   plain insert ${m.plainOne.toFixed(0)} tx/s, chained ${m.chainedOne.toFixed(0)} tx/s (${((m.chainedOne / m.plainOne) * 100).toFixed(0)} %)`)
  console.log(`  8 registries:   plain insert ${m.plainSpread.toFixed(0)} tx/s, chained ${m.chainedSpread.toFixed(0)} tx/s (${((m.chainedSpread / m.plainSpread) * 100).toFixed(0)} %)`)
  console.log(`  verification:   ${verified.rowsChecked} chained rows in ${verifySeconds.toFixed(2)} s = ${(verified.rowsChecked / verifySeconds).toFixed(0)} rows/s`)
  report('audit', {
    plainOneRegistry: { value: m.plainOne, unit: 'tx/s' },
    chainedOneRegistry: { value: m.chainedOne, unit: 'tx/s' },
    plainEightRegistries: { value: m.plainSpread, unit: 'tx/s' },
    chainedEightRegistries: { value: m.chainedSpread, unit: 'tx/s' },
    verifyRowsPerSecond: { value: verified.rowsChecked / verifySeconds, unit: 'rows/s' },
  }, { writers, transactions: total })
} finally {
  await db.destroy()
  await pg.stop()
  rmSync(dir, { recursive: true, force: true })
}
