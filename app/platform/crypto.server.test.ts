import { describe, expect, test } from 'vitest'
import { createFieldCipher, generateMasterKey, parseMasterKey } from './crypto.server.ts'

describe('field encryption', () => {
  const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))

  test('round-trips and never repeats a ciphertext', () => {
    const a = cipher.encrypt('11010519491231002X')
    const b = cipher.encrypt('11010519491231002X')
    expect(a).not.toBe(b)
    expect(a).not.toContain('1949')
    expect(cipher.decrypt(a)).toBe('11010519491231002X')
  })

  test('a tampered ciphertext is refused', () => {
    const c = cipher.encrypt('出生家庭信息')
    const raw = Buffer.from(c.slice(3), 'base64')
    raw[raw.length - 1] ^= 1
    expect(() => cipher.decrypt(`v1:${raw.toString('base64')}`)).toThrow()
  })

  test('blind index is deterministic per key and differs across keys', () => {
    const other = createFieldCipher(parseMasterKey(generateMasterKey()))
    expect(cipher.blindIndex('x')).toBe(cipher.blindIndex('x'))
    expect(cipher.blindIndex('x')).not.toBe(other.blindIndex('x'))
  })

  test('binary content round-trips and is refused when tampered', () => {
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])
    const sealed = cipher.encryptBytes(photo)
    expect(sealed.includes(photo)).toBe(false)
    expect(cipher.decryptBytes(sealed)).toEqual(photo)
    sealed[sealed.length - 1] ^= 1
    expect(() => cipher.decryptBytes(sealed)).toThrow()
  })

  test('a key of the wrong length is refused', () => {
    expect(() => parseMasterKey('abcd')).toThrow(/32 bytes/)
  })
})
