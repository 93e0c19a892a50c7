// Bulk inserts for the import: one parameter per column (an array), unnested by PostgreSQL —
// far less to build, send and parse than a multi-row VALUES list with a parameter per cell.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'

export type Column = { name: string; type: string }

export async function insertUnnest<R = unknown>(trx: Kysely<Database> | Transaction<Database>, table: keyof Database, columns: Column[], rows: Record<string, unknown>[], suffix: RawBuilder<unknown> = sql``): Promise<R[]> {
  if (!rows.length) return []
  const arrays = columns.map((c) => sql`${rows.map((r) => r[c.name] ?? null)}::${sql.raw(c.type === 'jsonb' ? 'text' : c.type)}[]`)
  const names = columns.map((c) => sql.ref(c.name))
  const selected = columns.map((c, i) => (c.type === 'jsonb' ? sql`${sql.ref(`u.c${i}`)}::jsonb` : sql.ref(`u.c${i}`)))
  const aliases = sql.raw(columns.map((_, i) => `c${i}`).join(', '))
  const result = await sql<R>`insert into ${sql.table(table)} (${sql.join(names)}) select ${sql.join(selected)} from unnest(${sql.join(arrays)}) as u(${aliases}) ${suffix}`.execute(trx)
  return result.rows
}
