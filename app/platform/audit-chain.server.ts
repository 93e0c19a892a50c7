// The audit chain (decision 029): every audit row carries its place in its registry's chain and an
// HMAC-SHA256 over its content and the previous row's MAC. The key is derived from the deployment's
// master key (ENCRYPTION_KEY or its key file) and never stored in the database, so an edit, a
// deletion or an inserted row — even by the database owner — shows as a break when the chain is
// verified (GB/T 22239-2019 level 3, 8.1.4.3 c: audit records protected from deletion,
// modification or overwriting).
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { inTransaction } from '#db/connection.ts'

// Shared through globalThis: the server bundle and the Remix build each hold their own copy of this
// module, and both must sign with the key the process loaded at start.
const KEY_SLOT = Symbol.for('adoption-registry.audit-chain-key')

export function deriveAuditChainKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'adoption-registry/audit-chain/v1', 32))
}

/** Said once by each process at start, before anything is audited. */
export function useAuditChainKey(key: Buffer): void {
  ;(globalThis as Record<symbol, unknown>)[KEY_SLOT] = key
}

function currentKey(): Buffer {
  const key = (globalThis as Record<symbol, unknown>)[KEY_SLOT]
  if (!Buffer.isBuffer(key)) throw new Error('the audit chain key is not loaded: the process must call useAuditChainKey() at start (decision 029)')
  return key
}

export type AuditContent = {
  at: Date
  registry_code: string | null
  actor_id: string | null
  actor_name: string | null
  action: string
  entity_type: string | null
  entity_id: string | null
  /** As read back from jsonb: a parsed value. */
  summary: unknown
  reason: string | null
  ip: string | null
}

export function chainOf(registryCode: string | null): string {
  return registryCode ?? ''
}

/** JSON with object keys sorted: jsonb does not keep key order, so the MAC must not depend on it. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
}

export function macOf(key: Buffer, chain: string, seq: string, previous: Buffer | null, row: AuditContent): Buffer {
  const payload = canonical([
    'v1', chain, seq, previous ? previous.toString('base64') : null, row.at.toISOString(), row.registry_code, row.actor_id, row.actor_name,
    row.action, row.entity_type, row.entity_id, row.summary, row.reason, row.ip,
  ])
  return createHmac('sha256', key).update(payload).digest()
}

export type NewAuditRow = Omit<AuditContent, 'at' | 'summary'> & { summary: string }

/**
 * Appends rows to their chains in the caller's transaction. The chain's head row is locked FOR
 * UPDATE until that transaction ends, so two transactions of one registry append one after the
 * other and never fork the chain; chains are locked in a fixed order so that a transaction writing
 * to two registries cannot deadlock with another doing the same.
 */
export async function appendAudit(db: Kysely<Database> | Transaction<Database>, rows: NewAuditRow[]): Promise<void> {
  if (!rows.length) return
  const key = currentKey()
  await inTransaction(db, async (trx) => {
    const byChain = new Map<string, NewAuditRow[]>()
    for (const row of rows) {
      const chain = chainOf(row.registry_code)
      byChain.set(chain, [...(byChain.get(chain) ?? []), row])
    }
    for (const chain of [...byChain.keys()].sort()) {
      let head = await lockHead(trx, chain)
      if (!head) {
        await sql`insert into audit_chain_heads (chain) values (${chain}) on conflict do nothing`.execute(trx)
        head = await lockHead(trx, chain)
      }
      let seq = BigInt(head!.seq)
      let previous = head!.mac
      const at = head!.now
      const sealed = byChain.get(chain)!.map((row) => {
        seq += 1n
        const mac = macOf(key, chain, seq.toString(), previous, { ...row, at, summary: JSON.parse(row.summary) })
        previous = mac
        return { ...row, chain_seq: seq.toString(), mac }
      })
      const column = <K extends keyof (typeof sealed)[number]>(name: K) => sealed.map((r) => r[name] ?? null)
      // The rows and the new head in one statement: one round trip while the head is locked.
      await sql`
        with appended as (
          insert into audit_log (at, registry_code, actor_id, actor_name, action, entity_type, entity_id, summary, reason, ip, chain_seq, mac)
          select ${at.toISOString()}::timestamptz, u.registry_code, u.actor_id, u.actor_name, u.action, u.entity_type, u.entity_id, u.summary::jsonb, u.reason, u.ip, u.chain_seq, u.mac
          from unnest(${column('registry_code')}::text[], ${column('actor_id')}::bigint[], ${column('actor_name')}::text[], ${column('action')}::text[],
            ${column('entity_type')}::text[], ${column('entity_id')}::text[], ${column('summary')}::text[], ${column('reason')}::text[], ${column('ip')}::text[],
            ${column('chain_seq')}::bigint[], ${column('mac')}::bytea[])
            with ordinality as u(registry_code, actor_id, actor_name, action, entity_type, entity_id, summary, reason, ip, chain_seq, mac, n)
          order by u.n
          returning 1
        )
        update audit_chain_heads set seq = ${seq.toString()}, mac = ${previous}, updated_at = now()
        where chain = ${chain} and (select count(*) from appended) = ${sealed.length}`.execute(trx)
    }
  })
}

async function lockHead(trx: Transaction<Database>, chain: string) {
  // The row's time is the transaction's, to the millisecond (what a JavaScript Date keeps when read back).
  const { rows } = await sql<{ seq: string; mac: Buffer | null; now: Date }>`
    select seq::text as seq, mac, date_trunc('milliseconds', now()) as now from audit_chain_heads where chain = ${chain} for update`.execute(trx)
  return rows[0]
}

/**
 * Seals the rows written before the chain existed or by migrations (the owner's list of unsealed
 * ranges), appending them to their chains in id order. Needs the owner's connection: the app role
 * may not UPDATE the audit log at all.
 */
export async function sealUnsealed(owner: Kysely<Database>, key: Buffer): Promise<number> {
  let sealed = 0
  for (;;) {
    const done = await owner.transaction().execute(async (trx) => {
      const batch = await sql<AuditContent & { id: string }>`
        select a.id, a.at, a.registry_code, a.actor_id::text as actor_id, a.actor_name, a.action, a.entity_type, a.entity_id, a.summary, a.reason, a.ip
        from audit_log a
        where a.mac is null and exists (select 1 from audit_chain_unsealed u where a.id > u.from_id and a.id <= u.to_id)
        order by a.id limit 2000`.execute(trx)
      if (!batch.rows.length) return 0
      const byChain = new Map<string, (AuditContent & { id: string })[]>()
      for (const row of batch.rows) byChain.set(chainOf(row.registry_code), [...(byChain.get(chainOf(row.registry_code)) ?? []), row])
      for (const chain of [...byChain.keys()].sort()) {
        await sql`insert into audit_chain_heads (chain) values (${chain}) on conflict do nothing`.execute(trx)
        const head = (await lockHead(trx, chain))!
        let seq = BigInt(head.seq)
        let previous = head.mac
        const ids: string[] = []
        const seqs: string[] = []
        const macs: Buffer[] = []
        for (const row of byChain.get(chain)!) {
          seq += 1n
          previous = macOf(key, chain, seq.toString(), previous, row)
          ids.push(row.id)
          seqs.push(seq.toString())
          macs.push(previous)
        }
        await sql`
          update audit_log a set chain_seq = u.seq, mac = u.mac
          from unnest(${ids}::bigint[], ${seqs}::bigint[], ${macs}::bytea[]) as u(id, seq, mac) where a.id = u.id`.execute(trx)
        await sql`update audit_chain_heads set seq = ${seq.toString()}, mac = ${previous}, updated_at = now() where chain = ${chain}`.execute(trx)
      }
      return batch.rows.length
    })
    sealed += done
    if (!done) return sealed
  }
}

export type ChainBreak = {
  chain: string
  /** The row where the chain breaks (null when rows at the end of the chain are missing). */
  id: string | null
  seq: string | null
  kind: 'altered' | 'missing' | 'unsealed' | 'truncated'
}

export type ChainReport = { ok: boolean; rowsChecked: number; breaks: ChainBreak[]; pending: number }

const MAX_BREAKS = 100

/** Walks every chain from its first row and reports where it breaks. */
export async function verifyAuditChains(db: Kysely<Database>, key: Buffer): Promise<ChainReport> {
  const breaks: ChainBreak[] = []
  let rowsChecked = 0
  const chains = await sql<{ chain: string; head_seq: string | null; head_mac: Buffer | null }>`
    select c.chain, h.seq::text as head_seq, h.mac as head_mac
    from (select chain from audit_chain_heads union select distinct coalesce(registry_code, '') from audit_log where chain_seq is not null) c
    left join audit_chain_heads h on h.chain = c.chain
    order by c.chain`.execute(db)
  for (const { chain, head_seq, head_mac } of chains.rows) {
    let expected = 1n
    let previous: Buffer | null = null
    let after = 0n
    for (;;) {
      const page = await sql<AuditContent & { id: string; chain_seq: string; mac: Buffer }>`
        select a.id, a.at, a.registry_code, a.actor_id::text as actor_id, a.actor_name, a.action, a.entity_type, a.entity_id, a.summary, a.reason, a.ip, a.chain_seq::text as chain_seq, a.mac
        from audit_log a where coalesce(a.registry_code, '') = ${chain} and a.chain_seq is not null and a.chain_seq > ${after.toString()}
        order by a.chain_seq limit 5000`.execute(db)
      for (const row of page.rows) {
        rowsChecked += 1
        const seq = BigInt(row.chain_seq)
        if (seq !== expected) {
          // Rows before this one are gone: its MAC cannot be checked against theirs; go on from it.
          breaks.push({ chain, id: row.id, seq: row.chain_seq, kind: 'missing' })
        } else if (!equal(macOf(key, chain, row.chain_seq, previous, row), row.mac)) {
          breaks.push({ chain, id: row.id, seq: row.chain_seq, kind: 'altered' })
        }
        previous = row.mac
        expected = seq + 1n
      }
      if (page.rows.length < 5000) break
      after = BigInt(page.rows[page.rows.length - 1].chain_seq)
    }
    const last = expected - 1n
    if (head_seq !== null && BigInt(head_seq) > last) breaks.push({ chain, id: null, seq: (last + 1n).toString(), kind: 'truncated' })
    else if (head_seq !== null && BigInt(head_seq) === last && last > 0n && !(head_mac && previous && equal(head_mac, previous))) {
      breaks.push({ chain, id: null, seq: last.toString(), kind: 'altered' })
    }
  }
  const unsealed = await sql<{ id: string; registry_code: string | null; in_range: boolean }>`
    select a.id, a.registry_code, exists (select 1 from audit_chain_unsealed u where a.id > u.from_id and a.id <= u.to_id) as in_range
    from audit_log a where a.mac is null order by a.id`.execute(db)
  let pending = 0
  for (const row of unsealed.rows) {
    if (row.in_range) pending += 1
    else breaks.push({ chain: chainOf(row.registry_code), id: row.id, seq: null, kind: 'unsealed' })
  }
  return { ok: breaks.length === 0, rowsChecked, breaks: breaks.slice(0, MAX_BREAKS), pending }
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Verifies with the process's key and keeps the result for the audit administrator's page. */
export async function checkAuditChains(db: Kysely<Database>, source: 'nightly' | 'command' | 'start'): Promise<ChainReport> {
  const report = await verifyAuditChains(db, currentKey())
  await db.insertInto('audit_chain_checks').values({ source, ok: report.ok, rows_checked: report.rowsChecked, breaks: JSON.stringify(report.breaks) }).execute()
  if (!report.ok) {
    console.error(`AUDIT CHAIN BROKEN (${report.breaks.length} break(s)): ${report.breaks.slice(0, 10).map((b) => `registry "${b.chain}" ${b.kind} at row ${b.id ?? '-'} (seq ${b.seq ?? '-'})`).join('; ')}`)
  }
  return report
}

export type ChainAlert = { checkedAt: Date; breaks: ChainBreak[] }

/** The last verification, when it found a break: shown to whoever may read the audit log. */
export async function chainAlert(db: Kysely<Database>, registryCode: string): Promise<ChainAlert | null> {
  const last = await db.selectFrom('audit_chain_checks').select(['checked_at', 'ok', 'breaks']).orderBy('id', 'desc').limit(1).executeTakeFirst()
  if (!last || last.ok) return null
  const breaks = (last.breaks as ChainBreak[]).filter((b) => b.chain === registryCode || b.chain === '')
  return breaks.length ? { checkedAt: last.checked_at, breaks } : null
}
