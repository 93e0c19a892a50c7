// Small shared pieces of the register definitions (app/ledgers/registers/*.server.ts).
import { sql, type SelectQueryBuilder } from 'kysely'
import { translate, type Locale, type MessageKey } from '#app/platform/i18n/index.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import type { Column } from '../registers.server.ts'

/** A date column's value: midnight UTC of the day, so the spreadsheet shows the day itself. */
export const day = (iso: string | null | undefined) => (iso ? new Date(`${iso}T00:00:00Z`) : null)
/** An instant's day in Asia/Shanghai, as a date cell. */
export const dayOfInstant = (at: Date | string | null | undefined) => (at ? day(todayInShanghai(new Date(at))) : null)

/** The number of rows of a register's query (its selection and order replaced by a count). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function countRows(query: SelectQueryBuilder<any, any, any>): Promise<number> {
  const row = await query.clearSelect().clearOrderBy().select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return Number((row as { n: string }).n)
}

export const translatorFor = (locale: Locale) => (key: string, params?: Record<string, string | number>) => translate(locale, key, params)

export const yesNo = (locale: Locale, value: boolean | null | undefined) => translate(locale, value ? 'export.yes' : 'export.no')

/** Columns from [header key, type, width] triples. */
export function columnsOf(locale: Locale, spec: ReadonlyArray<readonly [MessageKey, Column['type'], number]>): Column[] {
  return spec.map(([key, type, width]) => ({ header: translate(locale, key), type, width }))
}
