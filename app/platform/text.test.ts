import { expect, test } from 'vitest'
import { isSafeText, optionalText, text } from './text.ts'

const message = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? null : r.error!.issues[0]!.message)

test('NUL, lone surrogates, the replacement character and bidi controls are refused with a message', () => {
  for (const bad of ['a\u0000b', 'x\uD800', '\uDC00y', 'x\uFFFDy', '王\u202E明', 'a\u2066b', 'a\u202Ab', 'a\u2069']) {
    expect(isSafeText(bad), JSON.stringify(bad)).toBe(false)
    expect(message(text(60).safeParse(bad))).toBe('validation.unsafeText')
    expect(message(optionalText(60).safeParse(bad))).toBe('validation.unsafeText')
  }
})

test('ordinary text passes, a surrogate pair (𠮷, an emoji) included; it is trimmed and capped', () => {
  for (const good of ['王小明', 'Émilie O\'Brien', '𠮷野家', '😀', 'مرحبا', '重庆市大足区\n龙岗街道']) expect(isSafeText(good), good).toBe(true)
  expect(text(60).parse('  王小明 ')).toBe('王小明')
  expect(message(text(5).safeParse('x'.repeat(100 * 1024)))).toBe('validation.tooLong|max=5')
  expect(message(text(5).safeParse('   '))).toBe('validation.required')
  expect(optionalText(5).parse(undefined)).toBeUndefined()
})
