import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { parseYear, statisticsOf, summaryRows, FIRST_YEAR } from '#app/statistics/page.server.ts'
import { HorizontalBars, StackedBars } from '#app/statistics/charts.tsx'
import { refusalGrounds } from '#db/schema.ts'
import { useI18n } from '#app/components/i18n.tsx'
import { Notice } from '#app/components/forms.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { townLabel, townTotals } from '#app/statistics/towns.ts'
import { signed } from '#app/statistics/format.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'statistics.read')
  const today = todayInShanghai()
  const { year, error } = parseYear(new URL(request.url).searchParams.get('year'), today)
  const stats = await statisticsOf(context.db, user.registryCode, year, today)
  return { year, error, today, firstYear: FIRST_YEAR, stats, rows: summaryRows(stats) }
}

export default function Statistics() {
  const { year, error, today, firstYear, stats, rows } = useLoaderData<typeof loader>()
  const { t } = useI18n()
  const current = Number(today.slice(0, 4))
  const number = (v: number | null, percent?: boolean) => (v === null ? t('stats.notApplicable') : percent ? `${v}%` : String(v))
  const change = (a: number | null, b: number | null, percent?: boolean) => {
    if (a === null || b === null) return t('stats.notApplicable')
    return `${signed(a - b)}${percent ? t('stats.percentagePoints') : ''}`
  }
  const { current: f } = stats
  const outside = f.visits.done - f.visits.withinWindow
  const towns = townTotals(stats.byTown)
  return (
    <section>
      <div className="page-head">
        <h1>{t('stats.title', { year })}</h1>
        <div className="actions">
          <a className="button secondary" href={`/statistics/report.pdf?year=${year}`}>{t('stats.report.pdf')}</a>
          <a className="button secondary" href={`/statistics/report.xlsx?year=${year}`}>{t('stats.report.xlsx')}</a>
        </div>
      </div>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="s-year">{t('stats.year')}</label>
          <select id="s-year" name="year" defaultValue={String(year)}>
            {Array.from({ length: current - firstYear + 1 }, (_, i) => current - i).map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
          {error ? <p className="field-error">{t('stats.yearNotInList')}</p> : null}
        </div>
        <div className="filter-actions"><button type="submit" className="button primary">{t('stats.show')}</button></div>
      </Form>
      {error ? <Notice kind="warning">{t('stats.yearNotInList')}</Notice> : null}
      <div className="panel stats-scroll" role="region" aria-label={t('stats.title', { year })} tabIndex={0}>
        <table className="data-table stats-summary">
          <thead>
            <tr><th scope="col">{t('stats.figure')}</th><th scope="col" className="num">{t('stats.current', { year })}</th><th scope="col" className="num">{t('stats.previous', { year: year - 1 })}</th><th scope="col" className="num">{t('stats.change')}</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{t(r.key as MessageKey)}</th>
                <td className="num">{number(r.current, r.percent)}</td>
                <td className="num">{number(r.previous, r.percent)}</td>
                <td className="num">{change(r.current, r.previous, r.percent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="panel stats-towns">
        <h2 id="stats-towns">{t('stats.byTown', { year })}</h2>
        <p className="muted">{t('stats.byTown.lead')}</p>
        <div className="stats-scroll" role="region" aria-labelledby="stats-towns" tabIndex={0}>
          <table className="data-table stats-summary">
            <thead>
              <tr>
                <th scope="col">{t('stats.town')}</th>
                <th scope="col" className="num">{t('stats.current', { year })}</th>
                <th scope="col" className="num">{t('stats.previous', { year: year - 1 })}</th>
                <th scope="col" className="num">{t('stats.change')}</th>
                <th scope="col" className="num">{t('stats.town.visitsOpen')}</th>
                <th scope="col" className="num">{t('stats.town.visitsOverdue')}</th>
              </tr>
            </thead>
            <tbody>
              {stats.byTown.map((r) => (
                <tr key={r.townId ?? r.place} className={r.place === 'town' ? undefined : 'stats-other-place'}>
                  <th scope="row">{townLabel(r, t)}</th>
                  <td className="num">{r.current}</td>
                  <td className="num">{r.previous}</td>
                  <td className="num">{signed(r.current - r.previous)}</td>
                  <td className="num">{r.visitsOpen}</td>
                  <td className="num">{r.visitsOverdue ? <span className="due late">{r.visitsOverdue}</span> : 0}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('stats.town.total')}</th>
                <td className="num">{towns.current}</td>
                <td className="num">{towns.previous}</td>
                <td className="num">{signed(towns.current - towns.previous)}</td>
                <td className="num">{towns.visitsOpen}</td>
                <td className="num">{towns.visitsOverdue}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
      <div className="chart-grid">
        <section className="panel">
          <h2>{t('stats.chart.byMonth', { year })}</h2>
          <StackedBars
            title={t('stats.chart.byMonth', { year })}
            categories={Array.from({ length: 12 }, (_, i) => t('stats.month', { month: i + 1 }))}
            series={(['none', 'relative', 'stepchild'] as const).map((k, i) => ({ label: t(`stats.kind.${k}`), values: f.registrationsByMonth.map((m) => m[k]), tone: i as 0 | 1 | 2 }))}
          />
        </section>
        <section className="panel">
          <h2>{t('stats.chart.refusals', { year })}</h2>
          <HorizontalBars title={t('stats.chart.refusals', { year })} items={refusalGrounds.map((g) => ({ label: t(`refusalGround.${g}`), value: f.refusalsByGround[g] }))} />
        </section>
        <section className="panel">
          <h2>{t('stats.chart.assessments', { year })}</h2>
          <HorizontalBars title={t('stats.chart.assessments', { year })} items={[{ label: t('stats.assessRecommended'), value: f.assessments.recommended }, { label: t('stats.assessNotRecommended'), value: f.assessments.notRecommended }]} />
        </section>
        <section className="panel">
          <h2>{t('stats.chart.visits', { year })}</h2>
          <HorizontalBars title={t('stats.chart.visits', { year })} items={[{ label: t('stats.visits.within'), value: f.visits.withinWindow }, { label: t('stats.visits.outside'), value: outside }]} />
        </section>
        <section className="panel">
          <h2>{t('stats.chart.rootSeeking', { year })}</h2>
          {stats.rootSeekingByCountry.length
            ? <HorizontalBars title={t('stats.chart.rootSeeking', { year })} items={stats.rootSeekingByCountry.map((r) => ({ label: r.country, value: r.visits }))} />
            : <p className="muted">{t('stats.none')}</p>}
        </section>
        <section className="panel">
          <h2>{t('stats.chart.overdue')}</h2>
          {stats.overdue.length
            ? <HorizontalBars title={t('stats.chart.overdue')} items={stats.overdue.map((o) => ({ label: o.name ?? t('stats.unassigned'), value: o.count }))} />
            : <p className="muted">{t('stats.none')}</p>}
        </section>
      </div>
    </section>
  )
}
