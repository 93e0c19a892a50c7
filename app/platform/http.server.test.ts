// Open redirects: every trick that makes a browser leave the site from a "path" is refused.
import { describe, expect, test } from 'vitest'
import { safeRedirectPath } from './http.server.ts'

describe('safeRedirectPath', () => {
  const refused: [string, string][] = [
    ['decoded tab before a second slash (the reported one)', '/\t/evil.example/login'],
    ['percent-encoded tab', '/%09/evil.example/login'],
    ['raw newline', '/\n/evil.example'],
    ['percent-encoded newline', '/%0a/evil.example'],
    ['percent-encoded carriage return', '/%0d/evil.example'],
    ['NUL', '/\u0000/evil.example'],
    ['DEL', '/\u007f/evil.example'],
    ['ideographic space', '/\u3000/evil.example'],
    ['backslash after the slash', '/\\evil.example'],
    ['backslash anywhere', '/ok\\..\\..\\evil'],
    ['percent-encoded backslash', '/%5cevil.example'],
    ['percent-encoded backslash, upper case', '/%5Cevil.example'],
    ['encoded slashes', '/%2f%2fevil.example'],
    ['one encoded slash', '/%2fevil.example'],
    ['protocol-relative', '//evil.example'],
    ['protocol-relative with path', '//evil.example/login'],
    ['dot segments to a double slash', '/..//evil.example'],
    ['dot segments, deeper', '/a/../..//evil.example/x'],
    ['absolute http URL', 'http://evil.example/'],
    ['absolute https URL', 'https://evil.example/login'],
    ['scheme without slashes', 'https:evil.example'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['javascript: after a slash is a path, but a tab in it is refused', '/\tjavascript:alert(1)'],
    ['data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['relative without a slash', 'evil.example'],
    ['user info', '/@evil.example'.replace('/', '//')],
    ['broken percent encoding', '/%E0%A4%A'],
    ['empty', ''],
    ['too long', `/${'a'.repeat(3000)}`],
  ]
  for (const [what, target] of refused) {
    test(`refuses ${what}`, () => {
      expect(safeRedirectPath(target)).toBe('/')
      expect(safeRedirectPath(target, '/home')).toBe('/home')
    })
  }

  test('refuses what is not a string', () => {
    expect(safeRedirectPath(null)).toBe('/')
    expect(safeRedirectPath(undefined)).toBe('/')
  })

  const kept: [string, string][] = [
    ['/', '/'],
    ['/applications', '/applications'],
    ['/applications/12?tab=parties', '/applications/12?tab=parties'],
    ['/applications?q=%E5%BC%A0&page=2', '/applications?q=%E5%BC%A0&page=2'],
    ['/applications?q=张三', '/applications?q=%E5%BC%A0%E4%B8%89'],
    ['/archive/3#documents', '/archive/3#documents'],
    ['/a/./b/../c', '/a/c'],
    ['/login?next=%2Fapplications', '/login?next=%2Fapplications'],
    ['/search?url=http://x.example', '/search?url=http://x.example'],
  ]
  for (const [target, expected] of kept) {
    test(`keeps the same-origin path ${target}`, () => {
      const result = safeRedirectPath(target)
      expect(result).toBe(expected)
      // Resolved by a browser against any origin, the result stays on that origin.
      expect(new URL(result, 'https://registry.example.gov.cn').origin).toBe('https://registry.example.gov.cn')
    })
  }
})
