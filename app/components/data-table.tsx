// The ledger table every list page uses: a scrollable, keyboard-reachable region with sticky
// column headings, and one "no records" row when there is nothing to show.
import type { ReactNode } from 'react'
import { useI18n } from './i18n.tsx'

export function DataTable({ label, columns, empty, compact, children }: {
  label: string
  columns: ReactNode[]
  empty: boolean
  compact?: boolean
  children: ReactNode
}) {
  const { t } = useI18n()
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table className={compact ? 'data-table compact' : 'data-table'}>
        <thead>
          <tr>{columns.map((c, i) => <th key={i} scope="col">{c}</th>)}</tr>
        </thead>
        <tbody>
          {empty ? <tr><td colSpan={columns.length} className="empty">{t('common.noRows')}</td></tr> : children}
        </tbody>
      </table>
    </div>
  )
}
