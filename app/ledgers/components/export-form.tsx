// "Export to Excel / CSV" for a ledger page: posts the page's current filter (hidden fields) to the
// page's own action, which records the export and opens its progress page. Its buttons wait while
// this form's own submission is under way (not another form's on the same page: assigning tasks).
import { Form, useNavigation } from '@remix-run/react'
import { useI18n } from '#app/components/i18n.tsx'

/** `idNumbers`: the export has a (masked) ID number column; the hint says so, or that there is none. */
export function ExportForm({ filter, idNumbers = false }: { filter: Record<string, string | number | undefined>; idNumbers?: boolean }) {
  const { t } = useI18n()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'export'
  return (
    <Form method="post" className="export-form">
      <input type="hidden" name="intent" value="export" />
      {Object.entries(filter).filter(([k, v]) => k !== 'after' && v !== undefined && v !== '').map(([k, v]) => <input key={k} type="hidden" name={k} value={String(v)} />)}
      <span className="muted">{t(idNumbers ? 'export.hint' : 'export.hint.noIds')}</span>
      <button type="submit" name="format" value="xlsx" className="button secondary" disabled={busy}>{t('export.xlsx')}</button>
      <button type="submit" name="format" value="csv" className="button secondary" disabled={busy}>{t('export.csv')}</button>
    </Form>
  )
}
