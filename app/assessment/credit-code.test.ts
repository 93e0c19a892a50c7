import { expect, test } from 'vitest'
import { creditCodeCheckChar, isValidCreditCode } from './credit-code.ts'

test('accepts published codes and refuses a changed character', () => {
  // Published codes of well-known organisations (e.g. on their business licences).
  expect(isValidCreditCode('91110000100006485K')).toBe(true)
  expect(isValidCreditCode('91350100M000100Y43')).toBe(true)
  expect(isValidCreditCode('91110000100006485J')).toBe(false)
  expect(isValidCreditCode('9111000010000648')).toBe(false)
  expect(isValidCreditCode('91110000I00006485K')).toBe(false)
})

test('the check character is computed from the first 17', () => {
  expect(creditCodeCheckChar('91110000100006485')).toBe('K')
})
