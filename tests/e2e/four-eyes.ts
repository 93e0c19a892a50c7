// Four eyes in the browser (decision 027): the second person — the demo supervisor, in a browser
// context of their own — approves what the registrar asked for.
import { expect, type Browser, type Page } from '@playwright/test'
import { expectAccessible, loginAs } from './helpers.ts'

/** The registrar asks for approval of the dry run; the supervisor finds it on 待我审批 and approves it; the registrar's page shows it approved. */
export async function approveImport(page: Page, browser: Browser, filename: string, rows: number) {
  await page.getByRole('button', { name: `提请审批（将导入 ${rows} 行）` }).click()
  await expect(page.getByText(/提请审批，等待另一名审批人员决定/)).toBeVisible()
  // The registrar cannot approve: no approval form on their page.
  await expect(page.getByRole('button', { name: /批准导入/ })).toHaveCount(0)
  const context = await browser.newContext({ locale: 'zh-CN' })
  const desk = await context.newPage()
  await loginAs(desk, 'supervisor')
  await desk.getByRole('link', { name: /待审批：导入/ }).click()
  await expect(desk.getByRole('heading', { name: '待审批事项' })).toBeVisible()
  await expectAccessible(desk)
  await desk.getByRole('link', { name: filename }).click()
  await expect(desk.getByRole('heading', { name: '审批试运行报告' })).toBeVisible()
  await desk.getByRole('button', { name: `批准导入 ${rows} 行` }).click()
  await expect(desk.getByText(/批准了此试运行报告/)).toBeVisible()
  await context.close()
  await page.reload()
  await expect(page.getByText(/批准了此试运行报告/)).toBeVisible()
}

/** The supervisor approves the correction awaiting approval on a registration's page. */
export async function approveCorrection(browser: Browser, applicationPath: string) {
  const context = await browser.newContext({ locale: 'zh-CN' })
  const desk = await context.newPage()
  await loginAs(desk, 'supervisor')
  await desk.goto(applicationPath)
  await expect(desk.getByRole('heading', { name: '待审批的更正' })).toBeVisible()
  await expectAccessible(desk)
  await desk.getByRole('button', { name: '批准更正' }).click()
  await expect(desk.getByRole('heading', { name: '待审批的更正' })).toHaveCount(0)
  await context.close()
}
