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
  /**
   * Registrations per town of residence (this year, last year, change) and the visits due this
   * year still open (of which overdue), the rows already formatted; the last row is the total.
   */
  towns?: Array<{ label: string; current: string; previous: string; change: string; open: string; overdue: string }>
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
const BAR_ROW = 7
/** The height a chart needs on the page (what drawColumns / drawBars ensure). */
const chartHeight = (chart: MonitoringChart) => (chart.kind === 'columns' ? 8 + COLUMN_CHART_H + 16 : 8 + chart.items.length * BAR_ROW + 6)

function drawColumns(flow: Flow, chart: Extract<MonitoringChart, { kind: 'columns' }>) {
  flow.ensure(chartHeight(chart))
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

function drawBars(flow: Flow, chart: Extract<MonitoringChart, { kind: 'bars' }>) {
  flow.ensure(chartHeight(chart))
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

const TOWN_COLUMNS: TableColumn[] = [
  { title: '居住地乡镇（街道）', width: 62 },
  { title: '本年', width: 20, align: 'center', nowrap: true },
  { title: '上年', width: 20, align: 'center', nowrap: true },
  { title: '增减', width: 20, align: 'center', nowrap: true },
  { title: '未完成回访', width: 22, align: 'center', nowrap: true },
  { title: '其中逾期', width: WIDTH - 144, align: 'center', nowrap: true },
]

export async function renderMonitoringReport(data: MonitoringReportData): Promise<Uint8Array> {
  const title = monitoringTitle(data)
  const fields: Record<string, string> = { registry: data.registry }
  data.rows.forEach((r, i) => { fields[`rows[${i}]`] = r.label })
  data.towns?.forEach((r, i) => { fields[`towns[${i}]`] = r.label })
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
  let section = 2
  const numeral = () => '一二三四五六七八九'[section++ - 1]
  if (data.towns?.length) {
    flow.y += 8
    // The heading goes with the table's header and first rows.
    flow.ensure(30)
    flow.page.text(`${numeral()}、按收养人居住地（与上年对比）`, LEFT, flow.y + 5, { size: 12, bold: true })
    flow.y += 9
    const last = data.towns.length - 1
    drawRuledTable(
      flow,
      { left: LEFT, top: TOP, bottom: BOTTOM },
      layRuledTable(TOWN_COLUMNS.map((c, i) => (i === 1 ? { ...c, title: `${data.year}年` } : i === 2 ? { ...c, title: `${data.year - 1}年` } : c)),
        data.towns.map((r, i) => [r.label, r.current, r.previous, r.change, r.open, r.overdue].map((text) => (i === last ? { text, bold: true } : text))),
        { size: 10, lineHeight: 5, padX: 1.6, padY: 1.4, minRowHeight: 7 }),
      { keepLast: true, tail: 7 },
    )
    flow.page.text(`回访：应于${data.year}年完成、截至生成日期仍未完成的回访；其中逾期指已过回访期间。`, LEFT, flow.y + 4.5, { size: 8.5, gray: 0.3 })
    flow.y += 6
  }
  flow.y += 8
  // The heading never stands alone at the foot of a page: it goes with the first chart.
  flow.ensure(10 + (data.charts[0] ? chartHeight(data.charts[0]) : 0))
  flow.page.text(`${numeral()}、图表`, LEFT, flow.y + 5, { size: 12, bold: true })
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
  towns: [
    { label: '龙岗街道', current: '5', previous: '3', change: '+2', open: '4', overdue: '1' },
    { label: '龙水镇', current: '3', previous: '4', change: '-1', open: '2', overdue: '0' },
    { label: '万古镇（已停用）', current: '0', previous: '1', change: '-1', open: '0', overdue: '0' },
    { label: '国外居住', current: '1', previous: '0', change: '+1', open: '0', overdue: '0' },
    { label: '未记录居住地', current: '9', previous: '7', change: '+2', open: '3', overdue: '2' },
    { label: '合计', current: '18', previous: '15', change: '+3', open: '9', overdue: '3' },
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
