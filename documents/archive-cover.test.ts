import { describe, expect, it } from 'vitest'
import {
  ARCHIVE_COVER_TITLE,
  archiveDate,
  DOCUMENT_LIST_TITLE,
  LIST_BOTTOM,
  pageRange,
  renderArchiveFile,
  sampleArchiveFile as data,
  totalPages,
  type ArchiveFileData,
} from './archive-cover.ts'
import { clearSubsetCache, MissingGlyphError } from './fonts.ts'
import { mmToPt } from './layout.ts'
import { expectA4, expectCleanInTools, expectCleanNotoSubsets, expectInOrder, mutoolText, pageCount, pageText, pdftotext, run, squash, words, writeTemp } from './pdf-checks.ts'

const HEADER = '序号文件名称责任者日期页号备注'
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** 60 documents, each with a title of its own (F01…F60), two pages each; one with a long note. */
const longFile: ArchiveFileData = {
  ...data,
  secrecy: false,
  documents: Array.from({ length: 60 }, (_, i) => ({
    ...data.documents[i % 13],
    seq: i + 1,
    title: `文件F${pad(i + 1)}${data.documents[i % 13].title}`,
    pages: { from: 2 * i + 1, to: 2 * i + 2 },
    note: i === 33 ? '原件已退还当事人，本卷存复印件；复印件经登记员核对与原件一致并签名，核对记录见第14件。' : data.documents[i % 13].note,
  })),
}

describe('收养登记档案 案卷封面 and 卷内目录', () => {
  it('reads in order: secrecy mark, archive number, the cover fields, then the document list', async () => {
    const path = writeTemp('archive.pdf', await renderArchiveFile(data))
    const cover = [
      '收养秘密',
      '档号0111-SY·2026-0017',
      ARCHIVE_COVER_TITLE,
      '案卷封面',
      '全宗名称重庆市大足区民政局',
      '案卷题名周建华、吴丽娟收养福小雨登记档案',
      '登记类别收养登记',
      '年度2026',
      '起止日期2026年7月21日至2026年11月28日',
      '卷内文件共14件，32页',
      '保管期限永久',
      '保密标识收养秘密（未经批准不得查阅）',
      '立卷人：刘晓燕',
      '立卷日期：2026年12月8日',
    ]
    const list = [
      DOCUMENT_LIST_TITLE,
      '案卷题名：周建华、吴丽娟收养福小雨登记档案',
      '档号：0111-SY·2026-0017',
      HEADER,
      '1收养登记申请书周建华、吴丽娟202607211–2',
      '2收养登记询问笔录重庆市大足区民政局202607213–6',
      '3收养登记审批表重庆市大足区民政局202611267',
      '4收养人居民户口簿、居民身份证周建华、吴丽娟202607218–11复印件',
      '8收养人健康检查证明重庆市大足区人民医院2026071015–18',
      '12收养登记证（副本）重庆市大足区民政局2026112830',
      '14收养秘密保守申请周建华、吴丽娟20261128—原件待补',
      '本卷共14件，32页。',
      '第1页共1页',
    ]
    expectInOrder(squash(pdftotext(path, true)), [...cover, ...list])
    expectInOrder(squash(mutoolText(path)), [...cover, ...list])
    expect(pageCount(path)).toBe(2)
    // The cover carries no page number; the list is numbered on its own.
    expect(squash(pageText(path, 1))).not.toMatch(/第\d+页/)
  })

  it('breaks a 60-document list across pages with the header row repeated and every page numbered', async () => {
    const bytes = await renderArchiveFile(longFile)
    const path = writeTemp('archive-long.pdf', bytes)
    const pages = pageCount(path)
    expect(pages).toBeGreaterThanOrEqual(4)
    expect(bytes.byteLength).toBeLessThan(100 * 1024)
    expectCleanInTools(path)

    const listPages = pages - 1
    for (let p = 2; p <= pages; p++) {
      const text = squash(pageText(path, p))
      expect(text, `page ${p}`).toContain(`第${p - 1}页共${listPages}页`)
      const header = text.indexOf(HEADER)
      const firstRow = text.search(/文件F\d\d/)
      expect(header, `page ${p}`).toBeGreaterThanOrEqual(0)
      expect(firstRow).toBeGreaterThan(header)
      if (p > 2) expect(text.startsWith('卷内目录（续）档号：0111-SY·2026-0017')).toBe(true)
    }
    // Every row, in order, each whole on one page (raw mode reads a cell as one block).
    expectInOrder(
      squash(pdftotext(path, true)),
      longFile.documents.map((d) => `文件F${pad(d.seq)}`),
    )
    const raw = Array.from({ length: listPages }, (_, i) => squash(pageText(path, i + 2, false)))
    for (const d of longFile.documents) {
      expect(raw.some((t) => t.includes(d.title) && t.includes(d.note ?? '')), d.title).toBe(true)
    }
    expect(squash(pageText(path, pages))).toContain('本卷共60件，120页。')
    expect(squash(pdftotext(path, true))).toContain('119–120')

    // Nothing but the page number below the bottom margin.
    for (const w of words(path)) {
      if (w.yMin > mmToPt(LIST_BOTTOM)) expect(w.text).toMatch(/^(第|共|页|\d+)$/)
      else expect(w.yMax).toBeLessThanOrEqual(mmToPt(LIST_BOTTOM) + 0.5)
    }
  })

  it('splits only a row taller than a page, losing nothing', async () => {
    const huge = Array.from({ length: 180 }, (_, k) => `段K${pad(k, 3)}`).join('、')
    const file = { ...data, documents: [data.documents[0], { ...data.documents[1], title: huge }, data.documents[2]] }
    const path = writeTemp('archive-huge-row.pdf', await renderArchiveFile(file))
    expect(pageCount(path)).toBeGreaterThanOrEqual(3)
    expectInOrder(squash(pdftotext(path, true)), [
      '收养登记申请书',
      ...Array.from({ length: 180 }, (_, k) => `K${pad(k, 3)}`),
      '收养登记审批表',
    ])
    expectCleanInTools(path)
  })

  it('has no secrecy mark for an ordinary file, and an empty list says so', async () => {
    const plain = { ...data, secrecy: false, documents: data.documents.slice(0, 3) }
    const text = squash(pdftotext(writeTemp('archive-plain.pdf', await renderArchiveFile(plain)), true))
    expect(text).not.toContain('收养秘密')
    expect(text).toContain('保密标识无')
    expect(text).toContain('卷内文件共3件，7页')
    const empty = squash(pdftotext(writeTemp('archive-empty.pdf', await renderArchiveFile({ ...plain, documents: [] })), true))
    expectInOrder(empty, ['卷内文件共0件，0页', DOCUMENT_LIST_TITLE, '本卷暂无文件。'])
  })

  it('prints any registration type and retention it is given', async () => {
    const revoked = { ...data, kind: '撤销收养登记', retention: '30年', secrecy: false, title: '周建华、吴丽娟收养福小雨撤销登记档案' }
    const text = squash(pdftotext(writeTemp('archive-revoked.pdf', await renderArchiveFile(revoked)), true))
    expectInOrder(text, ['案卷题名周建华、吴丽娟收养福小雨撤销登记档案', '登记类别撤销收养登记', '保管期限30年'])
  })

  it('is A4, renders cleanly, is deterministic and small', async () => {
    const bytes = await renderArchiveFile(data)
    const path = writeTemp('archive-tools.pdf', bytes)
    expectCleanNotoSubsets(path)
    expectA4(path)
    clearSubsetCache()
    expect(Buffer.from(await renderArchiveFile(data)).equals(Buffer.from(bytes))).toBe(true)
    expect(Buffer.from(await renderArchiveFile(structuredClone(data))).equals(Buffer.from(bytes))).toBe(true)
    expect(bytes.byteLength).toBeLessThan(100 * 1024)
    const info = run('pdfinfo', [path]).stdout
    expect(info).toMatch(/Title:\s+收养登记档案 0111-SY·2026-0017/)
    expect(info).not.toContain('周建华')
  })

  it('formats page ranges, dates and totals', () => {
    expect(pageRange({ from: 3, to: 5 })).toBe('3–5')
    expect(pageRange({ from: 7, to: 7 })).toBe('7')
    expect(pageRange(null)).toBe('—')
    expect(archiveDate('2026-07-01')).toBe('20260701')
    expect(totalPages(data.documents)).toBe(32)
    expect(totalPages([])).toBe(0)
  })

  it('lists the documents by their number, whatever order they come in', async () => {
    const shuffled = { ...data, documents: [...data.documents].reverse() }
    const text = squash(pdftotext(writeTemp('archive-order.pdf', await renderArchiveFile(shuffled)), true))
    expectInOrder(text, ['1收养登记申请书', '2收养登记询问笔录', '13收养协议', '14收养秘密保守申请'])
  })

  it('refuses characters the font lacks, naming the field, and inconsistent data', async () => {
    const err = await renderArchiveFile({ ...data, title: '周𠮷华收养福小雨登记档案' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MissingGlyphError)
    expect(err).toMatchObject({ characters: ['𠮷'], fields: ['title'] })
    const documents = data.documents.map((d, i) => (i === 4 ? { ...d, author: '𠮷' } : d))
    await expect(renderArchiveFile({ ...data, documents })).rejects.toMatchObject({ fields: ['documents[4].author'] })

    await expect(renderArchiveFile({ ...data, dateFrom: '2026-12-01' })).rejects.toThrow(RangeError)
    await expect(renderArchiveFile({ ...data, filedOn: '2026-02-30' })).rejects.toThrow(RangeError)
    await expect(renderArchiveFile({ ...data, year: 26.5 })).rejects.toThrow(RangeError)
    const backwards = data.documents.map((d, i) => (i === 0 ? { ...d, pages: { from: 5, to: 3 } } : d))
    await expect(renderArchiveFile({ ...data, documents: backwards })).rejects.toThrow(RangeError)
  })
})
