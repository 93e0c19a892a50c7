// The audit chain (decision 029): the owner of the database — who can disable the triggers — breaks
// the chain on purpose, and the verification names the row where it breaks.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testChainKey, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry } from '#tests/support/factories.ts'
import { audit, auditMany } from '#app/platform/audit.server.ts'
import { chainAlert, checkAuditChains, sealUnsealed, verifyAuditChains, type ChainBreak } from '#app/platform/audit-chain.server.ts'
import { auditChainVerifyTask } from '#jobs/tasks/audit_chain_verify.ts'
import { crontab } from '#jobs/worker.ts'
import { parseCrontab } from 'graphile-worker'

let t: TestDatabase
beforeAll(async () => { t = await testDatabase() })
afterAll(async () => { await t.destroy() })

async function rowsOf(registry: string, count: number) {
  await makeRegistry(t.db, registry, `测试${registry}`)
  for (let i = 0; i < count; i++) {
    await audit(t.db, { actor: null, registryCode: registry, action: 'test.chain', entityType: 'user', entityId: i, summary: { i, nested: { b: 2, a: [1, 'x'] } } })
  }
  const ids = await t.db.selectFrom('audit_log').select(['id', 'chain_seq']).where('registry_code', '=', registry).orderBy('chain_seq').execute()
  return ids.map((r) => r.id)
}

/** As the owner, with the append-only triggers switched off: what an insider with the owner's password can do. */
async function asOwnerWithoutTriggers(work: (owner: TestDatabase['owner']) => Promise<unknown>) {
  await t.owner.transaction().execute(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(trx)
    await work(trx)
    await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(trx)
  })
}

const breaksOf = (breaks: ChainBreak[], chain: string) => breaks.filter((b) => b.chain === chain).map(({ id, kind }) => ({ id, kind }))

describe('the chain', () => {
  test('rows of each registry are chained in order and verify', async () => {
    const ids = await rowsOf('510101', 5)
    const rows = await t.db.selectFrom('audit_log').select(['chain_seq', 'mac']).where('id', 'in', ids).orderBy('chain_seq').execute()
    expect(rows.map((r) => r.chain_seq)).toEqual(['1', '2', '3', '4', '5'])
    expect(rows.every((r) => r.mac?.length === 32)).toBe(true)
    const report = await verifyAuditChains(t.db, testChainKey)
    expect(report).toMatchObject({ ok: true, breaks: [] })
    expect(report.rowsChecked).toBeGreaterThanOrEqual(5)
    // A different key (another deployment's, or a guess) verifies nothing.
    const forged = await verifyAuditChains(t.db, Buffer.alloc(32, 1))
    expect(forged.ok).toBe(false)
  })

  test('concurrent transactions of one registry queue on the chain head and never fork it', async () => {
    await makeRegistry(t.db, '510102', '并发')
    await Promise.all(Array.from({ length: 24 }, (_, i) => t.db.transaction().execute(async (trx) => {
      await audit(trx, { actor: null, registryCode: '510102', action: 'test.parallel', summary: { i } })
      await audit(trx, { actor: null, registryCode: '510102', action: 'test.parallel.second', summary: { i } })
    })))
    await auditMany(t.db, Array.from({ length: 300 }, (_, i) => ({ actor: null, registryCode: '510102', action: 'test.bulk', summary: { i } })))
    const seqs = (await t.db.selectFrom('audit_log').select('chain_seq').where('registry_code', '=', '510102').orderBy('chain_seq').execute()).map((r) => Number(r.chain_seq))
    expect(seqs).toEqual(Array.from({ length: 348 }, (_, i) => i + 1))
    expect((await verifyAuditChains(t.db, testChainKey)).ok).toBe(true)
  })

  test('an UPDATE, a DELETE, a deleted tail and forged rows by the owner are each found at the row where the chain breaks', async () => {
    const updated = await rowsOf('520101', 4)
    const deleted = await rowsOf('520102', 4)
    const tail = await rowsOf('520103', 4)
    const forged = await rowsOf('520104', 3)
    await asOwnerWithoutTriggers(async (owner) => {
      await sql`update audit_log set summary = '{"i": 99}' where id = ${updated[1]}`.execute(owner)
      await sql`delete from audit_log where id = ${deleted[2]}`.execute(owner)
      await sql`delete from audit_log where id = ${tail[3]}`.execute(owner)
    })
    // Forged rows: one without a MAC (the owner has no key), one with a made-up MAC at the next place.
    const plain = await sql<{ id: string }>`insert into audit_log (registry_code, action) values ('520104', 'test.forged') returning id`.execute(t.owner)
    const guessed = await sql<{ id: string }>`
      insert into audit_log (registry_code, action, chain_seq, mac) values ('520104', 'test.forged', 4, ${Buffer.alloc(32, 9)}) returning id`.execute(t.owner)

    const report = await checkAuditChains(t.db, 'command')
    expect(report.ok).toBe(false)
    expect(breaksOf(report.breaks, '520101')).toEqual([{ id: updated[1], kind: 'altered' }])
    expect(breaksOf(report.breaks, '520102')).toEqual([{ id: deleted[3], kind: 'missing' }])
    expect(breaksOf(report.breaks, '520103')).toEqual([{ id: null, kind: 'truncated' }])
    expect(breaksOf(report.breaks, '520104')).toEqual([{ id: guessed.rows[0].id, kind: 'altered' }, { id: plain.rows[0].id, kind: 'unsealed' }])
    // Untouched chains stay intact.
    expect(breaksOf(report.breaks, '510101')).toEqual([])

    // The audit administrator of a broken registry sees the break; kept with the check.
    const alert = await chainAlert(t.db, '520101')
    expect(alert?.breaks.map((b) => b.id)).toEqual([updated[1]])
    expect(await chainAlert(t.db, '510101')).toBeNull()

    // The nightly job finds the same and records it.
    const logged: string[] = []
    const before = await t.db.selectFrom('audit_chain_checks').select('id').execute()
    await auditChainVerifyTask({ db: t.db })({}, { logger: { info: (m: string) => logged.push(m) } } as never)
    const checks = await t.db.selectFrom('audit_chain_checks').select(['source', 'ok']).orderBy('id', 'desc').execute()
    expect(checks).toHaveLength(before.length + 1)
    expect(checks[0]).toEqual({ source: 'nightly', ok: false })
  })

  test('rows written before the chain existed are sealed once by the owner; any other row without a MAC is a break', async () => {
    await makeRegistry(t.db, '530101', '旧记录')
    const legacy = await sql<{ id: string }>`
      insert into audit_log (registry_code, action, summary) select '530101', 'test.legacy', jsonb_build_object('n', n) from generate_series(1, 3) n returning id`.execute(t.owner)
    const ids = legacy.rows.map((r) => r.id)
    await sql`insert into audit_chain_unsealed (from_id, to_id) values (${BigInt(ids[0]) - 1n}, ${ids[2]})`.execute(t.owner)
    let report = await verifyAuditChains(t.db, testChainKey)
    expect(report.pending).toBe(3)
    expect(report.breaks.filter((b) => b.chain === '530101')).toEqual([])
    // Sealing needs the owner: the app role may not UPDATE the audit log at all.
    await expect(sealUnsealed(t.db, testChainKey)).rejects.toThrow(/permission denied/)
    expect(await sealUnsealed(t.owner, testChainKey)).toBe(3)
    await audit(t.db, { actor: null, registryCode: '530101', action: 'test.after' })
    report = await verifyAuditChains(t.db, testChainKey)
    expect(report.pending).toBe(0)
    expect(report.breaks.filter((b) => b.chain === '530101')).toEqual([])
    // A sealed row stays sealed: the trigger lets no second change through, even for the owner.
    await expect(sql`update audit_log set mac = ${Buffer.alloc(32)} where id = ${ids[0]}`.execute(t.owner)).rejects.toThrow(/append-only/)
  })

  test('the nightly verification is in the crontab with a fixed id', () => {
    const item = parseCrontab(crontab()).find((i) => i.task === 'audit_chain_verify')
    expect(item?.identifier).toBe('audit_chain_verify')
  })
})

test('no code writes the audit log but the chain: a direct insert would be an unsealed row', async () => {
  const { readdirSync, readFileSync, statSync } = await import('node:fs')
  const { join } = await import('node:path')
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
    const path = join(dir, f)
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [path] : []
  })
  const direct = [...files('app'), ...files('jobs')]
    .filter((file) => file !== join('app', 'platform', 'audit-chain.server.ts'))
    .filter((file) => /insertInto\(\s*'audit_log'|insert\s+into\s+audit_log|insertUnnest\([^,]+,\s*'audit_log'/i.test(readFileSync(file, 'utf8')))
  expect(direct).toEqual([])
})
