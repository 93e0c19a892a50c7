import { expect, test, type Page } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import { expectAccessible, loginAs } from './helpers.ts'

/** The first cell of every listed row (one page: the tests compare it with the whole file). */
async function listedFirstCells(page: Page) {
  const cells = await page.locator('table.data-table tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('td')?.textContent?.trim() ?? ''))
  expect(cells.length).toBeGreaterThan(0)
  expect(cells.length).toBeLessThan(50)
  return cells
}

/** Clicks an export button, waits for the job, downloads the file. */
async function exportAndDownload(page: Page, button: string) {
  await page.getByRole('button', { name: button }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('导出')
  const link = page.getByRole('link', { name: /下载文件/ })
  await expect(link).toBeVisible({ timeout: 20_000 })
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) }
}

test('a supervisor lists the refusals of the year with their grounds and exports them to .xlsx: the file holds the listed rows', async ({ page }) => {
  await loginAs(page, 'supervisor')
  await page.getByRole('navigation').getByRole('link', { name: '决定台账', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('不予登记、解除、撤销登记台账')
  const year = new Date().getFullYear()
  await page.getByLabel('决定类别').selectOption('refused')
  await page.getByLabel('决定年度').selectOption(String(year))
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/kind=refused/)
  const listed = await listedFirstCells(page)
  await expect(page.locator('table.data-table tbody tr').first()).toContainText('不予登记')
  await expectAccessible(page)
  const file = await exportAndDownload(page, '导出 Excel')
  expect(file.name).toMatch(/\.xlsx$/)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(file.bytes.buffer.slice(file.bytes.byteOffset, file.bytes.byteOffset + file.bytes.byteLength) as ArrayBuffer)
  const sheet = workbook.worksheets[0]
  expect(String(sheet.getRow(1).getCell(1).value)).toContain('kind=refused')
  expect(sheet.getRow(2).getCell(4).value).toBe('文书编号')
  expect(sheet.getRow(2).getCell(5).value).toBe('不予登记理由')
  const ids: string[] = []
  sheet.eachRow((row, n) => {
    if (n <= 2) return
    ids.push(String(row.getCell(1).value))
    expect(row.getCell(2).value).toBe('不予登记')
    expect(row.getCell(3).value).toBeInstanceOf(Date) // a real date
    expect(String(row.getCell(5).value)).not.toBe('')
    expect(String(row.getCell(12).value ?? '')).not.toMatch(/\d{17}[\dX]/) // ID numbers masked
  })
  expect(ids.sort()).toEqual([...listed].sort())
})

test('the root-seeking register filtered by state exports to .csv with its BOM; a reversed period is refused next to the field', async ({ page }) => {
  await loginAs(page, 'supervisor')
  await page.goto('/rootseeking')
  await page.getByLabel('状态').selectOption('received')
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/state=received/)
  const listed = await listedFirstCells(page)
  await expectAccessible(page)
  const file = await exportAndDownload(page, '导出 CSV')
  expect(file.name).toMatch(/\.csv$/)
  const text = file.bytes.toString('utf8')
  expect(text.startsWith('\uFEFF编号,收到方式,状态,')).toBe(true)
  const lines = text.slice(1).trimEnd().split('\r\n').slice(1)
  expect(lines.map((l) => l.split(',')[0]).sort()).toEqual([...listed].sort())
  for (const line of lines) expect(line.split(',')[2]).toBe('待答复')

  await page.goto('/followup/reports?concern=serious&from=2026-11-20&to=2026-11-01')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('回访记录台账')
  await expect(page.locator('#f-to-error')).toHaveText('截止日期早于起始日期，请更正。')
  await expect(page.getByLabel('关注程度')).toHaveValue('serious')
  await page.goto('/assessments?state=nonsense')
  await expect(page.getByText('此筛选值不在可选范围内，已忽略。')).toBeVisible()
})

test('the other new register pages are accessible and show no untranslated key, in Chinese and English', async ({ page }) => {
  await loginAs(page, 'supervisor')
  for (const path of ['/assessments?basis=completed', '/archive/requests?state=expired', '/followup/reports?reviewed=no', '/followup/intercountry/reports?state=overdue']) {
    await page.goto(path)
    await expect(page.getByRole('button', { name: '导出 Excel' })).toBeVisible()
    await expectAccessible(page)
  }
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en') // the switch is saved before the next page
  try {
    await page.goto('/ledgers/decisions?kind=revoked')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Refusals, dissolutions and revocations')
    await expectAccessible(page)
  } finally {
    // The language is kept on the account: back to Chinese for the specs that follow, whatever happened.
    await page.getByRole('button', { name: '中文' }).click()
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('不予登记、解除、撤销登记台账')
})
