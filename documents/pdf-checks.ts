// Test helpers: run poppler and mupdf on a rendered PDF and fail on any complaint. Used by the
// documents/*.test.ts files only.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { mmToPt } from './layout.ts'

const dir = mkdtempSync(join(tmpdir(), 'documents-test-'))

export function writeTemp(name: string, bytes: Uint8Array): string {
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}

/** Runs a tool without a shell; throws on a non-zero exit, returns stdout and stderr. */
export function run(cmd: string, args: string[]): { stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 })
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return { stdout: r.stdout, stderr: r.stderr }
}

export const pdftotext = (path: string, layout = false) =>
  run('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', path, '-']).stdout

/** Text of one page (from 1), with -layout unless told otherwise. */
export const pageText = (path: string, page: number, layout = true) =>
  run('pdftotext', [...(layout ? ['-layout'] : []), '-f', String(page), '-l', String(page), '-enc', 'UTF-8', path, '-']).stdout

/** Words with their boxes (pt, origin top-left) from pdftotext -bbox. */
export function words(path: string): { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const html = run('pdftotext', ['-bbox', '-enc', 'UTF-8', path, '-']).stdout
  const re = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g
  return [...html.matchAll(re)].map((m) => ({
    text: m[5].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'),
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
  }))
}

/** Text with all whitespace removed: letter-spaced titles and wrapped sentences become searchable. */
export const squash = (s: string) => s.replace(/\s+/g, '')

/** Asserts each part occurs in `text`, each after the previous one. */
export function expectInOrder(text: string, parts: string[]): void {
  let from = 0
  for (const part of parts) {
    const at = text.indexOf(part, from)
    if (at < 0) {
      const anywhere = text.indexOf(part)
      throw new Error(
        anywhere < 0
          ? `missing ${JSON.stringify(part)} in:\n${text}`
          : `${JSON.stringify(part)} found only before ${JSON.stringify(text.slice(Math.max(0, from - 20), from))}`,
      )
    }
    from = at + part.length
  }
}

export type FontRow = { name: string; type: string; emb: string; sub: string; uni: string }

/**
 * The checks every document must pass: pdffonts lists only embedded fonts with ToUnicode maps,
 * pdftoppm and mutool render every page, and none of them prints a single warning or error.
 * mutool runs with -N (no ICC colour management): this Debian build prints "ICC support is not
 * available" for any input otherwise, and the documents use DeviceGray only.
 */
export function expectCleanInTools(path: string): { fonts: FontRow[] } {
  const fonts = run('pdffonts', [path])
  if (fonts.stderr !== '') throw new Error(`pdffonts: ${fonts.stderr}`)
  const rows = fonts.stdout
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => {
      const f = line.trim().split(/\s+/)
      // name type(2 words: CID TrueType) encoding emb sub uni objnum gen
      return { name: f[0], type: `${f[1]} ${f[2]}`, emb: f[4], sub: f[5], uni: f[6] }
    })
  const png = run('pdftoppm', ['-r', '50', '-png', path, join(dir, 'render')])
  if (png.stderr !== '') throw new Error(`pdftoppm: ${png.stderr}`)
  const mu = run('mutool', ['draw', '-N', '-q', '-o', join(dir, 'mu-%d.png'), path])
  if (mu.stderr !== '') throw new Error(`mutool draw: ${mu.stderr}`)
  const muText = run('mutool', ['draw', '-N', '-q', '-F', 'txt', '-o', join(dir, 'mu.txt'), path])
  if (muText.stderr !== '') throw new Error(`mutool draw -F txt: ${muText.stderr}`)
  return { fonts: rows }
}

/** Text as mupdf extracts it (a second opinion next to poppler's). */
export function mutoolText(path: string): string {
  const out = join(dir, 'mu-text.txt')
  run('mutool', ['draw', '-N', '-q', '-F', 'txt', '-o', out, path])
  return readFileSync(out, 'utf8')
}

/** Page size in pt from pdfinfo. */
export function pageSize(path: string): { width: number; height: number } {
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(run('pdfinfo', [path]).stdout)
  if (!m) throw new Error('no page size')
  return { width: Number(m[1]), height: Number(m[2]) }
}

export const pageCount = (path: string) => Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [path]).stdout)?.[1])

/**
 * For each page: its -layout text with whitespace removed must carry 第 p 页 共 n 页; `check`
 * then looks at it further. Returns the page count.
 */
export function expectNumberedPages(path: string, check?: (text: string, page: number, pages: number) => void): number {
  const pages = pageCount(path)
  for (let p = 1; p <= pages; p++) {
    const text = squash(pageText(path, p))
    expect(text).toContain(`第${p}页共${pages}页`)
    check?.(text, p, pages)
  }
  return pages
}

/** Font names without the subset tag (ABCDEF+). */
export const fontNames = (fonts: FontRow[]) => fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''))

/** Every font is an embedded CID TrueType subset with a ToUnicode map. */
export function expectEmbeddedSubsets(fonts: FontRow[]): void {
  for (const f of fonts) expect(f).toMatchObject({ type: 'CID TrueType', emb: 'yes', sub: 'yes', uni: 'yes' })
}

/** The first page is A4 (210 × 297 mm). */
export function expectA4(path: string): void {
  const size = pageSize(path)
  expect(size.width).toBeCloseTo(mmToPt(210), 0)
  expect(size.height).toBeCloseTo(mmToPt(297), 0)
}

/** The clean-in-tools checks, and the regular and bold Noto Sans SC embedded as subsets. */
export function expectCleanNotoSubsets(path: string): void {
  const { fonts } = expectCleanInTools(path)
  expect(fontNames(fonts)).toEqual(['NotoSansSC-Regular', 'NotoSansSC-Bold'])
  expectEmbeddedSubsets(fonts)
}
