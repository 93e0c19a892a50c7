// Encryption of sensitive fields at rest (AES-256-GCM) and keyed hashes for exact-match search
// (HMAC-SHA-256), every key derived from one 32-byte master key (ENCRYPTION_KEY or
// ENCRYPTION_KEY_FILE; demo mode makes a key file under DATA_DIR).
//
// Format v2 (decision 030) binds each ciphertext to its place: the AES-GCM additional authenticated
// data names the table, the column and the row, so a ciphertext copied into another row or column
// (a child's ID number pasted over another child's, a finding moved to another family) fails
// authentication instead of being read as theirs. Tags are always 16 bytes: a shorter tag handed to
// GCM would make forgeries cheap. Each blind index has its own derived key, the same for every
// registry of the deployment so that a look-up by ID number still crosses registries.
//
// Format v1 (no additional data, one blind-index key) is still read while the background job
// (jobs/tasks/reencrypt_fields.ts) rewrites old rows; once it has recorded that it is done, the
// process calls refuseLegacy() and v1 is refused.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

/** Where a ciphertext lives: the row is its primary key (parts in key order), known before the insert. */
export type Place = { table: string; column: string; row: string | number | bigint | readonly (string | number | bigint)[] }

/** The blind indexes of the registry; each has its own key. */
export type BlindIndexName = 'citizen_id' | 'passport' | 'import_row' | 'import_seen' | 'recovery_code'

export type FieldCipher = {
  encrypt(plaintext: string, place: Place): string
  decrypt(ciphertext: string, place: Place): string
  /** Binary content (photos, recordings, scans): magic, IV, tag and ciphertext in one buffer. */
  encryptBytes(plain: Uint8Array, place: Place): Buffer
  decryptBytes(sealed: Uint8Array, place: Place): Buffer
  /** Deterministic keyed hash of a normalised value: equal inputs, equal outputs; reveals nothing else. */
  blindIndex(index: BlindIndexName, value: string): string
  /** The hashes a look-up must match: the current one, and the v1 one while old rows may remain. */
  blindIndexCandidates(index: BlindIndexName, value: string): string[]
  /** The v1 blind index, for the re-encryption job's comparisons. */
  legacyBlindIndex(value: string): string
  isCurrent(ciphertext: string | Uint8Array): boolean
  acceptsLegacy(): boolean
  /** From now on this process refuses v1 ciphertexts and v1 blind indexes. */
  refuseLegacy(): void
}

export const FORMAT_PREFIX = 'v2:'
/** Sealed bytes of format v2 begin with these four bytes ("ARE" and the version). */
export const BYTES_MAGIC = Buffer.from([0x41, 0x52, 0x45, 0x02])
const IV = 12
const TAG = 16

export class CiphertextError extends Error {
  override name = 'CiphertextError'
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

const derive = (masterKey: Buffer, info: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32))

/** The additional data of a place; NUL cannot occur in table or column names, and keys are numbers or codes. */
export function placeData(place: Place): Buffer {
  const row = Array.isArray(place.row) ? place.row : [place.row]
  return Buffer.from(['adoption-registry field v2', place.table, place.column, ...row.map(String)].join('\u0000'), 'utf8')
}

function seal(key: Buffer, plain: Buffer, aad: Buffer | null): Buffer {
  const iv = randomBytes(IV)
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG })
  if (aad) cipher.setAAD(aad)
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body])
}

function open(key: Buffer, raw: Buffer, aad: Buffer | null): Buffer {
  // Fewer bytes than IV and a full tag: a truncated tag must never reach GCM (it would accept it).
  if (raw.length < IV + TAG) throw new CiphertextError('ciphertext too short: the 16-byte tag is missing')
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV), { authTagLength: TAG })
  if (aad) decipher.setAAD(aad)
  decipher.setAuthTag(raw.subarray(IV, IV + TAG))
  const body = decipher.update(raw.subarray(IV + TAG))
  try {
    const rest = decipher.final()
    return rest.length ? Buffer.concat([body, rest]) : body
  } catch {
    throw new CiphertextError('ciphertext refused: it was altered or does not belong to this row and column')
  }
}

export function createFieldCipher(masterKey: Buffer, options: { acceptLegacy?: boolean } = {}): FieldCipher {
  const encKey = derive(masterKey, 'adoption-registry field encryption v1')
  const legacyMacKey = derive(masterKey, 'adoption-registry blind index v1')
  const macKeys = new Map<BlindIndexName, Buffer>()
  const macKey = (index: BlindIndexName) => {
    let key = macKeys.get(index)
    if (!key) macKeys.set(index, (key = derive(masterKey, `adoption-registry blind index v2 ${index}`)))
    return key
  }
  let legacy = options.acceptLegacy ?? true
  const hmac = (key: Buffer, value: string) => createHmac('sha256', key).update(value.normalize('NFC')).digest('base64url')
  const self: FieldCipher = {
    encrypt(plaintext, place) {
      return FORMAT_PREFIX + seal(encKey, Buffer.from(plaintext, 'utf8'), placeData(place)).toString('base64')
    },
    decrypt(ciphertext, place) {
      if (ciphertext.startsWith(FORMAT_PREFIX)) return open(encKey, Buffer.from(ciphertext.slice(3), 'base64'), placeData(place)).toString('utf8')
      if (ciphertext.startsWith('v1:')) {
        if (!legacy) throw new CiphertextError('ciphertext of format v1 refused: the re-encryption job has finished')
        return open(encKey, Buffer.from(ciphertext.slice(3), 'base64'), null).toString('utf8')
      }
      throw new CiphertextError('unknown ciphertext version')
    },
    encryptBytes(plain, place) {
      return Buffer.concat([BYTES_MAGIC, seal(encKey, Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength), placeData(place))])
    },
    decryptBytes(sealed, place) {
      // A view, not a copy: the nightly integrity check decrypts every stored byte.
      const raw = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
      // v1 bytes carry no marker (they begin with a random IV), so one may begin with the magic by
      // chance (2^-32): such a chunk fails as v2 and is read as v1 while v1 is accepted.
      if (raw.subarray(0, 4).equals(BYTES_MAGIC)) {
        try {
          return open(encKey, raw.subarray(4), placeData(place))
        } catch (error) {
          if (!legacy) throw error
        }
      }
      if (!legacy) throw new CiphertextError('ciphertext of format v1 refused: the re-encryption job has finished')
      return open(encKey, raw, null)
    },
    blindIndex(index, value) {
      return hmac(macKey(index), value)
    },
    blindIndexCandidates(index, value) {
      return legacy ? [hmac(macKey(index), value), hmac(legacyMacKey, value)] : [hmac(macKey(index), value)]
    },
    legacyBlindIndex(value) {
      return hmac(legacyMacKey, value)
    },
    isCurrent(ciphertext) {
      if (typeof ciphertext === 'string') return ciphertext.startsWith(FORMAT_PREFIX)
      return Buffer.from(ciphertext.buffer, ciphertext.byteOffset, 4).equals(BYTES_MAGIC)
    },
    acceptsLegacy: () => legacy,
    refuseLegacy() {
      legacy = false
    },
  }
  return self
}
