import { describe, expect, test } from 'vitest'
import { checkCharFor, citizenIdReasons, maskCitizenId, normalizeCitizenId, parseCitizenId } from './citizen-id.ts'
import { catalogs } from './i18n/index.ts'

// ISO 7064 MOD 11-2 written from the standard's definition rather than GB 11643's lookup table:
// weight_i = 2^(i-1) mod 11 counting positions from the right (the check char is position 1), and
// the check value is the c with (sum + c) ≡ 1 (mod 11), written X when it is 10.
function referenceCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11)
  const c = (12 - (sum % 11)) % 11
  return c === 10 ? 'X' : String(c)
}

function withCheck(first17: string): string {
  return first17 + referenceCheckChar(first17)
}

const today = '2026-06-01'

describe('checkCharFor', () => {
  test('matches the published example 11010519491231002X', () => {
    expect(checkCharFor('11010519491231002')).toBe('X')
  })

  test('agrees with the reference definition on many numbers', () => {
    for (let n = 0; n < 500; n++) {
      const first17 = `5001111985061${String(n * 7919).padStart(4, '0').slice(-4)}`
      expect(checkCharFor(first17)).toBe(referenceCheckChar(first17))
    }
  })

  test('refuses anything but 17 digits', () => {
    expect(() => checkCharFor('1101051949123100')).toThrow(RangeError)
    expect(() => checkCharFor('1101051949123100X')).toThrow(RangeError)
  })
})

describe('parseCitizenId: valid numbers', () => {
  test('the published example is a woman born 1949-12-31', () => {
    expect(parseCitizenId('11010519491231002X', { today })).toEqual({ ok: true, birthDate: '1949-12-31', sex: 'female' })
  })

  test('an odd 17th digit is a man', () => {
    const id = withCheck('50011119850615123')
    expect(parseCitizenId(id, { today })).toEqual({ ok: true, birthDate: '1985-06-15', sex: 'male' })
  })

  test('an even 17th digit is a woman', () => {
    const id = withCheck('50011119850615124')
    expect(parseCitizenId(id, { today })).toEqual({ ok: true, birthDate: '1985-06-15', sex: 'female' })
  })

  test('a 0 in the 17th place is even, so a woman', () => {
    const id = withCheck('50011119850615120')
    expect(parseCitizenId(id, { today })).toMatchObject({ ok: true, sex: 'female' })
  })

  test('a lowercase x and surrounding spaces are accepted', () => {
    expect(parseCitizenId('  11010519491231002x\t', { today })).toEqual({ ok: true, birthDate: '1949-12-31', sex: 'female' })
  })

  test('29 February 2000 is a real date (divisible by 400)', () => {
    expect(parseCitizenId(withCheck('50011120000229002'), { today })).toMatchObject({ ok: true, birthDate: '2000-02-29' })
  })

  test('born today is not in the future', () => {
    expect(parseCitizenId(withCheck('50011120260601001'), { today })).toMatchObject({ ok: true, birthDate: '2026-06-01' })
  })

  test('born on 1900-01-01 is the earliest accepted date', () => {
    expect(parseCitizenId(withCheck('11010519000101001'), { today })).toMatchObject({ ok: true, birthDate: '1900-01-01' })
  })

  test.each(['11', '15', '21', '37', '46', '50', '54', '65', '71', '81', '82', '83', '91'])('province prefix %s is accepted', (prefix) => {
    expect(parseCitizenId(withCheck(`${prefix}010119850615123`), { today }).ok).toBe(true)
  })

  test('without `today` the date is judged against the current date', () => {
    expect(parseCitizenId('11010519491231002X').ok).toBe(true)
    expect(parseCitizenId(withCheck('50011130000101001'))).toEqual({ ok: false, reason: 'birthDate' })
  })
})

describe('parseCitizenId: failures', () => {
  test.each([
    ['', 'empty'],
    ['11010519491231002', '17 characters'],
    ['11010519491231002X0', '19 characters'],
    ['110105491231002', 'a first-generation 15-digit number'],
  ])('length: %s (%s)', (value) => {
    expect(parseCitizenId(value, { today })).toEqual({ ok: false, reason: 'length' })
  })

  test.each([
    ['1101051949123100X2', 'X before the last place'],
    ['11010519491231002Y', 'a letter other than X'],
    ['110105 9491231002X', 'a space inside'],
    ['１１0105194912310０2X', 'full-width digits'],
  ])('characters: %s (%s)', (value) => {
    expect(parseCitizenId(value, { today })).toEqual({ ok: false, reason: 'characters' })
  })

  test.each(['00', '10', '16', '20', '24', '30', '38', '40', '47', '49', '55', '60', '66', '70', '72', '80', '84', '90', '92', '99'])(
    'area: prefix %s is not a province',
    (prefix) => {
      expect(parseCitizenId(withCheck(`${prefix}010519850615123`), { today })).toEqual({ ok: false, reason: 'area' })
    },
  )

  test.each([
    ['19000229', '29 February 1900 (not a leap year: divisible by 100, not by 400)'],
    ['19850230', '30 February'],
    ['19851301', 'month 13'],
    ['19850001', 'month 00'],
    ['19850100', 'day 00'],
    ['19850431', '31 April'],
    ['18991231', 'before 1900'],
    ['20260602', 'the day after today'],
  ])('birthDate: %s (%s)', (yyyymmdd) => {
    expect(parseCitizenId(withCheck(`500111${yyyymmdd}123`), { today })).toEqual({ ok: false, reason: 'birthDate' })
  })

  test('birthDate: a number with a correct check character but born in 1880', () => {
    expect(referenceCheckChar('44052418800101001')).toBe('4')
    expect(parseCitizenId('440524188001010014', { today })).toEqual({ ok: false, reason: 'birthDate' })
  })

  test('checksum: every wrong check character is refused', () => {
    const first17 = '11010519491231002'
    for (const wrong of '0123456789'.split('')) {
      expect(parseCitizenId(first17 + wrong, { today })).toEqual({ ok: false, reason: 'checksum' })
    }
  })

  test('checksum: one mistyped digit is caught', () => {
    expect(parseCitizenId('11010519491231003X', { today })).toEqual({ ok: false, reason: 'checksum' })
  })

  test('checksum: two swapped neighbouring digits are caught', () => {
    const id = withCheck('50011119850615123')
    const swapped = id.slice(0, 14) + id[15] + id[14] + id.slice(16)
    expect(parseCitizenId(swapped, { today })).toEqual({ ok: false, reason: 'checksum' })
  })

  test('a malformed `today` is a programming error', () => {
    expect(() => parseCitizenId('11010519491231002X', { today: '2026-02-30' })).toThrow(RangeError)
  })

  test('every reason has a message in both languages', () => {
    for (const reason of citizenIdReasons) {
      expect(catalogs.zh[`citizenId.${reason}`]).toMatch(/公民身份号码/)
      expect(catalogs.en[`citizenId.${reason}`]).toMatch(/citizen ID/)
    }
  })
})

describe('normalizeCitizenId', () => {
  test('trims and upper-cases', () => {
    expect(normalizeCitizenId(' 11010519491231002x \n')).toBe('11010519491231002X')
  })
})

describe('maskCitizenId', () => {
  test('keeps the first six and last four characters, with eight stars between', () => {
    expect(maskCitizenId('11010519491231002X')).toBe('110105********002X')
  })

  test('normalises first, so a lowercase x is shown as X', () => {
    expect(maskCitizenId(' 11010519491231002x ')).toBe('110105********002X')
  })

  test('never shows the birth date', () => {
    expect(maskCitizenId('11010519491231002X')).not.toContain('1949')
  })

  test('a short malformed value is hidden entirely', () => {
    expect(maskCitizenId('1234567890')).toBe('**********')
    expect(maskCitizenId('')).toBe('')
  })

  test('a 15-digit number keeps six and four, hiding the rest', () => {
    expect(maskCitizenId('110105491231002')).toBe('110105*****1002')
  })
})
