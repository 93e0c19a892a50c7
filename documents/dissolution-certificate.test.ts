import { describe, expect, it } from 'vitest'
import { DISSOLUTION_TITLE, dissolutionStatement, renderDissolutionCertificate } from './dissolution-certificate.ts'
import { MissingGlyphError } from './fonts.ts'
import { mmToPt } from './layout.ts'
import { expectCleanInTools, expectEmbeddedSubsets, expectInOrder, mutoolText, pageCount, pageSize, pdftotext, squash, writeTemp } from './pdf-checks.ts'
import { sampleDissolution as data } from './samples.ts'

describe('解除收养关系证明', () => {
  it('reads in order: title, number, parties, original registration, statement, signature', async () => {
    const path = writeTemp('dissolution.pdf', await renderDissolutionCertificate(data))
    const layout = squash(pdftotext(path, true))
    expectInOrder(layout, [
      DISSOLUTION_TITLE,
      '（2026）渝大足解字第0002号',
      '男方女方',
      '姓名陈建国刘芳',
      '公民身份号码500111198507021234500111198710192345',
      '姓名陈雨桐原名王小雨',
      '性别女出生日期2011年3月14日',
      '公民身份号码50011120110314002X',
      '登记证字号（2015）渝大足收字第0012号',
      '登记日期2015年5月20日解除日期2026年11月28日',
      '收养人陈建国、刘芳与被收养人陈雨桐（原名王小雨）于2015年5月20日在重庆市大足区民政局办理收养登记（收养登记证字号：（2015）渝大足收字第0012号）。',
      '现双方自愿协议解除收养关系，经审查，符合《中华人民共和国民法典》的有关规定，准予登记，收养关系自2026年11月28日起解除。',
      '特此证明。',
    ])
    for (const text of [layout, squash(pdftotext(path)), squash(mutoolText(path))]) {
      for (const part of ['登记员：张明', '（印章处）', '重庆市大足区民政局2026年11月28日']) expect(text).toContain(part)
    }
  })

  it('is one A4 page, renders cleanly, is deterministic and small', async () => {
    const bytes = await renderDissolutionCertificate(data)
    const path = writeTemp('dissolution-tools.pdf', bytes)
    const { fonts } = expectCleanInTools(path)
    expectEmbeddedSubsets(fonts)
    expect(pageCount(path)).toBe(1)
    expect(pageSize(path).height).toBeCloseTo(mmToPt(297), 0)
    expect(Buffer.from(await renderDissolutionCertificate(data)).equals(Buffer.from(bytes))).toBe(true)
    expect(bytes.byteLength).toBeLessThan(100 * 1024)
  })

  it('words the statement for a single adopter, an unchanged name, another registry, or an override', () => {
    const text = dissolutionStatement({
      ...data,
      adoptiveFather: undefined,
      child: { ...data.child, nameAfterAdoption: undefined },
      originalRegistry: '重庆市永川区民政局',
    })
    expect(text).toMatch(/^收养人刘芳与被收养人王小雨于2015年5月20日在重庆市永川区民政局办理收养登记/)
    expect(dissolutionStatement({ ...data, statement: '特别说明。' })).toBe('特别说明。')
  })

  it('refuses characters the font lacks, and a certificate without adopters', async () => {
    const err = await renderDissolutionCertificate({ ...data, child: { ...data.child, name: '𠮷小雨' } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MissingGlyphError)
    expect(err).toMatchObject({ characters: ['𠮷'], fields: ['child.name'] })
    await expect(renderDissolutionCertificate({ ...data, adoptiveFather: undefined, adoptiveMother: undefined })).rejects.toThrow(TypeError)
  })
})
