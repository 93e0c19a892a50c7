import { expect, test } from '@playwright/test'
import { expectAccessible, loginAs } from './helpers.ts'

test('an administrator adds an entrusted agency and sees it listed', async ({ page }) => {
  await loginAs(page, 'sysadmin')
  await page.goto('/admin/agencies')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('受委托评估机构')
  await page.getByLabel('机构名称').fill('大足区阳光社会工作服务中心')
  await page.getByLabel('统一社会信用代码').fill('91110000100006485K')
  await page.getByLabel('业务范围').fill('社会工作服务、收养评估')
  await page.getByLabel('合同开始').fill('2026-01-01')
  await page.getByLabel('合同结束').fill('2030-12-31')
  await page.getByRole('button', { name: '保存机构' }).click()
  await expect(page.getByText('已新增评估机构。')).toBeVisible()
  const row = page.locator('table.data-table tbody tr', { hasText: '大足区阳光社会工作服务中心' })
  await expect(row).toContainText('91110000100006485K')
  // No data processing agreement yet: flagged.
  await expect(row.getByText('未签订')).toBeVisible()
  await expect(page.getByLabel('机构名称')).toHaveValue('')
  await expectAccessible(page)

  await row.getByRole('link', { name: '编辑 大足区阳光社会工作服务中心' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('大足区阳光社会工作服务中心')
  await page.getByLabel('数据处理协议签订日期').fill('2026-01-05')
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await expect(page.getByText('已保存。')).toBeVisible()
  await expect(page.getByLabel('李评估 的所属机构')).toBeVisible()
  await expectAccessible(page)
})

test('a wrong credit code shows the error next to the field and keeps the values', async ({ page }) => {
  await loginAs(page, 'sysadmin')
  await page.goto('/admin/agencies')
  await page.getByLabel('机构名称').fill('某某评估机构')
  await page.getByLabel('统一社会信用代码').fill('91110000100006485A')
  await page.getByLabel('业务范围').fill('收养评估')
  await page.getByLabel('合同开始').fill('2026-01-01')
  await page.getByLabel('合同结束').fill('2026-12-31')
  await page.getByRole('button', { name: '保存机构' }).click()
  await expect(page.getByText('统一社会信用代码不正确（18 位，校验位不符）。')).toBeVisible()
  await expect(page.getByLabel('统一社会信用代码')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByLabel('机构名称')).toHaveValue('某某评估机构')
  await expect(page.locator('table.data-table tbody')).not.toContainText('某某评估机构')
})

test('the instruments page shows version 1; invalid JSON is refused next to the field', async ({ page }) => {
  await loginAs(page, 'sysadmin')
  await page.goto('/admin/instruments')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('评估指标体系')
  const versions = page.getByRole('region', { name: '版本记录' })
  await expect(versions.locator('tbody tr')).toHaveCount(1)
  await expect(versions.locator('tbody tr td').first()).toContainText('1')
  await expect(versions.locator('tbody tr').first()).toContainText('收养能力评估指标（百分制）')
  await expect(page.getByRole('region', { name: '当前版本' }).getByText('融合情况')).toBeVisible()
  await expectAccessible(page)

  const field = page.getByLabel('指标体系（JSON）')
  await field.fill('{ "title": ')
  await page.getByRole('button', { name: '发布新版本' }).click()
  await expect(page.locator('#definition-error')).toContainText('指标体系不符合要求：JSON')
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  await expect(field).toHaveValue('{ "title": ')

  // Well-formed JSON that is not an instrument: the first problem, with where it is.
  await field.fill('{ "title": { "zh": "新指标", "en": "New" } }')
  await page.getByRole('button', { name: '发布新版本' }).click()
  await expect(page.locator('#definition-error')).toContainText('指标体系不符合要求：scale')
  await expect(versions.locator('tbody tr')).toHaveCount(1)
})
