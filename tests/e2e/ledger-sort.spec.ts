// Sortable ledger columns and the town-of-residence filter in the browser, with JavaScript and
// without: the headings are links keeping the filters, aria-sort says the order, the filter form
// keeps the sort; the administrator's list of towns; the application form refuses a missing town
// next to its field, values kept.
import { expect, test, type Page } from '@playwright/test'
import { expectAccessible, loginAs } from './helpers.ts'
import { couple, fillPerson } from './flows.ts'

/** The ledger's rows as [received date, adopters cell] (the town is the adopters' second line). */
async function ledgerRows(page: Page) {
  return page.locator('table.data-table tbody tr').evaluateAll((rows) => rows.map((r) => {
    const cells = [...r.querySelectorAll('td')].map((c) => c.textContent?.trim() ?? '')
    return { id: cells[0], adopters: cells[3], received: cells[5] }
  }))
}

const asDay = (zh: string) => zh.replace(/(\d{4})年(\d{1,2})月(\d{1,2})日/, (_, y, m, d) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`)

async function filterAndSort(page: Page, javaScript: boolean) {
  await loginAs(page, 'registrar')
  await page.goto('/applications')
  await page.getByLabel('居住地乡镇（街道）').selectOption({ label: '龙岗街道' })
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/town=\d+/)
  const filtered = await ledgerRows(page)
  expect(filtered.length).toBeGreaterThan(0)
  for (const row of filtered) expect(row.adopters).toContain('龙岗街道')

  // Sort by receipt date: the heading is a link keeping the filter; newest first, then oldest first.
  const heading = page.getByRole('columnheader', { name: /受理日期/ })
  await heading.getByRole('link').click()
  await expect(page).toHaveURL(/sort=received&dir=desc/)
  await expect(page).toHaveURL(/town=\d+/)
  await expect(heading).toHaveAttribute('aria-sort', 'descending')
  const desc = await ledgerRows(page)
  expect(desc.map((r) => r.id).sort()).toEqual(filtered.map((r) => r.id).sort())
  const days = desc.map((r) => asDay(r.received)).filter((d) => /^\d{4}-/.test(d))
  expect(days).toEqual([...days].sort().reverse())
  await heading.getByRole('link').click()
  await expect(page).toHaveURL(/sort=received&dir=asc/)
  await expect(heading).toHaveAttribute('aria-sort', 'ascending')
  const ascDays = (await ledgerRows(page)).map((r) => asDay(r.received)).filter((d) => /^\d{4}-/.test(d))
  expect(ascDays).toEqual([...ascDays].sort())

  // Filtering again keeps the order; a sort value not in the list is named, the list still shown.
  await page.getByLabel('状态').selectOption({ label: '全部' })
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/sort=received&dir=asc/)
  if (javaScript) await expectAccessible(page) // axe runs as a script
  await page.goto('/applications?sort=adopters')
  await expect(page.getByText('排序：此筛选值不在可选范围内，已忽略。')).toBeVisible()
  expect((await ledgerRows(page)).length).toBeGreaterThan(0)
}

test('a registrar filters the ledger by town and sorts it by a column', async ({ page }) => {
  await filterAndSort(page, true)
})

test('the application form asks for the town (a retired one is not offered) next to its field, values kept', async ({ page }) => {
  await loginAs(page, 'registrar')
  await page.goto('/applications/new')
  const options = await page.getByLabel('居住地乡镇（街道）').locator('option').allTextContents()
  expect(options).toContain('棠香街道')
  expect(options.some((o) => o.startsWith('万古镇'))).toBe(false) // retired (demo): not offered
  // Everything filled but the town: refused next to the field, the values kept; then saved with it.
  const people = couple(8100)
  await page.getByLabel('一般收养').check()
  await page.getByLabel('送养人类型').selectOption({ label: '儿童福利机构' })
  await fillPerson(page, '收养人', people.father, '男')
  const child = page.locator('fieldset:has(> legend:text-is("被收养人"))')
  await child.getByLabel('姓名', { exact: true }).fill('福小禾')
  await child.getByLabel('性别').selectOption({ label: '女' })
  await child.getByLabel('出生日期').fill('2022-04-09')
  await child.getByLabel('被收养人情况').selectOption({ label: '查找不到生父母' })
  await page.getByLabel('儿童福利机构名称').fill('重庆市大足区儿童福利院')
  await page.getByRole('button', { name: '保存为待受理申请' }).click()
  await expect(page.getByText('请选择收养人居住地所在的乡镇（街道）；在国外居住的请勾选“收养人在国外居住”。', { exact: true })).toBeVisible()
  await expect(child.getByLabel('姓名', { exact: true })).toHaveValue('福小禾')
  await page.getByLabel('居住地乡镇（街道）').selectOption({ label: '棠香街道' })
  await page.getByRole('button', { name: '保存为待受理申请' }).click()
  await expect(page.getByRole('heading', { name: /收养登记申请 \d+/ })).toBeVisible()
  await expect(page.getByRole('definition').filter({ hasText: /^棠香街道\s*500111002/ })).toBeVisible()
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the same: plain links and a plain form', async ({ page }) => {
    await filterAndSort(page, false)
  })

  test('the archivist sorts the archive register by year; the supervisor the tasks by caseworker, filtered by town', async ({ page }) => {
    await loginAs(page, 'archivist')
    await page.goto('/archive')
    await page.getByRole('columnheader', { name: /年度/ }).getByRole('link').click()
    await expect(page.getByRole('columnheader', { name: /年度/ })).toHaveAttribute('aria-sort', 'descending')
    const years = await page.locator('table.data-table tbody tr td:nth-child(4)').allTextContents()
    expect(years.length).toBeGreaterThan(0)
    expect(years.map(Number)).toEqual([...years.map(Number)].sort((a, b) => b - a))

    await page.context().clearCookies() // signed out
    await loginAs(page, 'supervisor')
    await page.goto('/followup/tasks')
    await page.getByLabel('居住地乡镇（街道）').selectOption({ index: 1 })
    await page.getByRole('button', { name: '筛选' }).click()
    await page.getByRole('columnheader', { name: /回访人/ }).getByRole('link').click()
    await expect(page).toHaveURL(/town=\d+.*sort=caseworker&dir=asc/)
    await expect(page.getByRole('columnheader', { name: /回访人/ })).toHaveAttribute('aria-sort', 'ascending')
  })

  test('the administrator adds, renames and retires a town', async ({ page }) => {
    await loginAs(page, 'sysadmin')
    await page.goto('/admin/towns')
    await page.getByLabel('行政区划代码').fill('500112001')
    await page.getByLabel('名称', { exact: true }).fill('新城街道')
    await page.getByLabel('类别').selectOption({ label: '街道' })
    await page.getByRole('button', { name: '新增乡镇（街道）' }).click()
    await expect(page.getByText('代码不属于本县（区）：应以 500111 开头。')).toBeVisible()
    await expect(page.getByLabel('名称', { exact: true })).toHaveValue('新城街道')
    await page.getByLabel('行政区划代码').fill('500111005')
    await page.getByRole('button', { name: '新增乡镇（街道）' }).click()
    await expect(page.getByText('已新增。')).toBeVisible()
    const row = page.getByRole('row', { name: /500111005/ })
    await row.getByRole('textbox').fill('新城街道（更名）')
    await row.getByRole('button', { name: '更名' }).click()
    await expect(page.getByText('已更名。')).toBeVisible()
    await page.getByRole('row', { name: /500111005/ }).getByRole('button', { name: /停用/ }).click()
    await expect(page.getByRole('row', { name: /500111005/ })).toContainText('停用')

  })
})
