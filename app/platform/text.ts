// The one text rule every form shares (client and server). PostgreSQL refuses NUL in text ("invalid
// byte sequence for encoding UTF8: 0x00"), a lone UTF-16 surrogate is not a character at all, and the
// bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) make a name
// or an address display differently from what is stored ("Trojan Source", CVE-2021-42574) — on a
// certificate that is a forged record. A lone surrogate sent as bytes (or any invalid UTF-8) arrives
// decoded as U+FFFD, the replacement character: text that was damaged on its way, never what anyone
// meant to type. None has a use in this registry: all are refused, with a message, rather than
// cleaned silently (decision 033).
import { z } from 'zod'

/** NUL, a lone surrogate (or the replacement character it becomes), or a bidirectional control. */
export const UNSAFE_TEXT = /[\u0000\u202A-\u202E\u2066-\u2069\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** The longest value any single form field may carry (the longest free-text field allows 8,000). */
export const MAX_FIELD_CHARS = 20_000

export function isSafeText(value: string): boolean {
  return !UNSAFE_TEXT.test(value)
}

/** The shared text schema: safe characters, trimmed, at most `max` characters. */
export const safeString = (max: number) =>
  z.string({ error: 'validation.required' }).refine(isSafeText, 'validation.unsafeText').trim().max(max, `validation.tooLong|max=${max}`)

/** A required text field. */
export const text = (max: number) => safeString(max).min(1, 'validation.required')
/** An optional text field. */
export const optionalText = (max: number) => safeString(max).optional()
