import { expect, test } from '@playwright/test'
import { expectAccessible } from './helpers.ts'

// The public guide for prospective adopters: no account, Chinese by default, English on request.

test('an anonymous visitor reads the guide in Chinese, then in English', async ({ page }) => {
  const response = await page.goto('/guide')
  expect(response?.status()).toBe(200)
  await expect(page).toHaveURL(/\/guide$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('收养登记办事指南')
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')

  // The contents link to every kind of adoption.
  const contents = page.getByRole('navigation', { name: '目录' })
  for (const title of ['收养儿童福利机构抚养的儿童', '收养查找不到生父母的弃婴、儿童', '收养由监护人送养的孤儿',
    '收养生父母有特殊困难无力抚养的子女', '收养三代以内旁系同辈血亲的子女', '继父或者继母收养继子女']) {
    await expect(contents.getByRole('link', { name: title })).toBeVisible()
    await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible()
  }
  await contents.getByRole('link', { name: '继父或者继母收养继子女' }).click()
  await expect(page).toHaveURL(/#case-stepchild$/)

  // The step-parent brings fewer documents than an ordinary adopter, and needs no assessment.
  const stepchild = page.getByRole('region', { name: '继父或者继母收养继子女' })
  const institution = page.getByRole('region', { name: '收养儿童福利机构抚养的儿童' })
  const baseRows = (section: typeof stepchild) => section.locator('tbody.guide-docs-base tr')
  const stepCount = await baseRows(stepchild).count()
  const ordinaryCount = await baseRows(institution).count()
  expect(stepCount).toBeGreaterThan(0)
  expect(stepCount).toBeLessThan(ordinaryCount)
  await expect(stepchild.getByRole('table')).toContainText('收养人与被收养人生父或者生母结婚的证明')
  await expect(stepchild.getByRole('table')).not.toContainText('身体健康检查证明')
  await expect(institution.getByRole('table')).toContainText('身体健康检查证明')
  await expect(stepchild.getByText('不需要', { exact: true }).first()).toBeVisible()
  await expect(stepchild).toContainText('收养人年满三十周岁。') // listed among the conditions it is exempt from
  await expectAccessible(page)

  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Adoption registration: a guide for applicants')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page).toHaveURL(/\/guide$/)
  await expect(page.getByRole('heading', { level: 2, name: 'Step-parent adoption' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Step-parent adoption' }).getByRole('table'))
    .toContainText('Proof of the adopter\'s marriage to the child\'s birth father or mother')
  await expect(page.getByRole('columnheader', { name: 'Provided by' }).first()).toBeVisible()
  await expectAccessible(page)

  // The choice is kept in a cookie for the anonymous visitor.
  await page.reload()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Adoption registration: a guide for applicants')
  await page.getByRole('button', { name: '中文' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('收养登记办事指南')
})
