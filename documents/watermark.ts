// A visible watermark on every page of a downloaded archive document (issue 5, "Access": downloads
// carry a visible watermark naming the requester and the date). Works on any PDF — our own
// documents and scans or files made by other tools — by appending to each page's content: the text
// repeated diagonally in light grey at 30 % opacity over the whole page, and once more as a small
// footer line along the bottom edge. The original content is untouched (wrapped in q … Q so its
// graphics state cannot leak into ours).
//
// Both are cut from a Noto Sans SC subset holding only the watermark's own characters (fonts.ts), and
// a missing glyph (𠮷) is refused with MissingGlyphError like everywhere else. The footer is real
// text, so text extraction finds the requester's name on every page. The diagonal copies are the same
// glyphs drawn as outlines (one form XObject, placed many times): as text, dozens of rotated copies
// would be read into the middle of the page's own text by every extractor and garble it.
// Deterministic: the same PDF and text give the same bytes.
import { deflateSync } from 'node:zlib'
import * as fontkitModule from '@pdf-lib/fontkit'
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFStream, type PDFContext, type PDFPage, type PDFRef } from 'pdf-lib'
import { advanceEm, assertDrawable, fontSubset, type FontSubset } from './fonts.ts'
import { isoDateToUtc, num, type IsoDate } from './layout.ts'

export type WatermarkOptions = {
  /**
   * The day of the download: printed after the text unless the text already contains it, and
   * recorded as the PDF's modification date (from the data, not the clock, so bytes are reproducible).
   */
  date?: IsoDate
}

/** Angle of the diagonal text, degrees counter-clockwise from the page's bottom edge. */
export const WATERMARK_ANGLE = 35
/** Opacity of the diagonal text (PDF /ca). */
export const WATERMARK_OPACITY = 0.3
/** Grey of the diagonal text (0 black, 1 white); at 30 % opacity it reads as light grey. */
const DIAGONAL_GRAY = 0.35
const FOOTER_GRAY = 0.4

/** The line printed: the text on one line, with the date appended when given and not yet in it. */
export function watermarkLine(text: string, date?: IsoDate): string {
  const line = text.replace(/\s+/g, ' ').trim()
  if (date === undefined) return line
  isoDateToUtc(date)
  return line.includes(date) ? line : `${line} ${date}`
}

type Matrix = [number, number, number, number, number, number]

// @pdf-lib/fontkit is a UMD bundle: under Node's ESM loader its functions sit on `default` (as in fonts.ts).
const fontkit: typeof fontkitModule = (fontkitModule as unknown as { default?: typeof fontkitModule }).default ?? fontkitModule

type PathCommand = { command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath'; args: number[] }

/**
 * The line's glyph outlines as a form XObject, in font units with the baseline start at the origin:
 * filled with the fill colour and opacity of wherever it is placed.
 */
function outlineXObject(context: PDFContext, subset: FontSubset, line: string): { ref: PDFRef; unitsPerEm: number } {
  const font = fontkit.create(Buffer.from(subset.bytes))
  const ops: string[] = []
  let dx = 0
  for (const ch of line) {
    const glyph = font.getGlyph(parseInt(subset.glyphHex.get(ch.codePointAt(0)!)!, 16))
    // Font units: a tenth of one is far below anything a printer or screen can show.
    const P = (x: number, y: number) => `${Math.round((x + dx) * 10) / 10} ${Math.round(y * 10) / 10}`
    let [cx, cy] = [0, 0]
    for (const { command, args: a } of (glyph.path as unknown as { commands: PathCommand[] }).commands) {
      if (command === 'moveTo') ops.push(`${P(a[0], a[1])} m`)
      else if (command === 'lineTo') ops.push(`${P(a[0], a[1])} l`)
      else if (command === 'bezierCurveTo') ops.push(`${P(a[0], a[1])} ${P(a[2], a[3])} ${P(a[4], a[5])} c`)
      else if (command === 'quadraticCurveTo') {
        // TrueType quadratic → cubic: control points two thirds of the way to the quadratic one.
        const c1 = [cx + (2 / 3) * (a[0] - cx), cy + (2 / 3) * (a[1] - cy)]
        const c2 = [a[2] + (2 / 3) * (a[0] - a[2]), a[3] + (2 / 3) * (a[1] - a[3])]
        ops.push(`${P(c1[0], c1[1])} ${P(c2[0], c2[1])} ${P(a[2], a[3])} c`)
      } else ops.push('h')
      if (command !== 'closePath') [cx, cy] = a.slice(-2) as [number, number]
    }
    dx += glyph.advanceWidth
  }
  // One fill for the whole line, non-zero winding as TrueType outlines require.
  if (ops.length > 0) ops.push('f')
  const { minY, maxY } = font.bbox
  const stream = context.stream(deflateSync(Buffer.from(ops.join('\n'), 'latin1')), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, minY, dx, maxY],
    Filter: 'FlateDecode',
  })
  return { ref: context.register(stream), unitsPerEm: font.unitsPerEm }
}

/**
 * Maps the page as the reader sees it (origin bottom-left of the visible area, x to the right,
 * after /Rotate) to the page's own user space. Returns the visible width and height too.
 */
function viewerSpace(page: PDFPage): { width: number; height: number; matrix: Matrix } {
  const box = page.getCropBox()
  const [x0, y0, x1, y1] = [box.x, box.y, box.x + box.width, box.y + box.height]
  const rotation = (((page.getRotation().angle % 360) + 360) % 360) as 0 | 90 | 180 | 270
  switch (rotation) {
    case 90:
      return { width: box.height, height: box.width, matrix: [0, 1, -1, 0, x1, y0] }
    case 180:
      return { width: box.width, height: box.height, matrix: [-1, 0, 0, -1, x1, y1] }
    case 270:
      return { width: box.height, height: box.width, matrix: [0, -1, 1, 0, x0, y1] }
    default:
      return { width: box.width, height: box.height, matrix: [1, 0, 0, 1, x0, y0] }
  }
}

function hexFor(subset: FontSubset, text: string): string {
  let hex = ''
  for (const ch of text) hex += subset.glyphHex.get(ch.codePointAt(0)!)!
  return hex
}

type Keys = { font: string; gs: string; outline: string; unitsPerEm: number }

/** The content stream drawn over one page (in its user space); keys are its resource names (/WmF-1). */
function overlay(page: PDFPage, line: string, subset: FontSubset, keys: Keys): string {
  const { width, height, matrix } = viewerSpace(page)
  const hex = hexFor(subset, line)
  const em = advanceEm(line)
  const out: string[] = ['q', `${matrix.map(num).join(' ')} cm`]

  // Diagonal rows of the text across the whole page: a grid in the rotated frame, centred on the
  // page, each row shifted by half a repeat so the copies interleave. Copies entirely off the page
  // are left out.
  const size = Math.min(28, Math.max(12, Math.min(width, height) / 30))
  const textW = em * size
  const stepX = textW + size * 4
  const stepY = size * 6
  const t = (WATERMARK_ANGLE * Math.PI) / 180
  const [cos, sin] = [Math.cos(t), Math.sin(t)]
  const [cx, cy] = [width / 2, height / 2]
  const reach = Math.hypot(width, height) / 2 + textW
  const scale = size / keys.unitsPerEm
  out.push(`${keys.gs} gs`, `${num(DIAGONAL_GRAY)} g`)
  for (let j = -Math.ceil(reach / stepY); j <= Math.ceil(reach / stepY); j++) {
    const v = j * stepY
    const shift = (((j % 2) + 2) % 2) * (stepX / 2)
    for (let i = -Math.ceil(reach / stepX) - 1; i <= Math.ceil(reach / stepX); i++) {
      const u = i * stepX + shift - textW / 2
      // The copy's corners (baseline start, baseline end, and the top of both at ~1 em).
      const corners = [
        [u, v],
        [u + textW, v],
        [u, v + size],
        [u + textW, v + size],
      ].map(([a, b]) => [cx + a * cos - b * sin, cy + a * sin + b * cos])
      const xs = corners.map((c) => c[0])
      const ys = corners.map((c) => c[1])
      if (Math.max(...xs) < 0 || Math.min(...xs) > width || Math.max(...ys) < 0 || Math.min(...ys) > height) continue
      const [x, y] = [cx + u * cos - v * sin, cy + u * sin + v * cos]
      const m = [cos * scale, sin * scale, -sin * scale, cos * scale, x, y]
      out.push(`q ${m.map((n) => n.toFixed(5).replace(/\.?0+$/, '')).join(' ')} cm ${keys.outline} Do Q`)
    }
  }
  out.push('Q')

  // The footer line, centred along the bottom edge; shrunk to fit narrow pages.
  let footerSize = 7
  if (em * footerSize > width - 24) footerSize = Math.max(3, (width - 24) / em)
  const x = (width - em * footerSize) / 2
  out.push('q', `${matrix.map(num).join(' ')} cm`, `${num(FOOTER_GRAY)} g`, 'BT', `${keys.font} ${num(footerSize)} Tf`)
  out.push(`1 0 0 1 ${num(x)} ${num(Math.min(8, height / 4))} Tm <${hex}> Tj`, 'ET', 'Q')
  return `\n${out.join('\n')}\n`
}

/**
 * Returns `bytes` with the watermark `text` on every page. Throws MissingGlyphError (field 'text')
 * when the font cannot draw a character of it, and pdf-lib's errors for an unreadable or encrypted PDF.
 */
export async function watermarkPdf(bytes: Uint8Array, text: string, options: WatermarkOptions = {}): Promise<Uint8Array> {
  const line = watermarkLine(text, options.date)
  if (line === '') throw new TypeError('the watermark text is empty')
  assertDrawable({ text: line })
  const subset = fontSubset('regular', line)

  // updateMetadata: false keeps the document's own producer and dates.
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: Number.POSITIVE_INFINITY })
  if (options.date !== undefined) doc.setModificationDate(isoDateToUtc(options.date))
  const { context } = doc

  // pdf-lib embeds the harfbuzz subset through the adapter fonts.ts built for it (as pdf.ts does).
  doc.registerFontkit({ create: () => subset.font } as unknown as Parameters<PDFDocument['registerFontkit']>[0])
  const font = await doc.embedFont(subset.bytes, { subset: false, customName: subset.name })
  const gs = context.register(context.obj({ Type: 'ExtGState', ca: WATERMARK_OPACITY, CA: WATERMARK_OPACITY }))
  const outline = outlineXObject(context, subset, line)

  for (const page of doc.getPages()) {
    // Wraps the existing content in q … Q and gives the page its own resource dictionaries.
    const keys: Keys = {
      font: page.node.newFontDictionary('WmF', font.ref).toString(),
      gs: page.node.newExtGState('WmGS', gs).toString(),
      outline: page.node.newXObject('WmX', outline.ref).toString(),
      unitsPerEm: outline.unitsPerEm,
    }
    const content = Buffer.from(overlay(page, line, subset, keys), 'latin1')
    const ref: PDFRef = context.register(context.stream(deflateSync(content), { Filter: 'FlateDecode' }))
    page.node.addContentStream(ref)
  }

  // The TrueType font program needs Length1, which pdf-lib leaves out (as in pdf.ts).
  await doc.flush()
  const type0 = context.lookup(font.ref, PDFDict)
  const cidFont = type0.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict)
  const file = cidFont.lookup(PDFName.of('FontDescriptor'), PDFDict).lookup(PDFName.of('FontFile2'), PDFStream)
  file.dict.set(PDFName.of('Length1'), PDFNumber.of(subset.bytes.byteLength))

  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Number.POSITIVE_INFINITY })
}
