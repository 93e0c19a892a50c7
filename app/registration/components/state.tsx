// Small display parts of registration: the state badge and the review clock (colour plus text).
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export function StateBadge({ state }: { state: string }) {
  const { t } = useI18n()
  return <span className={`badge state-${state}`}>{t(`state.${state}` as MessageKey)}</span>
}

export function DueLabel({ dueOn, today, paused, usedDays }: { dueOn: string | null; today: string; paused?: boolean; usedDays?: number }) {
  const { t, date } = useI18n()
  if (paused) return <span className="due paused">{t('clock.paused', { used: usedDays ?? 0 })}</span>
  if (!dueOn) return <span className="due none">—</span>
  const days = Math.round((Date.parse(dueOn) - Date.parse(today)) / 86_400_000)
  if (days < 0) return <span className="due late">{t('clock.late', { days: -days, date: date(dueOn) })}</span>
  if (days === 0) return <span className="due soon">{t('clock.dueToday', { date: date(dueOn) })}</span>
  return <span className={days <= 7 ? 'due soon' : 'due ok'}>{t('clock.daysLeft', { days, date: date(dueOn) })}</span>
}
