// The corrections of an imported registration, newest first, on the application page; the one
// awaiting a second person's decision (decision 027), with its approve and refuse forms.
import { DataTable } from '#app/components/data-table.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { ApproveOrRefuseForms } from '#app/components/decision-forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export type CorrectionRow = { id: string; field: string; oldValue: string | null; newValue: string | null; reason: string; at: string | Date; by: string; approvedBy: string | null }

export function CorrectionsHistory({ rows }: { rows: CorrectionRow[] }) {
  const { t, dateTime } = useI18n()
  const value = (v: string | null, field: string) => (v === null ? <span className="muted">{t('import.correction.empty')}</span>
    : field === 'residenceTown' && v === 'abroad' ? t('import.correction.abroad') : v)
  return (
    <section className="panel" id="corrections">
      <h2>{t('import.correction.history')}</h2>
      <DataTable label={t('import.correction.history')} compact empty={rows.length === 0} columns={[
        t('import.correction.col.at'), t('import.correction.col.field'), t('import.correction.col.old'), t('import.correction.col.new'),
        t('import.correction.col.reason'), t('import.correction.col.by'), t('import.correction.col.approvedBy'),
      ]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="nowrap">{dateTime(r.at)}</td>
            <td className="nowrap">{t(`import.field.${r.field}` as MessageKey)}</td>
            <td>{value(r.oldValue, r.field)}</td>
            <td>{value(r.newValue, r.field)}</td>
            <td>{r.reason}</td>
            <td className="nowrap">{r.by}</td>
            <td className="nowrap">{r.approvedBy ?? '—'}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}

export type PendingCorrectionView = {
  id: string; version: number; reason: string; at: string | Date; by: string; byId: string
  changes: { field: string; oldValue: string | null; newValue: string | null }[]; residence: boolean
}

/** The proposed correction: the record is unchanged until another person approves it. */
export function PendingCorrectionPanel({ pending, mayDecide, me, errors }: { pending: PendingCorrectionView; mayDecide: boolean; me: string; errors: string[] }) {
  const { t, dateTime } = useI18n()
  const value = (v: string | null) => (v === null ? <span className="muted">{t('import.correction.empty')}</span> : v)
  return (
    <section className="panel" id="pending-correction" aria-labelledby="pending-correction-title">
      <h2 id="pending-correction-title">{t('import.correction.pendingTitle')}</h2>
      <p>{t('import.correction.pendingBy', { name: pending.by, at: dateTime(pending.at), reason: pending.reason })}</p>
      <DataTable label={t('import.correction.pendingTitle')} compact empty={false} columns={[t('import.correction.col.field'), t('import.correction.col.old'), t('import.correction.col.new')]}>
        {pending.changes.map((c) => (
          <tr key={c.field}>
            <td className="nowrap">{t(`import.field.${c.field}` as MessageKey)}</td>
            <td>{value(c.oldValue)}</td>
            <td>{value(c.newValue)}</td>
          </tr>
        ))}
        {pending.residence ? <tr><td className="nowrap">{t('import.field.residenceTown')}</td><td colSpan={2}>{t('import.correction.pendingTown')}</td></tr> : null}
      </DataTable>
      {mayDecide ? (
        <div className="step">
          {pending.byId === me ? <p className="hint">{t('import.correction.notYours')}</p> : null}
          <FormErrors errors={errors} />
          <ApproveOrRefuseForms intent="decide_correction" idField="proposal" id={pending.id} version={pending.version} idPrefix="correction"
            labels={{ approve: t('import.correction.approve'), refuse: t('import.correction.refuse'), reason: t('import.correction.refuseReason') }} />
        </div>
      ) : <p className="hint">{t('import.correction.waiting')}</p>}
    </section>
  )
}
