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
// The file is an outsider's (decision 032): every pattern over its content is a single forward pass
// (no regular expression that can backtrack over an unbounded stretch of it), and every quantity it
// controls is bounded by ReadLimits — inflated bytes and ratio per part, tag length, strings, cell
// and row length, rows — with a refusal that names the bound.
import { createCipheriv, randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInflateRaw } from 'node:zlib'
import { Readable } from 'node:stream'
import type { Cell } from './normalize.ts'
import { DEFAULT_LIMITS, type ReadLimits, type ReadRefusal } from './limits.ts'

/** A row of the sheet; `tooLong`: the columns whose cell was cut at the cell limit (the row is refused, not the file). */
export type XlsxRow = { number: number; cells: Cell[]; formulaWithoutValue: number[]; tooLong: number[] }
export class XlsxError extends Error {
  constructor(readonly reason: ReadRefusal, detail: string, readonly row: number | null = null) { super(`xlsx: ${detail}`) }
}

type Open = () => AsyncIterable<Buffer>
type Entry = { name: string; method: number; compressedSize: number; offset: number }

const TAIL_BYTES = 1024 * 1024
function fail(detail: string, reason: ReadRefusal = 'unreadable', row: number | null = null): never { throw new XlsxError(reason, detail, row) }

/** Text as PostgreSQL and the pages can hold it: no NUL, no lone surrogate (an XML character reference or _xD800_ can make both). */
export function cleanText(s: string): string {
  if (s.includes('\0')) s = s.split('\0').join('')
  const text = s as unknown as { isWellFormed(): boolean; toWellFormed(): string } // ES2024, in Node ≥ 20
  return text.isWellFormed() ? s : text.toWellFormed()
}

// ——— zip ———

/** The central directory, from the last bytes of the file (end-of-central-directory record, zip64 too). */
async function centralDirectory(open: Open, limits: ReadLimits): Promise<Map<string, Entry>> {
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
  if (count > limits.maxEntries) fail('too many entries', 'tooComplex')
  const entries = new Map<string, Entry>()
  for (let n = 0; n < count; n++) {
    if (p + 46 > tail.length || tail.readUInt32LE(p) !== 0x02014b50) fail('central directory entry')
    const madeBy = tail.readUInt16LE(p + 4) >> 8
    const flags = tail.readUInt16LE(p + 8)
    const method = tail.readUInt16LE(p + 10)
    let compressedSize = tail.readUInt32LE(p + 20)
    let uncompressed = tail.readUInt32LE(p + 24)
    const nameLength = tail.readUInt16LE(p + 28)
    const extraLength = tail.readUInt16LE(p + 30)
    const commentLength = tail.readUInt16LE(p + 32)
    const external = tail.readUInt32LE(p + 38)
    let offset = tail.readUInt32LE(p + 42)
    const name = tail.toString('utf8', p + 46, p + 46 + nameLength)
    // Nothing is ever written out under an entry's name, but a workbook has no use for these and
    // an archive that carries them was made to attack some reader: refused, saying so.
    if (flags & 1) fail('encrypted entry', 'encrypted')
    if (madeBy === 3 && ((external >>> 16) & 0o170000) === 0o120000) fail('symbolic link', 'unsafeArchive')
    if (!safeEntryName(name)) fail('entry name', 'unsafeArchive')
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
    if (offset + compressedSize > size) fail('entry out of reach')
    entries.set(name, { name, method, compressedSize, offset })
    p = extraEnd + commentLength
  }
  return entries
}

/** A relative path of plain segments: no absolute path, drive, backslash, NUL, or '..'. */
function safeEntryName(name: string): boolean {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.includes('\0') || /^[A-Za-z]:/.test(name)) return false
  for (const segment of name.split('/')) if (segment === '..' || segment === '.') return false
  return true
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
async function* partText(open: Open, entry: Entry, limits: ReadLimits): AsyncGenerator<string> {
  const cursor = new Cursor(open())
  try {
    await cursor.skipTo(entry.offset)
    const header = await cursor.read(30)
    if (header.readUInt32LE(0) !== 0x04034b50) fail('local header')
    if (header.readUInt16LE(6) & 1) fail('encrypted entry', 'encrypted')
    await cursor.read(header.readUInt16LE(26) + header.readUInt16LE(28))
    // The compressed bytes read so far, against the bytes they inflated to: a zip bomb is stopped
    // by its ratio after a few megabytes, and any part by its size, before it costs more.
    let consumed = 0
    const counted = (async function* () { for await (const piece of cursor.range(entry.compressedSize)) { consumed += piece.length; yield piece } })()
    const compressed = Readable.from(counted, { objectMode: false })
    let bytes: AsyncIterable<Buffer>
    if (entry.method === 8) bytes = compressed.pipe(createInflateRaw({ chunkSize: 64 * 1024 }))
    else if (entry.method === 0) bytes = compressed
    else fail(`compression method ${entry.method}`)
    const decoder = new TextDecoder('utf-8')
    let inflated = 0
    for await (const chunk of bytes!) {
      inflated += chunk.length
      if (inflated > limits.maxPartBytes) fail('part too large', 'inflatedTooLarge')
      if (inflated > limits.ratioFloorBytes && inflated > limits.maxRatio * Math.max(consumed, 1)) fail('compression ratio', 'inflatedTooLarge')
      yield decoder.decode(chunk, { stream: true })
    }
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

/**
 * A small XML scanner: tags (namespace prefix dropped), their attribute text, and the text between.
 * Fed chunk by chunk, in one forward pass: a tag, comment or CDATA section that a chunk's end cuts
 * is kept as a list of pieces and its end searched for in the next chunks only (the quote state
 * kept), so no character is examined or copied more than a fixed number of times however the file
 * is cut; a construct longer than `maxTag` is refused.
 */
export class XmlScanner {
  private held = '' // text held back at a chunk's end (an entity or escape it may cut), or a '<!' not yet known
  private parts: string[] = [] // the construct begun in an earlier chunk, from its '<'
  private partsLength = 0
  private state = 0 // 0 text, 1 tag (or <?…?>), 2 comment, 3 CDATA, 4 declaration (<!DOCTYPE…>)
  private quote = 0
  constructor(private readonly handler: Handler, private readonly maxTag: number = DEFAULT_LIMITS.maxTagChars) {}

  feed(chunk: string) {
    let buffer = chunk
    let p = 0
    if (this.state !== 0) {
      // The end of the construct begun before, in this chunk (with the two characters before it: a '-->' or ']]>' may straddle).
      const last = this.parts[this.parts.length - 1]
      const tail = this.state === 2 || this.state === 3 ? ((this.parts[this.parts.length - 2] ?? '') + last).slice(-2) : ''
      const found = this.findEnd(tail + chunk, 0)
      if (found < 0) { this.keep(chunk); return }
      const end = found - tail.length
      const whole = this.parts.join('') + chunk.slice(0, end + 1)
      this.parts = []
      this.partsLength = 0
      const state = this.state
      this.state = 0
      this.emit(whole, 0, whole.length - 1, state)
      p = end + 1
    } else if (this.held) {
      buffer = this.held + chunk
      this.held = ''
    }
    const n = buffer.length
    for (;;) {
      const lt = buffer.indexOf('<', p)
      if (lt < 0) {
        const keep = textTail(buffer, p)
        if (keep > p) this.handler.text(buffer.slice(p, keep))
        this.held = buffer.slice(keep)
        return
      }
      if (lt > p) this.handler.text(buffer.slice(p, lt))
      const c1 = buffer.charCodeAt(lt + 1)
      let from: number
      if (c1 === 33 /* ! */ || lt + 1 === n) {
        const start = buffer.slice(lt, lt + 9)
        if (start.length < 9 && ('<![CDATA['.startsWith(start) || '<!--'.startsWith(start))) { this.held = buffer.slice(lt); return } // which one, the next chunk says
        if (start === '<![CDATA[') { this.state = 3; from = lt + 9 } else if (start.startsWith('<!--')) { this.state = 2; from = lt + 4 } else { this.state = 4; from = lt + 2 }
      } else { this.state = 1; from = lt + 1 }
      this.quote = 0
      const end = this.findEnd(buffer, from)
      if (end < 0) { this.keep(buffer.slice(lt)); return }
      const state = this.state
      this.state = 0
      this.emit(buffer, lt, end, state)
      p = end + 1
    }
  }

  private keep(piece: string) {
    this.parts.push(piece)
    this.partsLength += piece.length
    if (this.partsLength > this.maxTag) fail('a tag too long', 'tooComplex')
  }

  /** The position of the construct's last character ('>') in `s` from `from`, or -1. */
  private findEnd(s: string, from: number): number {
    if (this.state === 1) {
      // The tag's end: the first '>' outside quotes.
      let quote = this.quote
      const n = s.length
      let q = from
      for (; q < n; q++) {
        const c = s.charCodeAt(q)
        if (quote) { if (c === quote) quote = 0 } else if (c === 34 || c === 39) quote = c
        else if (c === 62) break
      }
      this.quote = quote
      return q < n ? q : -1
    }
    if (this.state === 4) return s.indexOf('>', from)
    const end = s.indexOf(this.state === 2 ? '-->' : ']]>', from)
    return end < 0 ? -1 : end + 2
  }

  /** The construct s[lt..end], `end` its '>'. */
  private emit(s: string, lt: number, end: number, state: number) {
    const handler = this.handler
    if (state === 3) { handler.text(escapeText(s.slice(lt + 9, end - 2))); return }
    if (state !== 1) return
    const c1 = s.charCodeAt(lt + 1)
    if (c1 === 63 /* ? */) return
    if (c1 === 47 /* / */) { handler.close(localName(s.slice(lt + 2, end).trim())); return }
    const selfClosing = s.charCodeAt(end - 1) === 47
    const inner = s.slice(lt + 1, selfClosing ? end - 1 : end)
    let i = 0
    while (i < inner.length && !isSpace(inner.charCodeAt(i))) i++
    const name = localName(inner.slice(0, i))
    handler.open(name, inner.slice(i), selfClosing)
    if (selfClosing) handler.close(name)
  }

  end() { if (this.state !== 0 || this.held.trim()) fail('unfinished XML') }
}

/** Where text with no tag after it can be cut: before an entity or an _xHHHH_ escape that the chunk's end may have split. */
function textTail(buffer: string, from: number): number {
  let keep = buffer.length
  for (let i = buffer.length - 1; i >= from && i >= buffer.length - 32; i--) {
    const c = buffer.charCodeAt(i)
    if (c === 59 /* ; */ && keep === buffer.length) break
    if (c === 38 /* & */) { keep = i; break }
    if (c === 95 /* _ */ && i >= buffer.length - 7) keep = i
  }
  return keep
}

async function scan(chunks: AsyncIterable<string>, handler: Handler, limits: ReadLimits) {
  const scanner = new XmlScanner(handler, limits.maxTagChars)
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

const codePoint = (n: number) => (n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd')
const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
/** XML entities and OOXML's _xHHHH_ escapes (e.g. _x000D_ for a carriage return). */
function decode(s: string): string {
  if (s.includes('&')) {
    s = s.replace(/&(#x[0-9a-fA-F]{1,8}|#\d{1,8}|lt|gt|amp|quot|apos);/g, (_, e: string) => (e[0] === '#'
      ? codePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : entities[e]))
  }
  if (s.includes('_x')) s = s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
  return s
}

// ——— the shared strings, on disk ———

const BLOCK = 64 * 1024
const CACHE_BLOCKS = 32

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
  constructor(dir: string, private readonly limits: ReadLimits) {
    this.dataFd = openSync(join(dir, 'strings'), 'w+', 0o600)
    this.indexFd = openSync(join(dir, 'index'), 'w+', 0o600)
  }
  private writeData(bytes: Buffer) {
    writeSync(this.dataFd, this.cipher.at(this.dataFlushed, bytes))
    this.dataFlushed += bytes.length
  }
  /** `s` is kept one character over the cell limit at most, so that a cell using it is known to be too long. */
  push(s: string) {
    if (this.count >= this.limits.maxStrings) fail('too many strings', 'tooManyStrings')
    const bytes = Buffer.from(s.length > this.limits.maxCellChars + 1 ? s.slice(0, this.limits.maxCellChars + 1) : s, 'utf8')
    if (this.dataWritten + bytes.length > this.limits.maxStringBytes) fail('strings too large', 'tooManyStrings')
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

const builtInDateFormats = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58])

export function isDateFormat(code: string): boolean {
  if (code.length > 255) return false // Excel's own limit for a format code; the patterns below stay short
  const bare = code.replace(/\[[^\]]*\]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/_.|\*./g, '')
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim())
}

/** The attributes of a tag's attribute text, in one pass: [qualified name, entity-decoded value]. */
export function attributes(attrs: string): [string, string][] {
  const out: [string, string][] = []
  const n = attrs.length
  let i = 0
  while (i < n) {
    while (i < n && isSpace(attrs.charCodeAt(i))) i++
    const nameStart = i
    while (i < n && attrs.charCodeAt(i) !== 61 /* = */ && !isSpace(attrs.charCodeAt(i))) i++
    const name = attrs.slice(nameStart, i)
    while (i < n && isSpace(attrs.charCodeAt(i))) i++
    if (attrs.charCodeAt(i) !== 61) { i++; continue }
    i++
    while (i < n && isSpace(attrs.charCodeAt(i))) i++
    const quote = attrs.charCodeAt(i)
    if (quote !== 34 && quote !== 39) continue
    const end = attrs.indexOf(attrs[i], i + 1)
    if (end < 0) break
    out.push([name, decode(attrs.slice(i + 1, end))])
    i = end + 1
  }
  return out
}

const MAX_STYLES = 65_536 // Excel's limit is 64,000 cell formats
const MAX_RELATIONSHIPS = 10_000

type WorkbookInfo = { date1904: boolean; firstSheetRelId: string | null }
type Relationship = { id: string; type: string; target: string }

async function readWorkbook(open: Open, entry: Entry, limits: ReadLimits): Promise<WorkbookInfo> {
  const info: WorkbookInfo = { date1904: false, firstSheetRelId: null }
  let sheetSeen = false
  await scan(partText(open, entry, limits), {
    open(name, attrs) {
      if (name === 'workbookPr') info.date1904 = ['1', 'true'].includes(attr(attrs, 'date1904') ?? '')
      else if (name === 'sheet' && !sheetSeen) {
        sheetSeen = true
        // r:id, whatever the relationships namespace's prefix.
        info.firstSheetRelId = attributes(attrs).find(([n]) => n.endsWith(':id'))?.[1] ?? null
      }
    },
    close() {},
    text() {},
  }, limits)
  return info
}

async function readRelationships(open: Open, entry: Entry | undefined, limits: ReadLimits): Promise<Relationship[]> {
  const out: Relationship[] = []
  if (!entry) return out
  await scan(partText(open, entry, limits), {
    open(name, attrs) {
      if (name !== 'Relationship' || out.length >= MAX_RELATIONSHIPS) return
      const a = new Map(attributes(attrs))
      out.push({ id: a.get('Id') ?? '', type: a.get('Type') ?? '', target: a.get('Target') ?? '' })
    },
    close() {},
    text() {},
  }, limits)
  return out
}

/** Which cell styles (their index in cellXfs) show a number as a date. */
async function readDateStyles(open: Open, entry: Entry | undefined, limits: ReadLimits): Promise<boolean[]> {
  const out: boolean[] = []
  if (!entry) return out
  const custom = new Map<number, string>()
  let inCellXfs = false
  await scan(partText(open, entry, limits), {
    open(name, attrs, selfClosing) {
      if (name === 'numFmt') { if (custom.size < MAX_STYLES) custom.set(Number(attr(attrs, 'numFmtId')), attr(attrs, 'formatCode') ?? '') }
      else if (name === 'cellXfs') inCellXfs = !selfClosing
      else if (name === 'xf' && inCellXfs && out.length < MAX_STYLES) {
        const id = Number(attr(attrs, 'numFmtId') ?? 0)
        out.push(custom.has(id) ? isDateFormat(custom.get(id)!) : builtInDateFormats.has(id))
      }
    },
    close(name) { if (name === 'cellXfs') inCellXfs = false },
    text() {},
  }, limits)
  return out
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
export async function* xlsxSheetRows(open: Open, bounds: number | Partial<ReadLimits> = {}): AsyncGenerator<XlsxRow> {
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...(typeof bounds === 'number' ? { maxColumns: bounds } : bounds) }
  const entries = await centralDirectory(open, limits)
  const workbookEntry = entries.get('xl/workbook.xml') ?? [...entries.entries()].find(([n]) => n.endsWith('/workbook.xml') || n === 'workbook.xml')?.[1]
  if (!workbookEntry) fail('no workbook')
  const workbook = await readWorkbook(open, workbookEntry, limits)
  const rels = await readRelationships(open, entries.get('xl/_rels/workbook.xml.rels'), limits)
  const relId = workbook.firstSheetRelId
  const rel = relId ? rels.find((r) => r.id === relId) : undefined
  const sheetNumber = (n: string) => { const m = /^xl\/worksheets\/sheet(\d{1,9})\.xml$/.exec(n); return m ? Number(m[1]) : null }
  const sheetPath = rel ? resolveTarget(rel.target)
    : [...entries.keys()].filter((n) => sheetNumber(n) !== null).sort((a, b) => sheetNumber(a)! - sheetNumber(b)!)[0]
  const sheetEntry = sheetPath ? entries.get(sheetPath) : undefined
  if (!sheetEntry) fail('no worksheet')
  const isDate = await readDateStyles(open, entries.get('xl/styles.xml'), limits)
  const relsSharedStrings = rels.find((r) => r.type.endsWith('sharedStrings'))
  const stringsEntry = entries.get(relsSharedStrings ? resolveTarget(relsSharedStrings.target) : 'xl/sharedStrings.xml') ?? entries.get('xl/sharedStrings.xml')
  const maxCell = limits.maxCellChars

  const dir = mkdtempSync(join(tmpdir(), STRING_TABLE_PREFIX))
  const strings = new StringTable(dir, limits)
  try {
    if (stringsEntry) {
      let current: string | null = null
      let inText = false
      let phonetic = 0
      await scan(partText(open, stringsEntry, limits), {
        open(name, _attrs, selfClosing) {
          if (name === 'si') current = ''
          else if (name === 't' && current !== null && !phonetic && !selfClosing) inText = true
          else if (name === 'rPh') phonetic++
        },
        close(name) {
          if (name === 'si') { strings.push(current ?? ''); current = null } else if (name === 't') inText = false
          else if (name === 'rPh') phonetic--
        },
        text(raw) { if (inText && current !== null && current.length <= maxCell) current += decode(raw) },
      }, limits)
      strings.finish()
    }

    const excelEpoch = workbook.date1904 ? 24107 : 25569 // days from the system's day 0 to 1970-01-01, as exceljs counts
    const rows: XlsxRow[] = []
    let inData = false
    let row: XlsxRow | null = null
    let rowChars = 0
    let rowCount = 0
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
            if (!Number.isInteger(lastRow) || lastRow < 1 || lastRow > 1_048_576) fail('row number')
            row = { number: lastRow, cells: [], formulaWithoutValue: [], tooLong: [] }
            rowChars = 0
            column = -1
            return
          }
          case 'c': {
            const r = attr(attrs, 'r')
            const at = r ? columnIndex(r) : -1
            column = at >= 0 ? at : column + 1
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
              else if (type === 'd') cell = value.length > 40 ? value : new Date(isoWithZone(value) ? value : `${value}Z`)
              else {
                const n = Number(value)
                cell = value.trim() === '' ? null : !Number.isFinite(n) ? value : isDate[style] ? new Date(Math.round((n - excelEpoch) * 86400000)) : n
              }
            }
            if (cell !== null && cell !== '') {
              if (column >= limits.maxColumns) throw new XlsxError('tooManyColumns', 'columns', row.number)
              if (typeof cell === 'string') {
                if (cell.length > maxCell) { cell = cell.slice(0, maxCell); row.tooLong.push(column) }
                cell = cleanText(cell)
                rowChars += cell.length
                if (rowChars > limits.maxRowChars) fail('row too long', 'rowTooLong', row.number)
              }
              while (row.cells.length < column) row.cells.push(null)
              row.cells[column] = cell
            }
            return
          }
          case 'row': {
            if (row && row.cells.length) {
              if (++rowCount > limits.maxRows) fail('too many rows', 'tooManyRows', row.number)
              rows.push(row)
            }
            row = null
            return
          }
        }
      },
      text(raw) {
        // A cell is kept one character over the limit at most: enough to know it is too long.
        if (capture === 1 && value !== null) { if (value.length <= maxCell) value += decode(raw) }
        else if (capture === 2 && inline !== null) { if (inline.length <= maxCell) inline += decode(raw) }
      },
    }
    // Rows are handed on after each chunk of the sheet (a few hundred at most), not collected.
    const scanner = new XmlScanner(handler, limits.maxTagChars)
    for await (const chunk of partText(open, sheetEntry, limits)) {
      scanner.feed(chunk)
      if (rows.length) { yield* rows; rows.length = 0 }
    }
    scanner.end()
  } finally {
    strings.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** An ISO date-time with its zone (Z or ±hh:mm), or a bare date: read as written; anything else as UTC. One pass, no pattern. */
function isoWithZone(value: string): boolean {
  if (/^\d{4}-\d\d-\d\d$/.test(value)) return true
  if (!value.includes('T')) return false
  if (value.endsWith('Z')) return true
  const zone = value.slice(-6)
  return /^[+-]\d\d:?\d\d$/.test(zone) || /^[+-]\d\d\d\d$/.test(value.slice(-5))
}
