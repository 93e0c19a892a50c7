// Noto Sans SC for the documents: glyph coverage checks, advance widths for layout, and per-document
// TrueType subsets cut by harfbuzz.
//
// Why harfbuzz and not pdf-lib's `subset: true`: @pdf-lib/fontkit 1.1.1 writes subsets that poppler
// and mupdf draw blank (see docs/stack.md, "Chinese text in PDFs"), so each document embeds a
// harfbuzz-cut TrueType font with `subset: false`.
//
// Why harfbuzz is driven here rather than through subset-font's exported function: subset-font copies
// the whole 10 MB font into WebAssembly memory and builds a new harfbuzz face on every call
// (≈ 7.5 ms each), which alone exceeds the per-certificate budget. We load the very same
// harfbuzz-subset.wasm that subset-font ships, keep one face per weight resident, and run the same
// sequence of harfbuzz calls subset-font makes (≈ 0.5 ms per subset). documents/fonts.test.ts checks
// the output is byte-identical to subset-font's for the same options.
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import * as fontkitModule from '@pdf-lib/fontkit'
import type { Font } from '@pdf-lib/fontkit'

// @pdf-lib/fontkit is a UMD bundle: under Node's ESM loader its functions sit on `default`.
const fontkit: typeof fontkitModule =
  (fontkitModule as unknown as { default?: typeof fontkitModule }).default ?? fontkitModule

export type FontWeight = 'regular' | 'bold'

const require = createRequire(import.meta.url)

const FONT_FILES: Record<FontWeight, string> = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
}
const POSTSCRIPT_NAMES: Record<FontWeight, string> = {
  regular: 'NotoSansSC-Regular',
  bold: 'NotoSansSC-Bold',
}

/**
 * Tables the documents never use, dropped from every subset: we position glyphs by their advance
 * widths (Chinese, digits and Latin labels need no shaping) and print at resolutions where TrueType
 * hinting does nothing useful. This also halves the subset's size. vhea/vmtx stay although we only
 * set text horizontally: without them fontkit derives vertical metrics from every glyph's outline
 * when pdf-lib asks for advance widths, which costs more than the whole rest of the embedding.
 */
export const DROPPED_TABLES = ['GSUB', 'GPOS', 'GDEF', 'BASE', 'STAT', 'gasp', 'prep']

/** Whitespace the layout consumes itself (line breaks, tabs); never drawn, so never checked. */
const LAYOUT_WHITESPACE = new Set(['\n', '\r', '\t'])

/** A character the embedded font cannot draw: the PDF would silently show nothing in its place. */
export class MissingGlyphError extends Error {
  readonly characters: string[]
  /** The data fields holding them, when known (e.g. 'child.name'). */
  readonly fields: string[]

  constructor(characters: string[], fields: string[] = []) {
    const list = characters
      .map((c) => `${c}（U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}）`)
      .join('、')
    const where = fields.length > 0 ? `（字段：${fields.join('、')}）` : ''
    super(`字库中没有以下字符，无法打印：${list}${where}。请核对用字，或改用规范汉字后再打印。`)
    this.name = 'MissingGlyphError'
    this.characters = characters
    this.fields = fields
  }
}

type LoadedFont = {
  bytes: Uint8Array
  font: Font
  // Code point → advance width (font units) and glyph presence; memoised because the same few
  // hundred characters are asked about in every document.
  widths: Map<number, number>
  present: Map<number, boolean>
  unitsPerEm: number
}

const loaded = new Map<FontWeight, LoadedFont>()

function loadFont(weight: FontWeight): LoadedFont {
  let f = loaded.get(weight)
  if (!f) {
    const bytes = readFileSync(require.resolve(FONT_FILES[weight]))
    const font = fontkit.create(bytes)
    f = { bytes, font, widths: new Map(), present: new Map(), unitsPerEm: font.unitsPerEm }
    loaded.set(weight, f)
  }
  return f
}

function hasGlyph(f: LoadedFont, cp: number): boolean {
  let has = f.present.get(cp)
  if (has === undefined) {
    has = f.font.hasGlyphForCodePoint(cp)
    f.present.set(cp, has)
  }
  return has
}

/** The characters of `text` the font cannot draw, each once, in order of first appearance. */
export function missingGlyphs(text: string, weight: FontWeight = 'regular'): string[] {
  const f = loadFont(weight)
  const missing: string[] = []
  for (const ch of text) {
    if (LAYOUT_WHITESPACE.has(ch)) continue
    if (!hasGlyph(f, ch.codePointAt(0)!) && !missing.includes(ch)) missing.push(ch)
  }
  return missing
}

/**
 * Throws MissingGlyphError naming every undrawable character and the fields holding it. Call it
 * with the document's data before layout, so the registrar learns which field to correct.
 */
export function assertDrawable(fields: Record<string, string | undefined>, weight: FontWeight = 'regular'): void {
  const characters: string[] = []
  const names: string[] = []
  for (const [name, value] of Object.entries(fields)) {
    if (!value) continue
    const missing = missingGlyphs(value, weight)
    if (missing.length === 0) continue
    names.push(name)
    for (const ch of missing) if (!characters.includes(ch)) characters.push(ch)
  }
  if (characters.length > 0) throw new MissingGlyphError(characters, names)
}

function advanceUnits(f: LoadedFont, cp: number): number {
  let w = f.widths.get(cp)
  if (w === undefined) {
    w = hasGlyph(f, cp) ? f.font.glyphForCodePoint(cp).advanceWidth : 0
    f.widths.set(cp, w)
  }
  return w
}

/** Advance width of a string in em (1 = the font size), for layout before any subset exists. */
export function advanceEm(text: string, weight: FontWeight = 'regular'): number {
  const f = loadFont(weight)
  let total = 0
  for (const ch of text) total += advanceUnits(f, ch.codePointAt(0)!)
  return total / f.unitsPerEm
}

// --- harfbuzz -----------------------------------------------------------------------------------

type Harfbuzz = {
  memory: WebAssembly.Memory
  malloc(size: number): number
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number
  hb_blob_destroy(blob: number): void
  hb_blob_get_data(blob: number, length: number): number
  hb_blob_get_length(blob: number): number
  hb_face_create(blob: number, index: number): number
  hb_face_destroy(face: number): void
  hb_face_reference_blob(face: number): number
  hb_set_add(set: number, value: number): void
  hb_set_clear(set: number): void
  hb_set_invert(set: number): void
  hb_subset_input_create_or_fail(): number
  hb_subset_input_destroy(input: number): void
  hb_subset_input_set(input: number, setType: number): number
  hb_subset_input_unicode_set(input: number): number
  hb_subset_input_get_flags(input: number): number
  hb_subset_input_set_flags(input: number, flags: number): void
  hb_subset_or_fail(face: number, input: number): number
  _initialize(): void
}

const HB_MEMORY_MODE_READONLY = 1
const HB_SUBSET_SETS_DROP_TABLE_TAG = 3
const HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6
const HB_SUBSET_FLAGS_NO_HINTING = 0x1

const hbTag = (tag: string) => [...tag].reduce((a, ch) => (a << 8) + ch.charCodeAt(0), 0)

let harfbuzz: Harfbuzz | undefined
const faces = new Map<FontWeight, number>()

function getHarfbuzz(): Harfbuzz {
  if (!harfbuzz) {
    // Resolved from subset-font's own location, so we get exactly the harfbuzz build it depends on.
    const wasmPath = createRequire(require.resolve('subset-font')).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm')
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {})
    harfbuzz = instance.exports as unknown as Harfbuzz
    harfbuzz._initialize()
  }
  return harfbuzz
}

function getFace(weight: FontWeight): number {
  let face = faces.get(weight)
  if (face === undefined) {
    const hb = getHarfbuzz()
    const { bytes } = loadFont(weight)
    const ptr = hb.malloc(bytes.byteLength)
    new Uint8Array(hb.memory.buffer).set(bytes, ptr)
    // Read-only: harfbuzz reads the font in place for the life of the process, never copies it.
    const blob = hb.hb_blob_create(ptr, bytes.byteLength, HB_MEMORY_MODE_READONLY, 0, 0)
    face = hb.hb_face_create(blob, 0)
    hb.hb_blob_destroy(blob)
    faces.set(weight, face)
  }
  return face
}

/**
 * Cuts a TrueType font holding exactly the characters of `text` (plus .notdef). Mirrors
 * subset-font(font, text, { targetFormat: 'truetype', noHinting: true, dropTables: DROPPED_TABLES }).
 */
export function subsetTrueType(weight: FontWeight, text: string): Uint8Array {
  const hb = getHarfbuzz()
  const face = getFace(weight)
  const input = hb.hb_subset_input_create_or_fail()
  if (input === 0) throw new Error('harfbuzz: hb_subset_input_create_or_fail failed')
  let subsetFace = 0
  try {
    const features = hb.hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG)
    hb.hb_set_clear(features)
    hb.hb_set_invert(features)
    hb.hb_subset_input_set_flags(input, hb.hb_subset_input_get_flags(input) | HB_SUBSET_FLAGS_NO_HINTING)
    const drop = hb.hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG)
    for (const tag of DROPPED_TABLES) hb.hb_set_add(drop, hbTag(tag))
    const unicodes = hb.hb_subset_input_unicode_set(input)
    for (const ch of text) hb.hb_set_add(unicodes, ch.codePointAt(0)!)
    subsetFace = hb.hb_subset_or_fail(face, input)
  } finally {
    hb.hb_subset_input_destroy(input)
  }
  if (subsetFace === 0) throw new Error('harfbuzz: hb_subset_or_fail failed')
  const blob = hb.hb_face_reference_blob(subsetFace)
  try {
    const offset = hb.hb_blob_get_data(blob, 0)
    const length = hb.hb_blob_get_length(blob)
    if (length === 0) throw new Error('harfbuzz: empty subset')
    // slice() copies out of wasm memory, which harfbuzz reuses on the next call.
    return new Uint8Array(hb.memory.buffer).slice(offset, offset + length)
  } finally {
    hb.hb_blob_destroy(blob)
    hb.hb_face_destroy(subsetFace)
  }
}

// --- reading a subset back ----------------------------------------------------------------------

type BBox = { minX: number; minY: number; maxX: number; maxY: number; width: number; height: number }

/**
 * Reads what embedding needs from a harfbuzz subset: the code point → glyph id map (cmap format 12
 * or 4) and the bounding box (head). A few dozen bytes of parsing instead of a fontkit parse of
 * every table (≈ 1.5 ms per document).
 */
export function readSubset(bytes: Uint8Array): { glyphIds: Map<number, number>; bbox: BBox } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const tables = new Map<string, number>()
  const numTables = view.getUint16(4)
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i
    tables.set(String.fromCharCode(...bytes.subarray(rec, rec + 4)), view.getUint32(rec + 8))
  }
  const head = tables.get('head')
  const cmap = tables.get('cmap')
  if (head === undefined || cmap === undefined) throw new Error('font subset lacks head or cmap')
  const [minX, minY, maxX, maxY] = [36, 38, 40, 42].map((o) => view.getInt16(head + o))
  const bbox = { minX, minY, maxX, maxY, width: maxX - minX, height: maxY - minY }

  // Prefer the full-Unicode subtable (3,10 format 12), else the BMP one (3,1 or 0,x format 4).
  let sub12: number | undefined
  let sub4: number | undefined
  for (let i = 0, n = view.getUint16(cmap + 2); i < n; i++) {
    const rec = cmap + 4 + 8 * i
    const offset = cmap + view.getUint32(rec + 4)
    const format = view.getUint16(offset)
    if (format === 12) sub12 ??= offset
    else if (format === 4) sub4 ??= offset
  }
  const glyphIds = new Map<number, number>()
  if (sub12 !== undefined) {
    for (let g = 0, n = view.getUint32(sub12 + 12); g < n; g++) {
      const rec = sub12 + 16 + 12 * g
      const [start, end, gid] = [view.getUint32(rec), view.getUint32(rec + 4), view.getUint32(rec + 8)]
      for (let cp = start; cp <= end; cp++) glyphIds.set(cp, gid + cp - start)
    }
  } else if (sub4 !== undefined) {
    const segCount = view.getUint16(sub4 + 6) / 2
    const ends = sub4 + 14
    const starts = ends + 2 * segCount + 2
    const deltas = starts + 2 * segCount
    const rangeOffsets = deltas + 2 * segCount
    for (let i = 0; i < segCount; i++) {
      const [start, end] = [view.getUint16(starts + 2 * i), view.getUint16(ends + 2 * i)]
      const delta = view.getInt16(deltas + 2 * i)
      const rangeOffset = view.getUint16(rangeOffsets + 2 * i)
      for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
        let gid: number
        if (rangeOffset === 0) gid = (cp + delta) & 0xffff
        else {
          gid = view.getUint16(rangeOffsets + 2 * i + rangeOffset + 2 * (cp - start))
          if (gid !== 0) gid = (gid + delta) & 0xffff
        }
        if (gid !== 0) glyphIds.set(cp, gid)
      }
    }
  } else throw new Error('font subset has no usable cmap')
  return { glyphIds, bbox }
}

/**
 * What pdf-lib's font embedder reads from a fontkit Font, answered from the subset's own cmap and
 * head and the full font's metrics (parsed once per process). pdf-lib then writes the font
 * dictionaries, widths and ToUnicode map exactly as with fontkit (documents/fonts.test.ts compares
 * the bytes). Text layout is ours: the documents never call pdf-lib's drawText.
 */
function embedderFont(weight: FontWeight, glyphIds: Map<number, number>, bbox: BBox): Font {
  const f = loadFont(weight)
  // fontkit's typings omit the raw tables; these are read once per subset from the parsed full font.
  const full = f.font as unknown as Record<string, any>
  const glyphs = new Map<number, { id: number; advanceWidth: number; codePoints: number[] }>()
  for (const [cp, id] of glyphIds) glyphs.set(cp, { id, advanceWidth: advanceUnits(f, cp), codePoints: [cp] })
  const notdef = { id: 0, advanceWidth: 0, codePoints: [] }
  const adapter = {
    unitsPerEm: f.unitsPerEm,
    postscriptName: POSTSCRIPT_NAMES[weight],
    ascent: full.ascent,
    descent: full.descent,
    capHeight: full.capHeight,
    xHeight: full.xHeight,
    italicAngle: full.italicAngle,
    bbox,
    cff: false,
    'OS/2': { sFamilyClass: full['OS/2']?.sFamilyClass ?? 0 },
    post: { isFixedPitch: full.post.isFixedPitch, italicAngle: full.post.italicAngle },
    head: { macStyle: { italic: full.head.macStyle.italic }, unitsPerEm: f.unitsPerEm },
    characterSet: [...glyphIds.keys()].sort((a, b) => a - b),
    glyphForCodePoint: (cp: number) => glyphs.get(cp) ?? notdef,
    hasGlyphForCodePoint: (cp: number) => glyphs.has(cp),
    layout: () => {
      throw new Error('documents/ lays out text itself (pdf.ts); pdf-lib text drawing is not supported')
    },
  }
  return adapter as unknown as Font
}

// --- subsets ready to embed ---------------------------------------------------------------------

export type FontSubset = {
  weight: FontWeight
  /** PDF BaseFont: a six-letter tag derived from the character set, as PDF requires for subsets. */
  name: string
  /** The TrueType subset to embed. */
  bytes: Uint8Array
  /** What pdf-lib's embedder reads, via the fontkit it is registered with (see pdf.ts). */
  font: Font
  /** Code point → glyph id in the subset, as 4-digit hex for the content stream. */
  glyphHex: Map<number, string>
}

// A certificate printed as a blank and then as a file copy, or printed again after a jam, reuses its
// subset; a small LRU keeps memory bounded when hundreds of distinct documents go through.
const SUBSET_CACHE_SIZE = 64
const subsets = new Map<string, FontSubset>()

/** Sorted unique characters: the cache key, and what the subset is cut to. */
export function characterSet(text: string): string {
  const cps = new Set<number>()
  for (const ch of text) if (!LAYOUT_WHITESPACE.has(ch)) cps.add(ch.codePointAt(0)!)
  return String.fromCodePoint(...[...cps].sort((a, b) => a - b))
}

export function fontSubset(weight: FontWeight, text: string): FontSubset {
  const chars = characterSet(text)
  const key = `${weight}:${chars}`
  const hit = subsets.get(key)
  if (hit) {
    subsets.delete(key)
    subsets.set(key, hit)
    return hit
  }
  const missing = missingGlyphs(chars, weight)
  if (missing.length > 0) throw new MissingGlyphError(missing)

  const bytes = subsetTrueType(weight, chars)
  const { glyphIds, bbox } = readSubset(bytes)
  const glyphHex = new Map<number, string>()
  for (const ch of chars) {
    const cp = ch.codePointAt(0)!
    const id = glyphIds.get(cp)
    if (id === undefined) throw new MissingGlyphError([ch])
    glyphHex.set(cp, id.toString(16).padStart(4, '0'))
  }
  const digest = createHash('sha256').update(key).digest()
  const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('')
  const subset: FontSubset = {
    weight,
    name: `${tag}+${POSTSCRIPT_NAMES[weight]}`,
    bytes,
    font: embedderFont(weight, glyphIds, bbox),
    glyphHex,
  }

  subsets.set(key, subset)
  if (subsets.size > SUBSET_CACHE_SIZE) subsets.delete(subsets.keys().next().value!)
  return subset
}

/** Forgets cached subsets (tests use it to check a cold render gives the same bytes as a warm one). */
export function clearSubsetCache(): void {
  subsets.clear()
}

/** Loads fonts and harfbuzz ahead of the first request (otherwise the first document pays ≈ 100 ms). */
export function warmUpFonts(): void {
  for (const weight of ['regular', 'bold'] as const) fontSubset(weight, '收养登记证0')
}
