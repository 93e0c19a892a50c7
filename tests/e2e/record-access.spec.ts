// Reads of sensitive records (decision 028), in a real browser: a document with full ID numbers is
// printed only after the reason is given — with JavaScript off — and a record opened from another
// site first shows a confirmation page of this site.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test, type Page } from '@playwright/test'
import { login, loginAs } from './helpers.ts'

async function registeredApplication(page: Page): Promise<string> {
  await page.goto('/applications?state=registered')
  const href = await page.locator('table a[href^="/applications/"]').first().getAttribute('href')
  expect(href).toMatch(/^\/applications\/\d+$/)
  return href!
}

test('printing the certificate asks the reason first, without JavaScript; the copy for reading needs none', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await login(page, 'supervisor')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('您好')
  const app = await registeredApplication(page)
  await page.goto(app)
  await page.getByRole('link', { name: '阅读副本（身份证号已遮盖）' }).first().waitFor()
  // The full copy for the file: the reason page.
  await page.locator('.cert-links a[href*="/print?document=certificate&mode=copy"]').first().click()
  await expect(page.getByRole('heading', { name: '打印含完整身份证号的文书' })).toBeVisible()
  await page.getByRole('button', { name: '写明用途并打印' }).click()
  await expect(page.getByText('请写明打印用途。')).toBeVisible()
  await page.getByLabel('用途（必填）').fill('当事人申请存档副本（端到端测试）')
  const pdf = page.waitForResponse((r) => /certificate\.pdf\?mode=copy&.*grant=/.test(r.url()))
  await page.getByRole('button', { name: '写明用途并打印' }).click().catch(() => {}) // a PDF may end the navigation as a download
  const response = await pdf
  expect(response.status()).toBe(200)
  expect(response.headers()['content-type']).toBe('application/pdf')
  // The document's own address without the grant leads back to the reason page.
  await page.goto(`${app}/certificate.pdf?mode=copy`)
  await expect(page.getByRole('heading', { name: '打印含完整身份证号的文书' })).toBeVisible()
  // The copy for reading is served at once.
  const reading = await page.request.get(`${app}/certificate.pdf?mode=read`)
  expect(reading.status()).toBe(200)
  expect(reading.headers()['content-type']).toBe('application/pdf')
  await context.close()
})

test('a record opened from a link on another site asks first, then opens here', async ({ page, baseURL }) => {
  await loginAs(page, 'supervisor')
  const app = await registeredApplication(page)
  // Another site: the same machine under another name (localhost is not 127.0.0.1's site).
  const target = `${baseURL}${app}`
  const other = http.createServer((_req, res) => { res.setHeader('Content-Type', 'text/html; charset=utf-8'); res.end(`<!doctype html><title>mail</title><a href="${target}">open the case</a>`) })
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()))
  try {
    await page.goto(`http://localhost:${(other.address() as AddressInfo).port}/`)
    await page.getByRole('link', { name: 'open the case' }).click()
    await expect(page.getByRole('heading', { name: '打开此记录？' })).toBeVisible()
    await expect(page.locator('body')).not.toContainText('收养人')
    await page.getByRole('button', { name: '打开记录' }).click()
    await expect(page).toHaveURL(new RegExp(`^${target.replace(/[.?]/g, '\\$&')}\\??$`)) // a GET form without fields adds '?'
    await expect(page.locator('.facts').first()).toBeVisible()
  } finally {
    other.close()
  }
})
