import { describe, expect, it } from 'vitest'
import { MissingGlyphError } from './fonts.ts'
import { mmToPt } from './layout.ts'
import { expectCleanInTools, expectEmbeddedSubsets, expectInOrder, mutoolText, pageCount, pageSize, pdftotext, squash, writeTemp } from './pdf-checks.ts'
import { REFUSAL_TITLE, refusalParagraphs, renderRefusalNotice, type RefusalNoticeData } from './refusal-notice.ts'
import { sampleRefusal as data } from './samples.ts'

const APPEAL =
  '如不服本决定，可以自收到本通知书之日起六十日内向重庆市大足区人民政府申请行政复议，或者自收到本通知书之日起六个月内向重庆市大足区人民法院提起行政诉讼。'
const CLOSING_AT_START = /^\s*[，。、；：！？）》」』】”]/m

const render = (d: RefusalNoticeData = data) => renderRefusalNotice(d)

describe('不予办理收养登记通知书', () => {
  it('reads in order: registry, title, number, addressees, facts, basis, decision, appeal, documents, signature', async () => {
    const path = writeTemp('refusal.pdf', await render())
    for (const text of [squash(pdftotext(path, true)), squash(pdftotext(path)), squash(mutoolText(path))]) {
      expectInOrder(text, [
        '重庆市大足区民政局',
        REFUSAL_TITLE,
        '（2026）渝大足收不字第0003号',
        '王建华、李秀英：',
        '你们于2026年10月9日向本机关申请办理收养登记。经审查，你们申请收养的赵小宝',
        '你们提交的《无子女声明》与事实不符。',
        '依据《中华人民共和国民法典》第一千零九十三条、第一千零九十四条、第一千零九十七条、第一千零九十八条和《中国公民收养子女登记办法》第八条的规定，本机关决定不予办理收养登记。',
        APPEAL,
        '现将你们提交的下列材料退还：',
        '1．居民户口簿（原件）',
        '4．县级以上医疗机构出具的健康检查证明',
      ])
      for (const part of ['登记员：张明', '（印章处）', '2026年11月2日']) expect(text).toContain(part)
    }
  })

  it('wraps long text without starting a line with closing punctuation, onto a second page if needed', async () => {
    const long = {
      ...data,
      facts: `${data.facts}。${'经进一步核实，收养评估报告（评估编号PG-2026-0117）结论为“暂不具备收养能力”，理由是家庭居住面积不足、收入来源不稳定，且融合期内有两次未按约定接送被收养人的记录。'.repeat(6)}`,
    }
    const path = writeTemp('refusal-long.pdf', await render(long))
    expect(pageCount(path)).toBe(2)
    const layout = pdftotext(path, true)
    expect(layout).not.toMatch(CLOSING_AT_START)
    expect(squash(layout)).toContain(squash(long.facts))
    expectInOrder(squash(layout), ['—1—', APPEAL, '登记员：张明', '—2—'])
    expectCleanInTools(path)
    expect(pdftotext(writeTemp('refusal-short.pdf', await render()), true)).not.toMatch(CLOSING_AT_START)
  })

  it('addresses one applicant as 你 and several as 你们; leaves out the documents paragraph when none', () => {
    const one = refusalParagraphs({ ...data, addressees: ['王建华'], returnedDocuments: [] })
    expect(one[0]).toMatch(/^你于2026年10月9日/)
    expect(one.join('')).not.toContain('退还')
    expect(refusalParagraphs(data)[0]).toMatch(/^你们于/)
    // The facts end with a full stop exactly once, whether or not the data had one.
    expect(refusalParagraphs({ ...data, facts: '收养人未满三十周岁。' })[0]).toMatch(/未满三十周岁。$/)
    expect(refusalParagraphs({ ...data, facts: '收养人未满三十周岁' })[0]).toMatch(/未满三十周岁。$/)
  })

  it('is A4, renders cleanly, is deterministic and small', async () => {
    const bytes = await render()
    const path = writeTemp('refusal-tools.pdf', bytes)
    const { fonts } = expectCleanInTools(path)
    expectEmbeddedSubsets(fonts)
    expect(pageSize(path).width).toBeCloseTo(mmToPt(210), 0)
    expect(pageCount(path)).toBe(1)
    expect(Buffer.from(await render()).equals(Buffer.from(bytes))).toBe(true)
    expect(bytes.byteLength).toBeLessThan(100 * 1024)
  })

  it('refuses characters the font lacks, naming the field', async () => {
    const err = await render({ ...data, addressees: ['王𠮷'] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MissingGlyphError)
    expect(err).toMatchObject({ characters: ['𠮷'], fields: ['addressees'] })
    await expect(render({ ...data, addressees: [] })).rejects.toThrow(TypeError)
  })
})
