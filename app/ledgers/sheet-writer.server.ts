// Writes rows to an .xlsx or .csv stream as they come: exceljs's streaming workbook writer (rows
// committed one by one, no shared-string table held in memory) or RFC 4180 CSV with a UTF-8 BOM so
// Excel opens Chinese text correctly. Dates are real dates in both (a date cell; YYYY-MM-DD in CSV).
import type { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { CellValue, Column } from './registers.server.ts'

export type SheetWriter = { add(cells: CellValue[]): Promise<void>; finish(): Promise<void> }

export function xlsxWriter(output: Writable, sheetName: string, columns: Column[], caption: string): SheetWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false })
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] })
  sheet.columns = columns.map((c, i) => ({ key: String(i), width: c.width, style: c.type === 'date' ? { numFmt: 'yyyy-mm-dd' } : {} }))
  // Row 1: what was exported (the filter); row 2: the headers.
  sheet.addRow([caption]).commit()
  const header = sheet.addRow(columns.map((c) => c.header))
  header.font = { bold: true }
  header.commit()
  return {
    async add(cells) {
      sheet.addRow(cells).commit()
    },
    async finish() {
      sheet.commit()
      await workbook.commit()
    },
  }
}

export function csvWriter(output: Writable, columns: Column[]): SheetWriter {
  const write = (text: string) => new Promise<void>((resolve, reject) => {
    if (output.write(text)) resolve()
    else output.once('drain', resolve).once('error', reject)
  })
  let started = false
  return {
    async add(cells) {
      if (!started) { started = true; await write(`\uFEFF${columns.map((c) => csvCell(c.header)).join(',')}\r\n`) }
      await write(`${cells.map(csvCell).join(',')}\r\n`)
    },
    async finish() {
      if (!started) await write(`\uFEFF${columns.map((c) => csvCell(c.header)).join(',')}\r\n`)
      await new Promise<void>((resolve) => output.end(resolve))
    },
  }
}

/**
 * One CSV field. A text starting with = + - @ (or a tab/CR) is prefixed with ' so that a
 * spreadsheet shows it rather than running it as a formula (CSV injection).
 */
export function csvCell(value: CellValue): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'number') return String(value)
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
