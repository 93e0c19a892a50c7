import { describe, expect, it } from 'vitest'
import {
  ACCESS_BOTTOM,
  ACCESS_NOTE,
  ACCESS_SLIP_TITLE,
  checkboxes,
  renderAccessSlip,
  sampleAccessSlip as data,
  secrecyNote,
  type AccessSlipData,
} from './access-slip.ts'
import { clearSubsetCache, MissingGlyphError } from './fonts.ts'
import { mmToPt } from './layout.ts'
import { expectA4, expectCleanInTools, expectCleanNotoSubsets, expectInOrder, expectNumberedPages, mutoolText, pageCount, pageText, pdftotext, run, squash, words, writeTemp } from './pdf-checks.ts'

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** A party to the case asking in person; the supervisor has not decided yet. */
const partyRequest: AccessSlipData = {
  ...data,
  requester: { name: '周建华', kind: '当事人', idChecked: '居民身份证（500111********1234）' },
  purpose: '办理被收养人福小雨出国留学手续，需出具收养关系证明材料。',
  method: '复制',
  files: [data.files[0]],
  approval: null,
}

describe('收养登记档案利用审批单', () => {
  it('reads in order: requester, purpose, secrecy note, files, approval, staff member, signatures', async () => {
    const path = writeTemp('access.pdf', await renderAccessSlip(data))
    const parts = [
      '重庆市大足区民政局',
      ACCESS_SLIP_TITLE,
      '编号：档利〔2026〕12号',
      '姓名王立新申请日期2026年11月27日',
      '类别□当事人□法院■公安□其他',
      '工作单位重庆市公安局大足区分局刑事侦查支队',
      '证件核验已核验人民警察证（警号0457**）',
      '公函/介绍信大足公（刑）调字〔2026〕0457号',
      '利用目的办理一起拐卖儿童案件，需核实被收养人福小雨的来源及送养经过。',
      '利用方式查阅、复制案卷数量2卷（见下表）',
      '0111-SY·2026-0017为收养秘密案卷，须经科室负责人逐次批准；生父母',
      '保密提示',
      '调阅案卷（共2卷）',
      '序号档号案卷题名保密',
      '10111-SY·2026-0017周建华、吴丽娟收养福小雨登记档案收养秘密',
      '20111-SY·2022-0009重庆市大足区儿童福利院接收福小雨登记档案—',
      '审批意见■同意□不同意',
      '公函手续齐全。同意查阅、复制与案件有关的材料',
      '审批人陈志明审批日期2026年11月28日',
      '有效期至2026年12月4日经办人刘晓燕',
      '申请人签名：审批人签名：经办人签名：',
      '日期：年月日日期：年月日日期：年月日',
      squash(ACCESS_NOTE),
    ]
    expectInOrder(squash(pdftotext(path, true)), parts)
    expectInOrder(squash(mutoolText(path)), [ACCESS_SLIP_TITLE, '王立新', '大足公（刑）调字〔2026〕0457号', '收养秘密', '陈志明', '刘晓燕'])
    // One page: no page numbers.
    expect(pageCount(path)).toBe(1)
    expect(squash(pdftotext(path, true))).not.toMatch(/第\d+页/)
  })

  it('leaves the decision, reason, approver and dates blank for the pen when not yet decided', async () => {
    const text = squash(pdftotext(writeTemp('access-pending.pdf', await renderAccessSlip(partyRequest)), true))
    expectInOrder(text, [
      '类别■当事人□法院□公安□其他',
      '工作单位—',
      '证件核验已核验居民身份证（500111********1234）',
      '审批意见□同意□不同意',
      '理由',
      '审批人审批日期有效期至经办人刘晓燕',
    ])
    expect(text).not.toContain('公函/介绍信')
  })

  it('records a refusal with its reason and no validity', async () => {
    const refused: AccessSlipData = {
      ...data,
      requester: { name: '李某', kind: '其他', unit: '某婚恋咨询服务公司' },
      purpose: '了解客户的家庭情况。',
      approval: { approver: '陈志明', decision: '不同意', reason: '申请人与案件无利害关系，且所涉案卷为收养秘密案卷。', date: '2026-11-28', validUntil: null },
    }
    const text = squash(pdftotext(writeTemp('access-refused.pdf', await renderAccessSlip(refused)), true))
    expectInOrder(text, ['□当事人□法院□公安■其他', '审批意见□同意■不同意', '申请人与案件无利害关系', '有效期至—经办人刘晓燕'])
  })

  it('words the secrecy note from the files, unless given', () => {
    expect(secrecyNote({ ...data, files: [data.files[1]] })).toBe('所列案卷不涉及收养秘密。')
    expect(secrecyNote(data)).toMatch(/^0111-SY·2026-0017为收养秘密案卷，须经科室负责人逐次批准；生父母等送养方身份信息保持遮蔽/)
    expect(secrecyNote({ ...data, secrecyNote: '经批准可查阅生父母信息。' })).toBe('经批准可查阅生父母信息。')
    expect(checkboxes(['同意', '不同意'] as const, null)).toBe('□同意　□不同意')
  })

  it('lists many files over several pages, keeping the approval and signatures with the last rows', async () => {
    const many: AccessSlipData = {
      ...data,
      files: Array.from({ length: 60 }, (_, i) => ({
        archiveNumber: `0111-SY·2026-${pad(i + 1, 4)}`,
        title: `R${pad(i + 1)}${data.files[i % 2].title}`,
        secrecy: i % 5 === 0,
      })),
    }
    const bytes = await renderAccessSlip(many)
    const path = writeTemp('access-many.pdf', bytes)
    const pages = pageCount(path)
    expect(pages).toBeGreaterThanOrEqual(3)
    expect(bytes.byteLength).toBeLessThan(100 * 1024)
    expectCleanInTools(path)
    expectNumberedPages(path, (text, p) => expect(text.indexOf('序号档号案卷题名保密'), `page ${p}`).toBeGreaterThanOrEqual(0))
    expectInOrder(squash(pdftotext(path, true)), [...many.files.map((f) => f.title.slice(0, 3)), '审批意见', '经办人签名：'])
    expectInOrder(squash(pageText(path, pages)), ['R60', '审批意见■同意', '审批人陈志明', '申请人签名：'])
    for (const w of words(path)) {
      if (w.yMin > mmToPt(ACCESS_BOTTOM)) expect(w.text).toMatch(/^(第|共|页|\d+)$/)
      else expect(w.yMax).toBeLessThanOrEqual(mmToPt(ACCESS_BOTTOM) + 0.5)
    }
  })

  it('is A4, renders cleanly, is deterministic and small', async () => {
    const bytes = await renderAccessSlip(data)
    const path = writeTemp('access-tools.pdf', bytes)
    expectCleanNotoSubsets(path)
    expectA4(path)
    clearSubsetCache()
    expect(Buffer.from(await renderAccessSlip(structuredClone(data))).equals(Buffer.from(bytes))).toBe(true)
    expect(bytes.byteLength).toBeLessThan(100 * 1024)
    const info = run('pdfinfo', [path]).stdout
    expect(info).toMatch(/Title:\s+收养登记档案利用审批单 档利〔2026〕12号/)
    expect(info).not.toContain('王立新')
  })

  it('refuses missing glyphs, a missing ID or letter, an unmasked ID and an open-ended approval', async () => {
    const err = await renderAccessSlip({ ...data, requester: { ...data.requester, name: '王𠮷' } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MissingGlyphError)
    expect(err).toMatchObject({ characters: ['𠮷'], fields: ['requester.name'] })
    await expect(renderAccessSlip({ ...data, purpose: '核实𠮷某身份' })).rejects.toMatchObject({ fields: ['purpose'] })

    await expect(renderAccessSlip({ ...partyRequest, requester: { name: '周建华', kind: '当事人' } })).rejects.toThrow(/idChecked/)
    await expect(renderAccessSlip({ ...data, requester: { name: '王立新', kind: '法院' } })).rejects.toThrow(/letterReference/)
    await expect(
      renderAccessSlip({ ...partyRequest, requester: { name: '周建华', kind: '当事人', idChecked: '居民身份证 50011119860412123X' } }),
    ).rejects.toThrow(/masked/)
    await expect(renderAccessSlip({ ...data, approval: { ...data.approval!, validUntil: null } })).rejects.toThrow(TypeError)
    await expect(renderAccessSlip({ ...data, approval: { ...data.approval!, validUntil: '2026-11-01' } })).rejects.toThrow(RangeError)
    await expect(renderAccessSlip({ ...data, files: [] })).rejects.toThrow(TypeError)
  })
})
