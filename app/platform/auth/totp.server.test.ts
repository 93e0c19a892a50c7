import { expect, test } from 'vitest'
import { base32Decode, base32Encode, totpCode, verifyTotp } from './totp.server.ts'

// RFC 6238 appendix B test vector (SHA-1, secret "12345678901234567890").
const rfcSecret = base32Encode(Buffer.from('12345678901234567890'))

test('matches the RFC 6238 test vectors', () => {
  expect(totpCode(rfcSecret, 59_000)).toBe('287082')
  expect(totpCode(rfcSecret, 1_111_111_109_000)).toBe('081804')
  expect(totpCode(rfcSecret, 2_000_000_000_000)).toBe('279037')
})

test('accepts one step of drift, not two', () => {
  const now = 1_700_000_000_000
  expect(verifyTotp(rfcSecret, totpCode(rfcSecret, now - 30_000), now)).toBe(true)
  expect(verifyTotp(rfcSecret, totpCode(rfcSecret, now - 90_000), now)).toBe(false)
  expect(verifyTotp(rfcSecret, 'abcdef', now)).toBe(false)
})

test('base32 round-trips', () => {
  const bytes = Buffer.from([0, 1, 2, 250, 255, 7, 9])
  expect(base32Decode(base32Encode(bytes))).toEqual(bytes)
})

test('names the time step a code belongs to, so a used step can be refused', async () => {
  const { matchTotpStep } = await import('./totp.server.ts')
  const now = 1_700_000_000_000
  const step = Math.floor(now / 30_000)
  expect(matchTotpStep(rfcSecret, totpCode(rfcSecret, now), now)).toBe(step)
  expect(matchTotpStep(rfcSecret, totpCode(rfcSecret, now - 30_000), now)).toBe(step - 1)
  expect(matchTotpStep(rfcSecret, totpCode(rfcSecret, now + 30_000), now)).toBe(step + 1)
  expect(matchTotpStep(rfcSecret, totpCode(rfcSecret, now + 60_000), now)).toBeNull()
  expect(matchTotpStep(rfcSecret, '12345', now)).toBeNull()
})
