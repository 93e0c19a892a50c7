import { useI18n } from '#app/components/i18n.tsx'

/** The reply due date with the working days left (or late), in colour and in words. */
export function DueCell({ dueOn, clock }: { dueOn: string; clock: { late: boolean; workingDaysLeft: number } | null }) {
  const { t, date } = useI18n()
  if (!clock) return <>{date(dueOn)}</>
  const cls = clock.late ? 'due late' : clock.workingDaysLeft <= 2 ? 'due soon' : 'due ok'
  const text = clock.late ? t('rootseeking.daysLate', { count: -clock.workingDaysLeft }) : clock.workingDaysLeft === 0 ? t('rootseeking.dueToday') : t('rootseeking.daysLeft', { count: clock.workingDaysLeft })
  return <>{date(dueOn)}<div className={cls}>{text}</div></>
}
