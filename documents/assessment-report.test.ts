import { describe, expect, it } from 'vitest'
import {
  ASSESSMENT_TITLE,
  BODY_BOTTOM,
  chinaDate,
  processParagraph,
  renderAssessmentReport,
  sampleAssessmentReport as data,
  totalLine,
  versionLine,
  type AssessmentReportData,
} from './assessment-report.ts'
import { clearSubsetCache, MissingGlyphError } from './fonts.ts'
import { mmToPt } from './layout.ts'
import { expectA4, expectCleanInTools, expectCleanNotoSubsets, expectInOrder, expectNumberedPages, mutoolText, pageCount, pageText, pdftotext, run, squash, words, writeTemp } from './pdf-checks.ts'

const CLOSING_AT_START = /^\s*[，。、；：！？）》」』】〕”]/m
const KINDS = ['会谈', '材料审核', '信息核查', '实地走访']

/** A long report: 40 activities (one of them longer than a page), a correction, a veto, an in-house assessor. */
const longReport: AssessmentReportData = {
  ...data,
  version: 2,
  correctionReason: '第1版将融合期结束日期误写为2026年10月13日，现予更正',
  facts: [data.facts, data.facts, data.facts].join('\n'),
  assessor: { kind: 'in_house', name: '重庆市大足区民政局儿童福利科' },
  activities: Array.from({ length: 40 }, (_, i) => ({
    on: `2026-${String(8 + Math.floor(i / 14)).padStart(2, '0')}-${String(1 + (i % 14) * 2).padStart(2, '0')}`,
    kind: KINDS[i % 4],
    place: i % 3 === 0 ? '收养人住所（棠香街道二环南路）' : '本机构评估室',
    assessors: i % 2 ? ['张敏', '李文静'] : ['张敏'],
    summary:
      i === 17
        ? Array.from({ length: 70 }, (_, k) => `记录K${String(k).padStart(3, '0')}与收养人会谈。`).join('')
        : `活动A${String(i + 1).padStart(2, '0')}：${data.activities[i % data.activities.length].summary}`,
  })),
  dimensions: data.dimensions.map((d, i) => (i === 1 ? { ...d, score: 0, vetoes: ['存在吸毒、酗酒等恶习', '弄虚作假'] } : d)),
  integration: null,
  preparation: [],
}

describe('收养评估报告', () => {
  it('reads in order: title, number, version, header table, the five parts, signatures', async () => {
    const path = writeTemp('assessment.pdf', await renderAssessmentReport(data))
    const parts = [
      ASSESSMENT_TITLE,
      '大足评估〔2026〕17号',
      '第1版',
      '收养人周建华、吴丽娟被收养人福小雨',
      '委托机关重庆市大足区民政局',
      '评估机构重庆市大足区守望社会工作服务中心',
      '统一社会信用代码52500111MJP2837615评估方式委托第三方机构评估',
      '评估工具收养能力评估量表（第3版）',
      '书面告知日期2026年8月3日同意评估日期2026年8月5日',
      '融合期2026年9月20日至2026年10月31日，共42日',
      '报告日期2026年11月20日评估人员张敏、李文静',
      '一、基本情况',
      '收养人周建华，男，1986年4月出生',
      '被收养人福小雨，女，2021年6月出生',
      '二、评估过程',
      '重庆市大足区民政局于2026年8月3日书面告知收养人开展收养评估，收养人于2026年8月5日书面同意接受评估。评估期间共开展评估活动9次，采取材料审核、会谈、信息核查、实地走访等方式',
      '（一）评估活动',
      '序号日期方式地点评估人员情况摘要',
      '12026年8月10日材料审核本机构评估室张敏、李文静审核户口簿',
      '92026年11月12日会谈本机构评估室',
      '（二）收养前心理和物质准备',
      '序号日期内容',
      '12026年9月6日收养法律知识与收养家庭的权利义务',
      '32026年9月19日入户前的物质准备与居家安全',
      '三、分项评估',
      '依据收养能力评估量表（第3版），对下列11个方面逐项评估：',
      '序号评估项目得分/满分评估意见否决事项',
      '1收养动机9/10婚后多年未育',
      '11与被收养人融合',
      '总分：89分（满分100分，合格分数线60分），达到合格分数线。',
      '四、评估结论',
      '建议办理收养登记。',
      '五、附件',
      '1．评估过程记录（会谈记录4份、实地走访记录3份）',
      '5．评估过程照片及影像资料',
      '评估人员签名：',
      '张敏签名：已在系统中签署日期：2026年11月20日',
      '李文静签名：日期：年月日',
      '（印章处）',
      '重庆市大足区守望社会工作服务中心',
      '2026年11月20日',
      '第4页共4页',
    ]
    expectInOrder(squash(pdftotext(path, true)), parts)
    expectInOrder(squash(mutoolText(path)), parts)
    // poppler's raw mode reads the tables and the signature rows by columns; the prose stays whole and in order.
    expectInOrder(squash(pdftotext(path)), [
      '一、基本情况',
      '收养人周建华，男，1986年4月出生',
      '二、评估过程',
      '评估期间共开展评估活动9次',
      '三、分项评估',
      '总分：89分（满分100分，合格分数线60分），达到合格分数线。',
      '四、评估结论',
      '建议办理收养登记。',
      '五、附件',
      '1．评估过程记录（会谈记录4份、实地走访记录3份）',
      '评估人员签名：',
      '（印章处）',
      '重庆市大足区守望社会工作服务中心',
    ])
  })

  it('numbers every page 第 n 页 共 m 页 and repeats the title and number at the top of later pages', async () => {
    const path = writeTemp('assessment-pages.pdf', await renderAssessmentReport(data))
    const pages = pageCount(path)
    expect(pages).toBe(4)
    expectNumberedPages(path, (text, p) => {
      if (p > 1) expect(text.startsWith(`${ASSESSMENT_TITLE}大足评估〔2026〕17号`)).toBe(true)
    })
  })

  it('breaks a long report across pages: header row repeated, rows split between lines, nothing in the footer', async () => {
    const bytes = await renderAssessmentReport(longReport)
    const path = writeTemp('assessment-long.pdf', bytes)
    const pages = pageCount(path)
    expect(pages).toBeGreaterThanOrEqual(6)
    expect(bytes.byteLength).toBeLessThan(200 * 1024)
    expectCleanInTools(path)

    // Every page holding activity rows starts its part of the table with the header row.
    const tablePages: number[] = []
    expectNumberedPages(path, (text, p) => {
      const firstRow = text.search(/活动A\d\d|记录K\d{3}/)
      if (firstRow < 0) return
      tablePages.push(p)
      const header = text.indexOf('序号日期方式地点评估人员情况摘要')
      expect(header, `page ${p}`).toBeGreaterThanOrEqual(0)
      expect(header).toBeLessThan(firstRow)
    })
    expect(tablePages.length).toBeGreaterThanOrEqual(4)

    // All rows in order; the row longer than a page carries on over the break with nothing lost.
    const all = squash(pdftotext(path, true))
    expectInOrder(all, [
      ...Array.from({ length: 17 }, (_, i) => `活动A${String(i + 1).padStart(2, '0')}`),
      ...Array.from({ length: 70 }, (_, k) => `K${String(k).padStart(3, '0')}`),
      ...Array.from({ length: 22 }, (_, i) => `活动A${String(i + 19).padStart(2, '0')}`),
      '（二）收养前心理和物质准备',
      '无。',
      '三、分项评估',
    ])
    const split = tablePages.filter((p) => /K0[0-6]\d/.test(squash(pageText(path, p))))
    expect(split.length).toBeGreaterThanOrEqual(2)
    // Ordinary rows are never split: each summary is whole on one page (poppler's raw mode reads the cell as one block).
    const rawPages = tablePages.map((p) => squash(pageText(path, p, false)))
    longReport.activities.forEach((a, i) => {
      if (i !== 17) expect(rawPages.some((t) => t.includes(a.summary)), a.summary).toBe(true)
    })

    // Body text stays above the bottom margin; only the page number sits below it.
    for (const w of words(path)) {
      if (w.yMin > mmToPt(BODY_BOTTOM)) expect(w.text).toMatch(/^(第|共|页|\d+)$/)
      else expect(w.yMax).toBeLessThanOrEqual(mmToPt(BODY_BOTTOM) + 0.5)
    }
    expect(pdftotext(path, true)).not.toMatch(CLOSING_AT_START)
  })

  it('shows a correction, an in-house assessment, a veto, no integration period and no preparation', async () => {
    const path = writeTemp('assessment-variant.pdf', await renderAssessmentReport(longReport))
    const text = squash(pdftotext(path, true))
    expectInOrder(text, [
      '第2版（更正）',
      '评估组织重庆市大足区民政局儿童福利科（民政部门自行组织评估）',
      '融合期未安排',
      '更正说明',
      '本报告为第2版，替代此前出具的各版本。更正原因：第1版将融合期结束日期误写为2026年10月13日，现予更正。',
      '本次评估未安排融合期。',
      '2道德品行0/10',
      '▲存在吸毒、酗酒等恶习',
      '▲弄虚作假',
      '总分：89分（满分100分，合格分数线60分），达到合格分数线；存在否决事项2项（见上表）。',
    ])
    // The bureau's own staff sign; no seal box, no credit code.
    expect(text).not.toContain('（印章处）')
    expect(text).not.toContain('统一社会信用代码')
    expect(text).toMatch(/重庆市大足区民政局儿童福利科2026年11月20日第\d+页共\d+页$/)
  })

  it('is A4, renders cleanly, is deterministic and small', async () => {
    const bytes = await renderAssessmentReport(data)
    const path = writeTemp('assessment-tools.pdf', bytes)
    expectCleanNotoSubsets(path)
    expectA4(path)
    clearSubsetCache()
    expect(Buffer.from(await renderAssessmentReport(data)).equals(Buffer.from(bytes))).toBe(true)
    expect(Buffer.from(await renderAssessmentReport(structuredClone(data))).equals(Buffer.from(bytes))).toBe(true)
    expect(bytes.byteLength).toBeLessThan(100 * 1024)
    // The title bar shows the document and its number, not the people in it.
    const info = run('pdfinfo', [path]).stdout
    expect(info).toMatch(/Title:\s+收养评估报告 大足评估〔2026〕17号/)
    expect(info).not.toContain('周建华')
  })

  it('leaves a blank line and date for an assessor who has not signed, and dates signatures in China time', async () => {
    const report = {
      ...data,
      signatures: [
        { name: '张敏', signedAt: '2026-11-19T17:30:00Z' },
        { name: '李文静', signedAt: null },
      ],
    }
    const text = squash(pdftotext(writeTemp('assessment-signatures.pdf', await renderAssessmentReport(report)), true))
    expectInOrder(text, ['张敏签名：已在系统中签署日期：2026年11月20日', '李文静签名：日期：年月日'])
    expect(chinaDate('2026-11-19T15:59:59Z')).toBe('2026-11-19')
    expect(chinaDate('2026-11-19T16:00:00Z')).toBe('2026-11-20')
    expect(chinaDate('2026-11-20T08:00:00+08:00')).toBe('2026-11-20')
    expect(() => chinaDate('2026-11-20')).toThrow(RangeError)
  })

  it('words the process paragraph, the total and the version line from the data', () => {
    expect(versionLine(1)).toBe('第1版')
    expect(versionLine(3)).toBe('第3版（更正）')
    expect(processParagraph({ ...data, activities: [], integration: null })).toBe(
      '重庆市大足区民政局于2026年8月3日书面告知收养人开展收养评估，收养人于2026年8月5日书面同意接受评估。本次评估未安排融合期。',
    )
    expect(totalLine({ ...data, total: { score: 55.5, max: 100, pass: 60 } })).toBe(
      '总分：55.5分（满分100分，合格分数线60分），未达到合格分数线。',
    )
    expect(totalLine({ ...data, total: null })).toBeNull()
    expect(totalLine({ total: null, dimensions: longReport.dimensions })).toBe('本评估工具不计总分；存在否决事项2项（见上表）。')
  })

  it('refuses characters the font lacks, naming the field, and incomplete data', async () => {
    const child = await renderAssessmentReport({ ...data, child: '𠮷小雨' }).catch((e: unknown) => e)
    expect(child).toBeInstanceOf(MissingGlyphError)
    expect(child).toMatchObject({ characters: ['𠮷'], fields: ['child'] })
    const activities = data.activities.map((a, i) => (i === 2 ? { ...a, summary: `${a.summary}𠮷` } : a))
    await expect(renderAssessmentReport({ ...data, activities })).rejects.toMatchObject({ fields: ['activities[2].summary'] })

    await expect(renderAssessmentReport({ ...data, applicants: [] })).rejects.toThrow(TypeError)
    await expect(renderAssessmentReport({ ...data, signatures: [] })).rejects.toThrow(TypeError)
    await expect(renderAssessmentReport({ ...data, version: 2 })).rejects.toThrow(TypeError)
    await expect(renderAssessmentReport({ ...data, version: 0 })).rejects.toThrow(RangeError)
    await expect(renderAssessmentReport({ ...data, reportOn: '2026-02-30' })).rejects.toThrow(RangeError)
    await expect(renderAssessmentReport({ ...data, signatures: [{ name: '张敏', signedAt: 'yesterday' }] })).rejects.toThrow(RangeError)
  })
})
