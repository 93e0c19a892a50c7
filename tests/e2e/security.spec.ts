import http from 'node:http'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { loginAs } from './helpers.ts'

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
    form: { username: 'sysadmin', password: 'e2e-demo-password' },
    headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    maxRedirects: 0,
  })
  expect(forged.status()).toBe(403)
  const sameOrigin = await request.post('/login', {
    form: { username: 'sysadmin', password: 'e2e-demo-password' },
    headers: { Origin: `http://127.0.0.1:${Number(process.env.E2E_PORT)}`, 'Sec-Fetch-Site': 'same-origin' },
    maxRedirects: 0,
  })
  expect(sameOrigin.status()).toBe(302)
})

/** Sends headers and as much body as the server takes; resolves with the status it answers. */
function post(path: string, headers: Record<string, string | number>, chunks: number, chunk = Buffer.alloc(256 * 1024, 120)): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: Number(process.env.E2E_PORT), path, method: 'POST', headers, agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    // The server answers before the body is all sent, and closes once it has read the rest. A reset
    // before the answer arrived is a failure (the server must linger), reported, never waited out.
    req.on('error', (error) => setTimeout(() => reject(error), 1000))
    let sent = 0
    const write = () => {
      while (sent < chunks) {
        sent++
        if (!req.write(chunk)) return void req.once('drain', write)
      }
      req.end()
    }
    write()
  })
}

test('an oversized body is refused with 413, declared or streamed', async () => {
  // Declared too large: refused on the headers.
  expect(await post('/login', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': 11 * 1024 * 1024 }, 1)).toBe(413)
  // Chunked, no length: refused once the count passes the limit.
  expect(await post('/login', { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' }, 48)).toBe(413)
  // An archive scan streams into storage: its route takes a multipart body over the general limit
  // (here the answer is the redirect to the login page), no other route does.
  const scan = { 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': 12 * 1024 * 1024 }
  expect(await post('/login', scan, 1)).toBe(413)
  expect(await post('/archive/1', scan, 1)).not.toBe(413)
})

test('malformed requests get clear answers, never a 500', async ({ request }) => {
  expect((await request.post('/login', { data: '%%%garbage', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status()).toBe(400)
  expect((await request.get('/admin/users/not-a-number', { maxRedirects: 0 })).status()).toBe(302)
  expect((await request.get('/no/such/page')).status()).toBe(404)
  expect((await request.post('/set-locale', { form: { locale: 'xx', redirectTo: '//evil.example' }, maxRedirects: 0 })).headers()['location']).toBe('/')
})

test('a signed-in page and its data are never stored by the browser; the static assets are', async ({ page }) => {
  await loginAs(page, 'registrar')
  const pageResponse = await page.request.get('/applications')
  expect(pageResponse.headers()['cache-control']).toBe('no-store')
  const data = await page.request.get('/applications.data')
  expect(data.status()).toBe(200)
  expect(data.headers()['cache-control']).toBe('no-store')
  const html = await pageResponse.text()
  const asset = /\/assets\/[\w.-]+\.js/.exec(html)![0]
  expect((await page.request.get(asset)).headers()['cache-control']).toContain('immutable')
})

test('demo mode says so on every page and on every document it prints', async ({ page }) => {
  await page.goto('/login')
  await expect(page.getByTestId('demo-banner')).toContainText('演示 / demo')
  await loginAs(page, 'archivist')
  await expect(page.getByTestId('demo-banner')).toContainText('演示 / demo')
  await page.goto('/archive')
  const file = await page.locator('table a[href^="/archive/"]').first().getAttribute('href')
  const cover = await page.request.get(`${file}/cover.pdf`)
  expect(cover.headers()['content-type']).toBe('application/pdf')
  const dir = mkdtempSync(join(tmpdir(), 'demo-pdf-'))
  writeFileSync(join(dir, 'cover.pdf'), await cover.body())
  const text = execFileSync('pdftotext', [join(dir, 'cover.pdf'), '-'], { encoding: 'utf8' })
  expect(text).toContain('演示 / demo')
})

test('after login, a "next" that would leave the site lands on the home page', async ({ page }) => {
  // As typed into a link: the query string decodes them to a tab, a backslash, two slashes.
  for (const query of ['/%09/evil.example/login', '//evil.example', '/%5cevil.example', '%2F%2Fevil.example', 'https%3A%2F%2Fevil.example%2F']) {
    await page.context().clearCookies()
    await page.goto(`/login?next=${query}`)
    await page.getByLabel('用户名').fill('registrar')
    await page.getByLabel('密码').fill('e2e-demo-password')
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toContainText('您好')
    expect(new URL(page.url()).host).toBe(`127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`)
    expect(new URL(page.url()).pathname).toBe('/')
  }
})

test('demo mode says on the login page that the second factor is relaxed', async ({ page }) => {
  await page.goto('/login')
  await expect(page.getByText('演示模式：管理员与主管角色默认必须启用的二次验证在演示中已放宽')).toBeVisible()
})

test('a sign-in under an unknown name is a security event the audit reader sees, written by the restricted database role', async ({ page }) => {
  const { login, loginAs } = await import('./helpers.ts')
  await login(page, 'nobody-e2e-guess', 'not-a-password-1')
  await expect(page.getByRole('alert').first()).toBeVisible()
  // The demo data's audit administrator.
  await loginAs(page, 'auditadmin')
  await page.goto('/audit')
  await page.getByLabel('类别').selectOption('security')
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/kind=security/)
  await expect(page.getByRole('row').filter({ hasText: 'nobody-e2e-guess' })).toHaveCount(1)
  await expect(page.getByRole('row').filter({ hasText: '登录失败' }).first()).toBeVisible()
})
