// 收养登记档案 案卷封面 and 卷内目录: the cover of one case's archive file (一案一卷; domain.md
// "Archives") and the list of the documents in it with their page ranges.
//
// The cover is one page; the document list follows on as many pages as it needs, its table breaking
// between rows with the header row repeated, each list page numbered 第 n 页 共 m 页.
//
// This file also holds the ruled table that breaks across pages (drawRuledTable) used by the other
// archive documents (transfer-list.ts, access-slip.ts).
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, parseIsoDate, ptToMm, wrapText, type IsoDate } from './layout.ts'
import { baselineForCentre, fitText, Flow, Page, renderPdf, SIDE_MARGIN, textWidth } from './pdf.ts'

export type ArchiveDocument = {
  /** 序号 in the file, from 1. */
  seq: number
  /** 文件名称, e.g. 收养登记申请书 */
  title: string
  /** 责任者: who made the document (the applicants, the bureau, a hospital…). */
  author: string
  date: IsoDate
  /** 页号: the document's pages in the file; null when not (yet) paginated, e.g. a document still missing. */
  pages: { from: number; to: number } | null
  /** 备注, e.g. 复印件, 原件退还 */
  note?: string
}

export type ArchiveFileData = {
  /** 全宗名称: the registry keeping the archive, e.g. 重庆市大足区民政局 */
  registry: string
  /** 档号, e.g. 0111-SY·2026-0017 */
  archiveNumber: string
  /** 案卷题名, e.g. 周建华、吴丽娟收养福小雨登记档案 */
  title: string
  /** 登记类别: 收养登记 / 解除收养关系登记 / 撤销收养登记 / 不予登记 */
  kind: string
  year: number
  /** 起止日期: the earliest and latest document dates. */
  dateFrom: IsoDate
  dateTo: IsoDate
  /** 保管期限: 永久, or e.g. 30年 */
  retention: string
  /** The adopters or the placing party asked for secrecy (收养秘密): marked on the cover. */
  secrecy: boolean
  /** 立卷人 */
  filedBy: string
  /** 立卷日期 */
  filedOn: IsoDate
  documents: ArchiveDocument[]
}

export const ARCHIVE_COVER_TITLE = '收养登记档案'
export const DOCUMENT_LIST_TITLE = '卷内目录'
export const SECRECY_MARK = '收养秘密'

// --- a ruled table that breaks across pages -----------------------------------------------------

export type TableColumn = {
  title: string
  width: number
  align?: 'left' | 'center'
  /** Never wrap (dates, page ranges, numbers): shrink the text to fit one line instead. */
  nowrap?: boolean
}
export type TableCell = string | { text: string; bold?: boolean; gray?: number }
export type TableStyle = {
  /** Font size in pt. */
  size: number
  /** Baseline distance of wrapped lines, mm. */
  lineHeight: number
  padX: number
  padY: number
  /** Rows are at least this tall (mm), their text centred vertically: the even rows of a register. */
  minRowHeight: number
}
export type TableFrame = {
  left: number
  /** Top of the text area on a new page (where the repeated header row goes). */
  top: number
  /** Nothing below this line but the page footer. */
  bottom: number
}

type LaidCell = { lines: string[]; bold: boolean; gray: number; size: number }

/**
 * Draws a ruled table into the flow: a bold header row, then the rows, each as tall as its longest
 * cell (wrapped) and at least style.minRowHeight. A row that does not fit moves to the next page
 * whole, where the header row is repeated; only a row taller than a whole page is split between its
 * lines. `keepLast` keeps the last row (a totals row) on the page of the row before it; `tail` mm
 * more must fit under the last row (the signatures), so they never stand alone on a page.
 */
export function drawRuledTable(
  flow: Flow,
  frame: TableFrame,
  columns: TableColumn[],
  rows: TableCell[][],
  style: TableStyle,
  options: { keepLast?: boolean; tail?: number } = {},
): void {
  const xs = [frame.left]
  for (const c of columns) xs.push(xs[xs.length - 1] + c.width)
  const right = xs[xs.length - 1]
  const lay = (cells: TableCell[], header: boolean): LaidCell[] =>
    columns.map((col, i) => {
      const cell = cells[i] ?? ''
      const { text, bold = header, gray = 0 } = typeof cell === 'string' ? { text: cell } : cell
      const width = col.width - 2 * style.padX
      if (text === '') return { lines: [], bold, gray, size: style.size }
      if (col.nowrap && !header) return { ...fitText(text, width, 1, style.size, 6.5, bold), bold, gray }
      return { lines: wrapText(text, width, (s) => textWidth(s, style.size, bold)).map((l) => l.text), bold, gray, size: style.size }
    })
  const lineCount = (row: LaidCell[]) => Math.max(1, ...row.map((c) => c.lines.length))
  const heightOf = (lines: number) => Math.max(style.minRowHeight, lines * style.lineHeight + 2 * style.padY)
  const header = lay(
    columns.map((c) => c.title),
    true,
  )
  const body = rows.map((r) => lay(r, false))
  const headerHeight = heightOf(lineCount(header))

  let segmentTop = 0
  const drawLines = (row: LaidCell[], from: number, to: number, isHeader: boolean) => {
    const height = heightOf(to - from)
    row.forEach((cell, i) => {
      const shown = cell.lines.slice(from, to)
      // Centred vertically in the row box (the lines of the row's tallest cell fill it).
      const first = flow.y + height / 2 - ((shown.length - 1) * style.lineHeight) / 2
      shown.forEach((line, k) => {
        const y = baselineForCentre(first + k * style.lineHeight, cell.size)
        const text = { size: cell.size, bold: cell.bold, gray: cell.gray }
        if (isHeader || columns[i].align === 'center') flow.page.text(line, (xs[i] + xs[i + 1]) / 2, y, { ...text, align: 'center' })
        else flow.page.text(line, xs[i] + style.padX, y, text)
      })
    })
    flow.y += height
    flow.page.line(frame.left, flow.y, right, flow.y, { width: isHeader ? 0.6 : 0.4 })
  }
  const openSegment = () => {
    segmentTop = flow.y
    drawLines(header, 0, lineCount(header), true)
  }
  const closeSegment = () => {
    for (const x of xs.slice(1, -1)) flow.page.line(x, segmentTop, x, flow.y, { width: 0.4 })
    flow.page.rect(frame.left, segmentTop, right - frame.left, flow.y - segmentTop, { width: 0.9 })
  }
  const fits = (height: number) => flow.y + height <= frame.bottom + 1e-6
  const nextPage = () => {
    closeSegment()
    flow.ensure(Number.POSITIVE_INFINITY)
    openSegment()
  }

  // The header never stands alone at the foot of a page: it goes with the first row.
  flow.ensure(headerHeight + (body.length > 0 ? heightOf(lineCount(body[0])) : 0))
  openSegment()
  body.forEach((row, r) => {
    const total = lineCount(row)
    let needed = heightOf(total)
    if (options.keepLast && r === body.length - 2) needed += heightOf(lineCount(body[r + 1]))
    if (r >= body.length - (options.keepLast ? 2 : 1)) needed += options.tail ?? 0
    if (!fits(needed) && flow.y > segmentTop + headerHeight + 1e-6) nextPage()
    let from = 0
    while (from < total) {
      if (fits(heightOf(total - from))) {
        drawLines(row, from, total, false)
        break
      }
      // Taller than what is left of a fresh page: split where the page ends.
      const room = Math.floor((frame.bottom - flow.y - 2 * style.padY) / style.lineHeight + 1e-6)
      if (room >= 1) {
        drawLines(row, from, from + room, false)
        from += room
      }
      nextPage()
    }
  })
  closeSegment()
}

/** 第 n 页 共 m 页 centred at `baseline` on each of `pages`. */
export function numberPagesOf(pages: Page[], baseline: number, size = 9.5): void {
  pages.forEach((p, i) => p.text(`第 ${i + 1} 页 共 ${pages.length} 页`, p.widthMm / 2, baseline, { size, align: 'center' }))
}

/** Validates an ISO date and returns it in Chinese (2026年11月28日). */
const zh = (date: IsoDate) => formatDateZh(date)

/** 20261128: the eight-digit date of archival registers (DA/T 22). */
export function archiveDate(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date)
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`
}

/** 页号 of a document: 3–5, or 7 for a single page, or — when it has no pages in the file yet. */
export function pageRange(pages: ArchiveDocument['pages']): string {
  if (pages === null) return '—'
  return pages.from === pages.to ? String(pages.from) : `${pages.from}–${pages.to}`
}

/** Pages in the file: the sum of the documents' page ranges. */
export function totalPages(documents: ArchiveDocument[]): number {
  return documents.reduce((n, d) => n + (d.pages ? d.pages.to - d.pages.from + 1 : 0), 0)
}

// --- page geometry (mm) -------------------------------------------------------------------------

const LEFT = SIDE_MARGIN
const RIGHT = A4.widthMm - SIDE_MARGIN
const CENTRE = A4.widthMm / 2
/** Top of the table on the list's continuation pages. */
const LIST_TOP = 30
export const LIST_BOTTOM = 276
const FOOTER_BASELINE = 287

const LIST_STYLE: TableStyle = { size: 10, lineHeight: 4.9, padX: 1.6, padY: 1.8, minRowHeight: 9 }
const LIST_COLUMNS: TableColumn[] = [
  { title: '序号', width: 11, align: 'center', nowrap: true },
  { title: '文件名称', width: 56 },
  { title: '责任者', width: 40 },
  { title: '日期', width: 19, align: 'center', nowrap: true },
  { title: '页号', width: 17, align: 'center', nowrap: true },
  { title: '备注', width: RIGHT - LEFT - 143 },
]

// --- the cover ----------------------------------------------------------------------------------

function coverPage(page: Page, data: ArchiveFileData): void {
  // A double frame, as on printed file covers.
  const frame = { x: 18, y: 18, w: A4.widthMm - 36, h: A4.heightMm - 36 }
  page.rect(frame.x, frame.y, frame.w, frame.h, { width: 1.4 })
  page.rect(frame.x + 1.8, frame.y + 1.8, frame.w - 3.6, frame.h - 3.6, { width: 0.4 })

  // 收养秘密, top left: the one thing a clerk picking up the file must see first.
  if (data.secrecy) {
    const spacing = 3
    const w = textWidth(SECRECY_MARK, 15, true) + ptToMm(spacing) * ([...SECRECY_MARK].length - 1) + 9
    page.rect(30, 29, w, 12, { width: 1.2 })
    page.text(SECRECY_MARK, 30 + w / 2, baselineForCentre(35, 15), { size: 15, bold: true, align: 'center', spacing })
  }

  // 档号, top right, in a box of its own.
  const numberSize = fitText(data.archiveNumber, 52, 1, 12, 8).size
  const numberW = Math.max(64, textWidth(data.archiveNumber, numberSize) + 20)
  const nx = A4.widthMm - 30 - numberW
  page.rect(nx, 29, numberW, 12, { width: 0.8 })
  page.line(nx + 14, 29, nx + 14, 41, { width: 0.5 })
  page.text('档号', nx + 7, baselineForCentre(35, 11), { size: 11, bold: true, align: 'center' })
  page.text(data.archiveNumber, nx + 14 + (numberW - 14) / 2, baselineForCentre(35, numberSize), { size: numberSize, align: 'center' })

  page.text(ARCHIVE_COVER_TITLE, CENTRE, 82, { size: 30, bold: true, align: 'center', spacing: 10 })
  page.text('案 卷 封 面', CENTRE, 95, { size: 12, align: 'center', gray: 0.35 })

  // Label: value lines with a rule under each value.
  const labelX = 40
  const valueX = 72
  const valueW = A4.widthMm - 40 - valueX
  const size = 14
  let y = 122
  const field = (label: string, value: string, bold = false) => {
    const { lines, size: s } = fitText(value, valueW - 2, 2, size, 10, bold)
    page.text(label, labelX, y, { size })
    lines.forEach((line, i) => {
      page.text(line, valueX + 1, y + i * 8, { size: s, bold })
      page.line(valueX, y + i * 8 + 2.2, valueX + valueW, y + i * 8 + 2.2, { width: 0.5 })
    })
    y += 14.5 + (lines.length - 1) * 8
  }
  const pages = totalPages(data.documents)
  field('全宗名称', data.registry)
  field('案卷题名', data.title, true)
  field('登记类别', data.kind)
  field('年　　度', String(data.year))
  field('起止日期', `${zh(data.dateFrom)} 至 ${zh(data.dateTo)}`)
  field('卷内文件', `共 ${data.documents.length} 件，${pages} 页`)
  field('保管期限', data.retention)
  field('保密标识', data.secrecy ? `${SECRECY_MARK}（未经批准不得查阅）` : '无', data.secrecy)

  // 立卷人 and 立卷日期 side by side at the foot of the cover.
  const footY = 252
  page.text(`立卷人：${data.filedBy}`, labelX, footY, { size: 12 })
  page.text(`立卷日期：${zh(data.filedOn)}`, A4.widthMm - 40, footY, { size: 12, align: 'right' })
  page.line(labelX, footY + 7, A4.widthMm - 40, footY + 7, { width: 0.4, gray: 0.4 })
  page.text(data.registry, CENTRE, footY + 16, { size: 12, align: 'center' })
}

// --- validation -----------------------------------------------------------------------------------

function checkData(data: ArchiveFileData): void {
  if (!Number.isInteger(data.year) || data.year < 1900 || data.year > 9999) throw new RangeError(`not a year: ${data.year}`)
  for (const d of [data.dateFrom, data.dateTo, data.filedOn]) parseIsoDate(d)
  if (data.dateFrom > data.dateTo) throw new RangeError(`起止日期 runs backwards: ${data.dateFrom} to ${data.dateTo}`)
  data.documents.forEach((d, i) => {
    parseIsoDate(d.date)
    if (!Number.isInteger(d.seq) || d.seq < 1) throw new RangeError(`documents[${i}].seq must be a positive integer: ${d.seq}`)
    if (d.pages !== null) {
      const { from, to } = d.pages
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from) {
        throw new RangeError(`documents[${i}].pages is not a page range: ${JSON.stringify(d.pages)}`)
      }
    }
  })
  const fields: Record<string, string | undefined> = {
    registry: data.registry,
    archiveNumber: data.archiveNumber,
    title: data.title,
    kind: data.kind,
    retention: data.retention,
    filedBy: data.filedBy,
  }
  data.documents.forEach((d, i) => {
    fields[`documents[${i}].title`] = d.title
    fields[`documents[${i}].author`] = d.author
    fields[`documents[${i}].note`] = d.note
  })
  assertDrawable(fields)
}

// --- the file -------------------------------------------------------------------------------------

/** The cover (one page) followed by the document list (卷内目录) on as many pages as it needs. */
export async function renderArchiveFile(data: ArchiveFileData): Promise<Uint8Array> {
  checkData(data)

  let pageIndex = 0
  const flow = new Flow(
    () => {
      const page = new Page(A4.widthMm, A4.heightMm)
      // List pages after the first carry the archive number, so a loose sheet finds its file.
      if (pageIndex++ > 1) {
        page.text(`${DOCUMENT_LIST_TITLE}（续）`, LEFT, 19, { size: 9.5, gray: 0.35 })
        page.text(`档号：${data.archiveNumber}`, RIGHT, 19, { size: 9.5, gray: 0.35, align: 'right' })
        page.line(LEFT, 21.5, RIGHT, 21.5, { width: 0.4, gray: 0.35 })
      }
      return page
    },
    LIST_TOP,
    LIST_BOTTOM,
  )
  coverPage(flow.page, data)

  // The document list starts on a page of its own.
  flow.ensure(Number.POSITIVE_INFINITY)
  const first = flow.page
  first.text(DOCUMENT_LIST_TITLE, CENTRE, 30, { size: 20, bold: true, align: 'center', spacing: 8 })
  const meta = fitText(`案卷题名：${data.title}`, RIGHT - LEFT - 70, 1, 10.5, 8)
  first.text(meta.lines[0], LEFT, 42, { size: meta.size })
  first.text(`档号：${data.archiveNumber}`, RIGHT, 42, { size: 10.5, align: 'right' })
  flow.y = 45.5

  const documents = [...data.documents].sort((a, b) => a.seq - b.seq)
  if (documents.length === 0) {
    flow.paragraph('本卷暂无文件。', LEFT, RIGHT - LEFT, { size: 12, lineHeight: 9 })
  } else {
    drawRuledTable(
      flow,
      { left: LEFT, top: LIST_TOP, bottom: LIST_BOTTOM },
      LIST_COLUMNS,
      documents.map((d) => [
        String(d.seq),
        d.title,
        d.author,
        archiveDate(d.date),
        pageRange(d.pages),
        d.pages === null && !d.note ? { text: '未编页', gray: 0.35 } : (d.note ?? ''),
      ]),
      LIST_STYLE,
    )
  }
  flow.y += 3
  flow.ensure(6)
  flow.page.text(
    `本卷共 ${documents.length} 件，${totalPages(documents)} 页。`,
    RIGHT,
    baselineForCentre(flow.y + 3, 10),
    { size: 10, align: 'right' },
  )

  const listPages = flow.pages.slice(1)
  numberPagesOf(listPages, FOOTER_BASELINE)

  return renderPdf(flow.pages, {
    // The title bar shows the file's number, not the people in it.
    title: `${ARCHIVE_COVER_TITLE} ${data.archiveNumber}`,
    author: data.registry,
    subject: `${ARCHIVE_COVER_TITLE}封面及${DOCUMENT_LIST_TITLE}`,
    date: data.filedOn,
  })
}

// --- sample -------------------------------------------------------------------------------------

/** A realistic registered case's file (fictitious people), in the order domain.md gives. */
export const sampleArchiveFile: ArchiveFileData = {
  registry: '重庆市大足区民政局',
  archiveNumber: '0111-SY·2026-0017',
  title: '周建华、吴丽娟收养福小雨登记档案',
  kind: '收养登记',
  year: 2026,
  dateFrom: '2026-07-21',
  dateTo: '2026-11-28',
  retention: '永久',
  secrecy: true,
  filedBy: '刘晓燕',
  filedOn: '2026-12-08',
  documents: [
    { seq: 1, title: '收养登记申请书', author: '周建华、吴丽娟', date: '2026-07-21', pages: { from: 1, to: 2 } },
    { seq: 2, title: '收养登记询问笔录', author: '重庆市大足区民政局', date: '2026-07-21', pages: { from: 3, to: 6 } },
    { seq: 3, title: '收养登记审批表', author: '重庆市大足区民政局', date: '2026-11-26', pages: { from: 7, to: 7 } },
    { seq: 4, title: '收养人居民户口簿、居民身份证', author: '周建华、吴丽娟', date: '2026-07-21', pages: { from: 8, to: 11 }, note: '复印件' },
    { seq: 5, title: '收养人婚姻状况证明', author: '大足区棠香街道龙西社区居民委员会', date: '2026-07-15', pages: { from: 12, to: 12 } },
    { seq: 6, title: '收养人抚养教育被收养人能力的证明', author: '大足区棠香街道龙西社区居民委员会', date: '2026-07-15', pages: { from: 13, to: 13 } },
    { seq: 7, title: '收养人子女情况声明', author: '周建华、吴丽娟', date: '2026-07-21', pages: { from: 14, to: 14 } },
    { seq: 8, title: '收养人健康检查证明', author: '重庆市大足区人民医院', date: '2026-07-10', pages: { from: 15, to: 18 } },
    { seq: 9, title: '收养评估报告', author: '重庆市大足区守望社会工作服务中心', date: '2026-11-20', pages: { from: 19, to: 24 } },
    { seq: 10, title: '送养人法定代表人身份证明、儿童福利机构接收被收养人的原始记录', author: '重庆市大足区儿童福利院', date: '2026-07-18', pages: { from: 25, to: 28 }, note: '复印件' },
    { seq: 11, title: '被收养人户口登记证明', author: '大足区公安分局棠香派出所', date: '2026-07-18', pages: { from: 29, to: 29 } },
    { seq: 12, title: '收养登记证（副本）', author: '重庆市大足区民政局', date: '2026-11-28', pages: { from: 30, to: 30 } },
    { seq: 13, title: '收养协议', author: '周建华、吴丽娟、重庆市大足区儿童福利院', date: '2026-11-28', pages: { from: 31, to: 32 } },
    { seq: 14, title: '收养秘密保守申请', author: '周建华、吴丽娟', date: '2026-11-28', pages: null, note: '原件待补' },
  ],
}
