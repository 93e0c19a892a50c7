import { afterAll, describe, expect, test } from 'vitest'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateMasterKey } from './crypto.server.ts'
import { readEnv } from './env.server.ts'
import { KeySetupError, loadKeys } from './keys.server.ts'

const root = mkdtempSync(join(tmpdir(), 'keys-test-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const dataDir = join(root, 'data')
const outside = join(root, 'etc')
mkdirSync(dataDir, { recursive: true })
mkdirSync(outside, { recursive: true })
const key = generateMasterKey()
const keyFileAt = (path: string, mode: number) => {
  writeFileSync(path, key)
  chmodSync(path, mode)
  return path
}
// Outside demo mode: an external database (DATABASE_URL) and DEMO unset.
const production = (extra: Record<string, string>) => readEnv({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://db.example/registry', SESSION_SECRET: 'x'.repeat(40), ...extra } as unknown as NodeJS.ProcessEnv)

describe('where the encryption key may come from', () => {
  test('outside demo mode, no key set is refused with the way to supply one', () => {
    expect(() => loadKeys(production({}))).toThrow(KeySetupError)
    expect(() => loadKeys(production({}))).toThrow(/ENCRYPTION_KEY=.*\n.*ENCRYPTION_KEY_FILE=.*outside DATA_DIR.*0600/s)
    expect(existsSync(join(dataDir, 'encryption-key'))).toBe(false)
  })

  test('a key file inside DATA_DIR is refused, even at mode 0600', () => {
    const inside = keyFileAt(join(dataDir, 'encryption-key'), 0o600)
    expect(() => loadKeys(production({ ENCRYPTION_KEY_FILE: inside }))).toThrow(/inside DATA_DIR/)
    // ... and through a path that only leads there (.. segments).
    expect(() => loadKeys(production({ ENCRYPTION_KEY_FILE: join(outside, '..', 'data', 'encryption-key') }))).toThrow(/inside DATA_DIR/)
    rmSync(inside)
  })

  test('a key file other users can read is refused', () => {
    const open = keyFileAt(join(outside, 'key-0644'), 0o644)
    expect(() => loadKeys(production({ ENCRYPTION_KEY_FILE: open }))).toThrow(/mode 0644.*must be 0600/s)
    const group = keyFileAt(join(outside, 'key-0640'), 0o640)
    expect(() => loadKeys(production({ ENCRYPTION_KEY_FILE: group }))).toThrow(/mode 0640/)
  })

  test('a 0600 key file outside DATA_DIR, or ENCRYPTION_KEY, is accepted', () => {
    const good = keyFileAt(join(outside, 'key-0600'), 0o600)
    expect(loadKeys(production({ ENCRYPTION_KEY_FILE: good })).masterKey).toEqual(Buffer.from(key, 'base64'))
    expect(loadKeys(production({ ENCRYPTION_KEY: key })).masterKey).toEqual(Buffer.from(key, 'base64'))
  })

  test('demo mode keeps making its key file under DATA_DIR', () => {
    const demoDir = join(root, 'demo-data')
    const env = readEnv({ DATA_DIR: demoDir } as unknown as NodeJS.ProcessEnv)
    const first = loadKeys(env).masterKey
    expect(existsSync(join(demoDir, 'encryption-key'))).toBe(true)
    expect(loadKeys(env).masterKey).toEqual(first)
  })
})
