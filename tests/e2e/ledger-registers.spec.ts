import { expect, test, type Page } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import { shanghaiDate } from './flows.ts'
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
  // The demo refusals were decided about 20 and 70 days ago: this year's in Shanghai, or early in
  // January the last year's.
  const thisYear = Number(shanghaiDate().slice(0, 4))
  for (const year of [thisYear, thisYear - 1]) {
    await page.getByLabel('决定类别').selectOption('refused')
    await page.getByLabel('决定年度').selectOption(String(year))
    await page.getByRole('button', { name: '筛选' }).click()
    await expect(page).toHaveURL(new RegExp(`year=${year}`))
    if (await page.locator('table.data-table tbody td.empty').count() === 0) break
  }
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
  for (const path of ['/assessments?basis=completed&sort=daysLeft&dir=asc', '/archive/requests?state=expired&sort=decided&dir=desc', '/followup/reports?reviewed=no&sort=concern&dir=desc',
    '/followup/intercountry/reports?state=overdue&sort=due&dir=asc']) {
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

/** A shown date ("2026年11月28日", "2026-11-28", "Nov 28, 2026"…) as YYYY-MM-DD, for comparing. */
function isoOf(text: string) {
  const m = text.match(/(\d{4})\D+(\d{1,2})\D+(\d{1,2})/)
  expect(m, text).not.toBeNull()
  return `${m![1]}-${m![2].padStart(2, '0')}-${m![3].padStart(2, '0')}`
}

test('without JavaScript, the post-placement register sorted by its due-date header keeps the order onto the next page', async ({ browser }) => {
  test.setTimeout(120_000)
  const context = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false })
  const page = await context.newPage()
  await loginAs(page, 'caseworker')
  // Eight more intercountry adoptions of 2024 (six reports each) make the register longer than a page.
  for (let i = 1; i <= 8; i++) {
    await page.goto('/followup/intercountry')
    await page.getByLabel('登记证号', { exact: true }).fill(`渝涉外收字（2024）第09${String(i).padStart(2, '0')}号`)
    await page.getByLabel('登记日期', { exact: true }).fill(`2024-0${1 + (i % 6)}-1${i % 9}`)
    await page.getByLabel('批准日期', { exact: true }).fill('2023-12-01')
    await page.getByLabel('被收养人姓名', { exact: true }).fill(`福排序${i}`)
    await page.getByLabel('被收养人出生日期', { exact: true }).fill('2022-01-01')
    await page.getByLabel('收养人', { exact: true }).fill('A. Example, B. Example')
    await page.getByLabel('收养国', { exact: true }).fill(i % 2 ? 'Canada' : 'Italy')
    await page.getByLabel('外国收养组织', { exact: true }).fill('Example Agency')
    await page.getByRole('button', { name: '保存并生成报告计划' }).click()
    await expect(page).toHaveURL(/\/followup\/intercountry\/\d+$/)
  }

  await page.goto('/followup/intercountry/reports?country=Canada')
  await page.getByRole('columnheader', { name: /应交日期/ }).getByRole('link').click()
  await expect(page).toHaveURL(/sort=due/)
  expect(new URL(page.url()).searchParams.get('country')).toBe('Canada') // the filter kept
  await expect(page.getByRole('columnheader', { name: /应交日期/ })).toHaveAttribute('aria-sort', 'ascending')
  const rowsOf = () => page.locator('table.data-table tbody tr').evaluateAll((rows) => rows.map((r) => {
    const cells = [...r.querySelectorAll('td')]
    return { number: cells[0]?.querySelector('a')?.textContent?.trim() ?? '', report: cells[3]?.textContent?.trim() ?? '', due: cells[4]?.childNodes[0]?.textContent?.trim() ?? '' }
  }))
  const canada = await rowsOf()
  expect(canada.length).toBe(24)
  const dues = canada.map((r) => isoOf(r.due))
  expect(dues).toEqual([...dues].sort())

  // The whole register, sorted: a first page of 50, then the next one continuing the order.
  await page.goto('/followup/intercountry/reports')
  await page.getByRole('columnheader', { name: /应交日期/ }).getByRole('link').click()
  await expect(page).toHaveURL(/sort=due&dir=asc/)
  const first = await rowsOf()
  expect(first.length).toBe(50)
  await page.getByRole('link', { name: '下一页' }).click()
  await expect(page).toHaveURL(/sort=due&dir=asc&after=\d{4}-\d{2}-\d{2}%7C\d+/)
  await expect(page.getByRole('columnheader', { name: /应交日期/ })).toHaveAttribute('aria-sort', 'ascending')
  const second = await rowsOf()
  expect(second.length).toBeGreaterThan(0)
  const all = [...first, ...second]
  const order = all.map((r) => isoOf(r.due))
  expect(order).toEqual([...order].sort())
  expect(new Set(all.map((r) => `${r.number} ${r.report}`)).size).toBe(all.length) // nothing twice
  expect(all.length).toBeGreaterThanOrEqual(54)

  // The header again: descending, from the first page.
  await page.getByRole('columnheader', { name: /应交日期/ }).getByRole('link').click()
  await expect(page).toHaveURL(/sort=due&dir=desc$/)
  await expect(page.getByRole('columnheader', { name: /应交日期/ })).toHaveAttribute('aria-sort', 'descending')
  const desc = (await rowsOf()).map((r) => isoOf(r.due))
  expect(desc).toEqual([...order].sort().reverse().slice(0, 50))
  // A sort value not among the columns: named next to the table, the register in its own order.
  await page.goto('/followup/intercountry/reports?sort=adopters')
  await expect(page.locator('.sort-error')).toContainText('此筛选值不在可选范围内')
  await expect(page.locator('table.data-table tbody tr')).toHaveCount(50)
  await context.close()
})
