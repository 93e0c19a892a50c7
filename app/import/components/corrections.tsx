// The corrections of an imported registration, newest first, on the application page.
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export type CorrectionRow = { id: string; field: string; oldValue: string | null; newValue: string | null; reason: string; at: string | Date; by: string }

export function CorrectionsHistory({ rows }: { rows: CorrectionRow[] }) {
  const { t, dateTime } = useI18n()
  const value = (v: string | null, field: string) => (v === null ? <span className="muted">{t('import.correction.empty')}</span>
    : field === 'residenceTown' && v === 'abroad' ? t('import.correction.abroad') : v)
  return (
    <section className="panel" id="corrections">
      <h2>{t('import.correction.history')}</h2>
      <DataTable label={t('import.correction.history')} compact empty={rows.length === 0} columns={[
        t('import.correction.col.at'), t('import.correction.col.field'), t('import.correction.col.old'), t('import.correction.col.new'),
        t('import.correction.col.reason'), t('import.correction.col.by'),
      ]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="nowrap">{dateTime(r.at)}</td>
            <td className="nowrap">{t(`import.field.${r.field}` as MessageKey)}</td>
            <td>{value(r.oldValue, r.field)}</td>
            <td>{value(r.newValue, r.field)}</td>
            <td>{r.reason}</td>
            <td className="nowrap">{r.by}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}
