// The yearly monitoring report: the statistics page's figures as an official PDF (always in
// Chinese, like every document the bureau issues) and as a workbook with one sheet per table.
import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { refusalGrounds } from '#db/schema.ts'
import { translate, type Locale, type MessageKey } from '#app/platform/i18n/index.ts'
import { loadDocuments } from '#app/platform/documents.server.ts'
import { audit } from '#app/platform/audit.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { registrySettings } from '#app/registration/registry.server.ts'
import { caseKinds } from './figures.server.ts'
import { statisticsOf, summaryRows, type Statistics } from './page.server.ts'
import { townLabel, townTotals } from './towns.ts'
import { signed } from './format.ts'

function formatted(s: Statistics, locale: Locale) {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key as MessageKey, params)
  const show = (v: number | null, percent?: boolean) => (v === null ? '—' : percent ? `${v}%` : String(v))
  const change = (a: number | null, b: number | null, percent?: boolean) => {
    if (a === null || b === null) return '—'
    return `${signed(a - b)}${percent ? t('stats.percentagePoints') : ''}`
  }
  const rows = summaryRows(s).map((r) => ({ label: t(r.key), current: show(r.current, r.percent), previous: show(r.previous, r.percent), change: change(r.current, r.previous, r.percent) }))
  const year = s.current.year
  const months = Array.from({ length: 12 }, (_, i) => t('stats.month', { month: i + 1 }))
  const byMonth = caseKinds.map((k) => ({ label: t(`stats.kind.${k}`), values: s.current.registrationsByMonth.map((m) => m[k]) }))
  const refusals = refusalGrounds.map((g) => ({ label: t(`refusalGround.${g}`), value: s.current.refusalsByGround[g] }))
  const total = townTotals(s.byTown)
  const towns = [
    ...s.byTown.map((r) => ({ label: townLabel(r, t), ...r })),
    { label: t('stats.town.total'), ...total },
  ].map((r) => ({ label: r.label, current: r.current, previous: r.previous, change: r.current - r.previous, open: r.visitsOpen, overdue: r.visitsOverdue }))
  return { t, rows, year, months, byMonth, refusals, towns }
}

export async function monitoringReportPdf(db: Kysely<Database>, viewer: Viewer, year: number, today: string): Promise<Uint8Array> {
  const stats = await statisticsOf(db, viewer.registryCode, year, today)
  const { t, rows, months, byMonth, refusals, towns } = formatted(stats, 'zh')
  const registry = await registrySettings(db, viewer.registryCode)
  const { renderMonitoringReport } = await loadDocuments()
  const visits = stats.current.visits
  const bytes = await renderMonitoringReport({
    registry: registry.name, year, producedOn: today, rows,
    towns: towns.map((r) => ({ label: r.label, current: String(r.current), previous: String(r.previous), change: signed(r.change), open: String(r.open), overdue: String(r.overdue) })),
    charts: [
      { kind: 'columns', title: t('stats.chart.byMonth', { year }), categories: months, series: byMonth },
      { kind: 'bars', title: t('stats.chart.refusals', { year }), items: refusals.filter((r) => r.value > 0).length ? refusals.filter((r) => r.value > 0) : [{ label: t('stats.none'), value: 0 }] },
      { kind: 'bars', title: t('stats.chart.assessments', { year }), items: [{ label: t('stats.assessRecommended'), value: stats.current.assessments.recommended }, { label: t('stats.assessNotRecommended'), value: stats.current.assessments.notRecommended }] },
      { kind: 'bars', title: t('stats.chart.visits', { year }), items: [{ label: t('stats.visits.within'), value: visits.withinWindow }, { label: t('stats.visits.outside'), value: visits.done - visits.withinWindow }] },
      ...(stats.rootSeekingByCountry.length ? [{ kind: 'bars' as const, title: t('stats.chart.rootSeeking', { year }), items: stats.rootSeekingByCountry.map((r) => ({ label: r.country, value: r.visits })) }] : []),
    ],
  })
  await audit(db, { actor: viewer, action: 'statistics.report_printed', entityType: 'statistics', entityId: String(year), summary: { format: 'pdf' } })
  return bytes
}

export async function monitoringWorkbook(db: Kysely<Database>, viewer: Viewer, year: number, today: string, locale: Locale): Promise<Buffer> {
  const stats = await statisticsOf(db, viewer.registryCode, year, today)
  const { t, rows, months, byMonth, refusals, towns } = formatted(stats, locale)
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'adoption-registry'
  const summary = workbook.addWorksheet(t('stats.report.summary').slice(0, 31))
  summary.columns = [{ width: 36 }, { width: 12 }, { width: 12 }, { width: 14 }]
  summary.addRow([t('stats.figure'), t('stats.current', { year }), t('stats.previous', { year: year - 1 }), t('stats.change')]).font = { bold: true }
  // Numbers as numbers (a clerk sums them); the share as a percentage cell.
  for (const [i, r] of summaryRows(stats).entries()) {
    const row = summary.addRow([rows[i].label, r.percent && r.current !== null ? r.current / 100 : r.current, r.percent && r.previous !== null ? r.previous / 100 : r.previous,
      r.current !== null && r.previous !== null ? (r.percent ? (r.current - r.previous) / 100 : r.current - r.previous) : null])
    if (r.percent) row.eachCell((c, n) => { if (n > 1) c.numFmt = '0.0%' })
  }
  // Per town of residence: numbers as numbers, the total row bold.
  const byTown = workbook.addWorksheet(t('stats.report.towns', { year }).slice(0, 31))
  byTown.columns = [{ width: 28 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 14 }, { width: 12 }]
  byTown.addRow([t('stats.town'), t('stats.current', { year }), t('stats.previous', { year: year - 1 }), t('stats.change'), t('stats.town.visitsOpen'), t('stats.town.visitsOverdue')]).font = { bold: true }
  for (const r of towns) byTown.addRow([r.label, r.current, r.previous, r.change, r.open, r.overdue])
  byTown.lastRow!.font = { bold: true }
  const monthly = workbook.addWorksheet(t('stats.chart.byMonth', { year }).slice(0, 31))
  monthly.columns = [{ width: 14 }, ...months.map(() => ({ width: 7 }))]
  monthly.addRow(['', ...months]).font = { bold: true }
  for (const s of byMonth) monthly.addRow([s.label, ...s.values])
  const grounds = workbook.addWorksheet(t('stats.chart.refusals', { year }).slice(0, 31))
  grounds.columns = [{ width: 40 }, { width: 10 }]
  for (const r of refusals) grounds.addRow([r.label, r.value])
  await audit(db, { actor: viewer, action: 'statistics.report_printed', entityType: 'statistics', entityId: String(year), summary: { format: 'xlsx' } })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
