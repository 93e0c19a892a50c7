// 收养评估报告: the report on the adopters' capability to raise the child, by the bureau's own staff
// or by an agency it commissioned (收养评估办法（试行）, 2020). Art. 13: the body sets out the facts,
// the analysis and the conclusion, the annexes list the records of the assessment, every assessor
// signs, and an agency also applies its seal — on paper: we only leave a box labelled （印章处）.
//
// The report runs over several pages: the tables break between rows (a row taller than the space
// left is split between its lines) and repeat their header row on the next page; every page carries
// 第 n 页 共 m 页, and the pages after the first a running header with the report number.
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, joinZh, ptToMm, type IsoDate } from './layout.ts'
import {
  baselineForCentre,
  drawDateBlanks,
  drawRuledTable,
  drawSignatureBlock,
  Flow,
  Grid,
  labelValueCells,
  layoutParagraph,
  layRuledTable,
  Page,
  renderPdf,
  ruledTableHeights,
  runningHeaderFlow,
  SIDE_MARGIN,
  SIGNATURE_BLOCK_HEIGHT,
  textWidth,
  type ParagraphStyle,
  type RuledTable,
  type TableColumn,
  type TableRun,
  type TableStyle,
} from './pdf.ts'

export type AssessmentAssessor = { kind: 'in_house'; name: string } | { kind: 'agency'; name: string; creditCode: string }

export type AssessmentActivity = {
  on: IsoDate
  /** Already in Chinese: 会谈, 材料审核, 信息核查, 实地走访… */
  kind: string
  place: string
  assessors: string[]
  summary: string
}

export type AssessmentDimension = {
  /** e.g. 收养动机, 经济及住房条件, 与被收养人融合情况 */
  title: string
  /** null: the instrument does not score this dimension, or it was not scored. */
  score: number | null
  maxScore: number | null
  findings: string
  /** 否决事项 found under this dimension (收养评估办法 art. 10); empty when none. */
  vetoes: string[]
}

export type AssessmentReportData = {
  /** The commissioning bureau, e.g. 重庆市大足区民政局 */
  registry: string
  /** e.g. 大足评估〔2026〕17号 */
  reportNumber: string
  /** 1, or n for the n-th (corrected) version, which then needs correctionReason. */
  version: number
  correctionReason?: string
  /** The adopters' names. */
  applicants: string[]
  /** The child's name. */
  child: string
  assessor: AssessmentAssessor
  /** The assessment instrument (评估量表) and its version. */
  instrument: { title: string; version: number }
  /** 书面告知 of the assessment, the adopters' consent, and the report. */
  noticeOn: IsoDate
  consentOn: IsoDate
  reportOn: IsoDate
  /** 融合期; null when none was arranged. */
  integration: { from: IsoDate; to: IsoDate; days: number } | null
  activities: AssessmentActivity[]
  /** 收养前心理和物质准备 sessions. */
  preparation: Array<{ on: IsoDate; topic: string }>
  dimensions: AssessmentDimension[]
  /** null when the instrument has no total. */
  total: { score: number; max: number; pass: number } | null
  /** e.g. 建议办理收养登记 */
  conclusion: string
  /** 基本情况: paragraphs separated by \n. */
  facts: string
  annexes: string[]
  /** Every assessor; signedAt is an ISO instant, or null: a blank line to sign on paper. */
  signatures: Array<{ name: string; signedAt: string | null }>
}

export const ASSESSMENT_TITLE = '收养评估报告'

// --- page geometry (mm) -------------------------------------------------------------------------

const LEFT = SIDE_MARGIN
const RIGHT = A4.widthMm - SIDE_MARGIN
const WIDTH = RIGHT - LEFT
/** Top of the text on pages after the first (below the running header). */
const TOP = 27
/** Bottom of the text area; the page number sits below it. */
export const BODY_BOTTOM = 274
const FOOTER_BASELINE = 286

const BODY: ParagraphStyle = { size: 12, lineHeight: 7.2, indentEm: 2, justify: true }
const HEADING = { size: 13.5, lineHeight: 10 }
const SUBHEADING = { size: 12, lineHeight: 8.5 }
const TABLE: TableStyle = { size: 9.5, lineHeight: 4.9, padX: 1.5, padY: 1.8, minRowHeight: 0, valign: 'top' }

const CHINA_OFFSET_MS = 8 * 3600 * 1000
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/** The calendar date in China (UTC+8, no daylight saving) of an ISO instant. */
export function chinaDate(instant: string): IsoDate {
  const t = Date.parse(instant)
  if (!ISO_INSTANT.test(instant) || Number.isNaN(t)) throw new RangeError(`not an ISO instant: ${JSON.stringify(instant)}`)
  return new Date(t + CHINA_OFFSET_MS).toISOString().slice(0, 10)
}

const sentence = (s: string) => (/[。！？]$/.test(s.trim()) ? s.trim() : `${s.trim()}。`)

const formatScore = (n: number) => String(Math.round(n * 100) / 100)

function scoreText(d: AssessmentDimension): string {
  if (d.score === null) return '不计分'
  return d.maxScore === null ? formatScore(d.score) : `${formatScore(d.score)}/${formatScore(d.maxScore)}`
}

/** The version line under the report number: 第1版, or 第n版（更正） for a correction. */
export function versionLine(version: number): string {
  return version > 1 ? `第${version}版（更正）` : `第${version}版`
}

/** The sentence under 总分, or null when the instrument has no total. */
export function totalLine(data: Pick<AssessmentReportData, 'total' | 'dimensions'>): string | null {
  const vetoes = data.dimensions.reduce((n, d) => n + d.vetoes.length, 0)
  const vetoNote = vetoes > 0 ? `；存在否决事项${vetoes}项（见上表）` : ''
  if (data.total === null) return vetoes > 0 ? `本评估工具不计总分${vetoNote}。` : null
  const { score, max, pass } = data.total
  const reached = score >= pass ? '达到合格分数线' : '未达到合格分数线'
  return `总分：${formatScore(score)}分（满分${formatScore(max)}分，合格分数线${formatScore(pass)}分），${reached}${vetoNote}。`
}

/** The opening of 二、评估过程: who notified whom when, how many activities, the integration period. */
export function processParagraph(data: AssessmentReportData): string {
  const kinds = [...new Set(data.activities.map((a) => a.kind.trim()).filter((k) => k !== ''))]
  let text =
    `${data.registry}于${formatDateZh(data.noticeOn)}书面告知收养人开展收养评估，` +
    `收养人于${formatDateZh(data.consentOn)}书面同意接受评估。`
  if (data.activities.length > 0) {
    text += `评估期间共开展评估活动${data.activities.length}次${kinds.length > 0 ? `，采取${joinZh(kinds)}等方式` : ''}，具体如下表。`
  }
  if (data.integration) {
    const { from, to, days } = data.integration
    text += `收养人与被收养人的融合期自${formatDateZh(from)}至${formatDateZh(to)}，共${days}日。`
  } else text += '本次评估未安排融合期。'
  return text
}

// --- tables that break across pages -------------------------------------------------------------

/** The header and the first two rows (at most 40 mm): kept together, and with what comes before. */
function tableLead(table: RuledTable): number {
  if (table.body.length === 0) return BODY.lineHeight
  const heights = ruledTableHeights(table)
  return heights.header + Math.min(heights.rows.slice(0, 2).reduce((h, r) => h + r, 0), 40)
}

/** Rows of fewer lines always move to the next page whole. */
const SPLIT_MIN_LINES = 8

/**
 * Draws a ruled table into the flow, each page's part starting with the header row again. A row
 * that does not fit in the space left moves to the next page whole; a long row (SPLIT_MIN_LINES
 * or more) is instead split between its lines when at least three fit here and three go over, so
 * it leaves no large gap. No rows: no empty grid, just 无。
 */
function drawTable(flow: Flow, table: RuledTable): void {
  if (table.body.length === 0) return paragraphs(flow, '无。')
  drawRuledTable(flow, { left: LEFT, top: TOP, bottom: BODY_BOTTOM }, table, {
    lead: tableLead(table),
    split: ({ total, left, room, tooTall }) => (total >= SPLIT_MIN_LINES && room >= 3 && left - room >= 3) || (tooTall && room >= 1),
  })
}

/** A sub-heading kept with the start of its table, then the table. */
function subheadedTable(flow: Flow, title: string, columns: TableColumn[], rows: TableRun[][][]): void {
  const table = layRuledTable(columns, rows, TABLE)
  heading(flow, title, tableLead(table), SUBHEADING)
  drawTable(flow, table)
}

// --- text blocks ----------------------------------------------------------------------------------

function heading(flow: Flow, text: string, keepWith: number, style = HEADING): void {
  flow.y += 2.5
  flow.ensure(style.lineHeight + keepWith)
  flow.page.text(text, LEFT, baselineForCentre(flow.y + style.lineHeight / 2, style.size), { size: style.size, bold: true })
  flow.y += style.lineHeight
}

function paragraphs(flow: Flow, text: string, style: ParagraphStyle = BODY): void {
  for (const p of text.split(/\r?\n/)) {
    if (p.trim() === '') continue
    flow.paragraph(p.trim(), LEFT, WIDTH, style)
  }
}

/**
 * Text hanging after a label (a list number 1．, or a bold 总分：): wrapped lines start under the
 * text, not under the label.
 */
function labelled(flow: Flow, label: string, text: string, x: number, style: ParagraphStyle, labelBold = true): void {
  const labelWidth = textWidth(label, style.size, labelBold)
  const width = RIGHT - x - labelWidth
  layoutParagraph(text, width, { ...style, indentEm: 0 }).forEach((line, i) => {
    flow.ensure(style.lineHeight)
    const y = baselineForCentre(flow.y + style.lineHeight / 2, style.size)
    if (i === 0 && label !== '') flow.page.text(label, x, y, { size: style.size, bold: labelBold })
    flow.page.drawLine(line, x + labelWidth, y, width, { ...style, indentEm: 0 })
    flow.y += style.lineHeight
  })
}

/** A framed note (the correction notice): a bold first line, then the text. */
function noteBox(flow: Flow, title: string, text: string): void {
  const size = 10.5
  const lineHeight = 5.8
  const pad = 3
  const style: ParagraphStyle = { size, lineHeight, justify: true }
  const lines = layoutParagraph(text, WIDTH - 2 * pad, style)
  const height = (lines.length + 1) * lineHeight + 2 * pad - 1
  flow.ensure(height)
  const top = flow.y
  let y = top + pad
  flow.page.text(title, LEFT + pad, baselineForCentre(y + lineHeight / 2, size), { size, bold: true })
  for (const line of lines) {
    y += lineHeight
    flow.page.drawLine(line, LEFT + pad, baselineForCentre(y + lineHeight / 2, size), WIDTH - 2 * pad, style)
  }
  flow.page.rect(LEFT, top, WIDTH, height, { width: 0.6 })
  flow.y = top + height
}

// --- the report -----------------------------------------------------------------------------------

function headerGrid(page: Page, top: number, data: AssessmentReportData): number {
  const grid = new Grid(page, top, LEFT, RIGHT, { rowHeight: 9.5, size: 10.5, lineHeight: 5, padding: 2 })
  const { pair, wide } = labelValueCells(LEFT, RIGHT, 33)
  const { assessor, integration } = data
  grid.row(pair('收养人', joinZh(data.applicants), '被收养人', data.child))
  grid.row(wide('委托机关', data.registry))
  if (assessor.kind === 'agency') {
    grid.row(wide('评估机构', assessor.name))
    grid.row(pair('统一社会信用代码', assessor.creditCode, '评估方式', '委托第三方机构评估'))
  } else {
    grid.row(wide('评估组织', `${assessor.name}（民政部门自行组织评估）`))
  }
  grid.row(wide('评估工具', `${data.instrument.title}（第${data.instrument.version}版）`))
  grid.row(pair('书面告知日期', formatDateZh(data.noticeOn), '同意评估日期', formatDateZh(data.consentOn)))
  grid.row(
    wide(
      '融合期',
      integration ? `${formatDateZh(integration.from)}至${formatDateZh(integration.to)}，共${integration.days}日` : '未安排',
    ),
  )
  grid.row(pair('报告日期', formatDateZh(data.reportOn), '评估人员', joinZh(data.signatures.map((s) => s.name))))
  return grid.close()
}

const SIGNATURE_ROW = 12
const SEAL_BLOCK = SIGNATURE_BLOCK_HEIGHT

/** Height of the signature block including the space above it. */
const signatureBlockHeight = (data: AssessmentReportData) => 6 + HEADING.lineHeight + data.signatures.length * SIGNATURE_ROW + 6 + SEAL_BLOCK

function signatureBlock(flow: Flow, data: AssessmentReportData): void {
  const size = 12
  flow.y += 6
  flow.ensure(signatureBlockHeight(data) - 6)
  const page = flow.page
  page.text('评估人员签名：', LEFT, baselineForCentre(flow.y + HEADING.lineHeight / 2, size), { size, bold: true })
  flow.y += HEADING.lineHeight
  const nameX = LEFT + 2 * ptToMm(size)
  const signX = nameX + 28
  const lineFrom = signX + textWidth('签名：', size)
  const lineTo = lineFrom + 48
  const dateX = lineTo + 8
  const dateValueX = dateX + textWidth('日期：', size)
  for (const s of data.signatures) {
    const base = flow.y + SIGNATURE_ROW - 3.5
    page.text(s.name, nameX, base, { size })
    page.text('签名：', signX, base, { size })
    page.line(lineFrom, base + 1.2, lineTo, base + 1.2, { width: 0.5 })
    if (s.signedAt !== null) page.text('已在系统中签署', (lineFrom + lineTo) / 2, base - 0.6, { size: 8.5, gray: 0.45, align: 'center' })
    page.text('日期：', dateX, base, { size })
    if (s.signedAt !== null) {
      page.text(formatDateZh(chinaDate(s.signedAt)), dateValueX, base, { size })
    } else {
      drawDateBlanks(page, dateValueX, base, size, 3)
    }
    flow.y += SIGNATURE_ROW
  }
  flow.y += 6

  // The assessing body and the report date, right-aligned; an agency seals over them on paper.
  flow.y = drawSignatureBlock(page, flow.y, LEFT, RIGHT, { registry: data.assessor.name, date: formatDateZh(data.reportOn) }, 13, {
    seal: data.assessor.kind === 'agency',
    minBoxWidth: 46,
  })
}

function checkData(data: AssessmentReportData): void {
  if (data.applicants.filter((a) => a.trim() !== '').length === 0) throw new TypeError('an assessment report needs at least one applicant')
  if (data.signatures.length === 0) throw new TypeError('an assessment report is signed by every assessor: no signatures given')
  if (!Number.isInteger(data.version) || data.version < 1) throw new RangeError(`report version must be a positive integer: ${data.version}`)
  if (data.version > 1 && !data.correctionReason?.trim()) throw new TypeError('a corrected report (version > 1) needs the correction reason')
  for (const s of data.signatures) if (s.signedAt !== null) chinaDate(s.signedAt)

  const fields: Record<string, string | undefined> = {
    registry: data.registry,
    reportNumber: data.reportNumber,
    correctionReason: data.correctionReason,
    applicants: data.applicants.join(''),
    child: data.child,
    'assessor.name': data.assessor.name,
    'assessor.creditCode': data.assessor.kind === 'agency' ? data.assessor.creditCode : undefined,
    'instrument.title': data.instrument.title,
    facts: data.facts,
    conclusion: data.conclusion,
  }
  data.activities.forEach((a, i) => {
    fields[`activities[${i}].kind`] = a.kind
    fields[`activities[${i}].place`] = a.place
    fields[`activities[${i}].assessors`] = a.assessors.join('')
    fields[`activities[${i}].summary`] = a.summary
  })
  data.preparation.forEach((p, i) => (fields[`preparation[${i}].topic`] = p.topic))
  data.dimensions.forEach((d, i) => {
    fields[`dimensions[${i}].title`] = d.title
    fields[`dimensions[${i}].findings`] = d.findings
    fields[`dimensions[${i}].vetoes`] = d.vetoes.join('')
  })
  data.annexes.forEach((a, i) => (fields[`annexes[${i}]`] = a))
  data.signatures.forEach((s, i) => (fields[`signatures[${i}].name`] = s.name))
  assertDrawable(fields)
}

export async function renderAssessmentReport(data: AssessmentReportData): Promise<Uint8Array> {
  checkData(data)

  // Pages after the first carry the title and number, so a loose sheet can be put back.
  const flow = runningHeaderFlow({ left: ASSESSMENT_TITLE, right: data.reportNumber, x1: LEFT, x2: RIGHT, baseline: 16, size: 9 }, TOP, BODY_BOTTOM)

  // Title block.
  const first = flow.page
  const centre = A4.widthMm / 2
  first.text(ASSESSMENT_TITLE, centre, 36, { size: 22, bold: true, align: 'center', spacing: 6 })
  first.text(data.reportNumber, centre, 46.5, { size: 12, align: 'center' })
  first.text(versionLine(data.version), centre, 53, { size: 10.5, align: 'center', bold: data.version > 1 })
  first.line(LEFT, 57, RIGHT, 57, { width: 1.2 })
  first.line(LEFT, 58.2, RIGHT, 58.2, { width: 0.4 })
  flow.y = headerGrid(first, 63, data) + 4

  if (data.version > 1) {
    noteBox(
      flow,
      '更正说明',
      `本报告为第${data.version}版，替代此前出具的各版本。更正原因：${sentence(data.correctionReason!)}`,
    )
    flow.y += 2
  }

  heading(flow, '一、基本情况', 2 * BODY.lineHeight)
  paragraphs(flow, data.facts)

  heading(flow, '二、评估过程', 2 * BODY.lineHeight)
  paragraphs(flow, processParagraph(data))
  subheadedTable(
    flow,
    '（一）评估活动',
    [
      { title: '序号', width: 10, align: 'center' },
      { title: '日期', width: 28 },
      { title: '方式', width: 16.5, align: 'center' },
      { title: '地点', width: 27 },
      { title: '评估人员', width: 23.5 },
      { title: '情况摘要', width: WIDTH - 105 },
    ],
    data.activities.map((a, i) => [
      [{ text: String(i + 1) }],
      [{ text: formatDateZh(a.on) }],
      [{ text: a.kind }],
      [{ text: a.place }],
      [{ text: joinZh(a.assessors) }],
      [{ text: a.summary }],
    ]),
  )
  subheadedTable(
    flow,
    '（二）收养前心理和物质准备',
    [
      { title: '序号', width: 10, align: 'center' },
      { title: '日期', width: 28 },
      { title: '内容', width: WIDTH - 38 },
    ],
    data.preparation.map((p, i) => [[{ text: String(i + 1) }], [{ text: formatDateZh(p.on) }], [{ text: p.topic }]]),
  )

  const dimensions = layRuledTable(
    [
      { title: '序号', width: 10, align: 'center' },
      { title: '评估项目', width: 27 },
      { title: '得分/满分', width: 18, align: 'center' },
      { title: '评估意见', width: WIDTH - 10 - 27 - 18 - 30 },
      { title: '否决事项', width: 30 },
    ],
    data.dimensions.map((d, i) => [
      [{ text: String(i + 1) }],
      [{ text: d.title, bold: d.vetoes.length > 0 }],
      [{ text: scoreText(d) }],
      [{ text: d.findings }],
      d.vetoes.length > 0 ? d.vetoes.map((v) => ({ text: `▲${v}`, bold: true })) : [{ text: '无', gray: 0.35 }],
    ]),
    TABLE,
  )
  const intro = `依据${data.instrument.title}（第${data.instrument.version}版），对下列${data.dimensions.length}个方面逐项评估：`
  heading(flow, '三、分项评估', layoutParagraph(intro, WIDTH, BODY).length * BODY.lineHeight + 1.5 + tableLead(dimensions))
  paragraphs(flow, intro)
  flow.y += 1.5
  drawTable(flow, dimensions)
  const total = totalLine(data)
  if (total !== null) {
    flow.y += 2
    const [label, rest] = total.startsWith('总分：') ? ['总分：', total.slice(3)] : ['', total]
    labelled(flow, label, rest, LEFT, { ...BODY, indentEm: 0 })
  }

  heading(flow, '四、评估结论', 3 * BODY.lineHeight)
  paragraphs(flow, '经对收养人收养能力的综合评估，评估结论为：')
  flow.paragraph(sentence(data.conclusion), LEFT, WIDTH, { ...BODY, size: 13, lineHeight: 8, bold: true })

  // The annexes and the signatures go over to the next page together rather than leave the
  // signatures alone on a page with no text.
  const annexX = LEFT + 2 * ptToMm(BODY.size)
  const annexLabels = data.annexes.map((_, i) => `${i + 1}．`)
  const annexLines = data.annexes.reduce(
    (n, a, i) => n + layoutParagraph(a, RIGHT - annexX - textWidth(annexLabels[i], BODY.size), { ...BODY, indentEm: 0 }).length,
    0,
  )
  const tail = 2.5 + HEADING.lineHeight + Math.max(1, annexLines) * BODY.lineHeight + signatureBlockHeight(data)
  if (flow.y + tail > BODY_BOTTOM && TOP + tail <= BODY_BOTTOM) flow.ensure(Number.POSITIVE_INFINITY)
  heading(flow, '五、附件', 2 * BODY.lineHeight)
  if (data.annexes.length === 0) paragraphs(flow, '无。')
  data.annexes.forEach((a, i) => labelled(flow, annexLabels[i], a, annexX, BODY, false))

  signatureBlock(flow, data)

  const pages = flow.pages
  pages.forEach((p, i) => p.text(`第 ${i + 1} 页 共 ${pages.length} 页`, centre, FOOTER_BASELINE, { size: 9.5, align: 'center' }))

  return renderPdf(pages, {
    title: `${ASSESSMENT_TITLE} ${data.reportNumber}`,
    author: data.assessor.name,
    subject: ASSESSMENT_TITLE,
    date: data.reportOn,
  })
}

// --- sample -------------------------------------------------------------------------------------

/** A realistic report (fictitious people): an agency's assessment of a couple adopting from the welfare home. */
export const sampleAssessmentReport: AssessmentReportData = {
  registry: '重庆市大足区民政局',
  reportNumber: '大足评估〔2026〕17号',
  version: 1,
  applicants: ['周建华', '吴丽娟'],
  child: '福小雨',
  assessor: { kind: 'agency', name: '重庆市大足区守望社会工作服务中心', creditCode: '52500111MJP2837615' },
  instrument: { title: '收养能力评估量表', version: 3 },
  noticeOn: '2026-08-03',
  consentOn: '2026-08-05',
  reportOn: '2026-11-20',
  integration: { from: '2026-09-20', to: '2026-10-31', days: 42 },
  activities: [
    {
      on: '2026-08-10',
      kind: '材料审核',
      place: '本机构评估室',
      assessors: ['张敏', '李文静'],
      summary: '审核户口簿、身份证、结婚证、收入证明、房产证明及健康检查证明，材料齐全，与原件一致。',
    },
    {
      on: '2026-08-14',
      kind: '会谈',
      place: '本机构评估室',
      assessors: ['张敏', '李文静'],
      summary: '与收养人共同会谈，了解收养动机、婚姻家庭关系和抚育计划。二人婚后多年未育，收养意愿一致且稳定。',
    },
    {
      on: '2026-08-18',
      kind: '信息核查',
      place: '大足区公安分局棠香派出所、棠香街道办事处',
      assessors: ['李文静'],
      summary: '核查收养人有无违法犯罪记录、家庭暴力及吸毒、赌博等不良行为记录，未发现相关记录。',
    },
    {
      on: '2026-08-25',
      kind: '实地走访',
      place: '收养人住所（棠香街道二环南路）',
      assessors: ['张敏', '李文静'],
      summary: '自有住房三室两厅，约112平方米，已为被收养人准备独立卧室。',
    },
    {
      on: '2026-08-26',
      kind: '实地走访',
      place: '棠香街道龙西社区居委会',
      assessors: ['李文静'],
      summary: '走访社区工作人员及邻居三户，反映收养人邻里关系和睦。',
    },
    {
      on: '2026-09-05',
      kind: '会谈',
      place: '收养人住所',
      assessors: ['张敏'],
      summary: '与共同生活的周建华之母周桂芳会谈，其支持收养并愿协助照料。',
    },
    {
      on: '2026-10-10',
      kind: '实地走访',
      place: '收养人住所',
      assessors: ['张敏', '李文静'],
      summary: '融合期家访：被收养人作息规律，主动与收养人交流，已适应幼儿园生活。',
    },
    {
      on: '2026-10-28',
      kind: '会谈',
      place: '重庆市大足区儿童福利院',
      assessors: ['张敏'],
      summary: '与福利院养育人员会谈，了解被收养人融合期前后的情况，反馈良好。',
    },
    {
      on: '2026-11-12',
      kind: '会谈',
      place: '本机构评估室',
      assessors: ['张敏', '李文静'],
      summary: '评估小组合议，逐项评分并形成评估结论。',
    },
  ],
  preparation: [
    { on: '2026-09-06', topic: '收养法律知识与收养家庭的权利义务' },
    { on: '2026-09-13', topic: '儿童心理发展与依恋关系的建立' },
    { on: '2026-09-19', topic: '入户前的物质准备与居家安全' },
  ],
  dimensions: [
    { title: '收养动机', score: 9, maxScore: 10, findings: '婚后多年未育，夫妻收养意愿一致，动机纯正。', vetoes: [] },
    { title: '道德品行', score: 10, maxScore: 10, findings: '无违法犯罪记录和不良行为记录，社区评价良好。', vetoes: [] },
    { title: '受教育程度', score: 4, maxScore: 5, findings: '周建华大学本科，吴丽娟大专。', vetoes: [] },
    { title: '身体健康状况', score: 9, maxScore: 10, findings: '二人身体健康，未患有医学上认为不应当收养子女的疾病。', vetoes: [] },
    { title: '经济及住房条件', score: 8, maxScore: 10, findings: '家庭年收入约21万元，收入稳定；自有住房约112平方米。', vetoes: [] },
    { title: '婚姻家庭关系', score: 9, maxScore: 10, findings: '结婚十一年，夫妻关系和睦，无家庭暴力。', vetoes: [] },
    { title: '共同生活家庭成员意见', score: 5, maxScore: 5, findings: '共同生活的周建华之母支持收养，愿协助照料。', vetoes: [] },
    { title: '抚育计划', score: 9, maxScore: 10, findings: '已制定入园、就医和教育计划，吴丽娟可调整工作时间照料。', vetoes: [] },
    { title: '邻里关系', score: 5, maxScore: 5, findings: '与邻居相处融洽，无纠纷。', vetoes: [] },
    { title: '社区环境', score: 4, maxScore: 5, findings: '社区配套完善，距幼儿园约600米。', vetoes: [] },
    {
      title: '与被收养人融合情况',
      score: 17,
      maxScore: 20,
      findings: '融合期42日，被收养人与收养人建立起初步依恋，作息和饮食适应良好。',
      vetoes: [],
    },
  ],
  total: { score: 89, max: 100, pass: 60 },
  conclusion: '建议办理收养登记',
  facts:
    '收养人周建华，男，1986年4月出生，大学本科，重庆市大足区某中学教师；吴丽娟，女，1988年9月出生，大专，大足区某社区卫生服务中心护士。二人于2015年登记结婚，婚后未生育子女，现与周建华之母周桂芳共同生活于重庆市大足区棠香街道。\n' +
    '被收养人福小雨，女，2021年6月出生，2022年3月起由重庆市大足区儿童福利院抚养，身体健康。\n' +
    '受重庆市大足区民政局委托，本机构指派社会工作者张敏、李文静组成评估小组，依照《收养评估办法（试行）》对收养人的收养能力以及收养人与被收养人的融合情况进行评估。',
  annexes: [
    '评估过程记录（会谈记录4份、实地走访记录3份）',
    '收养人提交材料审核清单',
    '信息核查回复材料（公安机关、街道办事处）',
    '融合期观察记录',
    '评估过程照片及影像资料',
  ],
  signatures: [
    { name: '张敏', signedAt: '2026-11-20T02:15:00Z' },
    { name: '李文静', signedAt: null },
  ],
}
