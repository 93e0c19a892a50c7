// Historical import (issue: historical records): a registrar — the role that holds case content,
// decision 012 — uploads an .xlsx ledger with a merged two-row header, reads the dry-run report,
// imports, and finds an imported family in the registration ledger.
import { expect, test } from '@playwright/test'
import { expectAccessible, login, loginAs } from './helpers.ts'
import { ledgerXlsx, ordinaryRow } from '../support/ledgers.ts'
import { approveImport } from './four-eyes.ts'

test('a ledger is uploaded, dry-run, approved by a supervisor, imported, and an imported family is found in the ledger', async ({ page, browser }) => {
  test.setTimeout(120_000)
  const rows = [
    ordinaryRow({ number: '（2012）渝大收字第0901号', registeredOn: '2012.6.1', adopter: '欧阳立新', spouse: '欧阳秀梅', child: '欧阳小禾', childBirth: '2011-02-03' }, 901),
    ordinaryRow({ number: '（2012）渝大收字第0902号', registeredOn: '2012年7月2日', adopter: '司马建华', spouse: '司马丽', child: '司马小满', childBirth: '2011-03-04', secrecy: '是' }, 902),
    ordinaryRow({ number: '（2012）渝大收字第0903号', registeredOn: '2012-02-30', adopter: '上官明', child: '上官小雨', childBirth: '2011-05-06' }, 903),
  ]
  await loginAs(page, 'registrar')
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '历史数据导入' }).click()
  await expect(page.getByRole('heading', { name: '历史台账导入' })).toBeVisible()
  await expectAccessible(page)

  // Not a spreadsheet: refused with a clear message, nothing kept.
  await page.getByLabel('台账文件（.xlsx 或 .csv，UTF-8 或 GB18030）').setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n\u0000\u0001') })
  await page.getByRole('button', { name: '上传' }).click()
  await expect(page.getByText('这不是电子表格：请上传 .xlsx 或 .csv 文件。')).toBeVisible()

  await page.getByLabel('台账文件（.xlsx 或 .csv，UTF-8 或 GB18030）').setInputFiles({ name: '收养登记台账.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await ledgerXlsx(rows) })
  await page.getByRole('button', { name: '上传' }).click()
  await expect(page.getByRole('heading', { name: '导入：收养登记台账.xlsx' })).toBeVisible()
  // The merged header was read and the mapping proposed from the usual names.
  await expect(page.getByRole('combobox', { name: '收养人姓名', exact: true })).toHaveValue('收养人姓名')
  await expect(page.getByRole('combobox', { name: '共同收养人姓名', exact: true })).toHaveValue('配偶姓名')
  await expect(page.getByRole('combobox', { name: '被收养人出生日期', exact: true })).toHaveValue('被收养人出生日期')
  await expectAccessible(page)
  await page.screenshot({ path: 'tests/e2e/.artifacts/import-mapping.png', fullPage: true })
  await page.getByRole('button', { name: '保存对应并试运行' }).click()

  // The progress page refreshes itself until the report is there.
  await expect(page.getByRole('heading', { name: '试运行报告' })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText('将导入 2 行', { exact: true })).toBeVisible()
  await expect(page.getByText('无效 1 行')).toBeVisible()
  const invalid = page.getByRole('row', { name: /0903/ })
  await expect(invalid).toContainText('登记日期：日期无法识别或不存在（2012-02-30）')
  await expectAccessible(page)
  await page.screenshot({ path: 'tests/e2e/.artifacts/import-report.png', fullPage: true })
  const errors = await page.request.get(await page.getByRole('link', { name: /下载无效行/ }).getAttribute('href') as string)
  expect(errors.headers()['content-type']).toContain('spreadsheetml')
  expect((await errors.body()).subarray(0, 2).toString()).toBe('PK')

  // Nothing is imported before a second person approves this dry run (decision 027).
  await expect(page.getByRole('button', { name: '导入 2 行', exact: true })).toHaveCount(0)
  await approveImport(page, browser, '收养登记台账.xlsx', 2)
  await page.getByRole('button', { name: '导入 2 行', exact: true }).click()
  await expect(page.getByRole('heading', { name: '导入结果' })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText('已导入 2 行')).toBeVisible()
  await page.screenshot({ path: 'tests/e2e/.artifacts/import-result.png', fullPage: true })

  // Found in the registration ledger at once, by name and by registration number.
  await page.goto('/applications?q=欧阳小禾')
  const found = page.getByRole('row', { name: /欧阳立新/ })
  await expect(found).toContainText('（2012）渝大收字第0901号')
  await page.goto(`/applications?q=${encodeURIComponent('渝大收字第0902号')}`)
  await expect(page.getByRole('row', { name: /司马建华/ })).toBeVisible()
  // The registration itself: marked as imported in its timeline, with the file and the row.
  await page.goto('/applications?q=欧阳小禾')
  await page.getByRole('row', { name: /欧阳立新/ }).getByRole('link').first().click()
  await expect(page.getByText('自历史台账导入', { exact: true })).toBeVisible()
  await expect(page.getByText(/文件 收养登记台账\.xlsx，第 4 行/)).toBeVisible()
  await expect(page.getByText('此登记自历史台账导入，系统中没有受理审查和申请材料记录；纸质材料见档案。')).toBeVisible()
  await expectAccessible(page)
  await page.screenshot({ path: 'tests/e2e/.artifacts/import-application.png', fullPage: true })
})

test('without JavaScript: upload, dry run with its progress page refreshing itself, the report', async ({ browser }) => {
  test.setTimeout(60_000)
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
  const page = await context.newPage()
  await login(page, 'registrar')
  await page.goto('/admin/import')
  const csv = '\ufeff登记证号,登记日期,收养人姓名,被收养人姓名,被收养人出生日期\r\n（2013）渝大收字第0951号,2013.3.5,诸葛亮明,诸葛小果,2012-01-01\r\n（2013）渝大收字第0952号,3/5/2013,诸葛亮亮,诸葛小叶,2012-02-02\r\n'
  await page.getByLabel('台账文件（.xlsx 或 .csv，UTF-8 或 GB18030）').setInputFiles({ name: 'nojs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: '上传' }).click()
  await expect(page.getByRole('heading', { name: '导入：nojs.csv' })).toBeVisible()
  await page.getByRole('button', { name: '保存对应并试运行' }).click()
  // Either the progress (with its refresh and the link) or, on a fast machine, the report already.
  await expect(page.getByRole('heading', { name: '试运行报告' }).or(page.getByRole('link', { name: '刷新进度' }))).toBeVisible()
  await expect(page.getByRole('heading', { name: '试运行报告' })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText('将导入 2 行', { exact: true })).toBeVisible()
  await expect(page.getByText('1 行的日期写作“3/5/2001”形式，按“月/日/年”读取')).toBeVisible()
  await context.close()
})

test('an administrator reviews the saved mappings and deletes one; the imports themselves (case content) stay closed to them', async ({ page }) => {
  await loginAs(page, 'sysadmin')
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '导入字段对应' }).click()
  await expect(page.getByRole('heading', { name: '导入字段对应' })).toBeVisible()
  const row = page.getByRole('row', { name: /配偶姓名/ })
  await expect(row).toContainText('共同收养人姓名 ← 配偶姓名')
  await expectAccessible(page)
  await row.getByRole('button', { name: '删除' }).click()
  await expect(page.getByText('已保存')).toBeVisible()
  await expect(page.getByRole('row', { name: /配偶姓名/ })).toHaveCount(0)
  const response = await page.request.get('/admin/import')
  expect(response.status()).toBe(403)
})
