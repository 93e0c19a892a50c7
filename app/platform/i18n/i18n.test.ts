import { expect, test } from 'vitest'
import { catalogAreas, catalogs, chineseNumeral, formatDate, formatDateTime, translate } from './index.ts'

test('Chinese and English catalogues have exactly the same keys', () => {
  const zh = Object.keys(catalogs.zh).sort()
  const en = Object.keys(catalogs.en).sort()
  expect(en).toEqual(zh)
  expect(zh.length).toBeGreaterThan(100)
})

test('no key is defined in two catalogue areas (the later one would silently replace the other)', () => {
  for (const locale of ['zh', 'en'] as const) {
    const seen = new Map<string, number>()
    for (const area of catalogAreas) for (const key of Object.keys(area[locale])) seen.set(key, (seen.get(key) ?? 0) + 1)
    expect([...seen].filter(([, n]) => n > 1).map(([key]) => key), locale).toEqual([])
  }
})

test('every message has the same placeholders in both languages, and none is empty', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
  for (const key of Object.keys(catalogs.zh)) {
    expect(catalogs.en[key].trim(), key).not.toBe('')
    expect(placeholders(catalogs.en[key]), key).toEqual(placeholders(catalogs.zh[key]))
  }
})

test('translate fills placeholders', () => {
  expect(translate('zh', 'validation.tooLong', { max: 60 })).toBe('内容过长（最多 60 个字符）。')
  expect(translate('en', 'validation.tooLong', { max: 60 })).toBe('Too long (at most 60 characters).')
})

test('dates: Chinese style and ISO; instants in Asia/Shanghai', () => {
  expect(formatDate('zh', '2026-11-28')).toBe('2026年11月28日')
  expect(formatDate('en', '2026-11-28')).toBe('2026-11-28')
  expect(formatDateTime('zh', new Date('2026-11-28T16:30:00Z'))).toBe('2026年11月29日 00:30')
})

test('Chinese numerals as legal citations write them', () => {
  expect([1093, 1098, 1100, 1110, 12, 10, 7, 203].map(chineseNumeral)).toEqual(['一千零九十三', '一千零九十八', '一千一百', '一千一百一十', '十二', '十', '七', '二百零三'])
})
