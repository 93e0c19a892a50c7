// Reference numbers given to families: 12 random base32 characters (60 bits), shown in groups of
// four. Not derived from the id or the date, so one reference says nothing about any other.
import { randomBytes } from 'node:crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function newReference(): string {
  const bytes = randomBytes(12)
  let out = ''
  for (const b of bytes) out += ALPHABET[b & 31]
  return out
}

/** What a family types back: any case, spaces or dashes; O and 0, I and 1 read as base32 letters. */
export function normalizeReference(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/0/g, 'O').replace(/1/g, 'I').replace(/8/g, 'B')
}

export function formatReference(reference: string): string {
  return reference.match(/.{1,4}/g)?.join('-') ?? reference
}
