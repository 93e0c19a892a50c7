import { expect, test } from '@playwright/test'

test('every response carries the security headers', async ({ request }) => {
  const response = await request.get('/login')
  const headers = response.headers()
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
  expect(headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+' 'strict-dynamic'/)
  expect(headers['x-frame-options']).toBe('DENY')
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['referrer-policy']).toBe('same-origin')
  expect(headers['x-powered-by']).toBeUndefined()
})

test('a state-changing request from another site is refused', async ({ request }) => {
  const forged = await request.post('/login', {
    form: { username: 'admin', password: 'e2e-demo-password' },
    headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    maxRedirects: 0,
  })
  expect(forged.status()).toBe(403)
  const sameOrigin = await request.post('/login', {
    form: { username: 'admin', password: 'e2e-demo-password' },
    headers: { Origin: 'http://127.0.0.1:3210', 'Sec-Fetch-Site': 'same-origin' },
    maxRedirects: 0,
  })
  expect(sameOrigin.status()).toBe(302)
})

test('an oversized body is refused with 413', async ({ request }) => {
  const response = await request.post('/login', {
    data: 'x'.repeat(11 * 1024 * 1024),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  expect(response.status()).toBe(413)
})

test('malformed requests get clear answers, never a 500', async ({ request }) => {
  expect((await request.post('/login', { data: '%%%garbage', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status()).toBe(400)
  expect((await request.get('/admin/users/not-a-number', { maxRedirects: 0 })).status()).toBe(302)
  expect((await request.get('/no/such/page')).status()).toBe(404)
  expect((await request.post('/set-locale', { form: { locale: 'xx', redirectTo: '//evil.example' }, maxRedirects: 0 })).headers()['location']).toBe('/')
})
