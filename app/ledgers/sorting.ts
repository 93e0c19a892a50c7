// Sortable ledger columns, the part the browser shares with the server: the URL's `sort` and `dir`,
// the effective order of a page, and the key-set cursor of that order (`after`). A cursor is the
// sort value and the id of the last row shown, "value|id" (the id alone when a register is ordered
// by its key): the next page starts strictly after that pair, so rows with the same sort value are
// neither skipped nor repeated. The SQL side is sorting.server.ts.
export type SortDir = 'asc' | 'desc'
export type Sort = { column: string; dir: SortDir }
/**
 * How the sort value is compared: its type in SQL, and the shape of its cursor text. `text` is
 * compared by code point (registration, archive and decision numbers: their own order); `name` is
 * text people read — names, countries as entered — compared in pinyin order (the zh_pinyin
 * collation, migration 0022), Latin letters after the Chinese characters.
 */
export type SortKind = 'int' | 'date' | 'text' | 'name'

/** The columns a register sorts by (with their kind and first direction) and its own order. */
export type SortOptions<C extends string = string> = {
  columns: Record<C, { kind: SortKind; first?: SortDir; key?: boolean }>
  default: { column: C; dir: SortDir }
}

/** What a filter holds of the order: as given in the URL (absent = the register's own order). */
export type SortParams = { sort?: string; dir?: SortDir; after?: string }
export type SortErrors = Partial<Record<'sort' | 'dir' | 'after', 'ledger.filter.notInList'>>

export function effectiveSort(options: SortOptions, params: SortParams): Sort {
  const column = params.sort && Object.hasOwn(options.columns, params.sort) ? params.sort : options.default.column
  const dir = params.dir ?? (column === options.default.column ? options.default.dir : options.columns[column].first ?? 'asc')
  return { column, dir }
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v.trim() : undefined)
const valueShape: Record<SortKind, RegExp> = {
  int: /^-?\d{1,18}$/,
  date: /^(\d{4}-\d{2}-\d{2}|-?infinity)$/,
  text: /^[\s\S]{0,2000}$/,
  name: /^[\s\S]{0,2000}$/,
}

/** The cursor of a row in an order: "value|id", or the id alone when the order is by the key. */
export function encodeCursor(options: SortOptions, sort: Sort, sortKey: string, id: string): string {
  return options.columns[sort.column].key ? id : `${sortKey}|${id}`
}

/** A cursor taken apart, or null when it does not fit the order (then the page starts at the top). */
export function decodeCursor(options: SortOptions, sort: Sort, cursor: string): { value: string; id: string } | null {
  const column = options.columns[sort.column]
  if (column.key) return /^\d{1,18}$/.test(cursor) ? { value: cursor, id: cursor } : null
  const bar = cursor.lastIndexOf('|')
  if (bar < 0) return null
  const value = cursor.slice(0, bar)
  const id = cursor.slice(bar + 1)
  return /^\d{1,18}$/.test(id) && valueShape[column.kind].test(value) ? { value, id } : null
}

/**
 * The `sort`, `dir` and `after` of a query string or an export form, each checked on its own: a
 * column that does not sort, a direction that is neither, or a cursor that does not fit the order
 * is named as an error (the page shows it and uses the register's own order / the first page).
 */
export function parseSortParams(options: SortOptions, raw: Record<string, unknown>): { params: SortParams; errors: SortErrors } {
  const params: SortParams = {}
  const errors: SortErrors = {}
  const sort = text(raw.sort)
  if (sort !== undefined) {
    if (Object.hasOwn(options.columns, sort)) params.sort = sort
    else errors.sort = 'ledger.filter.notInList'
  }
  const dir = text(raw.dir)
  if (dir !== undefined) {
    if (dir === 'asc' || dir === 'desc') params.dir = dir
    else errors.dir = 'ledger.filter.notInList'
  }
  const after = typeof raw.after === 'string' && raw.after !== '' ? raw.after : undefined
  if (after !== undefined && !errors.sort && !errors.dir) {
    if (decodeCursor(options, effectiveSort(options, params), after)) params.after = after
    else errors.after = 'ledger.filter.notInList'
  }
  return { params, errors }
}
