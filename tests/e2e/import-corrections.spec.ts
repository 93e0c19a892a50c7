// Historical import, second part (issue 9): a registrar corrects the name of an imported
// registration (a ledger typo) with a reason and sees the correction in its history; a registration
// made in the system sends them to its legal route instead; without JavaScript, the town of
// residence set on an imported registration that had none (decision 022). And the import page when
// a dry run stopped on a file it cannot read.
import { expect, test, type Page } from '@playwright/test'
import { expectAccessible, loginAs } from './helpers.ts'
import { ledgerCsv, ordinaryRow } from '../support/ledgers.ts'
import { approveCorrection, approveImport } from './four-eyes.ts'

async function importLedger(page: Page, name: string, csv: string | Buffer) {
  await page.goto('/admin/import')
  await page.getByLabel('台账文件（.xlsx 或 .csv，UTF-8 或 GB18030）').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: '上传' }).click()
  await expect(page.getByRole('heading', { name: `导入：${name}` })).toBeVisible()
  await page.getByRole('button', { name: '保存对应并试运行' }).click()
}

test('a registrar corrects the name of an imported child, with a reason; a supervisor approves it; it is in the history', async ({ page, browser }) => {
  test.setTimeout(120_000)
  await loginAs(page, 'registrar')
  await importLedger(page, '更正测试台账.csv', ledgerCsv([
    ordinaryRow({ number: '（2011）渝大收字第0771号', registeredOn: '2011-04-05', adopter: '慕容清', spouse: '慕容雪', child: '慕容小风', childBirth: '2010-02-03' }, 771),
    ordinaryRow({ number: '（2011）渝大收字第0772号', registeredOn: '2011-04-06', adopter: '慕容江', spouse: '慕容月', child: '慕容小雨', childBirth: '2010-03-04' }, 772),
  ]))
  await expect(page.getByRole('heading', { name: '试运行报告' })).toBeVisible({ timeout: 30_000 })
  await approveImport(page, browser, '更正测试台账.csv', 2)
  await page.getByRole('button', { name: '导入 2 行', exact: true }).click()
  await expect(page.getByText('已导入 2 行')).toBeVisible({ timeout: 30_000 })

  await page.goto('/applications?q=慕容小风')
  await page.getByRole('row', { name: /慕容清/ }).getByRole('link').first().click()
  await page.getByRole('link', { name: '更正导入记录' }).click()
  await expect(page.getByRole('heading', { name: '更正导入的登记' })).toBeVisible()
  await expectAccessible(page)

  // No reason: refused next to the reason, the typed name kept.
  await page.getByLabel('被收养人姓名', { exact: true }).fill('慕容小枫')
  await page.getByLabel('更正理由').fill('x')
  await page.getByRole('button', { name: '保存更正' }).click()
  await expect(page.getByText('请填写更正理由。')).toBeVisible()
  await expect(page.getByLabel('被收养人姓名', { exact: true })).toHaveValue('慕容小枫')
  // A registration number another registration has: refused next to that field.
  await page.getByLabel('登记证号', { exact: true }).fill('（2011）渝大收字第0772号')
  await page.getByLabel('更正理由').fill('台账录入错误，依原始档案第2页更正')
  await page.getByRole('button', { name: '保存更正' }).click()
  await expect(page.locator('.field', { has: page.getByLabel('登记证号', { exact: true }) })).toContainText('本登记机关已有登记使用此登记证号')
  await page.getByLabel('登记证号', { exact: true }).fill('（2011）渝大收字第0771号')
  await page.getByLabel('被收养人姓名', { exact: true }).fill('慕容小枫')
  // A town that is not in this registry's list (a forged choice): refused next to the town, the
  // typed values kept, nothing saved (the history below holds the name's correction only).
  await page.getByLabel('居住地乡镇（街道）').evaluate((select: HTMLSelectElement) => { select.add(new Option('外县某镇', '999999999')); select.value = '999999999' })
  await page.getByLabel('更正理由').fill('台账录入错误，依原始档案第2页更正')
  await page.getByRole('button', { name: '保存更正' }).click()
  await expect(page.locator('.field', { has: page.getByLabel('居住地乡镇（街道）') })).toContainText('所选乡镇（街道）不在本县（区）的名录中。')
  await expect(page.getByLabel('被收养人姓名', { exact: true })).toHaveValue('慕容小枫')
  await expect(page.getByLabel('更正理由')).toHaveValue('台账录入错误，依原始档案第2页更正')
  await page.getByLabel('居住地乡镇（街道）').selectOption({ label: '未填写' })
  await page.screenshot({ path: 'tests/e2e/.artifacts/import-correction.png', fullPage: true })
  await page.getByRole('button', { name: '保存更正' }).click()

  // Back on the registration: the name is an identity field, so the correction waits for a second
  // person (decision 027); the record is unchanged until a supervisor approves it.
  await expect(page.getByRole('heading', { name: '待审批的更正' })).toBeVisible()
  await expect(page.getByRole('button', { name: '批准更正' })).toHaveCount(0)
  const applicationPath = new URL(page.url()).pathname
  await approveCorrection(browser, applicationPath)
  await page.reload()
  await expect(page.getByRole('heading', { name: '更正记录' })).toBeVisible()
  const history = page.getByRole('region', { name: '更正记录' })
  const row = history.getByRole('row', { name: /被收养人姓名/ })
  await expect(row).toContainText('慕容小风')
  await expect(row).toContainText('慕容小枫')
  await expect(row).toContainText('台账录入错误，依原始档案第2页更正')
  await expect(history.getByRole('row')).toHaveCount(2) // the heading row and the name's correction
  await expect(page.getByText('更正登记记录', { exact: true }).first()).toBeVisible()
  await expectAccessible(page)
  await page.screenshot({ path: 'tests/e2e/.artifacts/import-correction-history.png', fullPage: true })
  await page.goto('/applications?q=慕容小枫')
  await expect(page.getByRole('row', { name: /慕容清/ })).toBeVisible()
})

test('without JavaScript, the town of an imported registration that has none is set on its correction page and the ledger finds it under that town', async ({ page, browser }) => {
  test.setTimeout(120_000)
  await loginAs(page, 'registrar')
  await importLedger(page, '居住地补录台账.csv', ledgerCsv([
    ordinaryRow({ number: '（2012）渝大收字第0881号', registeredOn: '2012-05-06', adopter: '欧阳明', spouse: '欧阳岚', child: '欧阳小溪', childBirth: '2011-01-02' }, 881),
  ]))
  await expect(page.getByRole('heading', { name: '试运行报告' })).toBeVisible({ timeout: 30_000 })
  await approveImport(page, browser, '居住地补录台账.csv', 1)
  await page.getByRole('button', { name: '导入 1 行', exact: true }).click()
  await expect(page.getByText('已导入 1 行')).toBeVisible({ timeout: 30_000 })

  const context = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false })
  const desk = await context.newPage()
  await loginAs(desk, 'registrar')
  // The ledger filtered by "town not recorded" lists it.
  await desk.goto('/applications')
  await desk.getByLabel('居住地乡镇（街道）').selectOption({ label: '未填写' })
  await desk.getByRole('button', { name: '筛选' }).click()
  await expect(desk).toHaveURL(/town=none/)
  await desk.getByRole('row', { name: /欧阳明/ }).getByRole('link').first().click()
  // The registration says its town is not recorded, and where to record it.
  await expect(desk.locator('dl.facts')).toContainText('未填写')
  await desk.getByRole('link', { name: '补录居住地' }).click()
  await expect(desk.getByText('目前未填写居住地')).toBeVisible()
  const town = desk.getByLabel('居住地乡镇（街道）')
  await expect(town).toHaveValue('')
  // Refused for a reason too short: the chosen town is kept.
  await town.selectOption({ label: '龙水镇' })
  await desk.getByLabel('更正理由').fill('x')
  await desk.getByRole('button', { name: '保存更正' }).click()
  await expect(desk.getByText('请填写更正理由。')).toBeVisible()
  await expect(desk.getByLabel('居住地乡镇（街道）')).toHaveValue(/^\d+$/)
  await expect(desk.getByLabel('居住地乡镇（街道）').locator('option:checked')).toHaveText('龙水镇')
  await desk.getByLabel('更正理由').fill('台账未记居住地，依原始档案补录')
  await desk.getByRole('button', { name: '保存更正' }).click()

  const row = desk.getByRole('region', { name: '更正记录' }).getByRole('row', { name: /居住地乡镇（街道）/ })
  await expect(row).toContainText('龙水镇')
  await expect(row).toContainText('台账未记居住地，依原始档案补录')
  await expect(desk.locator('dl.facts')).toContainText('龙水镇')
  await expect(desk.getByRole('link', { name: '补录居住地' })).toHaveCount(0)
  await desk.goto('/applications')
  await desk.getByLabel('居住地乡镇（街道）').selectOption({ label: '龙水镇' })
  await desk.getByRole('button', { name: '筛选' }).click()
  await expect(desk.getByRole('row', { name: /欧阳明/ })).toBeVisible()
  await desk.goto('/applications?town=none')
  await expect(desk.getByRole('row', { name: /欧阳明/ })).toHaveCount(0)
  await context.close()
})

test('a registration made in the system is not corrected here: the page names its legal route', async ({ page }) => {
  await loginAs(page, 'registrar')
  await page.goto('/applications')
  const links = page.getByRole('table').getByRole('link')
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')).filter((h): h is string => !!h && /^\/applications\/\d+$/.test(h)))
  for (const href of hrefs) {
    await page.goto(`${href}/correct`)
    if (await page.getByText('此登记在本系统中办理，不能在此更正').isVisible()) {
      await expect(page.getByRole('button', { name: '保存更正' })).toHaveCount(0)
      await expectAccessible(page)
      return
    }
  }
  throw new Error('no registration made in the system in the demo data')
})

test('the import page when the dry run stopped on a file it cannot read', async ({ page }) => {
  test.setTimeout(60_000)
  await loginAs(page, 'registrar')
  const rows = Array.from({ length: 2500 }, (_, i) => ordinaryRow({}, 20000 + i))
  // Valid UTF-8 for the first few hundred kilobytes, then bytes that are not.
  await importLedger(page, '编码损坏.csv', Buffer.concat([Buffer.from(ledgerCsv(rows)), Buffer.from([0xff, 0xfe, 0x2c, 0x0d, 0x0a])]))
  await expect(page.getByText('CSV 文件编码无法识别（支持 UTF-8 和 GB18030）。')).toBeVisible({ timeout: 30_000 })
  await expectAccessible(page)
  // The viewport, not the full page: the mapping form's sticky button bar would be drawn mid-page.
  await page.screenshot({ path: 'tests/e2e/.artifacts/import-failed.png' })
})
