// Reference numbers given to families: 12 random base32 characters (60 bits), shown in groups of
// four. Not derived from the id or the date, so one reference says nothing about any other.
import { randomBytes } from 'node:crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function newReference(): string {
  let out = ''
  // 256 is a multiple of 32: the low five bits of each byte are uniform.
  for (const b of randomBytes(12)) out += ALPHABET[b & 31]
  return out
}
