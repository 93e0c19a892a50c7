// 解除收养关系证明: issued when a dissolution by agreement is registered; the registry takes back the
// adoption certificate (domain.md "Registration procedure", step 6).
import type { CertificateChild, Sex } from './certificate.ts'
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, joinZh, parseIsoDate, type IsoDate } from './layout.ts'
import { drawSignatureBlock, Grid, Page, renderPdf, SIDE_MARGIN, SIGNATURE_BLOCK_HEIGHT, type Cell } from './pdf.ts'

export type DissolutionParty = { name: string; idNumber: string }

export type DissolutionCertificateData = {
  /** 字号 of this certificate, e.g. （2026）渝大足解字第0002号 */
  certificateNumber: string
  /** At least one adopter. */
  adoptiveFather?: DissolutionParty
  adoptiveMother?: DissolutionParty
  /** The child as on the adoption certificate (name = name before adoption). */
  child: CertificateChild
  /** 字号 of the adoption registration being dissolved. */
  originalRegistrationNumber: string
  originalRegistrationDate: IsoDate
  /** Where the adoption was registered; defaults to `registry`. */
  originalRegistry?: string
  /** Date the dissolution is registered: the relationship ends on it. */
  dissolutionDate: IsoDate
  registry: string
  registrar: string
  /** Replaces the standard statement for an unusual case; normally left out. */
  statement?: string
}

export const DISSOLUTION_TITLE = '解除收养关系证明'

const SEX_ZH: Record<Sex, string> = { male: '男', female: '女' }
const LEFT = SIDE_MARGIN
const RIGHT = A4.widthMm - SIDE_MARGIN

/** The child as named in prose: the adoptive name with the birth name in brackets. */
function childInProse(child: CertificateChild): string {
  return child.nameAfterAdoption && child.nameAfterAdoption !== child.name
    ? `${child.nameAfterAdoption}（原名${child.name}）`
    : child.name
}

/** The standard statement: template wording around the case's data. */
export function dissolutionStatement(data: DissolutionCertificateData): string {
  if (data.statement) return data.statement
  const adopters = joinZh([data.adoptiveFather?.name ?? '', data.adoptiveMother?.name ?? ''])
  return (
    `收养人${adopters}与被收养人${childInProse(data.child)}于${formatDateZh(data.originalRegistrationDate)}` +
    `在${data.originalRegistry ?? data.registry}办理收养登记（收养登记证字号：${data.originalRegistrationNumber}）。` +
    `现双方自愿协议解除收养关系，经审查，符合《中华人民共和国民法典》的有关规定，准予登记，` +
    `收养关系自${formatDateZh(data.dissolutionDate)}起解除。`
  )
}

export async function renderDissolutionCertificate(data: DissolutionCertificateData): Promise<Uint8Array> {
  const { adoptiveFather: father, adoptiveMother: mother, child } = data
  if (!father && !mother) throw new TypeError('a dissolution certificate needs at least one adopter')
  for (const d of [data.originalRegistrationDate, data.dissolutionDate, child.dateOfBirth]) parseIsoDate(d)
  assertDrawable({
    certificateNumber: data.certificateNumber,
    'adoptiveFather.name': father?.name,
    'adoptiveFather.idNumber': father?.idNumber,
    'adoptiveMother.name': mother?.name,
    'adoptiveMother.idNumber': mother?.idNumber,
    'child.name': child.name,
    'child.nameAfterAdoption': child.nameAfterAdoption,
    'child.idNumber': child.idNumber,
    originalRegistrationNumber: data.originalRegistrationNumber,
    originalRegistry: data.originalRegistry,
    registry: data.registry,
    registrar: data.registrar,
    statement: data.statement,
  })

  const page = new Page(A4.widthMm, A4.heightMm)
  page.text(DISSOLUTION_TITLE, A4.widthMm / 2, 46, { size: 24, bold: true, align: 'center', spacing: 6 })
  page.text(data.certificateNumber, RIGHT, 61, { size: 11, align: 'right' })

  const grid = new Grid(page, 65, LEFT, RIGHT)
  const label = grid.inner
  const v1 = label + 32
  const mid = v1 + (RIGHT - v1) / 2
  const label2 = v1 + 48
  const v2 = label2 + 30
  const labelCell = (text: string, x = label, w = 32): Cell => ({ text, x, w, label: true })
  const dash = '—'

  grid.section('收养人', [
    [labelCell(''), { text: '男方', x: v1, w: mid - v1, center: true }, { text: '女方', x: mid, w: RIGHT - mid, center: true }],
    [labelCell('姓名'), { text: father?.name ?? dash, x: v1, w: mid - v1 }, { text: mother?.name ?? dash, x: mid, w: RIGHT - mid }],
    [labelCell('公民身份号码'), { text: father?.idNumber ?? dash, x: v1, w: mid - v1 }, { text: mother?.idNumber ?? dash, x: mid, w: RIGHT - mid }],
  ])
  grid.section('被收养人', [
    [labelCell('姓名'), { text: child.nameAfterAdoption ?? child.name, x: v1, w: 48 }, labelCell('原名', label2, 30), { text: child.nameAfterAdoption ? child.name : dash, x: v2, w: RIGHT - v2 }],
    [labelCell('性别'), { text: SEX_ZH[child.sex], x: v1, w: 48 }, labelCell('出生日期', label2, 30), { text: formatDateZh(child.dateOfBirth), x: v2, w: RIGHT - v2 }],
    [labelCell('公民身份号码'), { text: child.idNumber ?? dash, x: v1, w: RIGHT - v1 }],
  ])
  grid.section('原登记', [
    [labelCell('登记证字号'), { text: data.originalRegistrationNumber, x: v1, w: RIGHT - v1 }],
    [labelCell('登记日期'), { text: formatDateZh(data.originalRegistrationDate), x: v1, w: 48 }, labelCell('解除日期', label2, 30), { text: formatDateZh(data.dissolutionDate), x: v2, w: RIGHT - v2 }],
  ])
  let y = grid.close()

  const body = { size: 13, lineHeight: 8, indentEm: 2, justify: true }
  y = page.paragraph(dissolutionStatement(data), LEFT, y + 14, RIGHT - LEFT, body)
  y = page.paragraph('特此证明。', LEFT, y, RIGHT - LEFT, body)

  const blockTop = Math.min(Math.max(y + 6, 214), 276 - SIGNATURE_BLOCK_HEIGHT)
  drawSignatureBlock(page, blockTop, LEFT + 9, RIGHT, { registry: data.registry, date: formatDateZh(data.dissolutionDate), registrar: data.registrar }, 13)

  return renderPdf([page], {
    title: `${DISSOLUTION_TITLE} ${data.certificateNumber}`,
    author: data.registry,
    subject: DISSOLUTION_TITLE,
    date: data.dissolutionDate,
  })
}
