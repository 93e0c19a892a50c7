import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as fontkitModule from '@pdf-lib/fontkit'
import { PDFDocument } from 'pdf-lib'
import subsetFont from 'subset-font'
import { describe, expect, it } from 'vitest'
import { DROPPED_TABLES, fontSubset, MissingGlyphError, missingGlyphs, readSubset, subsetTrueType } from './fonts.ts'

const fontkit = (fontkitModule as unknown as { default?: typeof fontkitModule }).default ?? fontkitModule
const regularFile = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')
const TEXT = '收养登记证（2026）渝大足收字第0001号 王小雨 陈雨桐 500111198507021234X 副本 COPY，。、：'

describe('glyph coverage', () => {
  it('names the characters the font cannot draw, once each, in order', () => {
    expect(missingGlyphs('张𠮷三𠮷')).toEqual(['𠮷'])
    expect(missingGlyphs('王小雨 500111198507021234X')).toEqual([])
    // Rare but covered: Noto Sans SC has these (CJK Extension A and common name characters).
    expect(missingGlyphs('䶮喆堃玥珺犇淼')).toEqual([])
    // Layout whitespace is never drawn, so it is never missing.
    expect(missingGlyphs('一\n二\t三\r')).toEqual([])
  })

  it('throws a MissingGlyphError that says which characters and fields', () => {
    const err = new MissingGlyphError(['𠮷'], ['child.name'])
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('MissingGlyphError')
    expect(err.characters).toEqual(['𠮷'])
    expect(err.fields).toEqual(['child.name'])
    expect(err.message).toContain('𠮷（U+20BB7）')
    expect(err.message).toContain('child.name')
    expect(() => fontSubset('regular', '吉𠮷')).toThrow(MissingGlyphError)
  })
})

describe('subsets', () => {
  it('are byte-identical to subset-font with the same options (resident harfbuzz face)', async () => {
    const full = readFileSync(regularFile)
    const expected = await subsetFont(full, TEXT, { targetFormat: 'truetype', noHinting: true, dropTables: DROPPED_TABLES })
    expect(Buffer.from(subsetTrueType('regular', TEXT)).equals(expected)).toBe(true)
  })

  it('hold exactly the characters asked for, with the glyph ids fontkit reads', () => {
    const bytes = subsetTrueType('regular', TEXT)
    const parsed = fontkit.create(bytes)
    const chars = [...new Set([...TEXT].map((c) => c.codePointAt(0)!))].sort((a, b) => a - b)
    // fontkit also lists U+FFFF, the format-4 cmap's obligatory end marker (it maps to .notdef).
    expect([...parsed.characterSet].filter((cp) => cp !== 0xffff).sort((a, b) => a - b)).toEqual(chars)
    const { glyphIds, bbox } = readSubset(bytes)
    for (const cp of chars) expect(glyphIds.get(cp)).toBe(parsed.glyphForCodePoint(cp).id)
    expect(bbox).toMatchObject({ minX: parsed.bbox.minX, minY: parsed.bbox.minY, maxX: parsed.bbox.maxX, maxY: parsed.bbox.maxY })
    expect(bytes.byteLength).toBeLessThan(30_000)
    // fontkit's typings omit the table directory.
    const tables = Object.keys((parsed as unknown as { directory: { tables: object } }).directory.tables)
    for (const t of ['GSUB', 'GPOS', 'prep']) expect(tables).not.toContain(t)
  })

  it('embed exactly as pdf-lib embeds them through fontkit', async () => {
    const subset = fontSubset('regular', TEXT)
    const embed = async (kit: unknown) => {
      const doc = await PDFDocument.create({ updateMetadata: false })
      doc.registerFontkit(kit as Parameters<PDFDocument['registerFontkit']>[0])
      await doc.embedFont(subset.bytes, { subset: false, customName: subset.name })
      return doc.save({ useObjectStreams: false })
    }
    const viaAdapter = await embed({ create: () => subset.font })
    // The one deliberate difference: fontkit counts the cmap's U+FFFF end marker as a character,
    // which would put .notdef into the widths and map it to U+FFFF in ToUnicode.
    const viaFontkit = await embed({
      create: (bytes: Uint8Array) => {
        const font = fontkit.create(bytes)
        const characterSet = font.characterSet.filter((cp) => cp !== 0xffff)
        return Object.create(font, { characterSet: { value: characterSet } })
      },
    })
    expect(Buffer.from(viaAdapter).equals(Buffer.from(viaFontkit))).toBe(true)
  })

  it('are cached by character set, whatever the order of the text', () => {
    expect(fontSubset('regular', '王小雨')).toBe(fontSubset('regular', '雨小王王'))
    expect(fontSubset('regular', '王小雨').name).toMatch(/^[A-Z]{6}\+NotoSansSC-Regular$/)
    expect(fontSubset('bold', '王小雨').name).toMatch(/\+NotoSansSC-Bold$/)
  })
})
