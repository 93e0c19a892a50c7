// The .xlsx reader (xlsx.server.ts) on workbooks as Excel lays them out: the worksheet stored before
// the shared strings and the styles, inline strings, booleans, a rich-text string with a phonetic
// run, the 1904 date system, a formula without a cached value, a deflated zip read in passes.
import { randomBytes, randomInt } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import JSZip from 'jszip'
import { describe, expect, test } from 'vitest'
import { columnIndex, isDateFormat, purgeLeftoverStringTables, xlsxSheetRows } from './xlsx.server.ts'

const sheetXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve"> 王&amp;李 </t></is></c><c r="B3" t="b"><v>1</v></c><c r="C3" s="1"><v>1</v></c><c r="D3"><v>42.5</v></c><c r="E3"><f>A1+1</f></c><c r="F3" t="str"><f>"x"</f><v>x&lt;y</v></c><c r="G3" t="s"><v>2</v></c></row>
<row><c t="s"><v>0</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`
const stringsXml = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<si><t>登记证号</t></si><si><r><rPr><b/></rPr><t>收养</t></r><r><t>人_x000D_</t></r><rPh sb="0" eb="2"><t>しゅうよう</t></rPh></si><si><t/></si></sst>`
const stylesXml = `<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="176"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="176" applyNumberFormat="1"/></cellXfs></styleSheet>`
const workbookXml = (date1904: boolean) => `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr${date1904 ? ' date1904="1"' : ''}/><sheets><sheet name="台账" sheetId="2" r:id="rId7"/><sheet name="other" sheetId="1" r:id="rId1"/></sheets></workbook>`
const relsXml = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`

async function workbook(date1904 = false): Promise<Buffer> {
  const zip = new JSZip()
  // Excel's order: the worksheets before the styles and the shared strings.
  zip.file('[Content_Types].xml', '<Types/>')
  zip.file('xl/workbook.xml', workbookXml(date1904))
  zip.file('xl/_rels/workbook.xml.rels', relsXml)
  zip.file('xl/worksheets/sheet1.xml', '<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>not this sheet</t></is></c></row></sheetData></worksheet>')
  zip.file('xl/worksheets/sheet2.xml', sheetXml)
  zip.file('xl/styles.xml', stylesXml)
  zip.file('xl/sharedStrings.xml', stringsXml)
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
}

const opener = (bytes: Buffer, chunk = 7) => () => (async function* () {
  for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk)
})()

async function rows(bytes: Buffer) {
  const out = []
  for await (const r of xlsxSheetRows(opener(bytes), 200)) out.push(r)
  return out
}

describe('xlsxSheetRows', () => {
  test('the first sheet of the workbook, whatever the order of the parts; every kind of cell', async () => {
    const read = await rows(await workbook())
    expect(read.map((r) => r.number)).toEqual([1, 3, 4])
    expect(read[0].cells).toEqual(['登记证号', null, '收养人\r'])
    const [a, b, c, d, e, f, g] = read[1].cells
    expect([a, b, d, e, f, g]).toEqual([' 王&李 ', true, 42.5, null, 'x<y', undefined])
    expect(c).toEqual(new Date(Date.UTC(1899, 11, 31))) // serial 1 with a date format (as exceljs counts it)
    expect(read[1].formulaWithoutValue).toEqual([4])
    expect(read[2].cells).toEqual(['登记证号'])
  })

  test('the 1904 date system', async () => {
    const read = await rows(await workbook(true))
    expect(read[1].cells[2]).toEqual(new Date(Date.UTC(1904, 0, 2)))
  })

  test('a damaged file is refused as unreadable, not a crash', async () => {
    const bytes = await workbook()
    await expect(rows(bytes.subarray(0, bytes.length - 30))).rejects.toMatchObject({ reason: 'unreadable' })
    const broken = Buffer.from(bytes)
    broken.fill(0x41, 200, 400) // inside the compressed parts
    await expect(rows(broken)).rejects.toBeTruthy()
  })

  test('many shared strings, some longer than a block, read back in any order; on disk only encrypted', async () => {
    // A marker no other file in the temporary directory can hold by chance.
    const marker = `收养人${randomBytes(8).toString('hex')}`
    const strings = Array.from({ length: 12_000 }, (_, i) =>
      i % 1000 === 7 ? `${marker}${'长'.repeat(30_000)}${i}` : `${marker}${'名'.repeat(randomInt(0, 40))}${i}`)
    // Each row refers to three strings: its own, one far behind and one far ahead of it.
    const refs = strings.map((_, i) => [i, (i * 7919) % strings.length, strings.length - 1 - i])
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;')
    const zip = new JSZip()
    zip.file('xl/workbook.xml', '<workbook><sheets><sheet name="a" sheetId="1"/></sheets></workbook>')
    zip.file('xl/worksheets/sheet1.xml', `<worksheet><sheetData>${refs.map((r, i) =>
      `<row r="${i + 1}">${r.map((k) => `<c t="s"><v>${k}</v></c>`).join('')}</row>`).join('')}</sheetData></worksheet>`)
    zip.file('xl/sharedStrings.xml', `<sst>${strings.map((t) => `<si><t>${escape(t)}</t></si>`).join('')}</sst>`)
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })

    const plain = Buffer.from(marker)
    let rowsRead = 0
    let tablesSeen = 0
    for await (const row of xlsxSheetRows(opener(bytes, 64 * 1024), 10)) {
      if (rowsRead === 0) {
        // The table is on disk before the first row: find it and look for the marker in it.
        for (const dir of readdirSync(tmpdir()).filter((d) => d.startsWith('adoption-registry-xlsx-'))) {
          const file = join(tmpdir(), dir, 'strings')
          if (!existsSync(file)) continue
          const onDisk = readFileSync(file)
          if (onDisk.length >= Buffer.byteLength(strings.join(''))) tablesSeen++
          expect(onDisk.includes(plain)).toBe(false)
        }
      }
      expect(row.cells).toEqual(refs[rowsRead].map((k) => strings[k]))
      rowsRead++
    }
    expect(rowsRead).toBe(strings.length)
    expect(tablesSeen).toBeGreaterThanOrEqual(1)
  })

  test('string tables a stopped import left behind are removed once a day old; nothing else is touched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'purge-'))
    const old = new Date(Date.now() - 2 * 86_400_000)
    for (const name of ['adoption-registry-xlsx-old', 'adoption-registry-xlsx-new', 'ledger-someone-elses']) {
      mkdirSync(join(dir, name))
      writeFileSync(join(dir, name, 'strings'), 'x')
      if (!name.endsWith('new')) utimesSync(join(dir, name), old, old)
    }
    expect(purgeLeftoverStringTables(new Date(Date.now() - 86_400_000), dir)).toBe(1)
    expect(readdirSync(dir).sort()).toEqual(['adoption-registry-xlsx-new', 'ledger-someone-elses'])
  })

  test('column references and date formats', () => {
    expect([columnIndex('A1'), columnIndex('Z9'), columnIndex('AA10'), columnIndex('GR3')]).toEqual([0, 25, 26, 199])
    expect(['yyyy-mm-dd', 'yyyy"年"m"月"d"日"', '[$-F800]dddd, mmmm dd, yyyy', 'm/d/yy h:mm'].every(isDateFormat)).toBe(true)
    expect(['General', '0.00', '#,##0', '@', '"yes"0', '[Red]0.0'].some(isDateFormat)).toBe(false)
  })
})
