import { expect, test } from 'vitest'
import { formatNumber, validPattern } from './numbering.ts'

test('formats the default pattern', () => {
  expect(formatNumber('（{year}）{prefix}收字第{seq:4}号', { year: 2026, prefix: '渝大足', seq: 7 })).toBe('（2026）渝大足收字第0007号')
  expect(formatNumber('{prefix}-{year}-{seq}', { year: 2027, prefix: 'DZ', seq: 12345 })).toBe('DZ-2027-12345')
})

test('a pattern needs the year and the sequence, so numbers cannot repeat across years', () => {
  expect(validPattern('第{seq:4}号')).toBe(false)
  expect(validPattern('（{year}）第{seq:4}号')).toBe(true)
})
