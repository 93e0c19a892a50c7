// Key-set paging links for a ledger: back to the first page, and on past the last key shown.
import { Link, useSearchParams } from '@remix-run/react'
import { useI18n } from './i18n.tsx'

export function Pager({ param, next }: { param: string; next: string | null }) {
  const { t } = useI18n()
  const [params] = useSearchParams()
  const first = new URLSearchParams(params)
  first.delete(param)
  const onward = new URLSearchParams(params)
  if (next) onward.set(param, next)
  return (
    <nav className="pager" aria-label={t('common.pages')}>
      {params.has(param) ? <Link to={`?${first}`}>{t('action.first')}</Link> : <span />}
      {next ? <Link to={`?${onward}`}>{t('action.next')}</Link> : null}
    </nav>
  )
}
