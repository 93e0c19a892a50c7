// The ledger table every list page uses: a scrollable, keyboard-reachable region with sticky
// column headings, and one "no records" row when there is nothing to show. Only these paged lists
// scroll inside a capped height (`.ledger`): a detail page's short table shows all its rows.
import { isValidElement, type ReactNode } from 'react'
import { useI18n } from './i18n.tsx'

/** A column heading: its content, or (a sortable column, sort-header.tsx) its content and aria-sort. */
export type Heading = ReactNode | { heading: ReactNode; ariaSort?: 'ascending' | 'descending' }

const isSortable = (c: Heading): c is { heading: ReactNode; ariaSort?: 'ascending' | 'descending' } =>
  typeof c === 'object' && c !== null && !isValidElement(c) && 'heading' in c

export function DataTable({ label, columns, empty, compact, children }: {
  label: string
  columns: Heading[]
  empty: boolean
  compact?: boolean
  children: ReactNode
}) {
  const { t } = useI18n()
  return (
    <div className="table-wrap ledger" tabIndex={0} role="region" aria-label={label}>
      <table className={compact ? 'data-table compact' : 'data-table'}>
        <thead>
          <tr>{columns.map((c, i) => (isSortable(c)
            ? <th key={i} scope="col" aria-sort={c.ariaSort}>{c.heading}</th>
            : <th key={i} scope="col">{c}</th>))}</tr>
        </thead>
        <tbody>
          {empty ? <tr><td colSpan={columns.length} className="empty">{t('common.noRows')}</td></tr> : children}
        </tbody>
      </table>
    </div>
  )
}
