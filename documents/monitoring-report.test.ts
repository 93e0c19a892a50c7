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
      '二、图表',
      '2026年各月收养登记（按类型）',
      '2026年不予登记（按理由）',
      '年龄差不足四十周岁（第1102条）1',
      '第1页共1页',
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

  it('runs onto more pages when the charts do not fit, numbering them', async () => {
    const many = { ...data, charts: [...data.charts, ...data.charts, ...data.charts] }
    const text = squash(pdftotext(writeTemp('monitoring-long.pdf', await renderMonitoringReport(many))))
    expect(text).toContain('第2页共2页')
  })
})
