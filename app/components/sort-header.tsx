// Sortable column headings of a ledger: each a plain link (works without JavaScript) to the same
// page with `sort` and `dir` set, the other filters kept and the paging restarted; the sorted
// column's heading carries aria-sort and an arrow. `SortFields` keeps the order when the filter form
// is submitted; `SortError` names a sort value that is not one of the choices.
import { Link, useSearchParams } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { Sort, SortDir, SortOptions } from '#app/ledgers/sorting.ts'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import type { Heading } from './data-table.tsx'
import { useI18n } from './i18n.tsx'

/** A function making the heading of a column: sortable when the register sorts by it. */
export function useSortHeadings(sort: Sort, columns: SortOptions['columns']) {
  const [params] = useSearchParams()
  const { t } = useI18n()
  return (column: string, label: ReactNode): Heading => {
    const options = columns[column]
    if (!options) return label
    const active = sort.column === column
    const dir: SortDir = active ? (sort.dir === 'asc' ? 'desc' : 'asc') : options.first ?? 'asc'
    const next = new URLSearchParams(params)
    next.delete('after')
    next.set('sort', column)
    next.set('dir', dir)
    return {
      ariaSort: active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined,
      heading: (
        <Link to={`?${next}`} className={active ? 'sort-link active' : 'sort-link'} rel="nofollow">
          {label}
          <span className="sort-arrow" aria-hidden="true">{active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
          <span className="sr-only">{t(dir === 'asc' ? 'ledger.sort.ascending' : 'ledger.sort.descending')}</span>
        </Link>
      ),
    }
  }
}

/** Hidden fields carrying the chosen order through the filter form. */
export function SortFields({ sort, dir }: { sort?: string; dir?: string }) {
  return (
    <>
      {sort ? <input type="hidden" name="sort" value={sort} /> : null}
      {dir ? <input type="hidden" name="dir" value={dir} /> : null}
    </>
  )
}

/** The message of a sort or direction that is not one of the choices (the list keeps its own order). */
export function SortError({ errors }: { errors: Partial<Record<string, MessageKey>> }) {
  const { t } = useI18n()
  const key = errors.sort ?? errors.dir
  if (!key) return null
  return <p className="field-error sort-error" role="alert">{t('ledger.sort.label')}: {t(key)}</p>
}
