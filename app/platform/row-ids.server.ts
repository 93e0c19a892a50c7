// Row ids taken from a table's sequence before the insert, so that encrypted fields can be bound
// to their row (decision 030: the AES-GCM additional data names table, column and row).
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'

export type TableWithBoundFields = 'parties' | 'assessment_activities' | 'assessment_alerts' | 'assessment_reports' | 'visit_reports' | 'rootseeking_visitors' | 'application_corrections'

export async function nextIds(db: Kysely<Database>, table: TableWithBoundFields, count: number): Promise<string[]> {
  if (count <= 0) return []
  const rows = await sql<{ id: string }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::text as id from generate_series(1, ${count})`.execute(db)
  return rows.rows.map((r) => r.id)
}

export async function nextId(db: Kysely<Database>, table: TableWithBoundFields): Promise<string> {
  return (await nextIds(db, table, 1))[0]
}
