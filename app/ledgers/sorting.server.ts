// Sortable ledger columns in SQL. A register declares each sortable column's SQL expression (never
// null: coalesce where the column may be empty), its kind and the register's own order; `sortedBy`
// adds the order, the cursor condition and the row's sort value to the register's query. Paging
// stays by key: the condition is the row comparison (expr, id) < (value, id) (> ascending), which
// a (expr, id) index can answer; ordered by the key alone it is id < value, as before. A `name`
// column is ordered and compared under the zh_pinyin collation, both in the ORDER BY and in the
// cursor's row comparison: compared by code point instead, the next page would start at the wrong
// place and skip or repeat rows. Its index must be on `expr collate zh_pinyin` to serve the order.
import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely'
import { decodeCursor, effectiveSort, encodeCursor, type SortKind, type SortOptions, type SortParams, type Sort } from './sorting.ts'

export type SortSpec<C extends string = string> = SortOptions<C> & {
  /** The unique key that breaks ties (a bigint id column). */
  key: RawBuilder<unknown>
  /** Each column's sort value as SQL, never null. */
  expressions: Record<C, RawBuilder<unknown>>
}

const sqlType: Record<SortKind, string> = { int: 'bigint', date: 'date', text: 'text', name: 'text' }

/** The collation names sort under (migration 0022 creates it). */
export const PINYIN_COLLATION = 'zh_pinyin'

/** A column of names under the pinyin collation: to select (for DISTINCT) and order a filter's choices as the column sorts. */
export function inPinyin(column: string): RawBuilder<string> {
  return sql<string>`${sql.ref(column)} collate ${sql.id(PINYIN_COLLATION)}`
}

/** A value as its kind orders it: names under the pinyin collation, the rest as they are. */
export function orderedAs(kind: SortKind, value: RawBuilder<unknown>): RawBuilder<unknown> {
  return kind === 'name' ? sql`(${value}) collate ${sql.id(PINYIN_COLLATION)}` : value
}

/** The query in the chosen order, after the cursor, with each row's sort value as `sortKey`. */
export function sortedBy<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, spec: SortSpec, params: SortParams) {
  const sort = effectiveSort(spec, params)
  const column = spec.columns[sort.column]
  const expr = orderedAs(column.kind, spec.expressions[sort.column])
  const cmp = sql.raw(sort.dir === 'asc' ? '>' : '<')
  let q = query.select(sql<string>`(${spec.expressions[sort.column]})::text`.as('sortKey'))
  const cursor = params.after ? decodeCursor(spec, sort, params.after) : null
  // Parsing refused a bad cursor already; one made by cursorOf always fits. Never restart silently
  // from the top (an export reading by key would go round for ever).
  if (params.after && !cursor) throw new Error(`cursor ${JSON.stringify(params.after)} does not fit the order ${sort.column} ${sort.dir}`)
  if (column.key) {
    if (cursor) q = q.where(sql<boolean>`${expr} ${cmp} ${cursor.id}::bigint`)
    return q.orderBy(expr, sort.dir)
  }
  if (cursor) {
    const value = orderedAs(column.kind, sql`${cursor.value}::${sql.raw(sqlType[column.kind])}`)
    q = q.where(sql<boolean>`(${expr}, ${spec.key}) ${cmp} (${value}, ${cursor.id}::bigint)`)
  }
  return q.orderBy(expr, sort.dir).orderBy(spec.key, sort.dir)
}

/**
 * A value's place in a fixed list (1 = first), to sort states, kinds or levels in their own order
 * (the procedure's, the gravity's) rather than alphabetically. A value not in the list gives null:
 * list every value the column can hold.
 */
export function positionIn(list: readonly string[], value: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`array_position(array[${sql.join(list.map((item) => sql.lit(item)))}]::text[], (${value})::text)`
}

/** The `after` of the row following this one in the order. */
export function cursorOf(spec: SortOptions, params: SortParams, row: { sortKey: string; id: string }): string {
  return encodeCursor(spec, effectiveSort(spec, params), row.sortKey, row.id)
}

export type { Sort }
