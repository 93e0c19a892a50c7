import { describe, expect, it } from 'vitest'
import { expectA4, expectCleanInTools, expectEmbeddedSubsets, expectInOrder, pdftotext, squash, writeTemp } from './pdf-checks.ts'
import { monitoringTitle, renderMonitoringReport, sampleMonitoringReport as data } from './monitoring-report.ts'

describe('年度收养登记工作监测分析报告', () => {
  it('reads in order: title, date, the comparison table, each chart with its numbers; clean in poppler and mupdf', async () => {
    const path = writeTemp('monitoring.pdf', await renderMonitoringReport(data))
    expectInOrder(squash(pdftotext(path)), [
      squash(monitoringTitle(data)),
      '生成日期：2026年11月28日',
      '一、主要指标（与上年对比）',
      '指标2026年2025年增减',
      '收养登记1815+3',
      '按期回访率91.7%——',
      '二、按收养人居住地（与上年对比）',
      '居住地乡镇（街道）2026年2025年增减未完成回访其中逾期',
      '龙岗街道53+241',
      '万古镇（已停用）01-100',
      '未记录居住地97+232',
      '合计1815+393',
      '回访：应于2026年完成、截至生成日期仍未完成的回访；其中逾期指已过回访期间。',
      '第1页共2页',
      '三、图表',
      '2026年各月收养登记（按类型）',
      '2026年不予登记（按理由）',
      '年龄差不足四十周岁（第1102条）1',
      '第2页共2页',
    ])
    // The chart's labels and legend (pdftotext reads a chart's columns in its own order).
    const text = squash(pdftotext(path))
    for (const label of ['1月', '12月', '一般收养', '亲属间收养', '继子女收养']) expect(text).toContain(label)
    const { fonts } = expectCleanInTools(path)
    expectEmbeddedSubsets(fonts)
    expectA4(path)
  })

  it('is deterministic and small', async () => {
    const a = await renderMonitoringReport(data)
    const b = await renderMonitoringReport(data)
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
    expect(a.byteLength).toBeLessThan(100_000)
  })

  it('without towns (none given) the charts are the second section', async () => {
    const text = squash(pdftotext(writeTemp('monitoring-no-towns.pdf', await renderMonitoringReport({ ...data, towns: undefined }))))
    expect(text).toContain('二、图表')
    expect(text).not.toContain('居住地')
  })

  it('a long list of towns runs onto the next page with its header repeated, the total kept with the row before it', async () => {
    const towns = Array.from({ length: 40 }, (_, i) => ({ label: `第${i + 1}街道`, current: '1', previous: '0', change: '+1', open: '0', overdue: '0' }))
    const path = writeTemp('monitoring-many-towns.pdf', await renderMonitoringReport({ ...data, towns: [...towns, { label: '合计', current: '40', previous: '0', change: '+40', open: '0', overdue: '0' }] }))
    const pages = pdftotext(path).split('\f').map(squash)
    expect(pages[0]).toContain('第1街道')
    const second = pages.findIndex((p) => p.includes('第40街道'))
    expect(second).toBeGreaterThan(0)
    // The header row again (pdftotext reads the running header's 2026年度 into it).
    expect(pages[second]).toMatch(/居住地乡镇（街道）.*2025年增减未完成回访其中逾期第\d+街道/)
    expect(pages[second]).toContain('第40街道10+100合计400+4000')
    expectCleanInTools(path)
  })

  it('runs onto more pages when the charts do not fit, numbering them', async () => {
    const many = { ...data, towns: undefined, charts: [...data.charts, ...data.charts, ...data.charts] }
    const text = squash(pdftotext(writeTemp('monitoring-long.pdf', await renderMonitoringReport(many))))
    expect(text).toContain('第2页共2页')
  })
})
