import { describe, expect, test } from 'vitest'
import { createFieldCipher, generateMasterKey, parseMasterKey, type Place } from './crypto.server.ts'
import { v1BlindIndex, v1Encrypt, v1Seal } from '../../tests/support/legacy-cipher.ts'

const child: Place = { table: 'parties', column: 'id_number_enc', row: '41' }
const otherChild: Place = { table: 'parties', column: 'id_number_enc', row: '42' }

describe('field encryption', () => {
  const masterKey = parseMasterKey(generateMasterKey())
  const cipher = createFieldCipher(masterKey)

  test('round-trips in format v2 and never repeats a ciphertext', () => {
    const a = cipher.encrypt('11010519491231002X', child)
    const b = cipher.encrypt('11010519491231002X', child)
    expect(a).not.toBe(b)
    expect(a.startsWith('v2:')).toBe(true)
    expect(a).not.toContain('1949')
    expect(cipher.decrypt(a, child)).toBe('11010519491231002X')
  })

  test('a tampered ciphertext is refused', () => {
    const c = cipher.encrypt('出生家庭信息', child)
    const raw = Buffer.from(c.slice(3), 'base64')
    raw[raw.length - 1] ^= 1
    expect(() => cipher.decrypt(`v2:${raw.toString('base64')}`, child)).toThrow(/refused/)
  })

  test('a ciphertext is bound to its table, column and row: moved elsewhere it is refused', () => {
    const a = cipher.encrypt('11010519491231002X', child)
    const b = cipher.encrypt('500111200901010031', otherChild)
    // Swapped between two rows, each is refused where it now lies.
    expect(() => cipher.decrypt(a, otherChild)).toThrow(/refused/)
    expect(() => cipher.decrypt(b, child)).toThrow(/refused/)
    // Moved to another column or table of the same row id.
    expect(() => cipher.decrypt(a, { ...child, column: 'findings_enc' })).toThrow(/refused/)
    expect(() => cipher.decrypt(a, { ...child, table: 'rootseeking_visitors', column: 'passport_number_enc' })).toThrow(/refused/)
    // Composite keys: the parts cannot be shifted into another reading.
    const score = cipher.encrypt('良好', { table: 'assessment_scores', column: 'findings_enc', row: ['1', 'health'] })
    expect(() => cipher.decrypt(score, { table: 'assessment_scores', column: 'findings_enc', row: ['1', 'health2'] })).toThrow()
    expect(cipher.decrypt(score, { table: 'assessment_scores', column: 'findings_enc', row: [1, 'health'] })).toBe('良好')
  })

  test('a tag shorter than 16 bytes is refused (GCM would otherwise accept a truncated tag)', () => {
    const c = cipher.encrypt('x', child)
    const raw = Buffer.from(c.slice(3), 'base64')
    // 12-byte IV and a 4-byte tag, nothing else: too short to hold a full tag.
    expect(() => cipher.decrypt(`v2:${raw.subarray(0, 16).toString('base64')}`, child)).toThrow(/too short/)
    // The empty plaintext's ciphertext is IV + tag; cutting the tag to 8 bytes must fail too.
    const empty = Buffer.from(cipher.encrypt('', child).slice(3), 'base64')
    expect(() => cipher.decrypt(`v2:${empty.subarray(0, 20).toString('base64')}`, child)).toThrow(/too short/)
    const legacy = Buffer.from(v1Encrypt(masterKey, '').slice(3), 'base64')
    expect(() => cipher.decrypt(`v1:${legacy.subarray(0, 24).toString('base64')}`, child)).toThrow(/too short/)
    expect(() => cipher.decryptBytes(Buffer.concat([Buffer.from([0x41, 0x52, 0x45, 0x02]), empty.subarray(0, 20)]), child)).toThrow()
  })

  test('old format v1 is read until refused, and refused after', () => {
    const reader = createFieldCipher(masterKey)
    const old = v1Encrypt(masterKey, '旧数据')
    expect(reader.isCurrent(old)).toBe(false)
    expect(reader.decrypt(old, child)).toBe('旧数据')
    const oldBytes = v1Seal(masterKey, Buffer.from([1, 2, 3]))
    expect(reader.decryptBytes(oldBytes, child)).toEqual(Buffer.from([1, 2, 3]))
    reader.refuseLegacy()
    expect(reader.acceptsLegacy()).toBe(false)
    expect(() => reader.decrypt(old, child)).toThrow(/v1 refused/)
    expect(() => reader.decryptBytes(oldBytes, child)).toThrow(/v1 refused/)
    expect(reader.decrypt(reader.encrypt('新', child), child)).toBe('新')
  })

  test('each blind index has its own key, the same for every registry of the deployment', () => {
    const other = createFieldCipher(parseMasterKey(generateMasterKey()))
    expect(cipher.blindIndex('citizen_id', 'x')).toBe(cipher.blindIndex('citizen_id', 'x'))
    expect(cipher.blindIndex('citizen_id', 'x')).toBe(createFieldCipher(masterKey).blindIndex('citizen_id', 'x'))
    expect(cipher.blindIndex('citizen_id', 'x')).not.toBe(other.blindIndex('citizen_id', 'x'))
    const all = (['citizen_id', 'passport', 'import_row', 'import_seen'] as const).map((i) => cipher.blindIndex(i, 'x'))
    expect(new Set(all).size).toBe(4)
    expect(all).not.toContain(v1BlindIndex(masterKey, 'x'))
    // While v1 rows may remain, look-ups match both hashes; after, only the current one.
    const reader = createFieldCipher(masterKey)
    expect(reader.blindIndexCandidates('citizen_id', 'x')).toEqual([cipher.blindIndex('citizen_id', 'x'), v1BlindIndex(masterKey, 'x')])
    reader.refuseLegacy()
    expect(reader.blindIndexCandidates('citizen_id', 'x')).toEqual([cipher.blindIndex('citizen_id', 'x')])
  })

  test('binary content round-trips, is bound to its chunk and is refused when tampered', () => {
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])
    const chunk0: Place = { table: 'blob_chunks', column: 'content_enc', row: ['7', 0] }
    const sealed = cipher.encryptBytes(photo, chunk0)
    expect(sealed.includes(photo)).toBe(false)
    expect(cipher.decryptBytes(sealed, chunk0)).toEqual(photo)
    const strict = createFieldCipher(masterKey)
    strict.refuseLegacy()
    expect(() => strict.decryptBytes(sealed, { ...chunk0, row: ['7', 1] })).toThrow(/refused/)
    sealed[sealed.length - 1] ^= 1
    expect(() => strict.decryptBytes(sealed, chunk0)).toThrow()
  })

  test('a key of the wrong length is refused', () => {
    expect(() => parseMasterKey('abcd')).toThrow(/32 bytes/)
  })
})
