// 收养回访记录: the record of one post-adoption follow-up visit (domain.md "Post-adoption
// follow-up"), printed from a submitted or reviewed visit report for the case file: the family, the
// visit, the child's daily care, health, schooling, bonding and integration, support needed with
// the referral, the concern level — and, for a serious concern, to whom and when the mandatory
// report was made —, the caseworker's signature and the supervisor's review. Same standards as the
// certificate: embedded CJK subset font, text that reads back in order, deterministic bytes.
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, type IsoDate } from './layout.ts'
import { baselineForCentre, Grid, labelValueCells, layoutParagraph, numberPagesOf, renderPdf, runningHeaderFlow, SIDE_MARGIN, type Cell } from './pdf.ts'

export type ConcernLevelZh = '无' | '轻微' | '中等' | '严重'
export const CONCERN_LEVELS_ZH: readonly ConcernLevelZh[] = ['无', '轻微', '中等', '严重']
export const SUPPORT_KINDS_ZH = ['入学', '医疗', '经济', '心理'] as const
export type SupportKindZh = (typeof SUPPORT_KINDS_ZH)[number]

export type VisitRecordData = {
  registry: string
  /** 编号, e.g. 回访〔2026〕第123-1号 */
  recordNumber: string
  registrationNumber: string
  registeredOn: IsoDate
  child: string
  childBirthDate: IsoDate | null
  adopters: string
  address: string
  /** 第n次回访 */
  sequence: number
  dueOn: IsoDate
  visitedOn: IsoDate
  outsideWindowReason: string | null
  caseworker: string
  met: string
  dailyCare: string
  health: string
  schooling: string
  bonding: string
  support: SupportKindZh[]
  referral: string | null
  concern: ConcernLevelZh
  concernDetails: string | null
  /** The mandatory report (强制报告) of a serious concern: the authority and when (YYYY-MM-DD HH:mm). */
  mandatoryReport: { to: string; at: string } | null
  version: number
  correctionReason: string | null
  signedOn: IsoDate
  review: { reviewer: string; on: IsoDate; note: string | null } | null
}

export const VISIT_RECORD_TITLE = '收养回访记录'

const CHECKED = '■'
const UNCHECKED = '□'
const boxes = <T extends string>(options: readonly T[], chosen: readonly T[]) => options.map((o) => `${chosen.includes(o) ? CHECKED : UNCHECKED}${o}`).join('　')

function checkData(d: VisitRecordData): void {
  for (const date of [d.registeredOn, d.dueOn, d.visitedOn, d.signedOn, ...(d.childBirthDate ? [d.childBirthDate] : []), ...(d.review ? [d.review.on] : [])]) formatDateZh(date)
  if (!CONCERN_LEVELS_ZH.includes(d.concern)) throw new TypeError(`unknown concern level: ${JSON.stringify(d.concern)}`)
  if (d.concern === '严重' && !d.mandatoryReport) throw new TypeError('a serious concern is printed with its mandatory report')
  if (d.concern !== '无' && !d.concernDetails?.trim()) throw new TypeError('a concern is printed with its details')
  if (d.version > 1 && !d.correctionReason?.trim()) throw new TypeError('a corrected record states the reason')
  assertDrawable({
    registry: d.registry, recordNumber: d.recordNumber, registrationNumber: d.registrationNumber, child: d.child, adopters: d.adopters, address: d.address,
    caseworker: d.caseworker, met: d.met, dailyCare: d.dailyCare, health: d.health, schooling: d.schooling, bonding: d.bonding,
    referral: d.referral ?? undefined, concernDetails: d.concernDetails ?? undefined, outsideWindowReason: d.outsideWindowReason ?? undefined,
    'mandatoryReport.to': d.mandatoryReport?.to, correctionReason: d.correctionReason ?? undefined,
    'review.reviewer': d.review?.reviewer, 'review.note': d.review?.note ?? undefined,
  })
}

const LEFT = SIDE_MARGIN
const RIGHT = A4.widthMm - SIDE_MARGIN
const WIDTH = RIGHT - LEFT
const CENTRE = A4.widthMm / 2
const TOP = 28
const BOTTOM = 279
const FOOTER_BASELINE = 287
const GRID = { rowHeight: 8.6, size: 10.5, lineHeight: 5, padding: 2 }
const BODY = { size: 11, lineHeight: 5.8, indentEm: 2 }
const HEADING = 12

export async function renderVisitRecord(d: VisitRecordData): Promise<Uint8Array> {
  checkData(d)
  const flow = runningHeaderFlow({ left: VISIT_RECORD_TITLE, right: d.recordNumber, x1: LEFT, x2: RIGHT, baseline: 19, size: 9.5 }, TOP, BOTTOM)
  const first = flow.page
  first.text(d.registry, CENTRE, 24, { size: 13, align: 'center', spacing: 1 })
  first.text(VISIT_RECORD_TITLE, CENTRE, 35, { size: 20, bold: true, align: 'center', spacing: 2 })
  first.text(`编号：${d.recordNumber}`, RIGHT, 44, { size: 10.5, align: 'right' })

  const grid = new Grid(first, 47, LEFT, RIGHT, GRID)
  const { pair, wide } = labelValueCells(grid.inner, RIGHT, 26)
  const visitRows: Cell[][] = [
    pair('回访次序', `第${d.sequence}次`, '应访日期', formatDateZh(d.dueOn)),
    pair('回访日期', formatDateZh(d.visitedOn), '回访人', d.caseworker),
  ]
  if (d.outsideWindowReason) visitRows.push(wide('逾期/提前说明', d.outsideWindowReason))
  visitRows.push(wide('在场人员', d.met))
  grid.section('家庭', [
    pair('登记证号', d.registrationNumber, '登记日期', formatDateZh(d.registeredOn)),
    pair('被收养人', d.child, '出生日期', d.childBirthDate ? formatDateZh(d.childBirthDate) : '—'),
    wide('收养人', d.adopters),
    wide('家庭住址', d.address || '—'),
  ])
  grid.section('回访', visitRows)
  flow.y = grid.close() + 6

  const heading = (text: string) => {
    flow.ensure(7 + BODY.lineHeight * 2)
    flow.page.text(text, LEFT, baselineForCentre(flow.y + 3.5, HEADING), { size: HEADING, bold: true })
    flow.y += 7
  }
  const body = (text: string) => {
    for (const para of text.split(/\n+/).map((p) => p.trim()).filter(Boolean)) flow.paragraph(para, LEFT, WIDTH, BODY)
    flow.y += 1
  }
  heading('一、日常照料')
  body(d.dailyCare)
  heading('二、健康状况')
  body(d.health)
  heading('三、入学与教育')
  body(d.schooling)
  heading('四、家庭融合与社会适应')
  body(d.bonding)
  heading('五、需要的支持')
  body(boxes(SUPPORT_KINDS_ZH, d.support))
  if (d.referral) body(`转介记录：${d.referral}`)
  heading('六、关注程度')
  body(boxes(CONCERN_LEVELS_ZH, [d.concern]))
  if (d.concernDetails) body(`情况说明：${d.concernDetails}`)
  if (d.mandatoryReport) body(`强制报告：已于${d.mandatoryReport.at}向${d.mandatoryReport.to}报告。`)
  if (d.version > 1) {
    heading('更正说明')
    body(`本记录为第${d.version}版，更正原因：${d.correctionReason}`)
  }

  // The signatures and the review note stay together.
  const noteLines = d.review?.note ? layoutParagraph(`审核意见：${d.review.note}`, WIDTH, BODY).length : 0
  flow.y += 2
  flow.ensure(18 + noteLines * BODY.lineHeight)
  const sig = flow.page
  const base = baselineForCentre(flow.y + 4, 11.5)
  sig.text(`回访人（签名）：${d.caseworker}`, LEFT, base, { size: 11.5 })
  sig.text(`${formatDateZh(d.signedOn)}`, RIGHT, base, { size: 11.5, align: 'right' })
  if (d.review) {
    sig.text(`审核人：${d.review.reviewer}`, LEFT, base + 8, { size: 11.5 })
    sig.text(`${formatDateZh(d.review.on)}`, RIGHT, base + 8, { size: 11.5, align: 'right' })
  } else {
    sig.text('审核人：（待审核）', LEFT, base + 8, { size: 11.5, gray: 0.35 })
  }
  flow.y += 18
  if (d.review?.note) flow.paragraph(`审核意见：${d.review.note}`, LEFT, WIDTH, BODY)

  if (flow.pages.length > 1) numberPagesOf(flow.pages, FOOTER_BASELINE)
  return renderPdf(flow.pages, { title: `${VISIT_RECORD_TITLE} ${d.recordNumber}`, author: d.registry, subject: VISIT_RECORD_TITLE, date: d.review?.on ?? d.signedOn })
}

/** A fictitious record: a visit with a moderate concern and a referral, reviewed. */
export const sampleVisitRecord: VisitRecordData = {
  registry: '重庆市大足区民政局',
  recordNumber: '回访〔2026〕第17-1号',
  registrationNumber: '渝大足收字（2026）第0017号',
  registeredOn: '2026-05-20',
  child: '周小雨',
  childBirthDate: '2022-04-09',
  adopters: '周建华、吴丽娟',
  address: '重庆市大足区棠香街道二环南路168号3单元502',
  sequence: 3,
  dueOn: '2026-11-20',
  visitedOn: '2026-11-24',
  outsideWindowReason: null,
  caseworker: '李社工',
  met: '收养人周建华、吴丽娟，被收养人周小雨；外祖母在场。',
  dailyCare: '孩子作息规律，三餐由吴丽娟照料，居住房间整洁，有独立床铺和玩具。家中对孩子的饮食偏好和过敏史掌握清楚。',
  health: '按时完成国家免疫规划疫苗接种；十月因支气管炎就医一次，已痊愈。身高体重在正常范围。',
  schooling: '九月起就读棠香街道第一幼儿园小班，老师反映适应良好，能与同伴合作游戏。',
  bonding: '孩子称呼收养人为爸爸、妈妈，主动寻求拥抱；与外祖母关系亲密。社区网格员表示家庭邻里关系和睦。',
  support: ['心理'],
  referral: '孩子入园后夜间偶有惊醒，已转介区未成年人保护工作站心理咨询师，首次咨询定于12月3日。',
  concern: '中等',
  concernDetails: '夜间惊醒、分离焦虑较明显，需跟进心理咨询情况。',
  mandatoryReport: null,
  version: 1,
  correctionReason: null,
  signedOn: '2026-11-24',
  review: { reviewer: '刘科长', on: '2026-11-26', note: '同意转介意见，下次回访时了解咨询效果。' },
}
