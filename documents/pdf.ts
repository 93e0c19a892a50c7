// A small drawing surface in millimetres and its serialisation to PDF with pdf-lib.
//
// Pages record a display list (text runs, rules, boxes) measured with the full font's advance
// widths; only when the document is finished do we know which characters it uses, cut the font
// subsets, and write the content streams with glyph ids. Content streams, the font file and the
// ToUnicode map are deflated with node:zlib (≈ 3× faster than pdf-lib's bundled pako).
import { createHash } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import {
  PDFDocument,
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFStream,
  PDFRef,
  type PDFContext,
} from 'pdf-lib'
import { advanceEm, fontSubset, type FontSubset, type FontWeight } from './fonts.ts'
import { A4, isoDateToUtc, mmToPt, num, ptToMm, wrapText, type IsoDate, type WrappedLine } from './layout.ts'

export type Align = 'left' | 'center' | 'right'

export type TextStyle = {
  /** Font size in pt. */
  size: number
  bold?: boolean
  /** x is the left edge, the centre, or the right edge of the text. */
  align?: Align
  /** Extra space after each character, in pt (PDF Tc): spaced-out titles, justified lines. */
  spacing?: number
  /** 0 = black, 1 = white. */
  gray?: number
}

export type StrokeStyle = {
  /** Line width in pt. */
  width?: number
  /** Dash pattern in pt. */
  dash?: number[]
  gray?: number
}

type TextOp = { kind: 'text'; text: string; x: number; y: number; size: number; weight: FontWeight; spacing: number; gray: number }
type RectOp = { kind: 'rect'; x: number; y: number; w: number; h: number; stroke: Required<StrokeStyle> }
type LineOp = { kind: 'line'; x1: number; y1: number; x2: number; y2: number; stroke: Required<StrokeStyle> }
/** A solid area (a chart's bar), in a shade of gray: documents print in black on white. */
type FillOp = { kind: 'fill'; x: number; y: number; w: number; h: number; gray: number }
type Op = TextOp | RectOp | LineOp | FillOp

const weightOf = (style: { bold?: boolean }): FontWeight => (style.bold ? 'bold' : 'regular')

/** Width of `text` in mm at `size` pt. */
export function textWidth(text: string, size: number, bold = false): number {
  return ptToMm(advanceEm(text, bold ? 'bold' : 'regular') * size)
}

/**
 * Where to put the baseline so a line of CJK text sits centred on `centreY` (mm from the top).
 * Noto Sans SC's ideographic em box runs from 0.88 em above the baseline to 0.12 em below it.
 */
export const baselineForCentre = (centreY: number, size: number): number => centreY + ptToMm(size) * 0.38

/** One page; coordinates in mm from the top-left corner, y grows downwards, text y is the baseline. */
export class Page {
  readonly ops: Op[] = []

  constructor(
    readonly widthMm: number,
    readonly heightMm: number,
  ) {}

  text(raw: string, x: number, y: number, style: TextStyle): void {
    // A line break or tab inside a single-line value (pasted into a form) prints as a space.
    const text = raw.replace(/[\r\n\t]+/g, ' ')
    if (text === '') return
    const weight = weightOf(style)
    const spacing = style.spacing ?? 0
    let left = x
    if (style.align === 'center' || style.align === 'right') {
      const w = textWidth(text, style.size, style.bold) + ptToMm(spacing) * ([...text].length - 1)
      left = style.align === 'center' ? x - w / 2 : x - w
    }
    this.ops.push({ kind: 'text', text, x: left, y, size: style.size, weight, spacing, gray: style.gray ?? 0 })
  }

  rect(x: number, y: number, w: number, h: number, stroke: StrokeStyle = {}): void {
    this.ops.push({ kind: 'rect', x, y, w, h, stroke: strokeDefaults(stroke) })
  }

  line(x1: number, y1: number, x2: number, y2: number, stroke: StrokeStyle = {}): void {
    this.ops.push({ kind: 'line', x1, y1, x2, y2, stroke: strokeDefaults(stroke) })
  }

  fill(x: number, y: number, w: number, h: number, gray: number): void {
    if (w > 0 && h > 0) this.ops.push({ kind: 'fill', x, y, w, h, gray })
  }

  /**
   * Wraps `text` into `width` mm and draws it from baseline `y`; returns the baseline after the
   * last line. Full lines of a paragraph are justified with character spacing (两端对齐).
   */
  paragraph(text: string, x: number, y: number, width: number, style: ParagraphStyle): number {
    const lines = layoutParagraph(text, width, style)
    let baseline = y
    for (const line of lines) {
      this.drawLine(line, x, baseline, width, style)
      baseline += style.lineHeight
    }
    return baseline
  }

  /** Draws one line from layoutParagraph. */
  drawLine(line: WrappedLine, x: number, y: number, width: number, style: ParagraphStyle): void {
    const indent = line.first ? (style.indentEm ?? 0) * ptToMm(style.size) : 0
    let spacing = 0
    const chars = [...line.text].length
    if (style.justify && !line.last && chars > 1) {
      const slack = width - indent - textWidth(line.text, style.size, style.bold)
      // Only modest gaps are spread out; a line cut far short by a long unbreakable word stays ragged.
      if (slack > 0 && slack < width * 0.2) spacing = mmToPt(slack) / (chars - 1)
    }
    this.text(line.text, x + indent, y, { size: style.size, bold: style.bold, gray: style.gray, spacing })
  }
}

export type ParagraphStyle = {
  size: number
  bold?: boolean
  gray?: number
  /** Distance between baselines in mm. */
  lineHeight: number
  /** First-line indent in em (2 for Chinese body text). */
  indentEm?: number
  justify?: boolean
}

export function layoutParagraph(text: string, width: number, style: ParagraphStyle): WrappedLine[] {
  const indent = (style.indentEm ?? 0) * ptToMm(style.size)
  return wrapText(text, width, (s) => textWidth(s, style.size, style.bold), { indent })
}

/**
 * Lays out `text` in at most `maxLines` lines of `width` mm, shrinking the font from `size` down to
 * `minSize` if needed (long institution names and addresses in fixed boxes). Returns the lines and
 * the size used; at minSize the lines may still be more than maxLines.
 */
export function fitText(text: string, width: number, maxLines: number, size: number, minSize: number, bold = false) {
  // Most values are short: one measurement settles them.
  if (!text.includes('\n') && textWidth(text, size, bold) <= width) return { lines: [text], size }
  let s = size
  for (;;) {
    const lines = wrapText(text, width, (t) => textWidth(t, s, bold)).map((l) => l.text)
    if (lines.length <= maxLines || s <= minSize) return { lines, size: s }
    s = Math.max(minSize, s - 0.5)
  }
}

function strokeDefaults(s: StrokeStyle): Required<StrokeStyle> {
  return { width: s.width ?? 0.5, dash: s.dash ?? [], gray: s.gray ?? 0 }
}

// --- serialisation ------------------------------------------------------------------------------

export type DocumentMeta = {
  /** Shown in the viewer's title bar; keep personal data out of it (metadata travels with copies). */
  title: string
  author: string
  subject: string
  /** Creation and modification date, from the data: the same input gives the same bytes. */
  date: IsoDate
}

const PRODUCER = 'adoption-registry documents (pdf-lib 1.17.1, harfbuzz)'
const CREATOR = 'adoption-registry'
const FONT_RESOURCE: Record<FontWeight, string> = { regular: 'F1', bold: 'F2' }

function hexFor(subset: FontSubset, text: string): string {
  let hex = ''
  for (const ch of text) {
    const glyph = subset.glyphHex.get(ch.codePointAt(0)!)
    if (glyph === undefined) throw new Error(`no glyph for ${JSON.stringify(ch)} in the subset`)
    hex += glyph
  }
  return hex
}

function contentStream(page: Page, subsets: Partial<Record<FontWeight, FontSubset>>): string {
  const out: string[] = []
  const h = page.heightMm
  const X = (mm: number) => num(mmToPt(mm))
  const Y = (mm: number) => num(mmToPt(h - mm))
  let lineWidth = -1
  let dash = ''
  let strokeGray = -1
  let textFont = ''
  let charSpacing = 0
  let fillGray = 0
  const setStroke = (s: Required<StrokeStyle>) => {
    if (s.width !== lineWidth) out.push(`${num(s.width)} w`)
    const d = `[${s.dash.map(num).join(' ')}] 0 d`
    if (d !== dash) out.push(d)
    if (s.gray !== strokeGray) out.push(`${num(s.gray)} G`)
    lineWidth = s.width
    dash = d
    strokeGray = s.gray
  }
  for (const op of page.ops) {
    if (op.kind === 'text') {
      // Font, character spacing and fill colour are graphics state: they outlive BT/ET, so each is
      // set whenever it changes (a title's Tc would otherwise spread every later line).
      let state = ''
      const font = `/${FONT_RESOURCE[op.weight]} ${num(op.size)} Tf`
      if (font !== textFont) state += `${font} `
      if (op.spacing !== charSpacing) state += `${num(op.spacing)} Tc `
      if (op.gray !== fillGray) state += `${num(op.gray)} g `
      textFont = font
      charSpacing = op.spacing
      fillGray = op.gray
      out.push(`BT ${state}1 0 0 1 ${X(op.x)} ${Y(op.y)} Tm <${hexFor(subsets[op.weight]!, op.text)}> Tj ET`)
    } else if (op.kind === 'rect') {
      setStroke(op.stroke)
      out.push(`${X(op.x)} ${Y(op.y + op.h)} ${num(mmToPt(op.w))} ${num(mmToPt(op.h))} re S`)
    } else if (op.kind === 'fill') {
      if (op.gray !== fillGray) out.push(`${num(op.gray)} g`)
      fillGray = op.gray
      out.push(`${X(op.x)} ${Y(op.y + op.h)} ${num(mmToPt(op.w))} ${num(mmToPt(op.h))} re f`)
    } else {
      setStroke(op.stroke)
      out.push(`${X(op.x1)} ${Y(op.y1)} m ${X(op.x2)} ${Y(op.y2)} l S`)
    }
  }
  return out.join('\n')
}

// A font subset reused by many documents (the bold titles, a reprinted certificate) is deflated once.
const deflatedFonts = new WeakMap<Uint8Array, Uint8Array>()

// pdf-lib compresses with its bundled pako; node:zlib produces a valid zlib stream ≈ 3× faster.
function useZlib(context: PDFContext, fonts: Set<Uint8Array>): void {
  context.flateStream = (contents, dict = {}) => {
    let deflated: Uint8Array | undefined
    if (typeof contents === 'string') deflated = deflateSync(Buffer.from(contents, 'latin1'))
    else if (fonts.has(contents)) {
      deflated = deflatedFonts.get(contents)
      if (!deflated) deflatedFonts.set(contents, (deflated = deflateSync(contents)))
    } else deflated = deflateSync(contents)
    return context.stream(deflated, { ...dict, Filter: 'FlateDecode' })
  }
}

/** Serialises pages to PDF bytes. Deterministic: no clock, no random ids. */
export async function renderPdf(pages: Page[], meta: DocumentMeta): Promise<Uint8Array> {
  // Which characters each weight draws: the subsets hold exactly these.
  const used: Record<FontWeight, string[]> = { regular: [], bold: [] }
  for (const page of pages) for (const op of page.ops) if (op.kind === 'text') used[op.weight].push(op.text)
  const subsets: Partial<Record<FontWeight, FontSubset>> = {}
  for (const weight of ['regular', 'bold'] as const) {
    if (used[weight].length === 0) continue
    // fontSubset refuses characters the font lacks (MissingGlyphError), whatever the caller checked.
    subsets[weight] = fontSubset(weight, used[weight].join(''))
  }

  const doc = await PDFDocument.create({ updateMetadata: false })
  const { context } = doc
  useZlib(context, new Set(Object.values(subsets).map((s) => s.bytes)))
  const date = isoDateToUtc(meta.date)
  doc.setTitle(meta.title, { showInWindowTitleBar: true })
  doc.setAuthor(meta.author)
  doc.setSubject(meta.subject)
  doc.setProducer(PRODUCER)
  doc.setCreator(CREATOR)
  doc.setCreationDate(date)
  doc.setModificationDate(date)
  doc.setLanguage('zh-CN')

  // pdf-lib parses embedded fonts through the registered fontkit; we hand back the subset we
  // already parsed when cutting it.
  const parsed = new Map<Uint8Array, FontSubset>()
  for (const s of Object.values(subsets)) parsed.set(s.bytes, s)
  doc.registerFontkit({
    create: (bytes: Uint8Array) => {
      const s = parsed.get(bytes)
      if (!s) throw new Error('unexpected font')
      return s.font
    },
  } as unknown as Parameters<PDFDocument['registerFontkit']>[0])

  const fontRefs: Partial<Record<FontWeight, PDFRef>> = {}
  for (const [weight, s] of Object.entries(subsets) as [FontWeight, FontSubset][]) {
    const font = await doc.embedFont(s.bytes, { subset: false, customName: s.name })
    fontRefs[weight] = font.ref
  }

  const hash = createHash('md5')
  hash.update(JSON.stringify(meta))
  for (const page of pages) {
    const pdfPage = doc.addPage([mmToPt(page.widthMm), mmToPt(page.heightMm)])
    for (const [weight, ref] of Object.entries(fontRefs) as [FontWeight, PDFRef][]) {
      pdfPage.node.setFontDictionary(PDFName.of(FONT_RESOURCE[weight]), ref)
    }
    const content = Buffer.from(contentStream(page, subsets), 'latin1')
    hash.update(content)
    const stream = context.stream(deflateSync(content), { Filter: 'FlateDecode' })
    pdfPage.node.set(PDFName.of('Contents'), context.register(stream))
  }

  // Embed now (save() would do it) so the font file stream can be given the Length1 that PDF
  // requires for TrueType font programs and pdf-lib leaves out.
  await doc.flush()
  for (const [weight, ref] of Object.entries(fontRefs) as [FontWeight, PDFRef][]) {
    const type0 = context.lookup(ref, PDFDict)
    const cidFont = type0.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict)
    const descriptor = cidFont.lookup(PDFName.of('FontDescriptor'), PDFDict)
    const file = descriptor.lookup(PDFName.of('FontFile2'), PDFStream)
    file.dict.set(PDFName.of('Length1'), PDFNumber.of(subsets[weight]!.bytes.byteLength))
  }

  // A file identifier derived from the content, not from the clock (pdf-lib writes none by default).
  const id = PDFHexString.of(hash.digest('hex'))
  context.trailerInfo.ID = context.obj([id, id])

  return doc.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY, addDefaultPage: false, updateFieldAppearances: false })
}

// --- furniture shared by the documents ----------------------------------------------------------

/** Left and right page margin of the A4 documents, in mm. */
export const SIDE_MARGIN = 22

export const SEAL_BOX_TEXT = '（印章处）'

/**
 * Where the registry's seal is applied on paper: a dashed box with （印章处）. Deliberately square
 * and grey: nothing here may resemble a seal.
 */
export function drawSealBox(page: Page, x: number, y: number, w: number, h: number, labelCentreY = y + h / 2): void {
  page.rect(x, y, w, h, { width: 0.6, dash: [3, 2], gray: 0.45 })
  page.text(SEAL_BOX_TEXT, x + w / 2, baselineForCentre(labelCentreY, 10), { size: 10, align: 'center', gray: 0.45 })
}

/** A row-group heading set vertically, one character under the other, centred on (x, centreY). */
export function drawVerticalLabel(page: Page, text: string, x: number, centreY: number, size: number): void {
  const chars = [...text]
  const step = ptToMm(size) * 1.35
  const first = centreY - ((chars.length - 1) * step) / 2
  chars.forEach((ch, i) => page.text(ch, x, baselineForCentre(first + i * step, size), { size, align: 'center' }))
}

/**
 * Where the seal goes under a letter-style document (notice, dissolution certificate, assessment
 * report): the issuing body's name (`registry`) and the date right-aligned, the dashed seal box
 * around them with （印章处） above the name (unless `seal` is false), and the registrar, if given,
 * on the left. Returns the bottom of the block.
 */
export function drawSignatureBlock(
  page: Page,
  top: number,
  left: number,
  right: number,
  fields: { registry: string; date: string; registrar?: string },
  size = 14,
  options: { seal?: boolean; minBoxWidth?: number } = {},
): number {
  const lineGap = ptToMm(size) * 1.9
  const height = SIGNATURE_BLOCK_HEIGHT
  const nameY = top + 19
  const blockW = Math.max(textWidth(fields.registry, size), textWidth(fields.date, size))
  const centre = right - 8 - blockW / 2
  if (options.seal ?? true) {
    const boxW = Math.max(options.minBoxWidth ?? 44, blockW + 8)
    // The seal goes over the name and the date (as on paper); the label sits in the box's empty top
    // and is drawn first, so text extraction reads （印章处） before the name.
    drawSealBox(page, centre - boxW / 2, top, boxW, height, top + 7)
  }
  page.text(fields.registry, centre, nameY, { size, align: 'center' })
  page.text(fields.date, centre, nameY + lineGap, { size, align: 'center' })
  if (fields.registrar !== undefined) page.text(`登记员：${fields.registrar}`, left, nameY, { size })
  return top + height
}

export const SIGNATURE_BLOCK_HEIGHT = 36

export const GRID_SECTION_WIDTH = 14

export type Cell = {
  text: string
  x: number
  w: number
  /** Labels are centred and never wrap; values are left-aligned and wrap to 3 lines, then shrink. */
  label?: boolean
  center?: boolean
}

/**
 * Cells for grid rows of label | value | label | value from x0 to right: `pair` gives a row of two
 * label–value pairs, `wide` one label with its value running to the right edge.
 */
export function labelValueCells(x0: number, right: number, labelW: number) {
  const value = (right - x0) / 2 - labelW
  const x = [x0, x0 + labelW, x0 + labelW + value, x0 + 2 * labelW + value]
  const label = (text: string, at = x[0]): Cell => ({ text, x: at, w: labelW, label: true })
  return {
    pair: (l1: string, v1: string, l2: string, v2: string): Cell[] => [label(l1), { text: v1, x: x[1], w: value }, label(l2, x[2]), { text: v2, x: x[3], w: value }],
    wide: (l: string, v: string): Cell[] => [label(l), { text: v, x: x[1], w: right - x[1] }],
  }
}

/**
 * A form grid in the style of Chinese certificates: row groups with a vertical heading on the left,
 * label and value cells, row heights growing with wrapped values.
 */
export class Grid {
  y: number
  private readonly top: number

  constructor(
    private readonly page: Page,
    top: number,
    private readonly left: number,
    private readonly right: number,
    private readonly style = { rowHeight: 11.5, size: 12, lineHeight: 5.4, padding: 2.5 },
  ) {
    this.top = top
    this.y = top
  }

  /** x of the first cell after the vertical heading. */
  get inner(): number {
    return this.left + GRID_SECTION_WIDTH
  }

  section(title: string, rows: Cell[][]): void {
    const start = this.y
    for (const cells of rows) this.row(cells)
    this.page.line(this.left, this.y, this.right, this.y, { width: 0.8 })
    this.page.line(this.inner, start, this.inner, this.y)
    drawVerticalLabel(this.page, title, this.left + GRID_SECTION_WIDTH / 2, (start + this.y) / 2, this.style.size + 0.5)
  }

  row(cells: Cell[]): void {
    const { rowHeight, size, lineHeight, padding } = this.style
    const laid = cells.map((c) => ({ ...c, ...fitText(c.text, c.w - 2 * padding, c.label ? 1 : 3, size, 8) }))
    const height = Math.max(rowHeight, ...laid.map((c) => c.lines.length * lineHeight + 5.3))
    for (const c of laid) {
      const first = this.y + height / 2 - ((c.lines.length - 1) * lineHeight) / 2
      c.lines.forEach((line, i) => {
        const baseline = baselineForCentre(first + i * lineHeight, c.size)
        if (c.label || c.center) this.page.text(line, c.x + c.w / 2, baseline, { size: c.size, align: 'center' })
        else this.page.text(line, c.x + padding, baseline, { size: c.size })
      })
      if (c.x > this.inner + 0.01) this.page.line(c.x, this.y, c.x, this.y + height)
    }
    this.page.line(cells[0].x, this.y + height, this.right, this.y + height)
    this.y += height
  }

  /** Draws the outer frame; returns the grid's bottom edge. */
  close(): number {
    this.page.rect(this.left, this.top, this.right - this.left, this.y - this.top, { width: 1 })
    return this.y
  }
}

/**
 * Text flowing down A4 pages: paragraphs break across pages line by line; blocks that must stay
 * together ask for their height first. y is the top of the next line box.
 */
export class Flow {
  readonly pages: Page[] = []
  page: Page
  y: number

  constructor(
    private readonly newPage: () => Page,
    private readonly top: number,
    private readonly bottom: number,
  ) {
    this.page = newPage()
    this.pages.push(this.page)
    this.y = top
  }

  /** Starts a new page unless `height` mm still fit on this one. */
  ensure(height: number): void {
    if (this.y + height <= this.bottom + 1e-6) return
    this.page = this.newPage()
    this.pages.push(this.page)
    this.y = this.top
  }

  paragraph(text: string, x: number, width: number, style: ParagraphStyle): void {
    for (const line of layoutParagraph(text, width, style)) {
      this.ensure(style.lineHeight)
      this.page.drawLine(line, x, baselineForCentre(this.y + style.lineHeight / 2, style.size), width, style)
      this.y += style.lineHeight
    }
  }

  /** Page numbers in the style of official documents (— 1 —), only when there is more than one page. */
  numberPages(y: number, size = 11): Page[] {
    if (this.pages.length > 1) {
      this.pages.forEach((p, i) => p.text(`— ${i + 1} —`, p.widthMm / 2, y, { size, align: 'center' }))
    }
    return this.pages
  }
}

/**
 * A Flow of A4 pages where every page after the first `plainPages` carries a running header:
 * `left` and `right` in grey at `baseline`, a thin rule 2.5 mm under it — so a loose sheet can be
 * put back.
 */
export function runningHeaderFlow(
  header: { left: string; right: string; x1: number; x2: number; baseline: number; size: number; plainPages?: number },
  top: number,
  bottom: number,
): Flow {
  let pageIndex = 0
  const plain = header.plainPages ?? 1
  return new Flow(
    () => {
      const page = new Page(A4.widthMm, A4.heightMm)
      if (pageIndex++ >= plain) {
        page.text(header.left, header.x1, header.baseline, { size: header.size, gray: 0.35 })
        page.text(header.right, header.x2, header.baseline, { size: header.size, gray: 0.35, align: 'right' })
        page.line(header.x1, header.baseline + 2.5, header.x2, header.baseline + 2.5, { width: 0.4, gray: 0.35 })
      }
      return page
    },
    top,
    bottom,
  )
}

/**
 * 　　　　年　　月　　日, left blank to be filled in by hand: 年 at `startEm` em after `x`, 月 and 日
 * 2.5 em apart.
 */
export function drawDateBlanks(page: Page, x: number, baseline: number, size: number, startEm = 3.5): void {
  const em = ptToMm(size)
  page.text('年', x + startEm * em, baseline, { size })
  page.text('月', x + (startEm + 2.5) * em, baseline, { size })
  page.text('日', x + (startEm + 5) * em, baseline, { size })
}

// --- a ruled table that breaks across pages (assessment report, archive documents) -------------

export type TableColumn = {
  title: string
  width: number
  align?: 'left' | 'center'
  /** Never wrap (dates, page ranges, numbers): shrink the text to fit one line instead. */
  nowrap?: boolean
}
export type TableRun = { text: string; bold?: boolean; gray?: number }
/** A cell's text; an array of runs wraps each run on lines of its own (e.g. one line per item). */
export type TableCell = string | TableRun | TableRun[]
export type TableStyle = {
  /** Font size in pt. */
  size: number
  /** Baseline distance of wrapped lines, mm. */
  lineHeight: number
  padX: number
  padY: number
  /** Rows are at least this tall (mm), their text centred vertically: the even rows of a register. */
  minRowHeight: number
  /** 'top': each cell's lines start under the row's top edge instead of being centred. */
  valign?: 'middle' | 'top'
}
export type TableFrame = {
  left: number
  /** Top of the text area on a new page (where the repeated header row goes). */
  top: number
  /** Nothing below this line but the page footer. */
  bottom: number
}

type LaidCell = { lines: TableRun[]; size: number }

/** A table laid out (wrapped) for drawRuledTable; row heights are known before drawing. */
export type RuledTable = {
  columns: TableColumn[]
  style: TableStyle
  header: LaidCell[]
  body: LaidCell[][]
}

const tableLineCount = (row: LaidCell[]) => Math.max(1, ...row.map((c) => c.lines.length))

/** Height in mm of a row (or part of a row) of `lines` lines. */
export const ruledRowHeight = (style: TableStyle, lines: number): number =>
  Math.max(style.minRowHeight, lines * style.lineHeight + 2 * style.padY)

/** Wraps the header (bold) and the rows of a ruled table into its columns. */
export function layRuledTable(columns: TableColumn[], rows: TableCell[][], style: TableStyle): RuledTable {
  const lay = (cells: TableCell[], header: boolean): LaidCell[] =>
    columns.map((col, i) => {
      const cell = cells[i] ?? ''
      const width = col.width - 2 * style.padX
      if (Array.isArray(cell)) {
        const lines: TableRun[] = []
        for (const run of cell) {
          const bold = run.bold ?? header
          for (const l of wrapText(run.text, width, (s) => textWidth(s, style.size, bold))) lines.push({ ...run, bold, text: l.text })
        }
        return { lines, size: style.size }
      }
      const { text, bold = header, gray = 0 } = typeof cell === 'string' ? { text: cell } : cell
      if (text === '') return { lines: [], size: style.size }
      if (col.nowrap && !header) {
        const fit = fitText(text, width, 1, style.size, 6.5, bold)
        return { lines: fit.lines.map((l) => ({ text: l, bold, gray })), size: fit.size }
      }
      const lines = wrapText(text, width, (s) => textWidth(s, style.size, bold)).map((l) => ({ text: l.text, bold, gray }))
      return { lines, size: style.size }
    })
  return {
    columns,
    style,
    header: lay(
      columns.map((c) => c.title),
      true,
    ),
    body: rows.map((r) => lay(r, false)),
  }
}

/** Heights in mm of a laid table's header row and of each body row. */
export function ruledTableHeights(table: RuledTable): { header: number; rows: number[] } {
  return {
    header: ruledRowHeight(table.style, tableLineCount(table.header)),
    rows: table.body.map((row) => ruledRowHeight(table.style, tableLineCount(row))),
  }
}

export type RowSplit = {
  /** Lines of the whole row, lines still to draw, lines that fit in the space left on this page. */
  total: number
  left: number
  room: number
  /** What is left of the row is taller than a fresh page's table area. */
  tooTall: boolean
}

/**
 * Draws a ruled table into the flow: a bold header row, then the rows, each as tall as its longest
 * cell (wrapped) and at least style.minRowHeight. Each page's part of the table starts with the
 * header row again.
 *
 * By default a row that does not fit moves to the next page whole; only a row taller than a whole
 * page is split between its lines. With `split`, a row that does not fit is instead split between
 * its lines where the page ends whenever `split` says so, and otherwise moves on whole.
 * `keepLast` keeps the last row (a totals row) on the page of the row before it; `tail` mm more
 * must fit under the last row (the signatures), so they never stand alone on a page. `lead` is
 * how much must fit before the header is drawn (default: the header and the first row).
 */
export function drawRuledTable(
  flow: Flow,
  frame: TableFrame,
  table: RuledTable,
  options: { keepLast?: boolean; tail?: number; lead?: number; split?: (row: RowSplit) => boolean } = {},
): void {
  const { columns, style, header, body } = table
  const xs = [frame.left]
  for (const c of columns) xs.push(xs[xs.length - 1] + c.width)
  const right = xs[xs.length - 1]
  const heightOf = (lines: number) => ruledRowHeight(style, lines)
  const headerHeight = heightOf(tableLineCount(header))

  let segmentTop = 0
  const drawLines = (row: LaidCell[], from: number, to: number, isHeader: boolean) => {
    const height = heightOf(to - from)
    row.forEach((cell, i) => {
      const shown = cell.lines.slice(from, to)
      // Centred vertically in the row box (the lines of the row's tallest cell fill it).
      const first = flow.y + height / 2 - ((shown.length - 1) * style.lineHeight) / 2
      shown.forEach((line, k) => {
        const centreY = style.valign === 'top' ? flow.y + style.padY + (k + 0.5) * style.lineHeight : first + k * style.lineHeight
        const y = baselineForCentre(centreY, cell.size)
        const text = { size: cell.size, bold: line.bold, gray: line.gray }
        if (isHeader || columns[i].align === 'center') flow.page.text(line.text, (xs[i] + xs[i + 1]) / 2, y, { ...text, align: 'center' })
        else flow.page.text(line.text, xs[i] + style.padX, y, text)
      })
    })
    flow.y += height
    flow.page.line(frame.left, flow.y, right, flow.y, { width: isHeader ? 0.6 : 0.4 })
  }
  const openSegment = () => {
    segmentTop = flow.y
    drawLines(header, 0, tableLineCount(header), true)
  }
  const closeSegment = () => {
    for (const x of xs.slice(1, -1)) flow.page.line(x, segmentTop, x, flow.y, { width: 0.4 })
    flow.page.rect(frame.left, segmentTop, right - frame.left, flow.y - segmentTop, { width: 0.9 })
  }
  const fits = (height: number) => flow.y + height <= frame.bottom + 1e-6
  const nextPage = () => {
    closeSegment()
    flow.ensure(Number.POSITIVE_INFINITY)
    openSegment()
  }

  // The header never stands alone at the foot of a page: it goes with the first row.
  flow.ensure(options.lead ?? headerHeight + (body.length > 0 ? heightOf(tableLineCount(body[0])) : 0))
  openSegment()
  body.forEach((row, r) => {
    const total = tableLineCount(row)
    if (!options.split) {
      let needed = heightOf(total)
      if (options.keepLast && r === body.length - 2) needed += heightOf(tableLineCount(body[r + 1]))
      if (r >= body.length - (options.keepLast ? 2 : 1)) needed += options.tail ?? 0
      if (!fits(needed) && flow.y > segmentTop + headerHeight + 1e-6) nextPage()
    }
    let from = 0
    while (from < total) {
      const left = total - from
      if (fits(heightOf(left))) {
        drawLines(row, from, total, false)
        break
      }
      // Split where the page ends (always, by default, once the row stands at the top of a page).
      const room = Math.floor((frame.bottom - flow.y - 2 * style.padY) / style.lineHeight + 1e-6)
      const tooTall = heightOf(left) > frame.bottom - frame.top - headerHeight
      if (options.split ? options.split({ total, left, room, tooTall }) : room >= 1) {
        drawLines(row, from, from + room, false)
        from += room
      }
      nextPage()
    }
  })
  closeSegment()
}

/** 第 n 页 共 m 页 centred at `baseline` on each of `pages`. */
export function numberPagesOf(pages: Page[], baseline: number, size = 9.5): void {
  pages.forEach((p, i) => p.text(`第 ${i + 1} 页 共 ${pages.length} 页`, p.widthMm / 2, baseline, { size, align: 'center' }))
}
