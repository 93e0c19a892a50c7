// 收养登记证 (adoption registration certificate): the values printed onto the preprinted blank
// (套打), or a full-page file copy marked 副本 for the archive.
//
// The system never draws the registry's seal, nor anything resembling one: the seal is applied on
// paper (a lawful electronic seal, GB/T 38540, is a separate system). The copy only shows a dashed
// box labelled （印章处） where it goes.
import { assertDrawable } from './fonts.ts'
import { A4, formatDateZh, parseIsoDate, type IsoDate } from './layout.ts'
import { baselineForCentre, drawSealBox, fitText, Grid, Page, renderPdf, SIDE_MARGIN, type Cell } from './pdf.ts'

export type Sex = 'male' | 'female'

export type CertificateChild = {
  name: string
  /** Only when the name changes on adoption. */
  nameAfterAdoption?: string
  sex: Sex
  dateOfBirth: IsoDate
  /** 公民身份号码; a foundling may have none yet. */
  idNumber?: string
}

export type CertificateAdopter = {
  name: string
  dateOfBirth: IsoDate
  idNumber: string
  address: string
}

export type CertificatePlacingParty = {
  /** A person's name (several joined with 、) or the institution's name, e.g. 重庆市大足区儿童福利院. */
  name: string
  address: string
}

export type CertificateData = {
  /** 字号, formatted by the registry's configured pattern, e.g. （2026）渝大足收字第0001号. */
  registrationNumber: string
  /** 印制号: serial preprinted on the blank this certificate is printed on. */
  serialNumber: string
  child: CertificateChild
  placingParty: CertificatePlacingParty
  /** At least one adopter; a single adopter leaves the other absent. */
  adoptiveFather?: CertificateAdopter
  adoptiveMother?: CertificateAdopter
  registrationDate: IsoDate
  /** 登记员 */
  registrar: string
  /** 登记机关, e.g. 重庆市大足区民政局 */
  registry: string
}

export type CertificateOptions = {
  /** 'blank': only the values, placed for the preprinted blank; 'copy': full A4 file copy. */
  mode: 'blank' | 'copy'
  /**
   * Printer calibration for 'blank', in mm: +x moves everything right, +y moves it down.
   * Ignored for 'copy', which is printed on plain paper.
   */
  offsetMm?: { x: number; y: number }
}

export const APPROVAL_SENTENCE =
  '经审查，符合《中华人民共和国民法典》规定的收养条件，准予登记，收养关系自登记之日起成立。'

const SEX_ZH: Record<Sex, string> = { male: '男', female: '女' }
const MAX_OFFSET_MM = 30

/**
 * The preprinted blank: the certificate's inner spread as a loose sheet before binding, A5
 * landscape (210 × 148 mm; left page 0–105 mm, right page 105–210 mm). Every field is the left end
 * of the value's baseline in mm from the sheet's top-left corner, the width it may take, and how
 * many lines it may wrap to (then it shrinks down to 8 pt). Labels, the title, the approval sentence,
 * the photo frame and the serial (印制号) are preprinted and never printed by us.
 */
export const CERTIFICATE_BLANK = {
  widthMm: 210,
  heightMm: 148,
  fontSizePt: 11,
  /** Baseline-to-baseline distance of a wrapped value. */
  lineStepMm: 5,
  fields: {
    // left page: the child and the placing party, under the photo frame (22–83 × 10–52 mm)
    childName: { x: 38, y: 66, width: 60, lines: 1 },
    childNameAfterAdoption: { x: 38, y: 74, width: 60, lines: 1 },
    childSex: { x: 38, y: 82, width: 12, lines: 1 },
    childDateOfBirth: { x: 66, y: 82, width: 34, lines: 1 },
    childIdNumber: { x: 38, y: 90, width: 60, lines: 1 },
    placingPartyName: { x: 38, y: 106, width: 60, lines: 2 },
    placingPartyAddress: { x: 38, y: 120, width: 60, lines: 2 },
    // right page: the adopters, then the registration
    fatherName: { x: 143, y: 22, width: 60, lines: 1 },
    fatherDateOfBirth: { x: 143, y: 29, width: 60, lines: 1 },
    fatherIdNumber: { x: 143, y: 36, width: 60, lines: 1 },
    motherName: { x: 143, y: 46, width: 60, lines: 1 },
    motherDateOfBirth: { x: 143, y: 53, width: 60, lines: 1 },
    motherIdNumber: { x: 143, y: 60, width: 60, lines: 1 },
    adoptersAddress: { x: 143, y: 70, width: 60, lines: 2 },
    registry: { x: 143, y: 112, width: 60, lines: 1 },
    registrationDate: { x: 143, y: 120, width: 60, lines: 1 },
    registrar: { x: 143, y: 128, width: 60, lines: 1 },
    registrationNumber: { x: 143, y: 136, width: 60, lines: 1 },
  },
} as const

export type BlankField = keyof typeof CERTIFICATE_BLANK.fields

/** Both adopters' address in one line when they share it, otherwise each prefixed 男方/女方. */
function adoptersAddress(data: CertificateData): string {
  const f = data.adoptiveFather?.address
  const m = data.adoptiveMother?.address
  if (f && m && f !== m) return `男方：${f}；女方：${m}`
  return f ?? m ?? ''
}

function validate(data: CertificateData): void {
  if (!data.adoptiveFather && !data.adoptiveMother) throw new TypeError('a certificate needs at least one adopter')
  for (const d of [data.registrationDate, data.child.dateOfBirth, data.adoptiveFather?.dateOfBirth, data.adoptiveMother?.dateOfBirth]) {
    if (d !== undefined) parseIsoDate(d)
  }
  assertDrawable({
    registrationNumber: data.registrationNumber,
    serialNumber: data.serialNumber,
    'child.name': data.child.name,
    'child.nameAfterAdoption': data.child.nameAfterAdoption,
    'child.idNumber': data.child.idNumber,
    'placingParty.name': data.placingParty.name,
    'placingParty.address': data.placingParty.address,
    'adoptiveFather.name': data.adoptiveFather?.name,
    'adoptiveFather.idNumber': data.adoptiveFather?.idNumber,
    'adoptiveFather.address': data.adoptiveFather?.address,
    'adoptiveMother.name': data.adoptiveMother?.name,
    'adoptiveMother.idNumber': data.adoptiveMother?.idNumber,
    'adoptiveMother.address': data.adoptiveMother?.address,
    registrar: data.registrar,
    registry: data.registry,
  })
}

export async function renderCertificate(
  data: CertificateData,
  options: CertificateOptions = { mode: 'copy' },
): Promise<Uint8Array> {
  validate(data)
  const offset = options.offsetMm ?? { x: 0, y: 0 }
  // A calibration is a few millimetres; anything else is a unit mix-up that would print off the blank.
  if (![offset.x, offset.y].every((v) => Number.isFinite(v) && Math.abs(v) <= MAX_OFFSET_MM)) {
    throw new RangeError(`printer offset must be within ±${MAX_OFFSET_MM} mm, got ${JSON.stringify(offset)}`)
  }
  const page = options.mode === 'blank' ? blankPage(data, offset) : copyPage(data)
  return renderPdf([page], {
    title: `收养登记证${options.mode === 'copy' ? '（副本）' : ''} ${data.registrationNumber}`,
    author: data.registry,
    subject: '收养登记证',
    date: data.registrationDate,
  })
}

// --- 套打: values only ----------------------------------------------------------------------------

function blankPage(data: CertificateData, offset: { x: number; y: number }): Page {
  const { widthMm, heightMm, fontSizePt, lineStepMm, fields } = CERTIFICATE_BLANK
  const page = new Page(widthMm, heightMm)
  const { child, adoptiveFather: father, adoptiveMother: mother } = data
  const values: Record<BlankField, string | undefined> = {
    childName: child.name,
    childNameAfterAdoption: child.nameAfterAdoption,
    childSex: SEX_ZH[child.sex],
    childDateOfBirth: formatDateZh(child.dateOfBirth),
    childIdNumber: child.idNumber,
    placingPartyName: data.placingParty.name,
    placingPartyAddress: data.placingParty.address,
    fatherName: father?.name,
    fatherDateOfBirth: father && formatDateZh(father.dateOfBirth),
    fatherIdNumber: father?.idNumber,
    motherName: mother?.name,
    motherDateOfBirth: mother && formatDateZh(mother.dateOfBirth),
    motherIdNumber: mother?.idNumber,
    adoptersAddress: adoptersAddress(data),
    registry: data.registry,
    registrationDate: formatDateZh(data.registrationDate),
    registrar: data.registrar,
    registrationNumber: data.registrationNumber,
  }
  for (const [name, field] of Object.entries(fields) as [BlankField, (typeof fields)[BlankField]][]) {
    const value = values[name]
    if (!value) continue
    const { lines, size } = fitText(value, field.width, field.lines, fontSizePt, 8)
    lines.forEach((line, i) => page.text(line, field.x + offset.x, field.y + offset.y + i * lineStepMm, { size }))
  }
  return page
}

// --- file copy: full A4 page ------------------------------------------------------------------------

const LEFT = SIDE_MARGIN
const RIGHT = A4.widthMm - SIDE_MARGIN

function copyPage(data: CertificateData): Page {
  const page = new Page(A4.widthMm, A4.heightMm)
  const { child, adoptiveFather: father, adoptiveMother: mother } = data

  // 副本 marking, top right: unmistakable on the page and in any photocopy of it.
  page.rect(RIGHT - 38, 13, 38, 13, { width: 1.2 })
  page.text('副本 COPY', RIGHT - 19, baselineForCentre(19.5, 15), { size: 15, bold: true, align: 'center' })

  page.text('收养登记证', A4.widthMm / 2, 46, { size: 26, bold: true, align: 'center', spacing: 12 })

  page.text(`字号：${data.registrationNumber}`, LEFT, 61, { size: 11 })
  page.text(`印制号：${data.serialNumber}`, RIGHT, 61, { size: 11, align: 'right' })

  const grid = new Grid(page, 65, LEFT, RIGHT)
  // Columns: label | value | label | value (child, placing party) and label | 男方 | 女方 (adopters).
  const label = grid.inner
  const v1 = label + 32
  const label2 = v1 + 48
  const v2 = label2 + 30
  const mid = v1 + (RIGHT - v1) / 2
  const labelCell = (text: string, x = label, w = 32): Cell => ({ text, x, w, label: true })
  const full = (text: string): Cell => ({ text, x: v1, w: RIGHT - v1 })
  const dash = '—'

  grid.section('被收养人', [
    [labelCell('姓名'), { text: child.name, x: v1, w: 48 }, labelCell('收养后姓名', label2, 30), { text: child.nameAfterAdoption ?? dash, x: v2, w: RIGHT - v2 }],
    [labelCell('性别'), { text: SEX_ZH[child.sex], x: v1, w: 48 }, labelCell('出生日期', label2, 30), { text: formatDateZh(child.dateOfBirth), x: v2, w: RIGHT - v2 }],
    [labelCell('公民身份号码'), full(child.idNumber ?? dash)],
  ])

  const adopterCells = (text: string, f: (a: CertificateAdopter) => string): Cell[] => [
    labelCell(text),
    { text: father ? f(father) : dash, x: v1, w: mid - v1 },
    { text: mother ? f(mother) : dash, x: mid, w: RIGHT - mid },
  ]
  const sameAddress = !father || !mother || father.address === mother.address
  grid.section('收养人', [
    [labelCell(''), { text: '男方', x: v1, w: mid - v1, center: true }, { text: '女方', x: mid, w: RIGHT - mid, center: true }],
    adopterCells('姓名', (a) => a.name),
    adopterCells('出生日期', (a) => formatDateZh(a.dateOfBirth)),
    adopterCells('公民身份号码', (a) => a.idNumber),
    sameAddress ? [labelCell('住址'), full(adoptersAddress(data))] : adopterCells('住址', (a) => a.address),
  ])

  grid.section('送养人', [
    [labelCell('姓名或名称'), full(data.placingParty.name)],
    [labelCell('住址'), full(data.placingParty.address)],
  ])
  let y = grid.close()

  y = page.paragraph(APPROVAL_SENTENCE, LEFT, y + 14, RIGHT - LEFT, { size: 13, lineHeight: 8, indentEm: 2, justify: true })

  // Photo frame: the family photo itself is glued onto the paper certificate, not printed.
  const blockTop = Math.max(y + 4, 218)
  page.rect(LEFT, blockTop, 50, 40, { width: 0.6, dash: [3, 2], gray: 0.45 })
  page.text('照片 PHOTO', LEFT + 25, baselineForCentre(blockTop + 17, 12), { size: 12, align: 'center', gray: 0.45 })
  page.text('（收养家庭合影）', LEFT + 25, baselineForCentre(blockTop + 24, 9), { size: 9, align: 'center', gray: 0.45 })

  const sealW = 40
  const signX = LEFT + 58
  const signW = RIGHT - sealW - 4 - signX
  let sy = blockTop + 10
  for (const line of [`登记机关：${data.registry}`, `登记员：${data.registrar}`, `登记日期：${formatDateZh(data.registrationDate)}`]) {
    const fitted = fitText(line, signW, 2, 12, 9)
    fitted.lines.forEach((l, i) => page.text(l, signX, sy + i * 5.5, { size: fitted.size }))
    sy += 10 + (fitted.lines.length - 1) * 5.5
  }
  drawSealBox(page, RIGHT - sealW, blockTop, sealW, 40)

  page.line(LEFT, 279, RIGHT, 279, { width: 0.4, gray: 0.5 })
  page.text('收养登记证副本（存档联）', A4.widthMm / 2, 285, { size: 9, align: 'center', gray: 0.4 })
  return page
}
