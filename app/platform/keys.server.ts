// The two secrets: SESSION_SECRET (signs cookies) and ENCRYPTION_KEY (sensitive fields).
//
// The encryption key protects minors' identities and health and criminal-record findings
// (GB/T 22239-2019 level 3 asks for keys kept apart from the data they protect), so outside demo
// mode it must come from the environment (ENCRYPTION_KEY) or from a file outside DATA_DIR that only
// its owner can read (ENCRYPTION_KEY_FILE, mode 0600): a key file inside the data directory travels
// with every backup of the database, and a file other users can read is no secret. The registry
// refuses to start otherwise (decision 030). Demo mode keeps making its key file under DATA_DIR so
// that `npm start` works on a laptop without setup.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, isAbsolute } from 'node:path'
import { randomBytes } from 'node:crypto'
import { generateMasterKey, parseMasterKey } from './crypto.server.ts'
import { isDemo, type Env } from './env.server.ts'

/** A setting that makes the registry refuse to start; the message says how to fix it. */
export class KeySetupError extends Error {
  override name = 'KeySetupError'
}

const HOW = [
  'Supply the encryption key in one of two ways:',
  '  ENCRYPTION_KEY=<32 bytes as base64 or 64 hex digits>, or',
  '  ENCRYPTION_KEY_FILE=<path to a file outside DATA_DIR holding the key, mode 0600 (chmod 600 <file>)>.',
  'An existing key file under DATA_DIR can be moved out: mv DATA_DIR/encryption-key /etc/adoption-registry/encryption-key && chmod 600 it.',
].join('\n')

function keyFile(dataDir: string, name: string, make: () => string): string {
  const dir = resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  if (!existsSync(path)) writeFileSync(path, make(), { mode: 0o600, flag: 'wx' })
  return readFileSync(path, 'utf8').trim()
}

/** The real path of p, or of its nearest existing ancestor joined with the rest (DATA_DIR may not exist yet). */
function realish(p: string): string {
  const abs = resolve(p)
  try {
    return realpathSync(abs)
  } catch {
    const parent = dirname(abs)
    return parent === abs ? abs : join(realish(parent), abs.slice(parent.length))
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** Reads ENCRYPTION_KEY_FILE after checking where it lies and who may read it. */
export function readKeyFile(path: string, dataDir: string, demo: boolean): string {
  const real = realish(path)
  if (!demo && isInside(real, realish(dataDir))) {
    throw new KeySetupError(`refusing to start: the encryption key file ${path} lies inside DATA_DIR (${resolve(dataDir)}), so it would travel with every copy of the data.\n${HOW}`)
  }
  let mode: number
  try {
    mode = statSync(real).mode
  } catch {
    throw new KeySetupError(`refusing to start: the encryption key file ${path} cannot be read.\n${HOW}`)
  }
  if (!demo && (mode & 0o077) !== 0) {
    throw new KeySetupError(`refusing to start: the encryption key file ${path} has mode ${(mode & 0o777).toString(8).padStart(4, '0')}; other users can read it. It must be 0600.\n${HOW}`)
  }
  return readFileSync(real, 'utf8').trim()
}

export function loadKeys(env: Env): { sessionSecret: string; masterKey: Buffer } {
  const demo = isDemo(env)
  const masterKeyText = env.ENCRYPTION_KEY
    ?? (env.ENCRYPTION_KEY_FILE ? readKeyFile(env.ENCRYPTION_KEY_FILE, env.DATA_DIR, demo) : undefined)
    ?? (demo ? keyFile(env.DATA_DIR, 'encryption-key', generateMasterKey) : undefined)
  if (masterKeyText === undefined) {
    throw new KeySetupError(`refusing to start: outside demo mode the encryption key is not made or read under DATA_DIR (${resolve(env.DATA_DIR)}).\n${HOW}`)
  }
  const sessionSecret = env.SESSION_SECRET ?? keyFile(env.DATA_DIR, 'session-secret', () => randomBytes(32).toString('base64url'))
  return { sessionSecret, masterKey: parseMasterKey(masterKeyText) }
}
