// 收养登记档案 案卷封面 and 卷内目录: the cover of one case's archive file (一案一卷; domain.md
// "Archives") and the list of the documents in it with their page ranges.
//
// The cover is one page; the document list follows on as many pages as it needs, its table breaking
// between rows with the header row repeated, each list page numbered 第 n 页 共 m 页.
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, parseIsoDate, ptToMm, type IsoDate } from './layout.ts'
import {
  baselineForCentre,
  drawRuledTable,
  layRuledTable,
  fitText,
  numberPagesOf,
  Page,
  renderPdf,
  runningHeaderFlow,
  SIDE_MARGIN,
  textWidth,
  type TableColumn,
  type TableStyle,
} from './pdf.ts'

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

  // List pages after the first carry the archive number, so a loose sheet finds its file.
  const flow = runningHeaderFlow(
    { left: `${DOCUMENT_LIST_TITLE}（续）`, right: `档号：${data.archiveNumber}`, x1: LEFT, x2: RIGHT, baseline: 19, size: 9.5, plainPages: 2 },
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
      layRuledTable(LIST_COLUMNS, documents.map((d) => [
        String(d.seq),
        d.title,
        d.author,
        archiveDate(d.date),
        pageRange(d.pages),
        d.pages === null && !d.note ? { text: '未编页', gray: 0.35 } : (d.note ?? ''),
      ]),
      LIST_STYLE),
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
