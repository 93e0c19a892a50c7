import { describe, expect, it } from 'vitest'
import { clearSubsetCache, MissingGlyphError } from './fonts.ts'
import { mmToPt } from './layout.ts'
import { expectA4, expectCleanInTools, expectEmbeddedSubsets, expectInOrder, expectNumberedPages, mutoolText, pageCount, pageText, pdftotext, run, squash, words, writeTemp } from './pdf-checks.ts'
import {
  renderTransferList,
  sampleTransferList as data,
  TRANSFER_BOTTOM,
  TRANSFER_TITLE,
  transferSentence,
  transferTotals,
  type TransferListData,
} from './transfer-list.ts'

const HEADER = '序号档号案卷题名年度保管期限件数页数备注'
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** A batch of 60 files: every title its own (T01…T60). */
const longBatch: TransferListData = {
  ...data,
  files: Array.from({ length: 60 }, (_, i) => ({
    archiveNumber: `0111-SY·2026-${pad(i + 1, 4)}`,
    title: `T${pad(i + 1)}${data.files[i % data.files.length].title}`,
    year: 2026,
    retention: '永久',
    documents: 10 + (i % 5),
    pages: 20 + i,
    note: i % 7 === 3 ? '收养秘密' : undefined,
  })),
}

describe('收养登记档案移交清单', () => {
  it('reads in order: title, units, batch, the sentence, the table with totals, the notes, both signatures', async () => {
    const path = writeTemp('transfer.pdf', await renderTransferList(data))
    const parts = [
      TRANSFER_TITLE,
      '移交单位重庆市大足区民政局接收单位重庆市大足区档案馆',
      '批次号大足民档移〔2036〕1号移交日期2036年3月18日',
      '重庆市大足区民政局向重庆市大足区档案馆移交收养登记档案8卷，共103件、324页，清单如下：',
      HEADER,
      '40111-SY·2026-0004张卫东收养张小涵登记档案2026永久1239',
      '合计8卷103324',
      '说明：收养秘密案卷0111-SY·2026-0031经局长批准暂缓移交，未列入本清单。',
      '本清单一式两份，移交单位、接收单位各执一份。',
      '移交单位：重庆市大足区民政局接收单位：重庆市大足区档案馆',
      '（印章处）（印章处）',
      '移交人：刘晓燕接收人：',
      '签名：签名：',
      '日期：年月日日期：年月日',
      '第1页共1页',
    ]
    expectInOrder(squash(pdftotext(path, true)), parts)
    expectInOrder(squash(mutoolText(path)), [TRANSFER_TITLE, HEADER, '合计', '说明：', '（印章处）', '第1页共1页'])
    expect(pageCount(path)).toBe(1)
  })

  it('breaks 60 files across pages: header repeated, totals kept with the last row and the signatures', async () => {
    const bytes = await renderTransferList(longBatch)
    const path = writeTemp('transfer-long.pdf', bytes)
    const pages = pageCount(path)
    expect(pages).toBeGreaterThanOrEqual(3)
    expect(bytes.byteLength).toBeLessThan(100 * 1024)
    expectCleanInTools(path)
    expectNumberedPages(path, (text, p) => {
      expect(text.indexOf(HEADER), `page ${p}`).toBeGreaterThanOrEqual(0)
      expect(text.search(/T\d\d/)).toBeGreaterThan(text.indexOf(HEADER))
      if (p > 1) expect(text.startsWith(`${TRANSFER_TITLE}大足民档移〔2036〕1号`)).toBe(true)
    })
    const all = squash(pdftotext(path, true))
    expectInOrder(all, [...longBatch.files.map((f) => f.title.slice(0, 3)), '合计60卷'])
    const t = transferTotals(longBatch.files)
    expect(all).toContain(`合计60卷${t.documents}${t.pages}`)
    // The last page holds the last file, the totals and both seal boxes.
    expectInOrder(squash(pageText(path, pages)), ['T60', '合计', '本清单一式两份', '（印章处）', '（印章处）', '接收人：'])
    for (const w of words(path)) {
      if (w.yMin > mmToPt(TRANSFER_BOTTOM)) expect(w.text).toMatch(/^(第|共|页|\d+)$/)
      else expect(w.yMax).toBeLessThanOrEqual(mmToPt(TRANSFER_BOTTOM) + 0.5)
    }
  })

  it('adds up the batch and words the sentence from the data', () => {
    expect(transferTotals(data.files)).toEqual({ files: 8, documents: 103, pages: 324 })
    expect(transferSentence({ ...data, files: data.files.slice(0, 1) })).toBe(
      '重庆市大足区民政局向重庆市大足区档案馆移交收养登记档案1卷，共12件、30页，清单如下：',
    )
  })

  it('leaves blanks for the people when not named, and no 说明 when there is none', async () => {
    const bare = { ...data, handedOverBy: undefined, remarks: undefined }
    const text = squash(pdftotext(writeTemp('transfer-bare.pdf', await renderTransferList(bare)), true))
    expect(text).toContain('移交人：接收人：')
    expect(text).not.toContain('说明：')
    expect(text).not.toContain('刘晓燕')
  })

  it('is A4, renders cleanly, is deterministic and small, and never draws a seal', async () => {
    const bytes = await renderTransferList(data)
    const path = writeTemp('transfer-tools.pdf', bytes)
    expectEmbeddedSubsets(expectCleanInTools(path).fonts)
    expectA4(path)
    clearSubsetCache()
    expect(Buffer.from(await renderTransferList(structuredClone(data))).equals(Buffer.from(bytes))).toBe(true)
    expect(bytes.byteLength).toBeLessThan(100 * 1024)
    expect(run('pdfinfo', [path]).stdout).toMatch(/Title:\s+收养登记档案移交清单 大足民档移〔2036〕1号/)
    // Only text, rules and boxes: no images, no seal-like artwork.
    expect(run('pdfimages', ['-list', path]).stdout.trim().split('\n')).toHaveLength(2)
  })

  it('refuses characters the font lacks, naming the field, and a batch without files', async () => {
    const files = data.files.map((f, i) => (i === 3 ? { ...f, title: '张𠮷收养张小涵登记档案' } : f))
    const err = await renderTransferList({ ...data, files }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MissingGlyphError)
    expect(err).toMatchObject({ characters: ['𠮷'], fields: ['files[3].title'] })
    await expect(renderTransferList({ ...data, receivedBy: '𠮷' })).rejects.toMatchObject({ fields: ['receivedBy'] })
    await expect(renderTransferList({ ...data, files: [] })).rejects.toThrow(TypeError)
    await expect(renderTransferList({ ...data, date: '2036-13-01' })).rejects.toThrow(RangeError)
    const bad = data.files.map((f, i) => (i === 0 ? { ...f, pages: -1 } : f))
    await expect(renderTransferList({ ...data, files: bad })).rejects.toThrow(RangeError)
  })
})
