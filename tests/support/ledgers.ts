// Test ledgers, written as real files with exceljs (and CSV text): the layout a bureau's Excel
// ledger typically has — a title row merged across the sheet, a two-row header with merged group
// cells (收养人 over 姓名 / 身份证号), a formula column — and rows built from fictional people.
import ExcelJS from 'exceljs'
import { citizenIdFor } from '#app/registration/demo/people.ts'

export type LedgerRow = {
  number: string
  registeredOn: string | Date
  kind: string
  adopter: string
  adopterId: string
  spouse?: string
  spouseId?: string
  child: string
  childSex: string
  childBirth: string | Date
  childId?: string
  placing?: string
  secrecy?: string
  archive?: string
  dissolvedOn?: string
  dissolutionNumber?: string
  country?: string
  agency?: string
  approvedOn?: string
}

/** The flat header (CSV, and what the merged header means). */
export const flatHeader = [
  '序号', '登记证号', '登记日期', '收养类型', '收养人姓名', '收养人身份证号', '配偶姓名', '配偶身份证号',
  '被收养人姓名', '被收养人性别', '被收养人出生日期', '被收养人身份证号', '送养人', '是否保密', '档案号', '解除日期', '解除证号', '收养人国籍', '外国收养组织', '批准日期',
]

const cellsOf = (r: LedgerRow, i: number) => [
  i + 1, r.number, r.registeredOn, r.kind, r.adopter, r.adopterId, r.spouse ?? '', r.spouseId ?? '',
  r.child, r.childSex, r.childBirth, r.childId ?? '', r.placing ?? '', r.secrecy ?? '否', r.archive ?? '', r.dissolvedOn ?? '', r.dissolutionNumber ?? '',
  r.country ?? '', r.agency ?? '', r.approvedOn ?? '',
]

/**
 * An .xlsx ledger: title row (merged A1:T1), a two-row header (收养人 merged over E2:F2 with 姓名 /
 * 身份证号 below, 配偶 over G2:H2, 被收养人 over I2:L2; the other headers merged vertically), the
 * 序号 column as formulas with cached results.
 */
export async function ledgerXlsx(rows: LedgerRow[], options: { formulaWithoutResult?: number } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('台账')
  sheet.addRow(['大足区收养登记台账（1995—2020）'])
  sheet.mergeCells('A1:T1')
  const top = ['序号', '登记证号', '登记日期', '收养类型', '收养人', '', '配偶', '', '被收养人', '', '', '', '送养人', '是否保密', '档案号', '解除日期', '解除证号', '收养人国籍', '外国收养组织', '批准日期']
  const below = ['', '', '', '', '姓名', '身份证号', '姓名', '身份证号', '姓名', '性别', '出生日期', '身份证号', '', '', '', '', '', '', '', '']
  sheet.addRow(top)
  sheet.addRow(below)
  sheet.mergeCells('E2:F2'); sheet.mergeCells('G2:H2'); sheet.mergeCells('I2:L2')
  for (const col of ['A', 'B', 'C', 'D', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T']) sheet.mergeCells(`${col}2:${col}3`)
  rows.forEach((r, i) => {
    const row = sheet.addRow(cellsOf(r, i))
    const excelRow = row.number
    row.getCell(1).value = options.formulaWithoutResult === i ? { formula: 'B1+1' } as ExcelJS.CellFormulaValue : { formula: `ROW()-3`, result: excelRow - 3 }
    for (const c of [3, 11]) if (row.getCell(c).value instanceof Date) row.getCell(c).numFmt = 'yyyy-mm-dd'
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

const csvField = (v: unknown) => {
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? '')
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function ledgerCsv(rows: LedgerRow[]): string {
  return [flatHeader, ...rows.map(cellsOf)].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

let counter = 0
/** An ordinary adoption of a fictional child by a couple, registered on `registeredOn`. */
export function ordinaryRow(overrides: Partial<LedgerRow> = {}, seq = ++counter): LedgerRow {
  const childBirth = typeof overrides.childBirth === 'string' ? overrides.childBirth : '2015-04-02'
  return {
    number: `（2016）渝大收字第${String(seq).padStart(4, '0')}号`,
    registeredOn: '2016-05-10',
    kind: '社会收养',
    adopter: `王${seq}`,
    adopterId: citizenIdFor('500111', '1980-01-15', 'male', seq),
    spouse: `李${seq}`,
    spouseId: citizenIdFor('500111', '1982-03-20', 'female', seq),
    child: `福${seq}`,
    childSex: '女',
    childBirth,
    childId: citizenIdFor('500111', childBirth, 'female', seq + 250),
    placing: '大足区儿童福利院',
    ...overrides,
  }
}
