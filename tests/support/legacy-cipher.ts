// Format v1 as the registry wrote it before decision 030 (no additional data; one blind-index
// key): fixtures for the rows that existed before, which the re-encryption job converts. Kept
// apart from app/platform/crypto.server.ts, which no longer writes v1.
import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

const derive = (masterKey: Buffer, info: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32))

export function v1Seal(masterKey: Buffer, plain: Uint8Array): Buffer {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', derive(masterKey, 'adoption-registry field encryption v1'), iv)
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body])
}

export const v1Encrypt = (masterKey: Buffer, plaintext: string) => `v1:${v1Seal(masterKey, Buffer.from(plaintext, 'utf8')).toString('base64')}`

export const v1BlindIndex = (masterKey: Buffer, value: string) =>
  createHmac('sha256', derive(masterKey, 'adoption-registry blind index v1')).update(value.normalize('NFC')).digest('base64url')
