// 年度收养登记工作监测分析报告: the year's figures against the previous year's, and charts of them,
// for the bureau's annual monitoring of its child-welfare plan (issue 8). The charts are drawn in
// shades of gray as vector bars (they print on any office printer and copy well); every number of a
// chart is also written on it.
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, type IsoDate } from './layout.ts'
import { drawRuledTable, layRuledTable, numberPagesOf, renderPdf, runningHeaderFlow, SIDE_MARGIN, textWidth, type Flow, type TableColumn } from './pdf.ts'

export type MonitoringChart =
  | { kind: 'columns'; title: string; categories: string[]; series: Array<{ label: string; values: number[] }> }
  | { kind: 'bars'; title: string; items: Array<{ label: string; value: number }> }

export type MonitoringReportData = {
  /** The issuing bureau, e.g. 重庆市大足区民政局 */
  registry: string
  year: number
  producedOn: IsoDate
  /** Comparison table: label, this year, last year, change (already formatted). */
  rows: Array<{ label: string; current: string; previous: string; change: string }>
  charts: MonitoringChart[]
}

export const monitoringTitle = (data: Pick<MonitoringReportData, 'registry' | 'year'>) => `${data.registry}${data.year}年度收养登记工作监测分析报告`

const LEFT = SIDE_MARGIN
const RIGHT = A4.widthMm - SIDE_MARGIN
const WIDTH = RIGHT - LEFT
const TOP = 28
const BOTTOM = 276
const GRAYS = [0.2, 0.55, 0.8, 0.4]

function niceTop(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 4, step: 1 }
  const raw = max / 4
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!)
  return { top: step * Math.ceil(max / step), step }
}

const COLUMN_CHART_H = 70
function drawColumns(flow: Flow, chart: Extract<MonitoringChart, { kind: 'columns' }>) {
  flow.ensure(8 + COLUMN_CHART_H + 16)
  const page = flow.page
  page.text(chart.title, LEFT, flow.y + 5, { size: 11, bold: true })
  const top = flow.y + 10
  const plotLeft = LEFT + 10
  const plotH = COLUMN_CHART_H - 10
  const base = top + plotH
  const totals = chart.categories.map((_, i) => chart.series.reduce((s, x) => s + (x.values[i] ?? 0), 0))
  const { top: max, step } = niceTop(Math.max(0, ...totals))
  const y = (v: number) => base - (v / max) * plotH
  for (let v = 0; v <= max; v += step) {
    page.line(plotLeft, y(v), RIGHT, y(v), { width: 0.2, gray: 0.8 })
    page.text(String(v), plotLeft - 1.5, y(v) + 1.2, { size: 7.5, align: 'right', gray: 0.3 })
  }
  const band = (RIGHT - plotLeft) / chart.categories.length
  const barW = Math.min(9, band * 0.6)
  chart.categories.forEach((c, i) => {
    const x = plotLeft + band * i + (band - barW) / 2
    let acc = 0
    chart.series.forEach((s, k) => {
      const v = s.values[i] ?? 0
      page.fill(x, y(acc + v), barW, y(acc) - y(acc + v), GRAYS[k % GRAYS.length])
      acc += v
    })
    if (totals[i] > 0) page.text(String(totals[i]), x + barW / 2, y(totals[i]) - 1.2, { size: 7.5, align: 'center' })
    page.text(c, x + barW / 2, base + 4.5, { size: 8, align: 'center' })
  })
  page.line(plotLeft, base, RIGHT, base, { width: 0.4 })
  // Legend
  let lx = plotLeft
  const ly = base + 10
  chart.series.forEach((s, k) => {
    page.fill(lx, ly - 2.6, 3, 3, GRAYS[k % GRAYS.length])
    page.text(s.label, lx + 4.5, ly, { size: 8.5 })
    lx += 4.5 + textWidth(s.label, 8.5) + 8
  })
  flow.y = ly + 6
}

const BAR_ROW = 7
function drawBars(flow: Flow, chart: Extract<MonitoringChart, { kind: 'bars' }>) {
  flow.ensure(8 + chart.items.length * BAR_ROW + 6)
  const page = flow.page
  page.text(chart.title, LEFT, flow.y + 5, { size: 11, bold: true })
  let rowTop = flow.y + 9
  const labelW = 78
  const plotLeft = LEFT + labelW
  const plotW = WIDTH - labelW - 14
  const { top: max } = niceTop(Math.max(0, ...chart.items.map((i) => i.value)))
  for (const item of chart.items) {
    page.text(item.label, plotLeft - 2, rowTop + 4.6, { size: 8.5, align: 'right' })
    const w = (item.value / max) * plotW
    page.fill(plotLeft, rowTop + 1.2, w, BAR_ROW - 2.4, GRAYS[0])
    page.text(String(item.value), plotLeft + w + 1.5, rowTop + 4.6, { size: 8.5 })
    rowTop += BAR_ROW
  }
  page.line(plotLeft, flow.y + 9, plotLeft, rowTop, { width: 0.4 })
  flow.y = rowTop + 6
}

const COLUMNS: TableColumn[] = [
  { title: '指标', width: 80 },
  { title: '本年', width: 30, align: 'center', nowrap: true },
  { title: '上年', width: 30, align: 'center', nowrap: true },
  { title: '增减', width: WIDTH - 140, align: 'center', nowrap: true },
]

export async function renderMonitoringReport(data: MonitoringReportData): Promise<Uint8Array> {
  const title = monitoringTitle(data)
  const fields: Record<string, string> = { registry: data.registry }
  data.rows.forEach((r, i) => { fields[`rows[${i}]`] = r.label })
  data.charts.forEach((c, i) => {
    fields[`charts[${i}]`] = c.title
    if (c.kind === 'columns') { c.categories.forEach((x, j) => { fields[`charts[${i}].c${j}`] = x }); c.series.forEach((s, j) => { fields[`charts[${i}].s${j}`] = s.label }) }
    else c.items.forEach((x, j) => { fields[`charts[${i}].i${j}`] = x.label })
  })
  assertDrawable(fields)

  const flow = runningHeaderFlow({ left: title, right: `${data.year}年度`, x1: LEFT, x2: RIGHT, baseline: 19, size: 9 }, TOP, BOTTOM)
  const first = flow.page
  const titleSize = textWidth(title, 17, true) > WIDTH ? 14 : 17
  first.text(title, A4.widthMm / 2, 34, { size: titleSize, bold: true, align: 'center' })
  first.text(`生成日期：${formatDateZh(data.producedOn)}`, A4.widthMm / 2, 42, { size: 10, align: 'center', gray: 0.3 })
  flow.y = 50
  flow.page.text('一、主要指标（与上年对比）', LEFT, flow.y + 5, { size: 12, bold: true })
  flow.y += 9
  drawRuledTable(
    flow,
    { left: LEFT, top: TOP, bottom: BOTTOM },
    layRuledTable(COLUMNS.map((c, i) => (i === 1 ? { ...c, title: `${data.year}年` } : i === 2 ? { ...c, title: `${data.year - 1}年` } : c)),
      data.rows.map((r) => [r.label, r.current, r.previous, r.change]),
      { size: 10, lineHeight: 5, padX: 1.6, padY: 1.6, minRowHeight: 7.5 }),
  )
  flow.y += 8
  flow.ensure(20)
  flow.page.text('二、图表', LEFT, flow.y + 5, { size: 12, bold: true })
  flow.y += 10
  for (const chart of data.charts) {
    if (chart.kind === 'columns') drawColumns(flow, chart)
    else drawBars(flow, chart)
    flow.y += 4
  }
  numberPagesOf(flow.pages, 287)
  return renderPdf(flow.pages, { title, author: data.registry, subject: '收养登记工作监测分析', date: data.producedOn })
}

export const sampleMonitoringReport: MonitoringReportData = {
  registry: '重庆市大足区民政局',
  year: 2026,
  producedOn: '2026-11-28',
  rows: [
    { label: '收养登记', current: '18', previous: '15', change: '+3' },
    { label: '一般收养', current: '12', previous: '10', change: '+2' },
    { label: '不予登记', current: '2', previous: '1', change: '+1' },
    { label: '按期回访率', current: '91.7%', previous: '—', change: '—' },
  ],
  charts: [
    { kind: 'columns', title: '2026年各月收养登记（按类型）', categories: Array.from({ length: 12 }, (_, i) => `${i + 1}月`), series: [
      { label: '一般收养', values: [1, 0, 2, 1, 1, 0, 2, 1, 1, 2, 1, 0] },
      { label: '亲属间收养', values: [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0] },
      { label: '继子女收养', values: [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0] },
    ] },
    { kind: 'bars', title: '2026年不予登记（按理由）', items: [{ label: '年龄差不足四十周岁（第1102条）', value: 1 }, { label: '被收养人不符合条件（第1093条）', value: 1 }] },
  ],
}
