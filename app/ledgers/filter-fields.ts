// Filters of a register as a clerk sets them on its page or posts them for an export: each field
// parsed on its own (a bad value is named next to its field and the others still apply), periods
// checked as a pair (an end before its start is an error on the end, the end then ignored).
import { z } from 'zod'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { isoDate } from '#app/registration/schemas.ts'
import { parseSortParams, type SortOptions, type SortParams } from './sorting.ts'

export const notInList = 'ledger.filter.notInList' as const

/** One of a fixed list of values. */
export const choice = <T extends string>(values: readonly T[]) => z.enum(values as unknown as [T, ...T[]], { error: notInList })
/** A record's id (a staff member, an agency): its form only; the page's choices are from the database. */
export const idChoice = z.string().regex(/^\d{1,18}$/, notInList)
/** A staff member, or 'none' for work nobody holds. */
export const idOrNone = z.union([z.literal('none'), idChoice], { error: notInList })
export const dateField = isoDate
export const searchText = z.string().trim().max(60, 'ledger.filter.tooLong')
export const flag = z.enum(['1'], { error: notInList }).transform(() => true as const)
/** The key of the last row shown (paging): a bigint id. */
export const afterId = idChoice
/** The adopters' town of residence (app/residence): a town's id, 'abroad' or 'none' (not recorded). */
export const townChoice = z.string().regex(/^(\d{1,18}|abroad|none)$/, notInList)

export type FieldSchemas = Record<string, z.ZodType>
export type ParsedFilter<F extends FieldSchemas> = { [K in keyof F]?: z.output<F[K]> }
export type FilterErrors = Record<string, MessageKey | undefined>

/**
 * Parses `raw` (a query string's or a form's values) against `fields`. `periods` lists the
 * [from, to] pairs whose end may not be before their start.
 */
export function parseFilterFields<F extends FieldSchemas>(
  raw: URLSearchParams | Record<string, unknown>,
  fields: F,
  periods: ReadonlyArray<readonly [keyof F & string, keyof F & string]> = [],
): { filter: ParsedFilter<F>; errors: FilterErrors } {
  const values: Record<string, unknown> = raw instanceof URLSearchParams ? Object.fromEntries(raw) : raw
  const filter: Record<string, unknown> = {}
  const errors: FilterErrors = {}
  for (const [key, schema] of Object.entries(fields)) {
    const value = values[key]
    if (value === undefined || value === null || value === '') continue
    const parsed = schema.safeParse(typeof value === 'string' ? value.trim() : value)
    if (parsed.success) filter[key] = parsed.data
    else errors[key] = parsed.error.issues[0].message as MessageKey
  }
  for (const [from, to] of periods) {
    if (typeof filter[from] === 'string' && typeof filter[to] === 'string' && (filter[to] as string) < (filter[from] as string)) {
      errors[to] = 'ledger.filter.periodReversed'
      delete filter[to]
    }
  }
  return { filter: filter as ParsedFilter<F>, errors }
}

/**
 * `parseFilterFields` and the register's order (`sort`, `dir`) and cursor (`after`, which must fit
 * the order: sorting.ts), each bad value named as an error of its own.
 */
export function parseSortedFilter<F extends FieldSchemas>(
  raw: URLSearchParams | Record<string, unknown>,
  fields: F,
  periods: ReadonlyArray<readonly [keyof F & string, keyof F & string]>,
  sort: SortOptions,
): { filter: ParsedFilter<F> & SortParams; errors: FilterErrors } {
  const values: Record<string, unknown> = raw instanceof URLSearchParams ? Object.fromEntries(raw) : raw
  const { filter, errors } = parseFilterFields(values, fields, periods)
  const sorting = parseSortParams(sort, values)
  return { filter: { ...filter, ...sorting.params }, errors: { ...errors, ...sorting.errors } }
}

/** A register's filter for an export: the whole filtered list, so the page's `after` is dropped. */
export function withoutPaging(raw: Record<string, unknown>): Record<string, unknown> {
  const { after: _after, ...rest } = raw
  return rest
}

/**
 * Drops a filter value naming a record that is not among the page's choices (a staff member who
 * is not in the list), with the message next to its field: the page never filters by something
 * its select cannot show.
 */
export function checkAgainst<T extends Record<string, unknown>>(
  filter: T,
  errors: FilterErrors,
  key: keyof T & string,
  allowed: ReadonlyArray<string | number>,
): void {
  const value = filter[key]
  if (value === undefined) return
  if (!allowed.map(String).includes(String(value))) {
    errors[key] = notInList
    delete filter[key]
  }
}
