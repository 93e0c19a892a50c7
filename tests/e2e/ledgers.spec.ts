import { expect, test } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import { expectAccessible, loginAs } from './helpers.ts'

test('a supervisor opens the statistics, then exports a filtered ledger to .xlsx holding exactly the listed rows', async ({ page }) => {
  await loginAs(page, 'supervisor')
  await page.getByRole('navigation').getByRole('link', { name: '统计', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('2026 年统计')
  await expect(page.getByRole('img', { name: '2026 年各月收养登记（按类型）' })).toBeVisible()
  await expect(page.getByRole('row', { name: /收养登记/ }).first()).toBeVisible()
  // Per town of residence: the rows (abroad and not recorded among them) add up to the year's registrations.
  const byTown = page.getByRole('region', { name: '2026 年收养登记（按收养人居住地）' })
  await expect(byTown.getByRole('rowheader', { name: '国外居住' })).toBeVisible()
  await expect(byTown.getByRole('rowheader', { name: '未记录居住地' })).toBeVisible()
  const registered = await page.getByRole('row', { name: /^收养登记 / }).first().getByRole('cell').first().textContent()
  await expect(byTown.getByRole('row', { name: /^合计/ }).getByRole('cell').first()).toHaveText(registered!)
  await expectAccessible(page)
  const pdf = await page.request.get('/statistics/report.pdf?year=2026')
  expect(pdf.headers()['content-type']).toBe('application/pdf')
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-')
  await page.goto('/applications?state=registered')
  const listed = await page.locator('table.data-table tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('td')?.textContent?.trim() ?? ''))
  expect(listed.length).toBeGreaterThan(0)
  expect(listed.length).toBeLessThan(50) // one page: the comparison below is with every row
  await page.getByRole('button', { name: '导出 Excel' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('导出')
  const link = page.getByRole('link', { name: /下载文件/ })
  await expect(link).toBeVisible({ timeout: 20_000 })
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
  const workbook = new ExcelJS.Workbook()
  const bytes = await readFile(await download.path())
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  const sheet = workbook.worksheets[0]
  expect(String(sheet.getRow(1).getCell(1).value)).toContain('state=registered')
  expect(sheet.getRow(2).getCell(1).value).toBe('编号')
  const ids: string[] = []
  sheet.eachRow((row, n) => { if (n > 2) ids.push(String(row.getCell(1).value)) })
  expect(ids.sort()).toEqual([...listed].sort())
  // Every ID number in the file is masked.
  sheet.eachRow((row, n) => { if (n > 2) expect(String(row.getCell(5).value ?? '')).not.toMatch(/\d{17}[\dX]/) })
})

test('a period whose end is before its start is refused next to the field, the other filters kept', async ({ page }) => {
  await loginAs(page, 'registrar')
  await page.goto('/applications?state=registered&from=2026-11-20&to=2026-11-01')
  await expect(page.getByText('截止日期早于起始日期，请更正。')).toBeVisible()
  await expect(page.getByLabel('状态')).toHaveValue('registered')
})
