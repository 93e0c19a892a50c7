// 收养登记档案移交清单: the list of archive files a county registry hands over to the county archives
// bureau ten years after they were created (domain.md "Archives"; issue 5, "Transfer"). Both units
// keep a copy; each signs and applies its seal — on paper: the list only leaves a box labelled
// （印章处） for each, never anything resembling a seal.
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, type IsoDate } from './layout.ts'
import {
  baselineForCentre,
  drawDateBlanks,
  drawRuledTable,
  layRuledTable,
  drawSealBox,
  fitText,
  Grid,
  labelValueCells,
  layoutParagraph,
  numberPagesOf,
  Page,
  renderPdf,
  runningHeaderFlow,
  SIDE_MARGIN,
  textWidth,
  type TableColumn,
  type TableStyle,
} from './pdf.ts'

export type TransferFile = {
  /** 档号 */
  archiveNumber: string
  /** 案卷题名 */
  title: string
  year: number
  /** 保管期限: 永久, or e.g. 30年 */
  retention: string
  /** 件数 and 页数 in the file. */
  documents: number
  pages: number
  /** 备注, e.g. 收养秘密 */
  note?: string
}

export type TransferListData = {
  /** 移交单位, e.g. 重庆市大足区民政局 */
  fromUnit: string
  /** 接收单位, e.g. 重庆市大足区档案馆 */
  toUnit: string
  /** 批次号, e.g. 大足民档移〔2036〕1号 */
  batchNumber: string
  /** 移交日期 */
  date: IsoDate
  files: TransferFile[]
  /** 说明: what the numbers do not say, e.g. files held back with approval. */
  remarks?: string
  /** 移交人 and 接收人 when known; their signatures and dates are always left blank for the pen. */
  handedOverBy?: string
  receivedBy?: string
}

export const TRANSFER_TITLE = '收养登记档案移交清单'

// --- page geometry (mm) -------------------------------------------------------------------------

const LEFT = SIDE_MARGIN
const RIGHT = A4.widthMm - SIDE_MARGIN
const WIDTH = RIGHT - LEFT
const CENTRE = A4.widthMm / 2
const TOP = 28
export const TRANSFER_BOTTOM = 276
const FOOTER_BASELINE = 287

const TABLE: TableStyle = { size: 9.5, lineHeight: 4.7, padX: 1.4, padY: 1.8, minRowHeight: 8.5 }
const COLUMNS: TableColumn[] = [
  { title: '序号', width: 10, align: 'center', nowrap: true },
  { title: '档号', width: 34, nowrap: true },
  { title: '案卷题名', width: 54 },
  { title: '年度', width: 12, align: 'center', nowrap: true },
  { title: '保管期限', width: 17, align: 'center' },
  { title: '件数', width: 11, align: 'center', nowrap: true },
  { title: '页数', width: 11, align: 'center', nowrap: true },
  { title: '备注', width: WIDTH - 149 },
]

/** Files, documents and pages of the batch. */
export function transferTotals(files: TransferFile[]): { files: number; documents: number; pages: number } {
  return files.reduce((t, f) => ({ files: t.files + 1, documents: t.documents + f.documents, pages: t.pages + f.pages }), {
    files: 0,
    documents: 0,
    pages: 0,
  })
}

/** The sentence above the table. */
export function transferSentence(data: TransferListData): string {
  const t = transferTotals(data.files)
  return `${data.fromUnit}向${data.toUnit}移交收养登记档案${t.files}卷，共${t.documents}件、${t.pages}页，清单如下：`
}

function checkData(data: TransferListData): void {
  formatDateZh(data.date)
  if (data.files.length === 0) throw new TypeError('a transfer list needs at least one file')
  data.files.forEach((f, i) => {
    if (!Number.isInteger(f.year)) throw new RangeError(`files[${i}].year is not a year: ${f.year}`)
    for (const n of [f.documents, f.pages]) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`files[${i}]: counts must be whole numbers ≥ 0, got ${n}`)
    }
  })
  const fields: Record<string, string | undefined> = {
    fromUnit: data.fromUnit,
    toUnit: data.toUnit,
    batchNumber: data.batchNumber,
    remarks: data.remarks,
    handedOverBy: data.handedOverBy,
    receivedBy: data.receivedBy,
  }
  data.files.forEach((f, i) => {
    fields[`files[${i}].archiveNumber`] = f.archiveNumber
    fields[`files[${i}].title`] = f.title
    fields[`files[${i}].retention`] = f.retention
    fields[`files[${i}].note`] = f.note
  })
  assertDrawable(fields)
}

function headerGrid(page: Page, top: number, data: TransferListData): number {
  const grid = new Grid(page, top, LEFT, RIGHT, { rowHeight: 9.5, size: 11, lineHeight: 5, padding: 2 })
  const { pair } = labelValueCells(LEFT, RIGHT, 24)
  grid.row(pair('移交单位', data.fromUnit, '接收单位', data.toUnit))
  grid.row(pair('批 次 号', data.batchNumber, '移交日期', formatDateZh(data.date)))
  return grid.close()
}

const SIGN_SIZE = 11.5
const SEAL_H = 30
/** Height of the two signature columns. */
const SIGNATURES_HEIGHT = 8 + SEAL_H + 4 + 3 * 9

/** One unit's column: its name, the seal box, the person, the signature and the date. */
function signatureColumn(page: Page, x: number, w: number, top: number, role: '移交' | '接收', unit: string, person?: string): void {
  const size = SIGN_SIZE
  const head = fitText(`${role}单位：${unit}`, w, 1, size, 8.5, true)
  page.text(head.lines[0], x, baselineForCentre(top + 3, head.size), { size: head.size, bold: true })
  drawSealBox(page, x, top + 8, 46, SEAL_H)
  let y = top + 8 + SEAL_H + 4
  const row = (label: string) => {
    const base = baselineForCentre(y + 4.5, size)
    page.text(label, x, base, { size })
    y += 9
    return { base, after: x + textWidth(label, size) }
  }
  const who = row(`${role}人：`)
  if (person) page.text(person, who.after, who.base, { size })
  else page.line(who.after, who.base + 1.2, x + w - 6, who.base + 1.2, { width: 0.5 })
  const sign = row('签名：')
  page.line(sign.after, sign.base + 1.2, x + w - 6, sign.base + 1.2, { width: 0.5 })
  // 　　　　年　　月　　日, filled in by hand.
  const date = row('日期：')
  drawDateBlanks(page, date.after, date.base, size)
}

export async function renderTransferList(data: TransferListData): Promise<Uint8Array> {
  checkData(data)

  const flow = runningHeaderFlow({ left: TRANSFER_TITLE, right: data.batchNumber, x1: LEFT, x2: RIGHT, baseline: 19, size: 9.5 }, TOP, TRANSFER_BOTTOM)

  const first = flow.page
  first.text(TRANSFER_TITLE, CENTRE, 32, { size: 20, bold: true, align: 'center', spacing: 3 })
  flow.y = headerGrid(first, 40, data) + 4
  const body = { size: 11, lineHeight: 6.6 }
  flow.paragraph(transferSentence(data), LEFT, WIDTH, { ...body, indentEm: 2, justify: true })
  flow.y += 1.5

  const totals = transferTotals(data.files)
  const notes = [...(data.remarks?.trim() ? [`说明：${data.remarks.trim()}`] : []), '本清单一式两份，移交单位、接收单位各执一份。']
  const noteStyle = { size: 10, lineHeight: 5.8, justify: true }
  const notesHeight = notes.reduce((h, n) => h + layoutParagraph(n, WIDTH, noteStyle).length * noteStyle.lineHeight, 0)
  drawRuledTable(
    flow,
    { left: LEFT, top: TOP, bottom: TRANSFER_BOTTOM },
    layRuledTable(COLUMNS, [
      ...data.files.map((f, i) => [
        String(i + 1),
        f.archiveNumber,
        f.title,
        String(f.year),
        f.retention,
        String(f.documents),
        String(f.pages),
        f.note ?? '',
      ]),
      ['', { text: '合计', bold: true }, { text: `${totals.files}卷`, bold: true }, '', '', { text: String(totals.documents), bold: true }, { text: String(totals.pages), bold: true }, ''],
    ],
    TABLE),
    // The last rows go over with the notes and the signatures rather than leave those alone on a page.
    { keepLast: true, tail: 3 + notesHeight + 6 + SIGNATURES_HEIGHT },
  )

  flow.y += 3
  for (const note of notes) flow.paragraph(note, LEFT, WIDTH, noteStyle)

  // Both units' signatures and seal boxes stay together on one page.
  flow.y += 6
  flow.ensure(SIGNATURES_HEIGHT)
  const colW = WIDTH / 2 - 4
  signatureColumn(flow.page, LEFT, colW, flow.y, '移交', data.fromUnit, data.handedOverBy)
  signatureColumn(flow.page, LEFT + WIDTH / 2 + 4, colW, flow.y, '接收', data.toUnit, data.receivedBy)
  flow.y += SIGNATURES_HEIGHT

  numberPagesOf(flow.pages, FOOTER_BASELINE)
  return renderPdf(flow.pages, {
    title: `${TRANSFER_TITLE} ${data.batchNumber}`,
    author: data.fromUnit,
    subject: TRANSFER_TITLE,
    date: data.date,
  })
}

// --- sample -------------------------------------------------------------------------------------

const SAMPLE_COUPLES = [
  ['陈建国、刘芳', '王小雨'],
  ['李志强、赵敏', '福小杰'],
  ['黄伟、杨丽', '福小月'],
  ['张卫东', '张小涵'],
  ['罗明、何静', '福小宇'],
  ['蒋涛、唐慧', '福小琪'],
  ['邓勇、曾燕', '邓小满'],
  ['谢军、田芳', '福小安'],
] as const

/** Files of the 2026 registrations handed over in 2036 (fictitious people). */
export const sampleTransferList: TransferListData = {
  fromUnit: '重庆市大足区民政局',
  toUnit: '重庆市大足区档案馆',
  batchNumber: '大足民档移〔2036〕1号',
  date: '2036-03-18',
  files: SAMPLE_COUPLES.map(([adopters, child], i) => ({
    archiveNumber: `0111-SY·2026-${String(i + 1).padStart(4, '0')}`,
    title: i === 5 ? `${adopters}与${child}解除收养关系登记档案` : `${adopters}收养${child}登记档案`,
    year: 2026,
    retention: '永久',
    documents: 12 + (i % 3),
    pages: 30 + 3 * i,
    note: i === 2 ? '收养秘密' : undefined,
  })),
  remarks: '收养秘密案卷0111-SY·2026-0031经局长批准暂缓移交，未列入本清单。',
  handedOverBy: '刘晓燕',
}
