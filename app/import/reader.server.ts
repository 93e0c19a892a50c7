// Reading a ledger as a stream of rows (decision 012): .xlsx through our own streaming reader of
// the first worksheet (xlsx.server.ts), .csv through a small RFC 4180 reader over a streaming
// TextDecoder (UTF-8 with or without BOM; GB18030 when the bytes are not UTF-8). Memory stays flat:
// rows are produced one at a time from the blob's chunks. The header is found here too: titles
// above it are skipped, a header of two rows with merged cells on top is joined
// ("收养人" over "姓名" → "收养人姓名").
// Every bound of ReadLimits holds here too (decision 032): a CSV line is cut off at its column count
// and its length while it is read, not at its end. This is the parse itself, run in a worker thread
// by ledger-thread.server.ts (openLedger there); parseLedger runs it in the calling thread.
import { XlsxError, cleanText, xlsxSheetRows } from './xlsx.server.ts'
import type { Cell } from './normalize.ts'
import { normalizeText } from './normalize.ts'
import { DEFAULT_LIMITS, type ReadLimits, type ReadRefusal } from './limits.ts'

export type LedgerFormat = 'xlsx' | 'csv'
/** `tooLong`: the columns whose cell was cut at the cell limit (the row is refused with import.error.cellTooLong). */
export type RawRow = { number: number; cells: Cell[]; formulaWithoutValue: number[]; tooLong: number[] }
export type Ledger = { headers: string[]; encoding: string | null; rows: AsyncGenerator<RawRow> }

/** Thrown for a file that cannot be read as a ledger; `reason` is a catalogue key suffix; `row` the row or line where it was found. */
export class LedgerError extends Error {
  constructor(readonly reason: ReadRefusal, readonly row: number | null = null) { super(`ledger: ${reason}${row ? ` (row ${row})` : ''}`) }
}

const HEADER_SCAN_ROWS = 10

/** By content, not by name: a zip (PK\x03\x04) may be an .xlsx; plain text may be CSV; anything else is refused. */
export function sniffLedger(head: Uint8Array): LedgerFormat | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx'
  if (head.length === 0) return null
  // Text: no NUL bytes, few control characters (tab, CR, LF allowed).
  let control = 0
  for (const b of head.subarray(0, 4096)) {
    if (b === 0) return null
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++
  }
  return control === 0 ? 'csv' : null
}

/**
 * An OLE compound file (D0 CF 11 E0 A1 B1 1A E1): what Excel writes for a workbook protected by a
 * password to open (the .xlsx encrypted inside it), and the old .xls format — neither can be read.
 */
export function isCompoundFile(head: Uint8Array): boolean {
  const magic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]
  return head.length >= 8 && magic.every((b, i) => head[i] === b)
}

async function* xlsxRows(open: () => AsyncIterable<Buffer>, limits: ReadLimits): AsyncGenerator<RawRow> {
  try {
    yield* xlsxSheetRows(open, limits)
  } catch (error) {
    if (error instanceof XlsxError) throw new LedgerError(error.reason, error.row)
    // A damaged zip or deflate stream, or bytes that are not what the directory says.
    const code = (error as { code?: string }).code ?? ''
    if (error instanceof RangeError || code.startsWith('Z_') || code === 'ERR_OUT_OF_RANGE' || code === 'ERR_BUFFER_OUT_OF_BOUNDS') throw new LedgerError('unreadable')
    throw error
  }
}

async function* decodeText(source: AsyncIterable<Buffer>, encoding: { value: string | null }): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null
  let first = true
  for await (const chunk of source) {
    let bytes: Uint8Array = chunk
    if (first) {
      first = false
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) { bytes = bytes.subarray(3); encoding.value = 'utf-8' }
      else {
        try { new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true }); encoding.value = 'utf-8' }
        catch { encoding.value = 'gb18030' }
      }
      decoder = new TextDecoder(encoding.value!, { fatal: true })
    }
    try { yield decoder!.decode(bytes, { stream: true }) }
    catch { throw new LedgerError('encoding') }
  }
  if (decoder) yield decoder.decode()
}

async function* csvRows(source: AsyncIterable<Buffer>, encoding: { value: string | null }, limits: ReadLimits): AsyncGenerator<RawRow> {
  let delimiter: string | null = null
  let field = ''
  let row: string[] = []
  let tooLong: number[] = []
  let fieldTooLong = false
  let dropped = 0 // characters of this field beyond the cell limit, not kept but counted in the line's length
  let rowChars = 0 // the characters of the line so far, its fields before this one
  let quoted = false
  let afterQuote = false
  let number = 0
  let rowCount = 0
  const maxCell = limits.maxCellChars
  // A field is kept to the cell limit (and the row refused for it); the line as a whole and its
  // columns are checked as each field ends and as each field grows, so a line of megabytes without
  // a delimiter or an end stops at the limit, not when (if ever) it ends.
  const grow = () => {
    if (field.length > maxCell) { dropped += field.length - maxCell; field = field.slice(0, maxCell); fieldTooLong = true }
    if (rowChars + dropped + field.length > limits.maxRowChars) throw new LedgerError('rowTooLong', number + 1)
  }
  const endField = () => {
    grow()
    if (fieldTooLong) { tooLong.push(row.length); fieldTooLong = false }
    rowChars += field.length + dropped
    dropped = 0
    row.push(cleanText(field))
    field = ''
    if (row.length > limits.maxColumns) throw new LedgerError('tooManyColumns', number + 1)
  }
  const finishRow = function* (): Generator<RawRow> {
    endField()
    number++
    const cells = row
    const long = tooLong
    row = []
    tooLong = []
    rowChars = 0
    if (cells.some((c) => c !== '') && ++rowCount > limits.maxRows) throw new LedgerError('tooManyRows', number)
    yield { number, cells, formulaWithoutValue: [], tooLong: long }
  }
  let pendingCR = false
  for await (const text of decodeText(source, encoding)) {
    if (delimiter === null) {
      const line = text.slice(0, 64 * 1024).split('\n', 1)[0]
      const counts = [',', '\t', ';'].map((d) => [d, line.split(d).length] as const).sort((a, b) => b[1] - a[1])
      delimiter = counts[0][1] > 1 ? counts[0][0] : ','
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]
      if (pendingCR) { pendingCR = false; if (ch === '\n') continue }
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') { field += '"'; i++ } else { quoted = false; afterQuote = true }
        } else field += ch
        continue
      }
      if (afterQuote && ch === '"') { field += '"'; quoted = true; afterQuote = false; continue }
      afterQuote = false
      if (ch === '"' && field === '') { quoted = true; continue }
      if (ch === delimiter) { endField(); continue }
      if (ch === '\r' || ch === '\n') { pendingCR = ch === '\r'; yield* finishRow(); continue }
      field += ch
    }
    // Per chunk, not per character: the field's growth is bounded by one chunk over the limits.
    grow()
  }
  if (field !== '' || row.length > 0) yield* finishRow()
}

const filled = (cells: Cell[]) => cells.filter((c) => normalizeText(c) !== '').length
const looksLikeData = (c: Cell) => c instanceof Date || typeof c === 'number' || /^\d{6,}|^\d{4}[-/.年]\d{1,2}|\d{1,2}\/\d{1,2}\/\d{4}/.test(normalizeText(c))

/** The header names from the first row with at least two filled cells, joined with the row below when merged cells sit on top. */
export function headerFrom(rows: RawRow[]): { headers: string[]; consumed: number } | null {
  const start = rows.findIndex((r) => filled(r.cells) >= 2)
  if (start < 0) return null
  const top = rows[start].cells.map((c) => normalizeText(c))
  const next = rows[start + 1]?.cells.map((c) => normalizeText(c))
  const width = Math.max(top.length, next?.length ?? 0)
  const twoRows = !!next && next.some((v) => v !== '') && !rows[start + 1].cells.some((c) => normalizeText(c) !== '' && looksLikeData(c))
    && next.some((v, i) => v !== '' && (top[i] ?? '') === '')
  const headers: string[] = []
  let carried = ''
  for (let i = 0; i < width; i++) {
    const above = top[i] ?? ''
    if (above !== '') carried = above
    let name = above
    if (twoRows) {
      const below = next![i] ?? ''
      const group = above !== '' ? above : carried
      name = below === '' ? group : group && group !== below ? `${group}${below}` : below
    }
    headers.push(name)
  }
  // Every column named, and each name once.
  const seen = new Map<string, number>()
  const named = headers.map((h, i) => {
    const base = h || `(${columnLetter(i)})`
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return n === 1 ? base : `${base} (${n})`
  })
  while (named.length && headers[named.length - 1] === '') { named.pop(); headers.pop() }
  return { headers: named, consumed: start + (twoRows ? 2 : 1) }
}

export function columnLetter(index: number): string {
  let n = index + 1
  let s = ''
  while (n > 0) { const r = (n - 1) % 26; s = String.fromCharCode(65 + r) + s; n = Math.floor((n - 1) / 26) }
  return s
}

/**
 * Parses a ledger in this thread: its header and then its data rows (empty rows skipped). `open`
 * gives the file's bytes from the start, each time (an .xlsx is read in several passes). The app
 * calls openLedger (ledger-thread.server.ts), which runs this in a worker thread.
 */
export async function parseLedger(open: () => AsyncIterable<Buffer>, format: LedgerFormat, bounds: Partial<ReadLimits> = {}): Promise<Ledger> {
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...bounds }
  const encoding = { value: null as string | null }
  const raw = format === 'xlsx' ? xlsxRows(open, limits) : csvRows(open(), encoding, limits)
  const first: RawRow[] = []
  while (first.length < HEADER_SCAN_ROWS) {
    const next = await raw.next()
    if (next.done) break
    if (filled(next.value.cells) === 0) continue
    first.push(next.value)
    // Enough once the header and the row below it (a second header row, or the first data) are in.
    const start = first.findIndex((r) => filled(r.cells) >= 2)
    if (start >= 0 && first.length >= start + 3) break
  }
  const header = headerFrom(first)
  if (!header) { await raw.return(undefined); throw new LedgerError('noHeader') }
  const rest = first.slice(header.consumed)
  async function* rows(): AsyncGenerator<RawRow> {
    for (const r of rest) yield r
    for await (const r of raw) if (filled(r.cells) > 0) yield r
  }
  return { headers: header.headers, encoding: format === 'csv' ? encoding.value : null, rows: rows() }
}
