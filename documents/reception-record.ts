// 寻根回访接待记录: the record of one root-seeking reception (domain.md "Root-seeking return
// visits"): who came (only the people named and verified), the plan, where they went, what was
// shown, the family's follow-up wishes, and the note that no fee or donation was asked. One A4 page
// for the case file, signed by the caseworker on paper.
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, type IsoDate } from './layout.ts'
import { baselineForCentre, drawDateBlanks, Grid, labelValueCells, Page, renderPdf, SIDE_MARGIN, textWidth } from './pdf.ts'

export type ReceptionRecordData = {
  registry: string
  /** The family's reference, e.g. ABCD-EFGH-JKLM */
  reference: string
  family: string
  nationality: string
  residence: string
  adoptee: string
  registrationNumber: string
  institution: string
  plannedOn: IsoDate
  /** 09:30–12:00 (China time) */
  time: string
  visitedOn: IsoDate
  attendees: string[]
  receivingStaff: string
  interpreter: string
  institutionContact: string
  placesVisited: string
  shown: string
  followUp: string
  caseworker: string
  recordedBy: string
  noFee: boolean
}

export const RECEPTION_TITLE = '寻根回访接待记录'
export const NO_FEE_NOTE = '本次接待未收取任何费用，未索要或暗示捐赠；参加人员限于申请中列明并经核实的人员。'

const LEFT = SIDE_MARGIN
const RIGHT = A4.widthMm - SIDE_MARGIN
const CENTRE = A4.widthMm / 2
const GRID = { rowHeight: 9.6, size: 10.5, lineHeight: 5, padding: 2 }

function checkData(d: ReceptionRecordData): void {
  formatDateZh(d.plannedOn)
  formatDateZh(d.visitedOn)
  if (d.attendees.length === 0) throw new TypeError('a reception record names at least one visitor')
  if (!d.noFee) throw new TypeError('a reception is free of charge: noFee must be true')
  const fields: Record<string, string> = {
    registry: d.registry, reference: d.reference, family: d.family, nationality: d.nationality, residence: d.residence, adoptee: d.adoptee,
    registrationNumber: d.registrationNumber, institution: d.institution, time: d.time, receivingStaff: d.receivingStaff, interpreter: d.interpreter,
    institutionContact: d.institutionContact, placesVisited: d.placesVisited, shown: d.shown, followUp: d.followUp, caseworker: d.caseworker, recordedBy: d.recordedBy,
  }
  d.attendees.forEach((a, i) => { fields[`attendees[${i}]`] = a })
  assertDrawable(fields)
}

export async function renderReceptionRecord(d: ReceptionRecordData): Promise<Uint8Array> {
  checkData(d)
  const page = new Page(A4.widthMm, A4.heightMm)
  page.text(d.registry, CENTRE, 24, { size: 13, align: 'center', spacing: 1 })
  page.text(RECEPTION_TITLE, CENTRE, 35, { size: 20, bold: true, align: 'center', spacing: 2 })
  page.text(`申请编号：${d.reference}`, RIGHT, 44, { size: 10.5, align: 'right' })
  const grid = new Grid(page, 47, LEFT, RIGHT, GRID)
  const { pair, wide } = labelValueCells(grid.inner, RIGHT, 26)
  grid.section('来访家庭', [
    pair('申请人', d.family, '国籍', d.nationality),
    pair('居住国', d.residence, '原登记字号', d.registrationNumber),
    wide('被收养人', d.adoptee),
    wide('原福利机构', d.institution),
    wide('到访人员', `${d.attendees.join('、')}（共${d.attendees.length}人）`),
  ])
  grid.section('接待安排', [
    pair('计划日期', formatDateZh(d.plannedOn), '时间', `${d.time}（北京时间）`),
    pair('接待人员', d.receivingStaff, '翻译', d.interpreter),
    pair('机构联系人', d.institutionContact, '负责社工', d.caseworker),
  ])
  grid.section('接待情况', [
    wide('接待日期', formatDateZh(d.visitedOn)),
    wide('到访地点', d.placesVisited),
    wide('展示内容', d.shown),
    wide('后续愿望', d.followUp.trim() || '无'),
    wide('说明', NO_FEE_NOTE),
  ])
  const bottom = grid.close()
  const size = 11
  const base = baselineForCentre(bottom + 14, size)
  page.text(`记录人：${d.recordedBy}`, LEFT, base, { size })
  const sign = '接待人签名：'
  const x = CENTRE
  page.text(sign, x, base, { size })
  page.line(x + textWidth(sign, size), base + 1.2, RIGHT, base + 1.2, { width: 0.5 })
  page.text('日期：', x, base + 10, { size })
  drawDateBlanks(page, x + textWidth('日期：', size), base + 10, size)
  return renderPdf([page], { title: `${RECEPTION_TITLE} ${d.reference}`, author: d.registry, subject: RECEPTION_TITLE, date: d.visitedOn })
}

/** A fictitious reception for tests and the sample print. */
export const sampleReceptionRecord: ReceptionRecordData = {
  registry: '重庆市大足区民政局',
  reference: 'K7QD-M2XF-ZABE',
  family: 'Emily Carter',
  nationality: '美国',
  residence: '美国',
  adoptee: 'Lily Carter（原名 福小花）',
  registrationNumber: '渝大足收字2024第0012号',
  institution: '大足区儿童福利院',
  plannedOn: '2026-12-10',
  time: '09:30–12:00',
  visitedOn: '2026-12-10',
  attendees: ['Emily Carter', 'Lily Carter', 'Daniel Carter'],
  receivingStaff: '王登记、刘社工',
  interpreter: '陈译（英语）',
  institutionContact: '福利院办公室 023-43720000',
  placesVisited: '大足区儿童福利院（婴儿室、活动室）；发现地附近的龙岗街道社区服务中心。',
  shown: '福利院的房间和在院期间的照片、成长记录（不含送养方信息）。',
  followUp: '希望以后与福利院保持书信联系，并寄送孩子的近照。',
  caseworker: '刘晓燕',
  recordedBy: '刘晓燕',
  noFee: true,
}
