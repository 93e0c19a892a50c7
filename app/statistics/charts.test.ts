import { expect, test } from 'vitest'
import { fitLabel } from './charts.tsx'

test('a bar label longer than its room is cut with an ellipsis; a short one is kept whole', () => {
  expect(fitLabel('不符合条件', 238)).toBe('不符合条件')
  const english = 'Does not meet the conditions for adopting a child under article 1098'
  const cut = fitLabel(english, 238)
  expect(cut.endsWith('…')).toBe(true)
  expect(english.startsWith(cut.slice(0, -1))).toBe(true)
  expect((cut.length - 1) * 6).toBeLessThanOrEqual(238)
  const chinese = '收养人不具备抚养、教育和保护被收养人的能力，且患有在医学上认为不应当收养子女的疾病'
  expect(fitLabel(chinese, 238).length).toBeLessThanOrEqual(Math.floor(238 / 11) + 1)
})
