import { describe, expect, it } from 'vitest'
import { NO_FEE_NOTE, RECEPTION_TITLE, renderReceptionRecord, sampleReceptionRecord as data } from './reception-record.ts'
import { expectA4, expectCleanInTools, expectCleanNotoSubsets, expectInOrder, mutoolText, pageCount, pdftotext, squash, writeTemp } from './pdf-checks.ts'

describe('寻根回访接待记录', () => {
  it('reads in order: family, plan, what happened, the no-fee note, the signature', async () => {
    const path = writeTemp('reception.pdf', await renderReceptionRecord(data))
    expectInOrder(squash(pdftotext(path, true)), [
      '重庆市大足区民政局', RECEPTION_TITLE, `申请编号：${data.reference}`,
      '申请人EmilyCarter国籍美国', '居住国美国原登记字号渝大足收字2024第0012号', '被收养人LilyCarter（原名福小花）',
      '到访人员EmilyCarter、LilyCarter、DanielCarter（共3人）',
      '计划日期2026年12月10日时间09:30–12:00（北京时间）', '接待人员王登记、刘社工翻译陈译（英语）',
      '接待日期2026年12月10日', '大足区儿童福利院（婴儿室、活动室）', '到访地点', '展示内容福利院的房间', '后续愿望希望以后与福利院保持书信联系',
      '本次接待未收取任何费用，未索要或暗示捐赠', '记录人：刘晓燕', '接待人签名：', '日期：年月日',
    ])
    expect(squash(mutoolText(path))).toContain('寻根回访接待记录')
    expect(squash(pdftotext(path))).toContain(squash(NO_FEE_NOTE))
    expect(pageCount(path)).toBe(1)
    expectA4(path)
    expectCleanInTools(path)
    expectCleanNotoSubsets(path)
  })

  it('is deterministic, and refuses a record without visitors or with a fee', async () => {
    expect(Buffer.from(await renderReceptionRecord(data)).equals(Buffer.from(await renderReceptionRecord(data)))).toBe(true)
    await expect(renderReceptionRecord({ ...data, attendees: [] })).rejects.toThrow(TypeError)
    await expect(renderReceptionRecord({ ...data, noFee: false })).rejects.toThrow(TypeError)
  })
})
