import { describe, expect, it } from 'vitest'
import { breakOpportunities, formatDateZh, isoDateToUtc, mmToPt, num, parseIsoDate, wrapLines, wrapText } from './layout.ts'

// Every character 1 unit wide, Latin letters and digits ½: enough to exercise the breaking rules.
const widthOf = (s: string) => [...s].reduce((w, ch) => w + (/[\x20-\x7e]/.test(ch) ? 0.5 : 1), 0)
const CLOSING = /^[，。、；：！？）》」』】”]/
const OPENING = /[（《「『【“]$/

describe('units and dates', () => {
  it('converts millimetres to points', () => {
    expect(mmToPt(25.4)).toBeCloseTo(72)
    expect(mmToPt(210)).toBeCloseTo(595.276, 2)
  })

  it('formats dates the way official documents write them', () => {
    expect(formatDateZh('2026-11-28')).toBe('2026年11月28日')
    expect(formatDateZh('2026-01-05')).toBe('2026年1月5日')
    expect(isoDateToUtc('2026-11-28').toISOString()).toBe('2026-11-28T00:00:00.000Z')
  })

  it('refuses dates that do not exist rather than rolling them over', () => {
    expect(() => parseIsoDate('2026-02-30')).toThrow(RangeError)
    expect(() => parseIsoDate('2026-2-3')).toThrow(RangeError)
    expect(() => formatDateZh('28/11/2026')).toThrow(RangeError)
    expect(parseIsoDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 })
  })

  it('writes numbers for content streams without exponents or negative zero', () => {
    expect(num(1 / 3)).toBe('0.333')
    expect(num(-0.0001)).toBe('0')
    expect(num(595.2755905)).toBe('595.276')
  })
})

describe('CJK line breaking', () => {
  it('breaks between any two Chinese characters', () => {
    expect(wrapLines('收养登记机关审查', 3, widthOf)).toEqual(['收养登', '记机关', '审查'])
  })

  it('keeps Latin words and digit runs together', () => {
    expect(breakOpportunities('编号PG-2026-0117结论')).toEqual(['编', '号', 'PG-2026-0117', '结', '论'])
    expect(wrapLines('身份号码500111198507021234有效', 9.5, widthOf)).toEqual(['身份号码', '500111198507021234', '有效'])
    expect(wrapLines('see the file copy', 4, widthOf)).toEqual(['see the', 'file', 'copy'])
  })

  it('never starts a line with closing punctuation nor ends one with opening punctuation', () => {
    const text =
      '经审查，符合《中华人民共和国民法典》规定的收养条件，准予登记，收养关系自登记之日起成立。' +
      '现将你们提交的下列材料退还：居民户口簿（原件）、居民身份证（复印件）；“无子女声明”！'
    for (let width = 2; width <= 30; width++) {
      const lines = wrapLines(text, width, widthOf)
      expect(lines.join('')).toBe(text)
      lines.slice(1).forEach((l) => expect(l, `width ${width}: ${lines.join(' | ')}`).not.toMatch(CLOSING))
      lines.slice(0, -1).forEach((l) => expect(l, `width ${width}: ${lines.join(' | ')}`).not.toMatch(OPENING))
    }
  })

  it('splits a word wider than the line rather than overflowing', () => {
    const lines = wrapLines('号码500111198507021234', 4, widthOf)
    expect(lines.join('')).toBe('号码500111198507021234')
    lines.forEach((l) => expect(widthOf(l)).toBeLessThanOrEqual(4))
  })

  it('indents the first line of each paragraph and marks paragraph ends', () => {
    const lines = wrapText('一二三四五六\n七八', 4, widthOf, { indent: 2 })
    expect(lines).toEqual([
      { text: '一二', first: true, last: false },
      { text: '三四五六', first: false, last: true },
      { text: '七八', first: true, last: true },
    ])
  })

  it('drops spaces at line ends and keeps an empty paragraph as a blank line', () => {
    expect(wrapLines('ab cd  ef', 2, widthOf)).toEqual(['ab', 'cd', 'ef'])
    expect(wrapLines('一\n\n二', 5, widthOf)).toEqual(['一', '', '二'])
  })
})
