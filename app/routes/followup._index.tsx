// "My visits": the caseworker's open tasks as stacked cards (overdue, due this week, upcoming) or
// a month calendar; made for a phone at the family's door as much as for a desk.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { myVisits, type VisitCard } from '#app/followup/visits.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { addMonths } from '#app/followup/policy.ts'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export const meta: MetaFunction = () => [{ title: '回访 · Follow-up' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'followup.write')
  const params = new URL(request.url).searchParams
  const view = params.get('view') === 'calendar' ? 'calendar' : 'list'
  return myVisits(context.db, context.cipher, viewerOf(user), todayInShanghai(), { view, month: params.get('month') ?? undefined })
}

export default function MyVisits() {
  const data = useLoaderData<typeof loader>()
  const { t } = useI18n()
  return (
    <section className="visits-page">
      <div className="page-head">
        <h1>{t('followup.my.title')}</h1>
        <nav className="view-switch" aria-label={t('followup.my.views')}>
          <Link to="/followup" aria-current={data.view === 'list' ? 'page' : undefined}>{t('followup.my.list')}</Link>
          <Link to={`/followup?view=calendar&month=${data.month}`} aria-current={data.view === 'calendar' ? 'page' : undefined}>{t('followup.my.calendar')}</Link>
        </nav>
      </div>
      <p className="lead">
        {t('followup.my.counts', { overdue: data.counts.overdue, week: data.counts.thisWeek, upcoming: data.counts.upcoming })}
      </p>
      {data.view === 'calendar' ? <Calendar month={data.month} today={data.today} cards={data.calendar} /> : (
        <>
          <Section id="overdue" title={t('followup.my.overdue')} cards={data.overdue} total={data.counts.overdue} today={data.today} />
          <Section id="week" title={t('followup.my.thisWeek')} cards={data.thisWeek} total={data.counts.thisWeek} today={data.today} />
          <Section id="upcoming" title={t('followup.my.upcoming')} cards={data.upcoming} total={data.counts.upcoming} today={data.today} />
        </>
      )}
    </section>
  )
}

function Section({ id, title, cards, total, today }: { id: string; title: string; cards: VisitCard[]; total: number; today: string }) {
  const { t } = useI18n()
  return (
    <section className="visit-section" aria-labelledby={`h-${id}`}>
      <h2 id={`h-${id}`}>{title} <span className="count">{total}</span></h2>
      {cards.length === 0 ? <p className="hint">{t('followup.my.none')}</p> : (
        <ul className="visit-cards">
          {cards.map((c) => <Card key={c.id} card={c} today={today} />)}
        </ul>
      )}
      {total > cards.length ? <p className="hint">{t('followup.my.more', { shown: cards.length, total })}</p> : null}
    </section>
  )
}

function Card({ card: c, today }: { card: VisitCard; today: string }) {
  const { t, date } = useI18n()
  const overdue = c.windowTo < today
  return (
    <li className={`visit-card${overdue ? ' overdue' : ''}`}>
      <Link className="visit-card-link" to={`/followup/tasks/${c.id}`}>
        <span className="visit-title">{c.child || '—'} · {t(`followup.kind.${c.kind}` as MessageKey)} {t('followup.sequence', { n: c.sequence })}</span>
        <span className="visit-due">
          {t('followup.due', { date: date(c.dueOn) })}
          {overdue ? <span className="badge outcome-fail">{t('followup.status.overdue')}</span> : null}
        </span>
      </Link>
      <dl className="visit-facts">
        <dt>{t('followup.window')}</dt><dd><span className="nowrap">{date(c.windowFrom)}</span> – <span className="nowrap">{date(c.windowTo)}</span></dd>
        <dt>{t('followup.family')}</dt><dd>{c.adopters}{c.registrationNumber ? <> <span className="hint mono nowrap">{c.registrationNumber}</span></> : null}</dd>
        {c.address ? <><dt>{t('followup.address')}</dt><dd>{c.address}</dd></> : null}
        {c.country ? <><dt>{t('followup.ic.country')}</dt><dd>{c.country}</dd></> : null}
      </dl>
      {c.phone ? <a className="button secondary tap" href={`tel:${c.phone.split(' / ')[0].replace(/[^\d+]/g, '')}`}>{t('followup.call', { phone: c.phone })}</a> : null}
      {c.previous ? (
        <details className="previous">
          <summary>{t('followup.previous', { date: date(c.previous.visitedOn), concern: t(`followup.concern.${c.previous.concernLevel}` as MessageKey) })}</summary>
          <p className="quote">{c.previous.dailyCare}</p>
          <p className="quote">{c.previous.bonding}</p>
        </details>
      ) : null}
    </li>
  )
}

function Calendar({ month, today, cards }: { month: string; today: string; cards: VisitCard[] }) {
  const { t } = useI18n()
  const [y, m] = month.split('-').map(Number)
  const first = new Date(Date.UTC(y, m - 1, 1))
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate()
  const lead = (first.getUTCDay() + 6) % 7
  const cells: (string | null)[] = [...Array(lead).fill(null), ...Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`)]
  while (cells.length % 7) cells.push(null)
  const byDay = new Map<string, VisitCard[]>()
  for (const c of cards) byDay.set(c.dueOn, [...(byDay.get(c.dueOn) ?? []), c])
  const prev = addMonths(`${month}-01`, -1).slice(0, 7)
  const next = addMonths(`${month}-01`, 1).slice(0, 7)
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
  return (
    <section aria-labelledby="cal-title">
      <div className="calendar-head">
        <Link className="button secondary tap" to={`/followup?view=calendar&month=${prev}`}>{t('followup.cal.prev')}</Link>
        <h2 id="cal-title">{t('followup.cal.month', { year: y, month: m })}</h2>
        <Link className="button secondary tap" to={`/followup?view=calendar&month=${next}`}>{t('followup.cal.next')}</Link>
      </div>
      <ol className="calendar" aria-label={t('followup.cal.month', { year: y, month: m })}>
        {weekdays.map((w) => <li key={w} className="cal-weekday" aria-hidden="true">{t(`followup.cal.${w}` as MessageKey)}</li>)}
        {cells.map((day, i) => {
          if (!day) return <li key={`x${i}`} className="cal-blank" aria-hidden="true" />
          const items = byDay.get(day) ?? []
          return (
            <li key={day} className={`cal-day${items.length ? ' has-tasks' : ''}${day === today ? ' today' : ''}`}>
              <span className="cal-date">{Number(day.slice(8))}<span className="cal-date-long">{t('followup.cal.dayLong', { month: m, day: Number(day.slice(8)) })}</span></span>
              {items.length ? (
                <ul>
                  {items.map((c) => (
                    <li key={c.id}><Link to={`/followup/tasks/${c.id}`} className={c.windowTo < today ? 'late' : ''}>{c.child || c.adopters} {t('followup.sequence', { n: c.sequence })}</Link></li>
                  ))}
                </ul>
              ) : null}
            </li>
          )
        })}
      </ol>
      {cards.length === 0 ? <p className="hint">{t('followup.cal.empty')}</p> : null}
    </section>
  )
}
