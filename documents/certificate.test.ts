import { describe, expect, it } from 'vitest'
import { APPROVAL_SENTENCE, CERTIFICATE_BLANK, renderCertificate, type CertificateData } from './certificate.ts'
import { clearSubsetCache, MissingGlyphError } from './fonts.ts'
import { mmToPt } from './layout.ts'
import { expectA4, expectCleanInTools, expectCleanNotoSubsets, expectInOrder, mutoolText, pageSize, pdftotext, squash, words, writeTemp } from './pdf-checks.ts'
import { sampleCertificate as data } from './samples.ts'

const copy = (d: CertificateData = data) => renderCertificate(d, { mode: 'copy' })
const blank = (d: CertificateData = data, offsetMm = { x: 0, y: 0 }) => renderCertificate(d, { mode: 'blank', offsetMm })

describe('收养登记证 file copy', () => {
  it('prints labels and values in reading order, marked as a copy', async () => {
    const path = writeTemp('certificate-copy.pdf', await copy())
    const layout = pdftotext(path, true)
    expectInOrder(squash(layout), [
      '副本COPY',
      '收养登记证',
      '字号：（2026）渝大足收字第0001号',
      '印制号：J500111260000123',
      '姓名王小雨收养后姓名陈雨桐',
      '性别女出生日期2021年3月14日',
      '公民身份号码50011120210314002X',
      '男方女方',
      '姓名陈建国刘芳',
      '出生日期1985年7月2日1987年10月19日',
      '公民身份号码500111198507021234500111198710192345',
      '住址重庆市大足区棠香街道二环南路168号3幢2单元5-1',
      '姓名或名称重庆市大足区儿童福利院',
      '住址重庆市大足区龙岗街道五星大道南段88号',
      APPROVAL_SENTENCE,
      '登记机关：重庆市大足区民政局',
      '登记员：张明',
      '登记日期：2026年11月28日',
    ])
    // Both sides of the page appear in plain (non-layout) extraction too, and in mupdf's.
    for (const text of [squash(pdftotext(path)), squash(mutoolText(path))]) {
      for (const part of ['副本', '陈雨桐', '500111198710192345', '（印章处）', '照片', '2026年11月28日', APPROVAL_SENTENCE]) {
        expect(text).toContain(part)
      }
    }
  })

  it('is A4 and renders cleanly in poppler and mupdf with an embedded font', async () => {
    const path = writeTemp('certificate-copy-tools.pdf', await copy())
    expectCleanNotoSubsets(path)
    expectA4(path)
  })

  it('is deterministic and small', async () => {
    const first = await copy()
    clearSubsetCache()
    const cold = await copy()
    const warm = await copy()
    expect(Buffer.from(cold).equals(Buffer.from(first))).toBe(true)
    expect(Buffer.from(warm).equals(Buffer.from(first))).toBe(true)
    expect(first.byteLength).toBeLessThan(100 * 1024)
    const text = Buffer.from(first).toString('latin1')
    expect(text).toContain('/CreationDate (D:20261128000000Z)')
    expect(text).toContain('/ModDate (D:20261128000000Z)')
    expect(text).toMatch(/\/ID \[ <[0-9a-f]{32}> <[0-9a-f]{32}> \]/)
    // Personal data stays out of the metadata.
    expect(text).not.toContain('王小雨')
  })

  it('handles a single adopter and adopters with different addresses', async () => {
    const single = writeTemp('certificate-single.pdf', await copy({ ...data, adoptiveFather: undefined }))
    const singleText = squash(pdftotext(single, true))
    expect(singleText).toContain('姓名—刘芳')
    expect(singleText).toContain('住址重庆市大足区棠香街道')
    const apart = { ...data, adoptiveMother: { ...data.adoptiveMother!, address: '重庆市大足区龙岗街道北山路9号' } }
    // Each address in its own column: plain extraction reads the columns one after the other.
    const apartText = squash(pdftotext(writeTemp('certificate-apart.pdf', await copy(apart))))
    expect(apartText).toContain(data.adoptiveFather!.address)
    expect(apartText).toContain('重庆市大足区龙岗街道北山路9号')
    await expect(renderCertificate({ ...data, adoptiveFather: undefined, adoptiveMother: undefined })).rejects.toThrow(TypeError)
    await expect(renderCertificate({ ...data, registrationDate: '2026-02-30' })).rejects.toThrow(RangeError)
  })

  it('draws no seal: only the dashed box with （印章处）', async () => {
    const bytes = await copy()
    expect(squash(pdftotext(writeTemp('certificate-seal.pdf', bytes)))).toContain('（印章处）')
    // No curves at all in the content: a seal imitation would need circles ('c' operators).
    const { inflateSync } = await import('node:zlib')
    const raw = Buffer.from(bytes).toString('latin1')
    const contentRef = /\/Contents (\d+) 0 R/.exec(raw)![1]
    const stream = new RegExp(`\\n${contentRef} 0 obj\\n<<[^>]*>>\\nstream\\n`).exec(raw)!
    const start = stream.index + stream[0].length
    const content = inflateSync(Buffer.from(raw.slice(start, raw.indexOf('\nendstream', start)), 'latin1')).toString('latin1')
    expect(content).not.toMatch(/ c\n| c /)
    expect(content).not.toMatch(/ rg\b/)
  })
})

describe('收养登记证 on the preprinted blank (套打)', () => {
  it('prints the values only, never the labels', async () => {
    const path = writeTemp('certificate-blank.pdf', await blank())
    // Plain extraction: the two pages of the spread come out one after the other.
    const text = squash(pdftotext(path))
    for (const value of [
      '（2026）渝大足收字第0001号',
      '王小雨',
      '陈雨桐',
      '女',
      '2021年3月14日',
      '50011120210314002X',
      '陈建国',
      '1985年7月2日',
      '500111198507021234',
      '刘芳',
      '500111198710192345',
      '重庆市大足区棠香街道二环南路168号3幢2单元5-1',
      '重庆市大足区儿童福利院',
      '重庆市大足区民政局',
      '2026年11月28日',
      '张明',
    ]) {
      expect(text).toContain(value)
    }
    for (const label of ['收养登记证', '姓名', '公民身份号码', '出生日期', '登记机关', '副本', '印章', '照片', '经审查', 'J500111260000123']) {
      expect(text).not.toContain(label)
    }
    const { fonts } = expectCleanInTools(path)
    expect(fonts).toHaveLength(1)
    const size = pageSize(path)
    expect(size.width).toBeCloseTo(mmToPt(CERTIFICATE_BLANK.widthMm), 0)
    expect(size.height).toBeCloseTo(mmToPt(CERTIFICATE_BLANK.heightMm), 0)
  })

  it('places each value at its layout position and moves everything by the calibration offset', async () => {
    const at = (path: string, text: string) => {
      const w = words(path).find((w) => w.text === text)
      if (!w) throw new Error(`no word ${text}`)
      return w
    }
    const base = writeTemp('certificate-blank-0.pdf', await blank())
    const moved = writeTemp('certificate-blank-offset.pdf', await blank(data, { x: 4.5, y: -2 }))
    const field = CERTIFICATE_BLANK.fields.fatherIdNumber
    const w0 = at(base, '500111198507021234')
    expect(w0.xMin).toBeCloseTo(mmToPt(field.x), 0)
    expect(w0.yMax).toBeGreaterThan(mmToPt(field.y) - 4)
    expect(w0.yMin).toBeLessThan(mmToPt(field.y))
    for (const value of ['500111198507021234', '王小雨', '张明']) {
      const [a, b] = [at(base, value), at(moved, value)]
      expect(b.xMin - a.xMin).toBeCloseTo(mmToPt(4.5), 1)
      expect(b.yMin - a.yMin).toBeCloseTo(mmToPt(-2), 1)
    }
  })

  it('refuses an implausible calibration offset', async () => {
    await expect(blank(data, { x: 45, y: 0 })).rejects.toThrow(RangeError)
    await expect(blank(data, { x: 0, y: Number.NaN })).rejects.toThrow(RangeError)
  })

  it('keeps long values inside their fields', async () => {
    const long = {
      ...data,
      placingParty: { name: '重庆市大足区龙水镇人民政府儿童福利院（大足区未成年人救助保护中心）', address: '重庆市大足区龙水镇五金大道东段一百二十八号附三号二单元十八楼一号（龙水湖旅游度假区管委会旁）' },
    }
    const path = writeTemp('certificate-blank-long.pdf', await blank(long))
    const right = mmToPt(CERTIFICATE_BLANK.fields.placingPartyName.x + CERTIFICATE_BLANK.fields.placingPartyName.width)
    const placed = words(path).filter((w) => w.xMin < mmToPt(105) && w.yMin > mmToPt(95) && w.yMin < mmToPt(135))
    expect(placed.length).toBeGreaterThan(1)
    for (const w of placed) expect(w.xMax).toBeLessThanOrEqual(right + 1)
    expect(squash(pdftotext(path))).toContain(squash(long.placingParty.name))
  })
})

describe('rare characters', () => {
  it('refuses a name the font cannot draw, naming the character and the field', async () => {
    const rare = { ...data, child: { ...data.child, nameAfterAdoption: '陈𠮷' } }
    const err = await copy(rare).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MissingGlyphError)
    expect((err as MissingGlyphError).characters).toEqual(['𠮷'])
    expect((err as MissingGlyphError).fields).toEqual(['child.nameAfterAdoption'])
    await expect(blank(rare)).rejects.toThrow(/𠮷/)
  })

  it('prints rare characters the font has', async () => {
    const path = writeTemp('certificate-rare.pdf', await copy({ ...data, child: { ...data.child, nameAfterAdoption: '陈䶮喆' } }))
    expect(squash(pdftotext(path))).toContain('陈䶮喆')
    expectCleanInTools(path)
  })
})
