// Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s), compatible with the usual
// authenticator apps. A window of one step either side absorbs clock drift.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function base32Encode(bytes: Buffer): string {
  let bits = 0, value = 0, out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  let bits = 0, value = 0
  const out: number[] = []
  for (const char of clean) {
    const index = alphabet.indexOf(char)
    if (index < 0) throw new Error('invalid base32')
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20))
}

export function totpCode(secret: string, at = Date.now(), step = 30): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / step)))
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest()
  const offset = mac[mac.length - 1] & 15
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000
  return number.toString().padStart(6, '0')
}

/**
 * The time step (counter) whose code this is, within one step of drift either side, or null. The
 * caller accepts a step only once (RFC 6238 §5.2): the step is what it stores and compares.
 */
export function matchTotpStep(secret: string, code: string, at = Date.now(), step = 30): number | null {
  const clean = code.replace(/\s/g, '')
  if (!/^\d{6}$/.test(clean)) return null
  const now = Math.floor(at / 1000 / step)
  let found: number | null = null
  // Every candidate is compared (no early exit), so the time taken does not say which one matched.
  for (const drift of [-1, 0, 1]) {
    const expected = Buffer.from(totpCode(secret, (now + drift) * step * 1000, step))
    if (timingSafeEqual(expected, Buffer.from(clean)) && found === null) found = now + drift
  }
  return found
}

export function verifyTotp(secret: string, code: string, at = Date.now()): boolean {
  return matchTotpStep(secret, code, at) !== null
}

export function otpauthUri(secret: string, account: string, issuer: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`)
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`
}
