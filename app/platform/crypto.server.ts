// Encryption of sensitive fields at rest (AES-256-GCM) and keyed hashes for exact-match search
// (HMAC-SHA-256), both derived from one 32-byte master key (ENCRYPTION_KEY, or a key file made
// once under DATA_DIR). Ciphertexts carry a version prefix so the key can be rotated later.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

export type FieldCipher = {
  encrypt(plaintext: string): string
  decrypt(ciphertext: string): string
  /** Binary content (photos, recordings, scans): IV, tag and ciphertext in one buffer. */
  encryptBytes(plain: Uint8Array): Buffer
  decryptBytes(sealed: Uint8Array): Buffer
  /** Deterministic keyed hash of a normalised value: equal inputs, equal outputs; reveals nothing else. */
  blindIndex(value: string): string
}

export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim()
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64')
  if (key.length !== 32) throw new Error('ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64')
  return key
}

export function generateMasterKey(): string {
  return randomBytes(32).toString('base64')
}

export function createFieldCipher(masterKey: Buffer): FieldCipher {
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'adoption-registry field encryption v1', 32))
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'adoption-registry blind index v1', 32))
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', encKey, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`
    },
    decrypt(ciphertext) {
      if (!ciphertext.startsWith('v1:')) throw new Error('unknown ciphertext version')
      const raw = Buffer.from(ciphertext.slice(3), 'base64')
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    },
    encryptBytes(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', encKey, iv)
      const body = Buffer.concat([cipher.update(plain), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    decryptBytes(sealed) {
      // A view, not a copy: the nightly integrity check decrypts every stored byte.
      const raw = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      const body = decipher.update(raw.subarray(28))
      const rest = decipher.final() // GCM is a stream mode: nothing is held back, but the tag is checked here
      return rest.length ? Buffer.concat([body, rest]) : body
    },
    blindIndex(value) {
      return createHmac('sha256', macKey).update(value.normalize('NFC')).digest('base64url')
    },
  }
}
