// The per-town table's labels and totals, shared by the page, the PDF and the workbook (pure: the
// page's component imports it too).
import type { TownRow } from './figures.server.ts'

type Translate = (key: 'stats.town.abroad' | 'stats.town.none' | 'stats.town.retired', params?: Record<string, string | number>) => string

/** A town by its name (a retired one says so), or abroad, or not recorded. */
export function townLabel(row: Pick<TownRow, 'place' | 'name' | 'retired'>, t: Translate): string {
  if (row.place === 'abroad') return t('stats.town.abroad')
  if (row.place === 'none') return t('stats.town.none')
  return row.retired ? t('stats.town.retired', { name: row.name ?? '' }) : (row.name ?? '')
}

/** The total row: the year's registrations (the rows add up to them) and the open visits. */
export function townTotals(rows: readonly TownRow[]) {
  return rows.reduce(
    (sum, r) => ({ current: sum.current + r.current, previous: sum.previous + r.previous, visitsOpen: sum.visitsOpen + r.visitsOpen, visitsOverdue: sum.visitsOverdue + r.visitsOverdue }),
    { current: 0, previous: 0, visitsOpen: 0, visitsOverdue: 0 },
  )
}
