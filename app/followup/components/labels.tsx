// Small shared pieces of the follow-up pages: the badge of a task's state, the authority a
// mandatory report went to.
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export function TaskBadge({ status, windowTo, today }: { status: string; windowTo: string; today: string }) {
  const { t } = useI18n()
  if (status === 'open' && windowTo < today) return <span className="badge outcome-fail">{t('followup.status.overdue')}</span>
  const cls = status === 'done' ? 'ok' : status === 'open' ? 'warn' : 'muted'
  return <span className={`badge ${cls}`}>{t(`followup.status.${status}` as MessageKey)}</span>
}

export function useAuthority() {
  const { t } = useI18n()
  return (stored: string | null) => (!stored ? '—' : stored.startsWith('other:') ? stored.slice(6) : t(`followup.authority.${stored}` as MessageKey))
}
