// Reading the first worksheet of an .xlsx as a stream of rows, in flat memory (decision 012).
//
// exceljs's streaming WorkbookReader kept the whole shared-strings table as JS strings (in a
// ledger every name, ID number and registration number is a distinct shared string: ~8 per row)
// and built a Row, Cell and style model per cell; the import's peak memory grew with the file and
// a third of its time went there. Here: the zip's central directory is read from the file's tail,
// then each needed part is inflated as a stream in its own pass over the blob (the blob can be read
// again from the start at will): the workbook, its relationships and the styles (small, to know
// the first sheet, the 1904 date system and which styles are dates), the shared strings (written
// to a temporary file with an index of offsets, read back through a small block cache: cells
// refer to them roughly in order), and the sheet itself, scanned for <row>/<c>/<v>/<is> only.
// The temporary file holds the ledger's names and ID numbers: it is encrypted with a key that
// exists only in this process's memory, so a file left behind by a crash reads as noise.
import { createCipheriv, randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInflateRaw } from 'node:zlib'
import { Readable } from 'node:stream'
import type { Cell } from './normalize.ts'

export type XlsxRow = { number: number; cells: Cell[]; formulaWithoutValue: number[] }
export class XlsxError extends Error {
  constructor(readonly reason: 'unreadable' | 'tooManyColumns', detail: string) { super(`xlsx: ${detail}`) }
}

type Open = () => AsyncIterable<Buffer>
type Entry = { name: string; method: number; compressedSize: number; offset: number }

const TAIL_BYTES = 1024 * 1024
function fail(detail: string): never { throw new XlsxError('unreadable', detail) }

// ——— zip ———

/** The central directory, from the last bytes of the file (end-of-central-directory record, zip64 too). */
async function centralDirectory(open: Open): Promise<Map<string, Entry>> {
  let tail = Buffer.alloc(0)
  let size = 0
  for await (const chunk of open()) {
    size += chunk.length
    tail = tail.length + chunk.length > TAIL_BYTES * 2 ? Buffer.concat([tail, chunk]).subarray(-TAIL_BYTES) : Buffer.concat([tail, chunk])
  }
  const tailStart = size - tail.length
  let eocd = -1
  for (let i = tail.length - 22; i >= Math.max(0, tail.length - 22 - 65535); i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break }
  }
  if (eocd < 0) fail('no end of central directory')
  let count = tail.readUInt16LE(eocd + 10)
  let cdSize = tail.readUInt32LE(eocd + 12)
  let cdOffset = tail.readUInt32LE(eocd + 16)
  if (cdOffset === 0xffffffff || count === 0xffff) {
    const locator = eocd - 20
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) fail('zip64 locator')
    const at = Number(tail.readBigUInt64LE(locator + 8)) - tailStart
    if (at < 0 || tail.readUInt32LE(at) !== 0x06064b50) fail('zip64 end record')
    count = Number(tail.readBigUInt64LE(at + 32))
    cdSize = Number(tail.readBigUInt64LE(at + 40))
    cdOffset = Number(tail.readBigUInt64LE(at + 48))
  }
  let p = cdOffset - tailStart
  if (p < 0 || p + cdSize > tail.length) fail('central directory out of reach')
  const entries = new Map<string, Entry>()
  for (let n = 0; n < count; n++) {
    if (tail.readUInt32LE(p) !== 0x02014b50) fail('central directory entry')
    const method = tail.readUInt16LE(p + 10)
    let compressedSize = tail.readUInt32LE(p + 20)
    let uncompressed = tail.readUInt32LE(p + 24)
    const nameLength = tail.readUInt16LE(p + 28)
    const extraLength = tail.readUInt16LE(p + 30)
    const commentLength = tail.readUInt16LE(p + 32)
    let offset = tail.readUInt32LE(p + 42)
    const name = tail.toString('utf8', p + 46, p + 46 + nameLength)
    // Zip64 extra field: the 8-byte values of the fields set to 0xffffffff, in this order.
    let e = p + 46 + nameLength
    const extraEnd = e + extraLength
    while (e + 4 <= extraEnd) {
      const id = tail.readUInt16LE(e)
      const length = tail.readUInt16LE(e + 2)
      if (id === 0x0001) {
        let q = e + 4
        if (uncompressed === 0xffffffff) { uncompressed = Number(tail.readBigUInt64LE(q)); q += 8 }
        if (compressedSize === 0xffffffff) { compressedSize = Number(tail.readBigUInt64LE(q)); q += 8 }
        if (offset === 0xffffffff) { offset = Number(tail.readBigUInt64LE(q)); q += 8 }
      }
      e += 4 + length
    }
    entries.set(name.replace(/\\/g, '/').replace(/^\//, ''), { name, method, compressedSize, offset })
    p = extraEnd + commentLength
  }
  return entries
}

/** A cursor over the file's chunks: skip to a position, read bytes, or hand on a range as chunks. */
class Cursor {
  private pending: Buffer = Buffer.alloc(0)
  private position = 0 // of pending[0]
  private readonly iterator: AsyncIterator<Buffer>
  constructor(source: AsyncIterable<Buffer>) { this.iterator = source[Symbol.asyncIterator]() }
  private async more(): Promise<boolean> {
    const next = await this.iterator.next()
    if (next.done) return false
    this.pending = this.pending.length ? Buffer.concat([this.pending, next.value]) : next.value
    return true
  }
  async skipTo(at: number) {
    if (at < this.position) fail('entries out of order')
    while (this.position + this.pending.length < at) {
      this.position += this.pending.length
      this.pending = Buffer.alloc(0)
      if (!(await this.more())) fail('truncated')
    }
    this.pending = this.pending.subarray(at - this.position)
    this.position = at
  }
  async read(n: number): Promise<Buffer> {
    while (this.pending.length < n) if (!(await this.more())) fail('truncated')
    const out = this.pending.subarray(0, n)
    this.pending = this.pending.subarray(n)
    this.position += n
    return out
  }
  async *range(n: number): AsyncGenerator<Buffer> {
    let left = n
    while (left > 0) {
      if (!this.pending.length && !(await this.more())) fail('truncated')
      const piece = this.pending.subarray(0, left)
      this.pending = this.pending.subarray(piece.length)
      this.position += piece.length
      left -= piece.length
      yield piece
    }
  }
  async close() { await this.iterator.return?.() }
}

/** The text of one part, decompressed as it is read, in chunks (UTF-8). */
async function* partText(open: Open, entry: Entry): AsyncGenerator<string> {
  const cursor = new Cursor(open())
  try {
    await cursor.skipTo(entry.offset)
    const header = await cursor.read(30)
    if (header.readUInt32LE(0) !== 0x04034b50) fail('local header')
    await cursor.read(header.readUInt16LE(26) + header.readUInt16LE(28))
    const compressed = Readable.from(cursor.range(entry.compressedSize), { objectMode: false })
    let bytes: AsyncIterable<Buffer>
    if (entry.method === 8) bytes = compressed.pipe(createInflateRaw({ chunkSize: 64 * 1024 }))
    else if (entry.method === 0) bytes = compressed
    else fail(`compression method ${entry.method}`)
    const decoder = new TextDecoder('utf-8')
    for await (const chunk of bytes!) yield decoder.decode(chunk, { stream: true })
    const rest = decoder.decode()
    if (rest) yield rest
  } finally {
    await cursor.close()
  }
}

// ——— XML scanning ———

type Handler = {
  open(name: string, attrs: string, selfClosing: boolean): void
  close(name: string): void
  text(raw: string): void
}

const MAX_PENDING = 4 * 1024 * 1024

/** A small XML scanner: tags (namespace prefix dropped), their attribute text, and the text between. Fed chunk by chunk. */
class XmlScanner {
  private buffer = ''
  constructor(private readonly handler: Handler) {}
  feed(chunk: string) {
    const handler = this.handler
    const buffer = this.buffer ? this.buffer + chunk : chunk
    let p = 0
    for (;;) {
      const lt = buffer.indexOf('<', p)
      // Text is handed on whole, up to the next tag (an entity may be cut by the chunk's end).
      if (lt < 0) break
      if (lt > p) handler.text(buffer.slice(p, lt))
      p = lt
      const c1 = buffer.charCodeAt(lt + 1)
      if (c1 === 33 /* ! */) {
        if (buffer.startsWith('<![CDATA[', lt)) {
          const end = buffer.indexOf(']]>', lt)
          if (end < 0) break
          handler.text(escapeText(buffer.slice(lt + 9, end)))
          p = end + 3
          continue
        }
        const comment = buffer.startsWith('<!--', lt)
        const end = buffer.indexOf(comment ? '-->' : '>', lt)
        if (end < 0) break
        p = end + (comment ? 3 : 1)
        continue
      }
      // The tag's end: the first '>' outside quotes.
      let q = lt + 1
      let quote = 0
      for (; q < buffer.length; q++) {
        const c = buffer.charCodeAt(q)
        if (quote) { if (c === quote) quote = 0 } else if (c === 34 || c === 39) quote = c
        else if (c === 62) break
      }
      if (q >= buffer.length) break
      if (c1 === 63 /* ? */) { p = q + 1; continue }
      if (c1 === 47 /* / */) {
        handler.close(localName(buffer.slice(lt + 2, q).trim()))
      } else {
        const selfClosing = buffer.charCodeAt(q - 1) === 47
        const inner = buffer.slice(lt + 1, selfClosing ? q - 1 : q)
        let n = 0
        while (n < inner.length && !isSpace(inner.charCodeAt(n))) n++
        const name = localName(inner.slice(0, n))
        handler.open(name, inner.slice(n), selfClosing)
        if (selfClosing) handler.close(name)
      }
      p = q + 1
    }
    this.buffer = p >= buffer.length ? '' : buffer.slice(p)
    if (this.buffer.length > MAX_PENDING) fail('a tag too long')
  }
  end() { if (this.buffer.trim()) fail('unfinished XML') }
}

async function scan(chunks: AsyncIterable<string>, handler: Handler) {
  const scanner = new XmlScanner(handler)
  for await (const chunk of chunks) scanner.feed(chunk)
  scanner.end()
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13
const localName = (name: string) => { const i = name.indexOf(':'); return i < 0 ? name : name.slice(i + 1) }
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

/** An attribute's value from a tag's attribute text (any namespace prefix), entity-decoded. */
function attr(attrs: string, name: string): string | null {
  let from = 0
  for (;;) {
    const i = attrs.indexOf(`${name}=`, from)
    if (i < 0) return null
    const before = attrs.charCodeAt(i - 1)
    const quote = attrs[i + name.length + 1]
    if ((isSpace(before) || before === 58 /* : */) && (quote === '"' || quote === "'")) {
      const end = attrs.indexOf(quote, i + name.length + 2)
      return end < 0 ? null : decode(attrs.slice(i + name.length + 2, end))
    }
    from = i + 1
  }
}

const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
/** XML entities and OOXML's _xHHHH_ escapes (e.g. _x000D_ for a carriage return). */
function decode(s: string): string {
  if (s.includes('&')) {
    s = s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => (e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : entities[e]))
  }
  if (s.includes('_x')) s = s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
  return s
}

// ——— the shared strings, on disk ———

const BLOCK = 64 * 1024
const CACHE_BLOCKS = 32
const MAX_STRING = 32767 // Excel's limit for a cell

/**
 * AES-256-CTR over a file, by byte position: the keystream at position p is the one of counter
 * block iv + ⌊p/16⌋, so any stretch can be encrypted or decrypted alone (blocks are read back out
 * of order). Returns a new buffer; encrypting and decrypting are the same operation.
 */
class PositionalCipher {
  private readonly key = randomBytes(32)
  private readonly iv = BigInt(`0x${randomBytes(16).toString('hex')}`)
  at(position: number, bytes: Buffer): Buffer {
    const counter = (this.iv + BigInt(Math.floor(position / 16))) & ((1n << 128n) - 1n)
    const cipher = createCipheriv('aes-256-ctr', this.key, Buffer.from(counter.toString(16).padStart(32, '0'), 'hex'))
    const skip = position % 16
    if (skip) cipher.update(Buffer.alloc(skip))
    return cipher.update(bytes)
  }
}

class StringTable {
  private readonly cipher = new PositionalCipher()
  private readonly dataFd: number
  private readonly indexFd: number
  private dataBuffer = Buffer.allocUnsafe(BLOCK)
  private dataUsed = 0
  private dataWritten = 0 // bytes pushed, in the buffer or in the file
  private dataFlushed = 0 // bytes in the file
  private indexBuffer = Buffer.allocUnsafe(BLOCK)
  private indexUsed = 0
  count = 0
  private readonly cache = new Map<string, Buffer>()
  constructor(dir: string) {
    this.dataFd = openSync(join(dir, 'strings'), 'w+', 0o600)
    this.indexFd = openSync(join(dir, 'index'), 'w+', 0o600)
  }
  private writeData(bytes: Buffer) {
    writeSync(this.dataFd, this.cipher.at(this.dataFlushed, bytes))
    this.dataFlushed += bytes.length
  }
  push(s: string) {
    const bytes = Buffer.from(s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s, 'utf8')
    if (this.dataUsed + bytes.length > BLOCK) { this.writeData(this.dataBuffer.subarray(0, this.dataUsed)); this.dataUsed = 0 }
    if (bytes.length > BLOCK) { this.writeData(bytes) } else { bytes.copy(this.dataBuffer, this.dataUsed); this.dataUsed += bytes.length }
    this.dataWritten += bytes.length
    if (this.indexUsed + 8 > BLOCK) { writeSync(this.indexFd, this.indexBuffer, 0, this.indexUsed); this.indexUsed = 0 }
    this.indexBuffer.writeDoubleLE(this.dataWritten, this.indexUsed) // the end of string `count`
    this.indexUsed += 8
    this.count++
  }
  finish() {
    if (this.dataUsed) this.writeData(this.dataBuffer.subarray(0, this.dataUsed))
    if (this.indexUsed) writeSync(this.indexFd, this.indexBuffer, 0, this.indexUsed)
    this.dataUsed = this.indexUsed = 0
  }
  private block(fd: number, kind: string, n: number): Buffer {
    const key = `${kind}${n}`
    let b = this.cache.get(key)
    if (b) { this.cache.delete(key); this.cache.set(key, b); return b }
    b = Buffer.allocUnsafe(BLOCK)
    const read = readSync(fd, b, 0, BLOCK, n * BLOCK)
    b = fd === this.dataFd ? this.cipher.at(n * BLOCK, b.subarray(0, read)) : b.subarray(0, read)
    this.cache.set(key, b)
    if (this.cache.size > CACHE_BLOCKS) this.cache.delete(this.cache.keys().next().value!)
    return b
  }
  private end(i: number): number {
    if (i < 0) return 0
    const at = i * 8
    return this.block(this.indexFd, 'i', Math.floor(at / BLOCK)).readDoubleLE(at % BLOCK)
  }
  get(i: number): string | null {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return null
    const start = this.end(i - 1)
    const end = this.end(i)
    const n = Math.floor(start / BLOCK)
    if (Math.floor((end - 1) / BLOCK) === n || end === start) {
      return this.block(this.dataFd, 'd', n).toString('utf8', start % BLOCK, start % BLOCK + (end - start))
    }
    const bytes = Buffer.allocUnsafe(end - start)
    readSync(this.dataFd, bytes, 0, bytes.length, start)
    return this.cipher.at(start, bytes).toString('utf8')
  }
  close() { closeSync(this.dataFd); closeSync(this.indexFd) }
}

/** The temporary directories of the string tables, named so that nothing else's is touched. */
const STRING_TABLE_PREFIX = 'adoption-registry-xlsx-'

/**
 * Removes string tables left behind by a process that died while reading a workbook (encrypted,
 * so only their space is lost) once older than `olderThan`; a table in use is younger. Returns how many.
 */
export function purgeLeftoverStringTables(olderThan: Date, dir = tmpdir()): number {
  let removed = 0
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(STRING_TABLE_PREFIX)) continue
    const path = join(dir, name)
    try {
      if (statSync(path).mtime >= olderThan) continue
      rmSync(path, { recursive: true, force: true })
      removed++
    } catch {
      // Gone meanwhile, or another user's: not ours to remove.
    }
  }
  return removed
}

// ——— workbook parts ———

async function wholeText(open: Open, entry: Entry | undefined): Promise<string> {
  if (!entry) return ''
  let text = ''
  for await (const chunk of partText(open, entry)) {
    text += chunk
    if (text.length > 64 * 1024 * 1024) fail('part too large')
  }
  return text
}

function tags(xml: string, name: string): string[] {
  const out: string[] = []
  const re = new RegExp(`<(?:[\\w.-]+:)?${name}(\\s[^>]*)?/?>`, 'g')
  for (const m of xml.matchAll(re)) out.push(m[1] ?? '')
  return out
}

const builtInDateFormats = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58])

export function isDateFormat(code: string): boolean {
  const bare = code.replace(/\[[^\]]*\]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/_.|\*./g, '')
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim())
}

/** Which cell styles (their index in cellXfs) show a number as a date. */
function dateStyles(stylesXml: string): boolean[] {
  const custom = new Map<number, string>()
  for (const a of tags(stylesXml, 'numFmt')) custom.set(Number(attr(a, 'numFmtId')), attr(a, 'formatCode') ?? '')
  const cellXfs = /<(?:[\w.-]+:)?cellXfs[\s>][\s\S]*?<\/(?:[\w.-]+:)?cellXfs>/.exec(stylesXml)?.[0] ?? ''
  return tags(cellXfs, 'xf').map((a) => {
    const id = Number(attr(a, 'numFmtId') ?? 0)
    return custom.has(id) ? isDateFormat(custom.get(id)!) : builtInDateFormats.has(id)
  })
}

function resolveTarget(target: string): string {
  const parts: string[] = []
  for (const part of (target.startsWith('/') ? target.slice(1) : `xl/${target}`).split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '.' && part !== '') parts.push(part)
  }
  return parts.join('/')
}

export const columnIndex = (ref: string): number => {
  let n = 0
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i)
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64)
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96)
    else break
  }
  return n - 1
}

/** The rows of the first worksheet of the workbook. `open` gives the file's bytes from the start, each time it is called. */
export async function* xlsxSheetRows(open: Open, maxColumns: number): AsyncGenerator<XlsxRow> {
  const entries = await centralDirectory(open)
  const workbookEntry = entries.get('xl/workbook.xml') ?? [...entries.entries()].find(([n]) => /(^|\/)workbook\.xml$/.test(n))?.[1]
  if (!workbookEntry) fail('no workbook')
  const workbook = await wholeText(open, workbookEntry)
  const rels = await wholeText(open, entries.get('xl/_rels/workbook.xml.rels'))
  const styles = await wholeText(open, entries.get('xl/styles.xml'))
  const date1904 = /^(1|true)$/.test(attr(tags(workbook, 'workbookPr')[0] ?? '', 'date1904') ?? '')
  const firstSheet = tags(workbook, 'sheet')[0]
  const relId = firstSheet ? (/\s[\w.-]*:id=["']([^"']*)["']/.exec(firstSheet)?.[1] ?? null) : null
  const rel = relId ? tags(rels, 'Relationship').find((r) => attr(r, 'Id') === relId) : undefined
  const sheetPath = rel ? resolveTarget(attr(rel, 'Target') ?? '')
    : [...entries.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))[0]
  const sheetEntry = sheetPath ? entries.get(sheetPath) : undefined
  if (!sheetEntry) fail('no worksheet')
  const isDate = dateStyles(styles)
  const relsSharedStrings = tags(rels, 'Relationship').find((r) => /sharedStrings$/.test(attr(r, 'Type') ?? ''))
  const stringsEntry = entries.get(relsSharedStrings ? resolveTarget(attr(relsSharedStrings, 'Target') ?? '') : 'xl/sharedStrings.xml') ?? entries.get('xl/sharedStrings.xml')

  const dir = mkdtempSync(join(tmpdir(), STRING_TABLE_PREFIX))
  const strings = new StringTable(dir)
  try {
    if (stringsEntry) {
      let current: string | null = null
      let inText = false
      let phonetic = 0
      await scan(partText(open, stringsEntry), {
        open(name, _attrs, selfClosing) {
          if (name === 'si') current = ''
          else if (name === 't' && current !== null && !phonetic && !selfClosing) inText = true
          else if (name === 'rPh') phonetic++
        },
        close(name) {
          if (name === 'si') { strings.push(current ?? ''); current = null } else if (name === 't') inText = false
          else if (name === 'rPh') phonetic--
        },
        text(raw) { if (inText && current !== null && current.length <= MAX_STRING) current += decode(raw) },
      })
      strings.finish()
    }

    const excelEpoch = date1904 ? 24107 : 25569 // days from the system's day 0 to 1970-01-01, as exceljs counts
    const rows: XlsxRow[] = []
    let inData = false
    let row: XlsxRow | null = null
    let lastRow = 0
    let column = -1
    let type = 'n'
    let style = 0
    let value: string | null = null
    let inline: string | null = null
    let formula = false
    let capture: 0 | 1 | 2 = 0 // 1: <v>, 2: <t> of an inline string
    let phonetic = 0
    const handler: Handler = {
      open(name, attrs, selfClosing) {
        if (name === 'sheetData') { inData = !selfClosing; return }
        if (!inData) return
        switch (name) {
          case 'row': {
            const r = attr(attrs, 'r')
            lastRow = r ? Number(r) : lastRow + 1
            if (!Number.isInteger(lastRow) || lastRow < 1) fail('row number')
            row = { number: lastRow, cells: [], formulaWithoutValue: [] }
            column = -1
            return
          }
          case 'c': {
            const r = attr(attrs, 'r')
            column = r ? columnIndex(r) : column + 1
            type = attr(attrs, 't') ?? 'n'
            const s = attr(attrs, 's')
            style = s ? Number(s) : 0
            value = null
            inline = null
            formula = false
            return
          }
          case 'v': if (!selfClosing) { capture = 1; value = '' } else value = ''; return
          case 'f': formula = true; return
          case 'is': inline = ''; return
          case 't': if (inline !== null && !phonetic && !selfClosing) capture = 2; return
          case 'rPh': phonetic++; return
        }
      },
      close(name) {
        if (name === 'sheetData') { inData = false; return }
        if (!inData) return
        switch (name) {
          case 'v': case 't': capture = 0; return
          case 'rPh': phonetic--; return
          case 'c': {
            if (!row) return
            let cell: Cell = null
            if (formula && value === null) row.formulaWithoutValue.push(column)
            else if (type === 'inlineStr') cell = inline
            else if (value !== null) {
              if (type === 's') cell = strings.get(Number(value))
              else if (type === 'str' || type === 'e') cell = value
              else if (type === 'b') cell = value === '1' || value === 'true'
              else if (type === 'd') cell = new Date(/T.*(Z|[+-]\d\d:?\d\d)$|^\d{4}-\d\d-\d\d$/.test(value) ? value : `${value}Z`)
              else {
                const n = Number(value)
                cell = value.trim() === '' ? null : !Number.isFinite(n) ? value : isDate[style] ? new Date(Math.round((n - excelEpoch) * 86400000)) : n
              }
            }
            if (cell !== null && cell !== '') {
              if (column >= maxColumns) throw new XlsxError('tooManyColumns', 'columns')
              while (row.cells.length < column) row.cells.push(null)
              row.cells[column] = cell
            }
            return
          }
          case 'row': {
            if (row) rows.push(row)
            row = null
            return
          }
        }
      },
      text(raw) {
        if (capture === 1) value += decode(raw)
        else if (capture === 2 && inline !== null) inline += decode(raw)
      },
    }
    // Rows are handed on after each chunk of the sheet (a few hundred at most), not collected.
    const scanner = new XmlScanner(handler)
    for await (const chunk of partText(open, sheetEntry)) {
      scanner.feed(chunk)
      if (rows.length) { yield* rows; rows.length = 0 }
    }
    scanner.end()
  } finally {
    strings.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

