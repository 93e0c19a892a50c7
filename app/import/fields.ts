// The system's fields a ledger column can be mapped to, with the headers ledgers commonly use for
// them (to propose a mapping the first time), and the layout key under which a mapping is saved.
import { normalizeText } from './normalize.ts'

export const importFields = [
  'registrationNumber', 'registeredOn', 'kind', 'state',
  'adopter1Name', 'adopter1Sex', 'adopter1BirthDate', 'adopter1IdNumber',
  'adopter2Name', 'adopter2Sex', 'adopter2BirthDate', 'adopter2IdNumber',
  'childName', 'childSex', 'childBirthDate', 'childIdNumber', 'childNameAfter',
  'placingName', 'placingIdNumber',
  'secrecy', 'archiveNumber',
  'dissolvedOn', 'dissolutionNumber', 'revokedOn', 'revocationReason',
  'country', 'agency', 'approvedOn',
  'residenceTown',
] as const
export type ImportField = (typeof importFields)[number]

/** Without these mapped the file cannot be checked at all. */
export const requiredFields: readonly ImportField[] = ['registrationNumber', 'registeredOn', 'adopter1Name', 'childName']

const synonyms: Record<ImportField, string[]> = {
  registrationNumber: ['登记证号', '收养登记证号', '证号', '登记证字号', '收养证号', '字号', 'registration number', 'registration no'],
  registeredOn: ['登记日期', '收养登记日期', '登记时间', '发证日期', 'registered on', 'registration date'],
  kind: ['收养类型', '类型', '收养类别', 'kind', 'type'],
  state: ['状态', '登记状态', 'state', 'status'],
  adopter1Name: ['收养人姓名', '收养人', '收养人1姓名', '收养人一姓名', '收养父亲姓名', '男方姓名', 'adopter', 'adopter name', 'adopter 1 name'],
  adopter1Sex: ['收养人性别', '收养人1性别', 'adopter sex', 'adopter 1 sex'],
  adopter1BirthDate: ['收养人出生日期', '收养人1出生日期', 'adopter birth date', 'adopter 1 birth date'],
  adopter1IdNumber: ['收养人身份证号', '收养人身份证号码', '收养人1身份证号', '收养人公民身份号码', 'adopter id number', 'adopter 1 id number'],
  adopter2Name: ['收养人2姓名', '收养人二姓名', '配偶姓名', '女方姓名', '共同收养人姓名', 'adopter 2 name', 'spouse name'],
  adopter2Sex: ['收养人2性别', '配偶性别', 'adopter 2 sex'],
  adopter2BirthDate: ['收养人2出生日期', '配偶出生日期', 'adopter 2 birth date'],
  adopter2IdNumber: ['收养人2身份证号', '配偶身份证号', '配偶身份证号码', 'adopter 2 id number', 'spouse id number'],
  childName: ['被收养人姓名', '被收养人', '儿童姓名', '被收养人原名', 'child', 'child name'],
  childSex: ['被收养人性别', '儿童性别', 'child sex'],
  childBirthDate: ['被收养人出生日期', '儿童出生日期', '出生日期', 'child birth date'],
  childIdNumber: ['被收养人身份证号', '被收养人身份证号码', '儿童身份证号', 'child id number'],
  childNameAfter: ['收养后姓名', '被收养人收养后姓名', '现名', 'name after adoption'],
  placingName: ['送养人', '送养人姓名', '送养人名称', '送养机构', 'placing party'],
  placingIdNumber: ['送养人身份证号', '送养人身份证号码', 'placing party id number'],
  secrecy: ['保密', '是否保密', '收养保密', 'secrecy', 'confidential'],
  archiveNumber: ['档案号', '档号', '档案编号', 'archive number'],
  dissolvedOn: ['解除日期', '解除登记日期', 'dissolved on'],
  dissolutionNumber: ['解除证号', '解除登记证号', 'dissolution number'],
  revokedOn: ['撤销日期', 'revoked on'],
  revocationReason: ['撤销原因', '撤销理由', 'revocation reason'],
  country: ['收养人国籍', '国籍', '国家', 'country'],
  agency: ['外国收养组织', '收养组织', 'agency'],
  approvedOn: ['批准日期', '审批日期', '同意函日期', 'approved on'],
  // The adopters' town or street of residence, by name or division code (app/residence).
  residenceTown: ['居住地乡镇（街道）', '居住地乡镇', '居住地街道', '乡镇（街道）', '乡镇街道', '乡镇/街道', '乡镇、街道', '居住地乡镇/街道', '所在乡镇（街道）', '所属乡镇', '乡镇', '街道', 'town', 'residence town'],
}

export const headerKey = (header: string) => normalizeText(header).toLowerCase().replace(/[\s_:：()（）*]/g, '')

/** The layout of a file: its headers, normalised, in order. Same layout, same saved mapping. */
export function layoutOf(headers: readonly string[]): string {
  return headers.map(headerKey).join('\u001f')
}

export type Mapping = Partial<Record<ImportField, string>>

/** A first proposal: each field to the first header that is one of its usual names. */
export function guessMapping(headers: readonly string[]): Mapping {
  const mapping: Mapping = {}
  const taken = new Set<string>()
  for (const field of importFields) {
    const names = new Set(synonyms[field].map(headerKey))
    const header = headers.find((h) => h && !taken.has(h) && names.has(headerKey(h)))
    if (header) { mapping[field] = header; taken.add(header) }
  }
  return mapping
}

/** The mapping restricted to fields and headers that exist (a saved mapping of a changed layout). */
export function cleanMapping(raw: Record<string, unknown>, headers: readonly string[]): Mapping {
  const mapping: Mapping = {}
  for (const field of importFields) {
    const header = raw[field]
    if (typeof header === 'string' && headers.includes(header)) mapping[field] = header
  }
  return mapping
}

export function missingRequired(mapping: Mapping): ImportField[] {
  return requiredFields.filter((f) => !mapping[f])
}
