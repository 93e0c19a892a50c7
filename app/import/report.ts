// A message of the import report in the reader's language: the field (with the ledger's column
// when it is named otherwise) and the reason. Pure: used by the page and by the error workbook.
import { translate, type Locale } from '#app/platform/i18n/index.ts'
import type { Mapping } from './fields.ts'
import type { RowMessage } from './rows.ts'

export function describe(locale: Locale, m: RowMessage, mapping: Mapping): string {
  const params = Object.fromEntries(Object.entries(m.params ?? {}).map(([k, v]) => [k, String(v)]))
  const text = translate(locale, m.key, params)
  if (!m.field) return text
  const column = mapping[m.field]
  const field = translate(locale, `import.field.${m.field}`)
  return `${column && column !== field ? `${field}（${column}）` : field}：${text}`
}

export const isNote = (m: RowMessage) => m.key.startsWith('import.note.')

export const reportFilters = ['problems', 'all', 'valid', 'invalid', 'duplicate', 'existing', 'created', 'townUnknown'] as const
export type ReportFilter = (typeof reportFilters)[number]
