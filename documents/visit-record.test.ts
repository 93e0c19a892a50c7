import { describe, expect, it } from 'vitest'
import { renderVisitRecord, sampleVisitRecord as data, VISIT_RECORD_TITLE, type VisitRecordData } from './visit-record.ts'
import { MissingGlyphError } from './fonts.ts'
import { expectA4, expectCleanInTools, expectCleanNotoSubsets, expectInOrder, expectNumberedPages, pageCount, pdftotext, run, squash, writeTemp } from './pdf-checks.ts'

const serious: VisitRecordData = {
  ...data,
  recordNumber: '回访〔2026〕第18-2号',
  concern: '严重',
  concernDetails: '孩子手臂有多处淤青，陈述被家人用衣架打过。',
  mandatoryReport: { to: '公安机关（大足区公安分局棠香派出所）', at: '2026-11-24 16:40' },
  support: ['医疗', '心理'],
  version: 2,
  correctionReason: '补记在场人员。',
  review: null,
}

describe('收养回访记录', () => {
  it('reads back in order, with embedded subset fonts, clean in every tool, on A4', async () => {
    const path = writeTemp('visit.pdf', await renderVisitRecord(data))
    const text = squash(pdftotext(path))
    expectInOrder(text, [
      '重庆市大足区民政局', VISIT_RECORD_TITLE, '编号：回访〔2026〕第17-1号',
      '登记证号渝大足收字（2026）第0017号登记日期2026年5月20日',
      '被收养人周小雨出生日期2022年4月9日', '收养人周建华、吴丽娟', '家庭住址重庆市大足区棠香街道二环南路168号3单元502',
      '回访次序第3次应访日期2026年11月20日', '回访日期2026年11月24日回访人李社工', '在场人员',
      '一、日常照料', '孩子作息规律', '二、健康状况', '三、入学与教育', '四、家庭融合与社会适应',
      '五、需要的支持', '□入学□医疗□经济■心理', '转介记录：', '六、关注程度', '□无□轻微■中等□严重', '情况说明：夜间惊醒',
      '回访人（签名）：李社工2026年11月24日', '审核人：刘科长2026年11月26日', '审核意见：同意转介意见',
    ].map(squash))
    expectCleanInTools(path)
    expectCleanNotoSubsets(path)
    expectA4(path)
    expect(pageCount(path)).toBe(1)
  })

  it('prints the mandatory report and the correction of a serious concern; awaiting review', async () => {
    const path = writeTemp('visit-serious.pdf', await renderVisitRecord(serious))
    const text = squash(pdftotext(path))
    expectInOrder(text, ['■严重', '强制报告：已于2026-11-2416:40向公安机关（大足区公安分局棠香派出所）报告。', '更正说明', '本记录为第2版，更正原因：补记在场人员。', '审核人：（待审核）'].map(squash))
    expectCleanInTools(path)
  })

  it('is deterministic', async () => {
    const a = await renderVisitRecord(data)
    const b = await renderVisitRecord(data)
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0)
  })

  it('breaks long narratives across numbered pages', async () => {
    const long = { ...data, dailyCare: '孩子作息规律，三餐由收养人照料。'.repeat(60), bonding: '与家庭成员关系亲密，社区融入良好。'.repeat(60) }
    const path = writeTemp('visit-long.pdf', await renderVisitRecord(long))
    expect(pageCount(path)).toBeGreaterThan(1)
    expectNumberedPages(path)
    expectCleanInTools(path)
  })

  it('refuses a serious concern without its mandatory report, and characters the font lacks', async () => {
    await expect(renderVisitRecord({ ...serious, mandatoryReport: null })).rejects.toThrow(/mandatory report/)
    await expect(renderVisitRecord({ ...data, child: '周小\u{2A6D6}' })).rejects.toBeInstanceOf(MissingGlyphError)
  })

  it('renders to an image (pdftoppm) for a look', async () => {
    const path = writeTemp('visit-look.pdf', await renderVisitRecord(serious))
    run('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', path, path.replace(/\.pdf$/, '')])
  })
})
