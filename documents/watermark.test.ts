import { readFileSync } from 'node:fs'
import { degrees, PDFDict, PDFDocument, PDFName, PDFNumber, PDFStream, rgb, StandardFonts } from 'pdf-lib'
import { beforeAll, describe, expect, it } from 'vitest'
import { renderArchiveFile, sampleArchiveFile } from './archive-cover.ts'
import { MissingGlyphError } from './fonts.ts'
import { expectCleanInTools, expectEmbeddedSubsets, fontNames, pageCount, pageText, pdftotext, run, squash, words, writeTemp } from './pdf-checks.ts'
import { watermarkLine, watermarkPdf } from './watermark.ts'

const TEXT = '仅供 张三 查阅 2026-11-28 · 档案利用登记 #12'

/** One page rendered in grey (PGM): width, height and one byte per pixel. */
function grayPixels(path: string, page: number, name: string): { width: number; height: number; pixels: Uint8Array } {
  const prefix = writeTemp(name, new Uint8Array())
  run('pdftoppm', ['-gray', '-r', '40', '-f', String(page), '-l', String(page), '-singlefile', path, prefix])
  const pgm = readFileSync(`${prefix}.pgm`)
  const m = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))
  if (!m) throw new Error('not a binary PGM')
  const [width, height] = [Number(m[1]), Number(m[2])]
  return { width, height, pixels: pgm.subarray(m[0].length, m[0].length + width * height) }
}

/** Share of pixels in rows [fromRow, toRow) that got visibly darker. */
function darkened(before: ReturnType<typeof grayPixels>, after: ReturnType<typeof grayPixels>, fromRow = 0, toRow = before.height): number {
  expect([after.width, after.height]).toEqual([before.width, before.height])
  let n = 0
  for (let i = fromRow * before.width; i < toRow * before.width; i++) if (after.pixels[i] < before.pixels[i] - 6) n++
  return n / ((toRow - fromRow) * before.width)
}

/** A PDF from another tool: pdf-lib with Helvetica, no CJK font, pages of several sizes and rotations, one blank. */
async function foreignPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false })
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const pages: Array<[number, number, number]> = [
    [595.28, 841.89, 0],
    [841.89, 595.28, 0],
    [612, 792, 90],
    [595.28, 841.89, 180],
    [300, 420, 270],
  ]
  pages.forEach(([w, h, rotation], i) => {
    const page = doc.addPage([w, h])
    page.setRotation(degrees(rotation))
    page.drawText(`Scanned page ${i + 1}: application form`, { x: 40, y: h - 60, size: 14, font })
    page.drawRectangle({ x: 40, y: 40, width: w - 80, height: h - 120, borderWidth: 1, borderColor: rgb(0, 0, 0) })
  })
  doc.addPage([595.28, 841.89]) // nothing on it at all
  doc.setTitle('scan')
  doc.setCreationDate(new Date(Date.UTC(2026, 0, 5)))
  doc.setModificationDate(new Date(Date.UTC(2026, 0, 5)))
  return doc.save()
}

describe('watermarkPdf', () => {
  let ours: Uint8Array
  let foreign: Uint8Array
  beforeAll(async () => {
    // A 4-page document of ours: the file cover and a 60-row document list.
    const documents = Array.from({ length: 60 }, (_, i) => ({ ...sampleArchiveFile.documents[i % 13], seq: i + 1, pages: { from: 2 * i + 1, to: 2 * i + 2 } }))
    ours = await renderArchiveFile({ ...sampleArchiveFile, documents })
    foreign = await foreignPdf()
  })

  it('puts the text on every page of one of our documents and leaves its own text intact', async () => {
    const marked = await watermarkPdf(ours, TEXT)
    const [before, after] = [writeTemp('wm-ours-before.pdf', ours), writeTemp('wm-ours.pdf', marked)]
    const pages = pageCount(after)
    expect(pages).toBe(pageCount(before))
    expect(pages).toBeGreaterThanOrEqual(4)
    for (let p = 1; p <= pages; p++) {
      const text = squash(pageText(after, p, false))
      // Exactly once per page (the footer): the diagonal copies are drawn, not text, so they do not
      // break into the page's own text; without the footer the page reads exactly as before.
      expect(text.split(squash(TEXT)).length - 1, `page ${p}`).toBe(1)
      expect(text.replace(squash(TEXT), '')).toBe(squash(pageText(before, p, false)))
    }
    const { fonts } = expectCleanInTools(after)
    expect(fontNames(fonts)).toEqual(['NotoSansSC-Regular', 'NotoSansSC-Bold', 'NotoSansSC-Regular'])
    expectEmbeddedSubsets(fonts)
    expect(marked.byteLength - ours.byteLength).toBeLessThan(40 * 1024)
    expect(marked.byteLength).toBeLessThan(100 * 1024)
  })

  it('works on a PDF made by another tool: every size and rotation, a blank page, the footer along the bottom as read', async () => {
    const marked = await watermarkPdf(foreign, TEXT)
    const path = writeTemp('wm-foreign.pdf', marked)
    const pages = pageCount(path)
    expect(pages).toBe(6)
    for (let p = 1; p <= pages; p++) expect(squash(pageText(path, p, false)), `page ${p}`).toContain(squash(TEXT))
    expect(squash(pageText(path, 1, false))).toContain('Scannedpage1:applicationform')
    const { fonts } = expectCleanInTools(path)
    expect(fontNames(fonts)).toEqual(['Helvetica', 'NotoSansSC-Regular'])
    expect(marked.byteLength - foreign.byteLength).toBeLessThan(40 * 1024)

    // On every page the footer is upright for the reader and sits at the bottom of the page as shown.
    const html = run('pdftotext', ['-bbox', '-enc', 'UTF-8', path, '-']).stdout
    const pageBlocks = html.split('<page ').slice(1)
    expect(pageBlocks).toHaveLength(6)
    // poppler gives the unrotated page size but word boxes as the page is shown.
    const quarterTurn = [false, false, true, false, true, false]
    pageBlocks.forEach((block, i) => {
      const height = Number((quarterTurn[i] ? /width="([\d.]+)"/ : /height="([\d.]+)"/).exec(block)![1])
      const footer = [...block.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">仅供<\/word>/g)]
      expect(footer, `page ${i + 1}`).toHaveLength(1)
      const [xMin, yMin, xMax, yMax] = footer[0].slice(1, 5).map(Number)
      expect(yMin, `page ${i + 1}`).toBeGreaterThan(height - 20)
      // Horizontal as read: wider than tall.
      expect(xMax - xMin).toBeGreaterThan(yMax - yMin)
    })
  })

  it('handles inherited resources, a crop box and a media box away from the origin', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false })
    const font = await doc.embedFont(StandardFonts.Helvetica)
    const first = doc.addPage([600, 800])
    first.drawText('Shared resources', { x: 100, y: 700, size: 12, font })
    const second = doc.addPage([600, 800])
    // Both pages show the same content and inherit one Resources dictionary from the page tree.
    second.node.set(PDFName.of('Contents'), first.node.get(PDFName.of('Contents'))!)
    const resources = first.node.get(PDFName.of('Resources'))!
    doc.catalog.Pages().set(PDFName.of('Resources'), resources)
    first.node.delete(PDFName.of('Resources'))
    second.node.delete(PDFName.of('Resources'))
    first.setCropBox(50, 50, 500, 700)
    // x, y, width, height: the box [-300 200 300 1000].
    second.setMediaBox(-300, 200, 600, 800)
    second.setCropBox(-300, 200, 600, 800)
    const path = writeTemp('wm-inherited.pdf', await watermarkPdf(await doc.save(), TEXT))
    expectCleanInTools(path)
    const html = run('pdftotext', ['-bbox', '-enc', 'UTF-8', path, '-']).stdout
    const blocks = html.split('<page ').slice(1)
    expect(blocks).toHaveLength(2)
    for (const [i, block] of blocks.entries()) {
      expect(squash(pageText(path, i + 1))).toContain('Sharedresources')
      expect(squash(pageText(path, i + 1))).toContain(squash(TEXT))
      // The footer lies inside the visible (cropped) page, near its bottom. poppler measures from the
      // media box's top-left corner: the first page's crop box spans x 50–550 and y 50–750 from there.
      const visible = i === 0 ? { left: 50, right: 550, bottom: 750 } : { left: 0, right: 600, bottom: 800 }
      const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">仅供<\/word>/.exec(block)!
      const [xMin, yMin, , yMax] = m.slice(1, 5).map(Number)
      expect(xMin).toBeGreaterThan(visible.left)
      expect(xMin).toBeLessThan(visible.right)
      expect(yMin).toBeGreaterThan(visible.bottom - 20)
      expect(yMax).toBeLessThanOrEqual(visible.bottom)
    }
  })

  it('visibly changes every part of the page, not just the footer', async () => {
    for (const [name, source] of [
      ['ours', ours],
      ['foreign', foreign],
    ] as const) {
      const before = writeTemp(`wm-px-${name}-before.pdf`, source)
      const after = writeTemp(`wm-px-${name}.pdf`, await watermarkPdf(source, TEXT))
      for (const page of [1, 3]) {
        const a = grayPixels(before, page, `px-${name}-${page}-a`)
        const b = grayPixels(after, page, `px-${name}-${page}-b`)
        // The diagonal text covers the page: its top and middle darken as well as the bottom.
        const third = Math.floor(a.height / 3)
        for (const [from, to] of [
          [0, third],
          [third, 2 * third],
          [2 * third, a.height],
        ]) {
          expect(darkened(a, b, from, to), `${name} page ${page} rows ${from}–${to}`).toBeGreaterThan(0.03)
        }
        // …but lightly: the page stays readable (most of it untouched, nothing blacked out).
        expect(darkened(a, b)).toBeLessThan(0.25)
        let darkest = 255
        for (let i = 0; i < a.pixels.length; i++) if (a.pixels[i] === 255) darkest = Math.min(darkest, b.pixels[i])
        expect(darkest).toBeGreaterThan(120)
      }
    }
  })

  it('is deterministic and depends on the text', async () => {
    const first = await watermarkPdf(foreign, TEXT)
    expect(Buffer.from(await watermarkPdf(foreign, TEXT)).equals(Buffer.from(first))).toBe(true)
    expect(Buffer.from(await watermarkPdf(new Uint8Array(foreign), TEXT)).equals(Buffer.from(first))).toBe(true)
    expect(Buffer.from(await watermarkPdf(foreign, TEXT.replace('张三', '李四'))).equals(Buffer.from(first))).toBe(false)
  })

  it('appends the date once, records it as the modification date, and otherwise keeps the metadata', async () => {
    expect(watermarkLine('仅供 张三\n查阅', '2026-11-28')).toBe('仅供 张三 查阅 2026-11-28')
    expect(watermarkLine(TEXT, '2026-11-28')).toBe(TEXT)
    expect(() => watermarkLine(TEXT, '2026-11-31')).toThrow(RangeError)

    const dated = writeTemp('wm-dated.pdf', await watermarkPdf(foreign, '仅供 张三 查阅', { date: '2026-11-28' }))
    expect(squash(pdftotext(dated))).toContain('仅供张三查阅2026-11-28')
    const info = run('pdfinfo', ['-isodates', dated]).stdout
    expect(info).toMatch(/ModDate:\s+2026-11-28/)
    expect(info).toMatch(/CreationDate:\s+2026-01-05/)
    expect(info).toMatch(/Title:\s+scan/)
    const undated = run('pdfinfo', ['-isodates', writeTemp('wm-undated.pdf', await watermarkPdf(foreign, TEXT))]).stdout
    expect(undated).toMatch(/ModDate:\s+2026-01-05/)
  })

  it('can watermark an already watermarked copy (both marks stay, under their own resource names)', async () => {
    const twice = await watermarkPdf(await watermarkPdf(foreign, TEXT), '仅供 李四 查阅 2026-12-01 · 档案利用登记 #13')
    const path = writeTemp('wm-twice.pdf', twice)
    expectCleanInTools(path)
    for (let p = 1; p <= pageCount(path); p++) {
      const text = squash(pageText(path, p, false))
      for (const part of ['张三', '李四', '#12', '#13']) expect(text, `page ${p}`).toContain(part)
    }
    const doc = await PDFDocument.load(twice)
    const fontNames = doc.getPages()[0].node.Resources()!.lookup(PDFName.of('Font'), PDFDict).keys().map(String)
    expect(fontNames.filter((n) => n.startsWith('/WmF'))).toHaveLength(2)
  })

  it('embeds only the characters of the watermark', async () => {
    const path = writeTemp('wm-chars.pdf', await watermarkPdf(foreign, '仅供查阅'))
    const extracted = new Set(words(path).flatMap((w) => [...w.text]))
    for (const ch of '仅供查阅') expect(extracted).toContain(ch)
    const fontFile = run('mutool', ['info', '-F', path]).stdout
    expect(fontFile).toMatch(/NotoSansSC-Regular/)
    const doc = await PDFDocument.load(readFileSync(path))
    const sizes = doc.context
      .enumerateIndirectObjects()
      .map(([, obj]) => (obj instanceof PDFStream ? obj.dict.lookupMaybe(PDFName.of('Length1'), PDFNumber) : undefined))
      .filter((n) => n !== undefined)
      .map((n) => n.asNumber())
    // The font program: a handful of glyphs, not the 10 MB font.
    expect(sizes).toHaveLength(1)
    expect(sizes[0]).toBeLessThan(10_000)
  })

  it('refuses a character the font lacks, an empty text and bytes that are not a PDF', async () => {
    const err = await watermarkPdf(foreign, '仅供 𠮷某 查阅').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MissingGlyphError)
    expect(err).toMatchObject({ characters: ['𠮷'], fields: ['text'] })
    await expect(watermarkPdf(foreign, ' \n ')).rejects.toThrow(TypeError)
    await expect(watermarkPdf(new TextEncoder().encode('not a pdf at all'), TEXT)).rejects.toThrow()
  })
})
