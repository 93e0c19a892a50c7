// 不予办理收养登记通知书: the written refusal with facts, legal basis and appeal routes
// (中国公民收养子女登记办法; domain.md "Registration procedure", step 5).
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, joinZh, type IsoDate } from './layout.ts'
import { drawSignatureBlock, Flow, Page, renderPdf, SIGNATURE_BLOCK_HEIGHT } from './pdf.ts'

export type RefusalNoticeData = {
  /** 登记机关, e.g. 重庆市大足区民政局 */
  registry: string
  /** 文号, e.g. （2026）渝大足收不字第0003号 */
  noticeNumber: string
  /** The applicants the notice is addressed to (一人称「你」, 多人称「你们」). */
  addressees: string[]
  applicationDate: IsoDate
  /** What the review found, e.g. 收养人王某某无配偶，与被收养人系异性，年龄相差不足四十周岁。 */
  facts: string
  /** The provisions relied on, e.g. 《中华人民共和国民法典》第一千一百零二条 */
  legalBasis: string
  /** Body for administrative reconsideration, e.g. 重庆市大足区人民政府 */
  reconsiderationBody: string
  /** Court for an administrative lawsuit, e.g. 重庆市大足区人民法院 */
  court: string
  /** Documents handed back to the applicants; empty when none were kept. */
  returnedDocuments: string[]
  /** Date of the decision (成文日期). */
  date: IsoDate
  registrar: string
}

export const REFUSAL_TITLE = '不予办理收养登记通知书'

const LEFT = 26
const RIGHT = A4.widthMm - 26
const BODY = { size: 14, lineHeight: 8.6, indentEm: 2, justify: true } as const

const sentence = (s: string) => (/[。！？]$/.test(s.trim()) ? s.trim() : `${s.trim()}。`)

/** The notice's paragraphs, in order: template wording around the case's data. */
export function refusalParagraphs(data: RefusalNoticeData): string[] {
  const you = data.addressees.length > 1 ? '你们' : '你'
  const paragraphs = [
    `${you}于${formatDateZh(data.applicationDate)}向本机关申请办理收养登记。经审查，${sentence(data.facts)}`,
    `依据${data.legalBasis.trim()}的规定，本机关决定不予办理收养登记。`,
    // 行政复议法 (2023 revision, in force 1 January 2024) art. 24(1): the people's government at the same
    // level hears it; 行政诉讼法 art. 46: six months from the day the notice is received.
    `如不服本决定，可以自收到本通知书之日起六十日内向${data.reconsiderationBody}申请行政复议，或者自收到本通知书之日起六个月内向${data.court}提起行政诉讼。`,
  ]
  if (data.returnedDocuments.length > 0) {
    paragraphs.push(`现将${you}提交的下列材料退还：`)
    data.returnedDocuments.forEach((d, i) => paragraphs.push(`${i + 1}．${sentence(d).replace(/。$/, '')}`))
  }
  return paragraphs
}

export async function renderRefusalNotice(data: RefusalNoticeData): Promise<Uint8Array> {
  if (data.addressees.length === 0) throw new TypeError('a refusal notice needs at least one addressee')
  assertDrawable({
    registry: data.registry,
    noticeNumber: data.noticeNumber,
    addressees: data.addressees.join(''),
    facts: data.facts,
    legalBasis: data.legalBasis,
    reconsiderationBody: data.reconsiderationBody,
    court: data.court,
    returnedDocuments: data.returnedDocuments.join(''),
    registrar: data.registrar,
  })

  const flow = new Flow(() => new Page(A4.widthMm, A4.heightMm), 30, 274)
  const page = flow.page
  const centre = A4.widthMm / 2
  page.text(data.registry, centre, 40, { size: 18, bold: true, align: 'center', spacing: 2 })
  page.text(REFUSAL_TITLE, centre, 54, { size: 22, bold: true, align: 'center', spacing: 2 })
  page.text(data.noticeNumber, RIGHT, 67, { size: 13, align: 'right' })
  page.line(LEFT, 71, RIGHT, 71, { width: 0.8 })

  flow.y = 77
  flow.paragraph(`${joinZh(data.addressees)}：`, LEFT, RIGHT - LEFT, { ...BODY, indentEm: 0 })
  for (const p of refusalParagraphs(data)) flow.paragraph(p, LEFT, RIGHT - LEFT, BODY)

  // The signature block stays on one page with room for the seal above the registry's name.
  flow.y += 4
  flow.ensure(SIGNATURE_BLOCK_HEIGHT)
  flow.y = drawSignatureBlock(flow.page, flow.y, LEFT + 2 * 14 * (25.4 / 72), RIGHT, {
    registry: data.registry,
    date: formatDateZh(data.date),
    registrar: data.registrar,
  })

  return renderPdf(flow.numberPages(285), {
    title: `${REFUSAL_TITLE} ${data.noticeNumber}`,
    author: data.registry,
    subject: REFUSAL_TITLE,
    date: data.date,
  })
}
