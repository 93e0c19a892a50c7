import { describe, expect, test } from 'vitest'
import { excelSerialDate, normalizeIdNumber, normalizeNumber, normalizeText, parseDate, parseKind, parseSex, parseState, parseYesNo } from './normalize.ts'

describe('dates', () => {
  test.each([
    ['2001-03-05', '2001-03-05'], ['2001/3/5', '2001-03-05'], ['2001.3.5', '2001-03-05'], ['2001年3月5日', '2001-03-05'],
    ['２００１年３月５日', '2001-03-05'], ['20010305', '2001-03-05'], [' 2001.03.05 ', '2001-03-05'], ['2001-03-05 00:00:00', '2001-03-05'],
  ])('%s is %s', (text, iso) => expect(parseDate(text)).toEqual({ ok: true, value: iso }))

  test('M/D/YYYY is read month first and says so', () => {
    expect(parseDate('3/5/2001')).toEqual({ ok: true, value: '2001-03-05', format: 'mdy' })
    expect(parseDate('12/31/1999')).toEqual({ ok: true, value: '1999-12-31', format: 'mdy' })
    expect(parseDate('31/12/1999')).toEqual({ ok: false })
  })

  test('impossible and malformed dates are refused; empty is no date', () => {
    for (const bad of ['2001-02-30', '2001.13.1', '1899-12-31', 'soon', '2001年3月', '3/5/01']) expect(parseDate(bad)).toEqual({ ok: false })
    expect(parseDate('')).toEqual({ ok: true, value: null })
    expect(parseDate(null)).toEqual({ ok: true, value: null })
  })

  test('real Excel dates and serial numbers', () => {
    expect(parseDate(new Date(Date.UTC(2001, 2, 5)))).toEqual({ ok: true, value: '2001-03-05' })
    expect(excelSerialDate(36955)).toBe('2001-03-05')
    expect(parseDate(36955)).toEqual({ ok: true, value: '2001-03-05' })
    expect(excelSerialDate(61)).toBe('1900-03-01')
  })
})

test('full-width digits and letters become ASCII', () => {
  expect(normalizeIdNumber('５００１１１１９８５０３１２００１ｘ')).toBe('50011119850312001X')
  expect(normalizeIdNumber(' 500111 19850312 001x ')).toBe('50011119850312001X')
  expect(normalizeText('（２０２０）渝大收字第０００１号')).toBe('(2020)渝大收字第0001号')
  expect(normalizeNumber(' （２０２０）渝大收字第０００１号 ')).toBe('（2020）渝大收字第0001号')
})

test('kinds, states, sexes and yes/no as ledgers write them', () => {
  expect([parseKind('社会收养'), parseKind('亲属收养'), parseKind('继子女收养'), parseKind('涉外收养'), parseKind(''), parseKind('??')])
    .toEqual(['ordinary', 'relative', 'stepchild', 'intercountry', null, undefined])
  expect([parseState('有效'), parseState('已解除'), parseState('撤销'), parseState(''), parseState('x')]).toEqual(['registered', 'dissolved', 'revoked', null, undefined])
  expect([parseSex('男'), parseSex('女'), parseSex(''), parseSex('?')]).toEqual(['male', 'female', null, undefined])
  expect([parseYesNo('是'), parseYesNo('否'), parseYesNo(''), parseYesNo('√'), parseYesNo('maybe')]).toEqual([true, false, false, true, undefined])
})
