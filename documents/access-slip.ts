// 收养登记档案利用审批单: the slip on which a request to consult archive files is recorded and
// approved (domain.md "Archives", access; issue 5, "Access"). Parties to the case show their ID;
// courts and police bring an official letter; anyone else needs approval; secrecy (收养秘密) files need
// the supervisor's explicit approval for every request. The slip names the staff member who will
// open the file and how long the approval lasts; requester, approver and staff member sign on paper.
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, type IsoDate } from './layout.ts'
import {
  baselineForCentre,
  drawDateBlanks,
  drawRuledTable,
  layRuledTable,
  Grid,
  labelValueCells,
  numberPagesOf,
  Page,
  renderPdf,
  runningHeaderFlow,
  SIDE_MARGIN,
  textWidth,
  type Cell,
  type TableColumn,
  type TableStyle,
} from './pdf.ts'

export type AccessRequesterKind = '当事人' | '法院' | '公安' | '其他'
export const ACCESS_REQUESTER_KINDS: readonly AccessRequesterKind[] = ['当事人', '法院', '公安', '其他']

export type AccessRequester = {
  name: string
  /** 工作单位 (the court or police station for official requests). */
  unit?: string
  kind: AccessRequesterKind
  /** The identity document checked, already masked, e.g. 居民身份证（500111********1234）. Required for 当事人. */
  idChecked?: string
  /** The official letter, e.g. 大足公（刑）调字〔2026〕0457号. Required for 法院 and 公安. */
  letterReference?: string
}

export type AccessApproval = {
  /** 审批人 (the supervisor) */
  approver: string
  decision: '同意' | '不同意'
  /** 审批意见: the reason, and any condition (e.g. 生父母信息保持遮蔽). */
  reason: string
  date: IsoDate
  /** Last day the file is open to the staff member; null only when refused. */
  validUntil: IsoDate | null
}

export type AccessSlipData = {
  /** The bureau keeping the archive, e.g. 重庆市大足区民政局 */
  registry: string
  /** 编号 of the request, e.g. 档利〔2026〕12号 */
  requestNumber: string
  requestedOn: IsoDate
  requester: AccessRequester
  /** 利用目的 */
  purpose: string
  /** 利用方式, e.g. 查阅 or 查阅、复制 */
  method: string
  files: Array<{ archiveNumber: string; title: string; secrecy: boolean }>
  /** Replaces the standard secrecy note. */
  secrecyNote?: string
  /** null: the slip is printed for the supervisor to decide on paper. */
  approval: AccessApproval | null
  /** 经办人: the staff member who will open the file for the requester. */
  consultedBy: string
}

export const ACCESS_SLIP_TITLE = '收养登记档案利用审批单'

const CHECKED = '■'
const UNCHECKED = '□'

/** ■当事人　□法院　□公安　□其他 */
export function checkboxes<T extends string>(options: readonly T[], chosen: T | null): string {
  return options.map((o) => `${o === chosen ? CHECKED : UNCHECKED}${o}`).join('　')
}

/** The secrecy line: the standard wording unless the data gives its own. */
export function secrecyNote(data: AccessSlipData): string {
  if (data.secrecyNote?.trim()) return data.secrecyNote.trim()
  const secret = data.files.filter((f) => f.secrecy).map((f) => f.archiveNumber)
  if (secret.length === 0) return '所列案卷不涉及收养秘密。'
  return (
    `${secret.join('、')}为收养秘密案卷，须经科室负责人逐次批准；` +
    '生父母等送养方身份信息保持遮蔽（审批意见另有说明的除外），利用人不得泄露、对外提供。'
  )
}

// An unmasked citizen ID number (GB 11643): the slip is filed and copied, so it must arrive masked.
const FULL_ID = /(^|[^\dXx])\d{17}[\dXx]($|[^\dXx])/

function checkData(data: AccessSlipData): void {
  const { requester, approval } = data
  formatDateZh(data.requestedOn)
  if (!ACCESS_REQUESTER_KINDS.includes(requester.kind)) throw new TypeError(`unknown requester kind: ${JSON.stringify(requester.kind)}`)
  if (requester.kind === '当事人' && !requester.idChecked?.trim()) throw new TypeError('a party to the case shows an ID: idChecked is required')
  if ((requester.kind === '法院' || requester.kind === '公安') && !requester.letterReference?.trim()) {
    throw new TypeError(`a request by ${requester.kind} needs its official letter: letterReference is required`)
  }
  if (requester.idChecked && FULL_ID.test(requester.idChecked)) throw new TypeError('idChecked holds a full ID number: pass it masked')
  if (data.files.length === 0) throw new TypeError('an access slip names at least one file')
  if (approval) {
    formatDateZh(approval.date)
    if (approval.decision !== '同意' && approval.decision !== '不同意') throw new TypeError(`unknown decision: ${JSON.stringify(approval.decision)}`)
    if (approval.decision === '同意') {
      if (approval.validUntil === null) throw new TypeError('an approval is limited in time: validUntil is required')
      formatDateZh(approval.validUntil)
      if (approval.validUntil < approval.date) throw new RangeError(`validUntil ${approval.validUntil} is before the approval ${approval.date}`)
    }
  }
  const fields: Record<string, string | undefined> = {
    registry: data.registry,
    requestNumber: data.requestNumber,
    'requester.name': requester.name,
    'requester.unit': requester.unit,
    'requester.idChecked': requester.idChecked,
    'requester.letterReference': requester.letterReference,
    purpose: data.purpose,
    method: data.method,
    secrecyNote: data.secrecyNote,
    'approval.approver': approval?.approver,
    'approval.reason': approval?.reason,
    consultedBy: data.consultedBy,
  }
  data.files.forEach((f, i) => {
    fields[`files[${i}].archiveNumber`] = f.archiveNumber
    fields[`files[${i}].title`] = f.title
  })
  assertDrawable(fields)
}

// --- page geometry (mm) -------------------------------------------------------------------------

const LEFT = SIDE_MARGIN
const RIGHT = A4.widthMm - SIDE_MARGIN
const WIDTH = RIGHT - LEFT
const CENTRE = A4.widthMm / 2
const TOP = 28
export const ACCESS_BOTTOM = 276
const FOOTER_BASELINE = 287

const GRID = { rowHeight: 9.2, size: 10.5, lineHeight: 5, padding: 2 }
const LABEL_W = 26
const TABLE: TableStyle = { size: 10, lineHeight: 4.9, padX: 1.6, padY: 1.8, minRowHeight: 8.5 }
const FILE_COLUMNS: TableColumn[] = [
  { title: '序号', width: 12, align: 'center', nowrap: true },
  { title: '档号', width: 38, nowrap: true },
  { title: '案卷题名', width: WIDTH - 12 - 38 - 24 },
  { title: '保密', width: 24, align: 'center' },
]

/** The grid's columns after the section heading: label | value | label | value. */
const columns = (grid: Grid) => labelValueCells(grid.inner, RIGHT, LABEL_W)

function requestGrid(page: Page, top: number, data: AccessSlipData): number {
  const grid = new Grid(page, top, LEFT, RIGHT, GRID)
  const { pair, wide } = columns(grid)
  const r = data.requester
  const identity: Cell[][] = []
  if (r.idChecked) identity.push(wide('证件核验', `已核验 ${r.idChecked}`))
  if (r.letterReference) identity.push(wide('公函/介绍信', r.letterReference))
  grid.section('申请人', [
    pair('姓名', r.name, '申请日期', formatDateZh(data.requestedOn)),
    wide('类别', checkboxes(ACCESS_REQUESTER_KINDS, r.kind)),
    wide('工作单位', r.unit?.trim() || '—'),
    ...identity,
  ])
  grid.section('利用事项', [
    wide('利用目的', data.purpose),
    pair('利用方式', data.method, '案卷数量', `${data.files.length}卷（见下表）`),
    wide('保密提示', secrecyNote(data)),
  ])
  return grid.close()
}

function approvalGrid(page: Page, top: number, data: AccessSlipData): number {
  const grid = new Grid(page, top, LEFT, RIGHT, GRID)
  const { pair, wide } = columns(grid)
  const a = data.approval
  const blank = '' // left for the pen
  grid.section('审批', [
    wide('审批意见', checkboxes(['同意', '不同意'] as const, a?.decision ?? null)),
    // A blank reason gets room to write in: three lines' worth.
    wide('理由', a ? a.reason : '\n\n'),
    pair('审批人', a?.approver ?? blank, '审批日期', a ? formatDateZh(a.date) : blank),
    pair('有效期至', a ? (a.validUntil ? formatDateZh(a.validUntil) : '—') : blank, '经办人', data.consultedBy),
  ])
  return grid.close()
}

const SIGN_SIZE = 11
const SIGNATURES_HEIGHT = 27
export const ACCESS_NOTE = '注：经批准后在有效期内由经办人调卷并陪同查阅，逾期须重新申请；利用人不得擅自复制或对外提供档案内容。'

/** Three signature lines side by side, each with a handwritten date under it. */
function signatures(page: Page, top: number): void {
  const size = SIGN_SIZE
  const colW = WIDTH / 3
  ;['申请人签名：', '审批人签名：', '经办人签名：'].forEach((label, i) => {
    const x = LEFT + i * colW
    const base = baselineForCentre(top + 5, size)
    page.text(label, x, base, { size })
    page.line(x + textWidth(label, size), base + 1.2, x + colW - 5, base + 1.2, { width: 0.5 })
    const dateBase = base + 10
    page.text('日期：', x, dateBase, { size })
    drawDateBlanks(page, x + textWidth('日期：', size), dateBase, size)
  })
  page.paragraph(ACCESS_NOTE, LEFT, top + 23, WIDTH, { size: 9, lineHeight: 4.6, gray: 0.3 })
}

export async function renderAccessSlip(data: AccessSlipData): Promise<Uint8Array> {
  checkData(data)

  const flow = runningHeaderFlow({ left: ACCESS_SLIP_TITLE, right: data.requestNumber, x1: LEFT, x2: RIGHT, baseline: 19, size: 9.5 }, TOP, ACCESS_BOTTOM)

  const first = flow.page
  first.text(data.registry, CENTRE, 24, { size: 13, align: 'center', spacing: 1 })
  first.text(ACCESS_SLIP_TITLE, CENTRE, 35, { size: 20, bold: true, align: 'center', spacing: 2 })
  first.text(`编号：${data.requestNumber}`, RIGHT, 44, { size: 10.5, align: 'right' })
  flow.y = requestGrid(first, 47, data) + 4

  const size = 11.5
  flow.ensure(8 + 25)
  flow.page.text(`调阅案卷（共${data.files.length}卷）`, LEFT, baselineForCentre(flow.y + 3.5, size), { size, bold: true })
  flow.y += 8
  const approvalHeight = approvalGrid(new Page(A4.widthMm, A4.heightMm), 0, data)
  drawRuledTable(
    flow,
    { left: LEFT, top: TOP, bottom: ACCESS_BOTTOM },
    layRuledTable(FILE_COLUMNS, data.files.map((f, i) => [String(i + 1), f.archiveNumber, f.title, f.secrecy ? { text: '收养秘密', bold: true } : '—']),
    TABLE),
    // The last row goes over with the approval rather than leave it alone on a page.
    { tail: 4 + approvalHeight + 6 + SIGNATURES_HEIGHT },
  )

  // The approval and the signatures stay together on one page.
  flow.y += 4
  flow.ensure(approvalHeight + 6 + SIGNATURES_HEIGHT)
  flow.y = approvalGrid(flow.page, flow.y, data) + 6
  signatures(flow.page, flow.y)
  flow.y += SIGNATURES_HEIGHT

  if (flow.pages.length > 1) numberPagesOf(flow.pages, FOOTER_BASELINE)
  return renderPdf(flow.pages, {
    title: `${ACCESS_SLIP_TITLE} ${data.requestNumber}`,
    author: data.registry,
    subject: ACCESS_SLIP_TITLE,
    date: data.approval?.date ?? data.requestedOn,
  })
}

// --- sample -------------------------------------------------------------------------------------

/** A police request for a secrecy case, approved with the birth family kept masked (fictitious). */
export const sampleAccessSlip: AccessSlipData = {
  registry: '重庆市大足区民政局',
  requestNumber: '档利〔2026〕12号',
  requestedOn: '2026-11-27',
  requester: {
    name: '王立新',
    unit: '重庆市公安局大足区分局刑事侦查支队',
    kind: '公安',
    idChecked: '人民警察证（警号 0457**）',
    letterReference: '大足公（刑）调字〔2026〕0457号',
  },
  purpose: '办理一起拐卖儿童案件，需核实被收养人福小雨的来源及送养经过。',
  method: '查阅、复制',
  files: [
    { archiveNumber: '0111-SY·2026-0017', title: '周建华、吴丽娟收养福小雨登记档案', secrecy: true },
    { archiveNumber: '0111-SY·2022-0009', title: '重庆市大足区儿童福利院接收福小雨登记档案', secrecy: false },
  ],
  approval: {
    approver: '陈志明',
    decision: '同意',
    reason: '公函手续齐全。同意查阅、复制与案件有关的材料；生父母身份信息保持遮蔽，复制件加盖水印。',
    date: '2026-11-28',
    validUntil: '2026-12-04',
  },
  consultedBy: '刘晓燕',
}
