// The two secrets: SESSION_SECRET (signs cookies) and ENCRYPTION_KEY (sensitive fields). From the
// environment when set; otherwise made once and kept in files under DATA_DIR, so that a restart
// keeps sessions valid and data readable. Several app processes must share the same values: set
// them in the environment there (README.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { generateMasterKey, parseMasterKey } from './crypto.server.ts'
import type { Env } from './env.server.ts'

function keyFile(dataDir: string, name: string, make: () => string): string {
  const dir = resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  if (!existsSync(path)) writeFileSync(path, make(), { mode: 0o600, flag: 'wx' })
  return readFileSync(path, 'utf8').trim()
}

export function loadKeys(env: Env): { sessionSecret: string; masterKey: Buffer } {
  const sessionSecret = env.SESSION_SECRET ?? keyFile(env.DATA_DIR, 'session-secret', () => randomBytes(32).toString('base64url'))
  const masterKey = parseMasterKey(env.ENCRYPTION_KEY ?? keyFile(env.DATA_DIR, 'encryption-key', generateMasterKey))
  return { sessionSecret, masterKey }
}
