// Pure layout helpers shared by every document: units, page sizes, dates, CJK line breaking.
// Nothing here knows about PDF objects or fonts; widths come in as a function.

/** A calendar date as the app stores it: 'YYYY-MM-DD' (no time zone, so no off-by-one days). */
export type IsoDate = string

export const PT_PER_MM = 72 / 25.4

export const mmToPt = (mm: number): number => mm * PT_PER_MM
export const ptToMm = (pt: number): number => pt / PT_PER_MM

export const A4 = { widthMm: 210, heightMm: 297 } as const

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Parses 'YYYY-MM-DD' strictly (2026-02-30 is refused rather than rolled over to March). */
export function parseIsoDate(value: IsoDate): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(value)
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
    const d = new Date(Date.UTC(year, month - 1, day))
    if (d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day) {
      return { year, month, day }
    }
  }
  throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}`)
}

/** '2026-11-28' → '2026年11月28日'. Official documents write month and day without a leading zero. */
export function formatDateZh(value: IsoDate): string {
  const { year, month, day } = parseIsoDate(value)
  return `${year}年${month}月${day}日`
}

/** The date as a UTC instant, for PDF metadata: derived from the data so the bytes are reproducible. */
export function isoDateToUtc(value: IsoDate): Date {
  const { year, month, day } = parseIsoDate(value)
  return new Date(Date.UTC(year, month - 1, day))
}

// Line breaking (basic 避头尾): a line may not start with closing punctuation nor end with opening
// punctuation; Latin words and digit runs (ID numbers, dates written in digits) never split unless
// they are wider than the whole line.
const CLOSING = new Set([...'，。、；：！？）》」』】〕〉〗”’…—～·％‰℃,.;:!?)]}%'])
const OPENING = new Set([...'（《「『【〔〈〖“‘([{'])
const WORD = /[\p{L}\p{N}\-_/.@#&+'\u00b7]/u
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u

const isSpace = (ch: string) => ch === ' ' || ch === '\u3000' || ch === '\t'
const isWordChar = (ch: string) => !CJK.test(ch) && WORD.test(ch)

function canBreakBetween(before: string, after: string): boolean {
  if (CLOSING.has(after) || OPENING.has(before)) return false
  if (isWordChar(before) && isWordChar(after)) return false
  return true
}

/** Splits a paragraph into unbreakable pieces; trailing spaces stay on the piece before them. */
export function breakOpportunities(paragraph: string): string[] {
  const pieces: string[] = []
  let current = ''
  let prev = ''
  for (const ch of paragraph) {
    if (current !== '' && !isSpace(ch) && (isSpace(prev) || canBreakBetween(prev, ch))) {
      pieces.push(current)
      current = ''
    }
    current += ch
    prev = ch
  }
  if (current !== '') pieces.push(current)
  return pieces
}

export type WrappedLine = {
  text: string
  /** First line of a paragraph (takes the indent). */
  first: boolean
  /** Last line of a paragraph (never justified). */
  last: boolean
}

export type WrapOptions = {
  /** Indent of each paragraph's first line, in the same unit as maxWidth. */
  indent?: number
}

/**
 * Greedy CJK-aware line breaking. Each '\n' starts a paragraph. `widthOf` measures a string in
 * the same unit as `maxWidth`. Spaces at the ends of lines are dropped.
 */
export function wrapText(
  text: string,
  maxWidth: number,
  widthOf: (s: string) => number,
  options: WrapOptions = {},
): WrappedLine[] {
  const indent = options.indent ?? 0
  const out: WrappedLine[] = []
  const fits = (w: number, avail: number) => w <= avail + 1e-6
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    const lines: string[] = []
    // The line so far and its width including any trailing spaces (they count once text follows).
    let line = ''
    let widthWithSpaces = 0
    const avail = () => (lines.length === 0 ? maxWidth - indent : maxWidth)
    const push = () => {
      lines.push(line.trimEnd())
      line = ''
      widthWithSpaces = 0
    }
    const append = (piece: string, pieceWidth: number) => {
      widthWithSpaces += pieceWidth
      line += piece
    }
    for (let piece of breakOpportunities(paragraph)) {
      if (line === '') piece = piece.trimStart()
      if (piece === '') continue
      const trimmed = piece.trimEnd()
      const pieceWidth = widthOf(piece)
      const trimmedWidth = trimmed.length === piece.length ? pieceWidth : widthOf(trimmed)
      if (fits(widthWithSpaces + trimmedWidth, avail())) {
        append(piece, pieceWidth)
        continue
      }
      if (line !== '') {
        push()
        piece = piece.trimStart()
      }
      if (fits(trimmedWidth, avail())) {
        append(piece, pieceWidth)
        continue
      }
      // A single piece wider than the line (a very long number or word, or a character with its
      // punctuation on a very narrow line): split it by characters, still letting closing
      // punctuation hang past the edge rather than start a line, and carrying opening punctuation
      // over to the next line.
      for (const ch of piece) {
        const w = widthOf(ch)
        if (line !== '' && !isSpace(ch) && !CLOSING.has(ch) && !fits(widthWithSpaces + w, avail())) {
          const last = [...line].pop()!
          if (OPENING.has(last) && line.length > last.length) {
            line = line.slice(0, -last.length)
            push()
            append(last, widthOf(last))
          } else push()
        }
        if (line === '' && isSpace(ch)) continue
        append(ch, w)
      }
    }
    if (line !== '' || lines.length === 0) push()
    lines.forEach((t, i) => out.push({ text: t, first: i === 0, last: i === lines.length - 1 }))
  }
  return out
}

/** wrapText without the paragraph bookkeeping. */
export function wrapLines(text: string, maxWidth: number, widthOf: (s: string) => number): string[] {
  return wrapText(text, maxWidth, widthOf).map((l) => l.text)
}

/** Joins names the Chinese way: 张三、李四. */
export const joinZh = (items: string[]): string => items.filter((s) => s.trim() !== '').join('、')

/** Formats a number for a PDF content stream: at most 3 decimals, no trailing zeros, no '-0'. */
export function num(n: number): string {
  const r = Math.round(n * 1000) / 1000
  return Object.is(r, -0) ? '0' : String(r)
}
