// An archivist completes and files a registered case's archive file (issue 5, filing part).
import { expect, test } from '@playwright/test'
import { PDFDocument } from 'pdf-lib'
import { expectAccessible, loginAs } from './helpers.ts'

async function scan(pages: number) {
  const doc = await PDFDocument.create()
  for (let i = 0; i < pages; i++) doc.addPage([595, 842])
  return Buffer.from(await doc.save())
}

test('an archivist uploads the scans, a renamed file is refused, and the file is filed', async ({ page }) => {
  test.setTimeout(60_000)
  await loginAs(page, 'archivist')
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '档案管理' }).click()
  await expect(page.getByRole('heading', { name: '收养登记档案' })).toBeVisible()
  await expectAccessible(page)
  // The demo's registered cases were archived by the job their approval enqueued.
  await page.locator('table.data-table tbody tr', { hasText: '待归档' })
    .filter({ has: page.getByRole('cell', { name: '收养登记', exact: true }) }).first().getByRole('link').first().click()
  await expect(page.getByRole('heading', { name: /档案 500111-/ })).toBeVisible()
  await expect(page.getByRole('link', { name: '收养登记证（存根/副本）' })).toBeVisible()

  const upload = async (category: string, name: string, file: { name: string; mimeType: string; buffer: Buffer }) => {
    await page.getByLabel('材料类别').selectOption({ label: category })
    await page.getByLabel('文件名称').fill(name)
    await page.getByLabel('责任者').fill('申请人')
    await page.getByLabel('文件日期').fill('2026-10-08')
    await page.getByLabel('文件（PDF、JPEG、PNG、TIFF）').setInputFiles(file)
    await page.getByRole('button', { name: '上传' }).click()
  }
  await upload('收养登记申请书', '收养登记申请书', { name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ this is an exe renamed to pdf') })
  await expect(page.getByText('文件不是 PDF、JPEG、PNG 或 TIFF')).toBeVisible()

  for (const category of ['收养登记申请书', '询问笔录', '收养登记审批表', '收养人的证件和证明材料', '送养人的证件和证明材料']) {
    await upload(category, category, { name: `${category}.pdf`, mimeType: 'application/pdf', buffer: await scan(2) })
    await expect(page.getByRole('link', { name: category, exact: true })).toBeVisible()
  }
  await expect(page.getByText('必备材料已齐全，可以归档。')).toBeVisible()
  await page.getByLabel('存放位置（库房、架、盒）').fill('一号库房 3 架 12 盒')
  await page.getByRole('button', { name: '归档' }).click()
  await expect(page.getByText('已归档').first()).toBeVisible()
  const pdf = await page.request.get(await page.getByRole('link', { name: '询问笔录', exact: true }).getAttribute('href') as string)
  expect(pdf.headers()['content-type']).toBe('application/pdf')
})
