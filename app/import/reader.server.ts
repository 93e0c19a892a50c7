// Reading a ledger as a stream of rows (decision 012): .xlsx through our own streaming reader of
// the first worksheet (xlsx.server.ts), .csv through a small RFC 4180 reader over a streaming
// TextDecoder (UTF-8 with or without BOM; GB18030 when the bytes are not UTF-8). Memory stays flat:
// rows are produced one at a time from the blob's chunks. The header is found here too: titles
// above it are skipped, a header of two rows with merged cells on top is joined
// ("收养人" over "姓名" → "收养人姓名").
import { XlsxError, xlsxSheetRows } from './xlsx.server.ts'
import type { Cell } from './normalize.ts'
import { normalizeText } from './normalize.ts'

export type LedgerFormat = 'xlsx' | 'csv'
export type RawRow = { number: number; cells: Cell[]; formulaWithoutValue: number[] }
export type Ledger = { headers: string[]; encoding: string | null; rows: AsyncGenerator<RawRow> }

/** Thrown for a file that cannot be read as a ledger; `reason` is a catalogue key suffix. */
export class LedgerError extends Error {
  constructor(readonly reason: 'notSpreadsheet' | 'unreadable' | 'noHeader' | 'encoding' | 'tooManyColumns') { super(`ledger: ${reason}`) }
}

const MAX_COLUMNS = 200
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

async function* xlsxRows(open: () => AsyncIterable<Buffer>): AsyncGenerator<RawRow> {
  try {
    yield* xlsxSheetRows(open, MAX_COLUMNS)
  } catch (error) {
    if (error instanceof XlsxError) throw new LedgerError(error.reason)
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

async function* csvRows(source: AsyncIterable<Buffer>, encoding: { value: string | null }): AsyncGenerator<RawRow> {
  let delimiter: string | null = null
  let field = ''
  let row: string[] = []
  let quoted = false
  let afterQuote = false
  let number = 0
  const finishRow = function* (): Generator<RawRow> {
    row.push(field)
    field = ''
    number++
    if (row.length > MAX_COLUMNS) throw new LedgerError('tooManyColumns')
    const cells = row
    row = []
    yield { number, cells, formulaWithoutValue: [] }
  }
  let pendingCR = false
  for await (const text of decodeText(source, encoding)) {
    if (delimiter === null) {
      const line = text.split('\n', 1)[0]
      const counts = [',', '\t', ';'].map((d) => [d, line.split(d).length] as const).sort((a, b) => b[1] - a[1])
      delimiter = counts[0][1] > 1 ? counts[0][0] : ','
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]
      if (pendingCR) { pendingCR = false; if (ch === '\n') continue }
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') { field += '"'; i++ } else if (i + 1 === text.length) { quoted = false; afterQuote = true } else { quoted = false; afterQuote = true }
        } else field += ch
        continue
      }
      if (afterQuote && ch === '"') { field += '"'; quoted = true; afterQuote = false; continue }
      afterQuote = false
      if (ch === '"' && field === '') { quoted = true; continue }
      if (ch === delimiter) { row.push(field); field = ''; continue }
      if (ch === '\r' || ch === '\n') { pendingCR = ch === '\r'; yield* finishRow(); continue }
      field += ch
    }
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

/** Opens a ledger: its header and then its data rows (empty rows skipped). `open` gives the file's bytes from the start, each time (an .xlsx is read in several passes). */
export async function openLedger(open: () => AsyncIterable<Buffer>, format: LedgerFormat): Promise<Ledger> {
  const encoding = { value: null as string | null }
  const raw = format === 'xlsx' ? xlsxRows(open) : csvRows(open(), encoding)
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
