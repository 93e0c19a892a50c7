// Staff hand-over (issue 6): the administrator cannot deactivate a caseworker who still holds open
// follow-up work; a supervisor hands it all to another caseworker in one step; then the account can
// be deactivated, and the receiver's e-mail is in the outbox (no SMTP in the e2e server).
import { expect, test } from '@playwright/test'
import { expectAccessible, loginAs } from './helpers.ts'

test('deactivation waits for the hand-over; a supervisor hands the work over; then the account is deactivated', async ({ page, browser }) => {
  test.setTimeout(60_000)
  // The administrator tries first.
  await loginAs(page, 'sysadmin')
  await page.goto('/admin/users?q=caseworker2')
  const userUrl = await page.getByRole('link', { name: 'caseworker2', exact: true }).getAttribute('href') as string
  await page.goto(userUrl)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('caseworker2')
  await page.getByRole('button', { name: '停用账户' }).click()
  const refusal = page.getByRole('alert').filter({ hasText: '仍有' })
  await expect(refusal).toContainText('不能停用')
  await expect(refusal).toContainText('/staff/handover/')
  await expect(page.getByText('账户已停用')).toHaveCount(0)
  await page.screenshot({ path: 'tests/e2e/.artifacts/handover-deactivate-refused.png', fullPage: true })

  // The supervisor hands the work over.
  const supervisor = await (await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage()
  await loginAs(supervisor, 'supervisor')
  await supervisor.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作交接' }).click()
  await expect(supervisor.getByRole('heading', { name: '人员更替工作交接' })).toBeVisible()
  await expectAccessible(supervisor)
  await supervisor.screenshot({ path: 'tests/e2e/.artifacts/handover-list.png', fullPage: true })
  await supervisor.locator('tr', { hasText: '周随访' }).getByRole('link', { name: '办理交接' }).click()
  await expect(supervisor.getByRole('heading', { name: /周随访 的未办结工作/ })).toBeVisible()
  const visits = Number(await supervisor.locator('tr', { hasText: '收养后随访' }).locator('td.num').innerText())
  expect(visits).toBeGreaterThan(0)

  // Without a reason and the confirmation: messages beside the fields, nothing moved.
  await supervisor.getByLabel('接收人（全部工作）').selectOption({ label: '张回访（caseworker）' })
  await supervisor.getByRole('button', { name: '确认移交' }).click()
  await expect(supervisor.getByText('请填写此项。')).toBeVisible()
  await expect(supervisor.getByText('请勾选确认后再移交。')).toBeVisible()
  await expect(supervisor.getByLabel('接收人（全部工作）')).toHaveValue(/\d+/)
  await expectAccessible(supervisor)

  await supervisor.getByLabel('交接原因').fill('调往社会救助科')
  await supervisor.getByLabel('我已核对以上工作，确认一次性移交给所选接收人。').check()
  await supervisor.screenshot({ path: 'tests/e2e/.artifacts/handover-form.png', fullPage: true })
  await supervisor.getByRole('button', { name: '确认移交' }).click()
  await expect(supervisor.getByText(`已移交 ${visits} 项工作`)).toBeVisible()
  await expect(supervisor.getByText('该人员目前没有未办结工作')).toBeVisible()
  await expect(supervisor.locator('tr', { hasText: '调往社会救助科' })).toContainText('张回访')
  await supervisor.screenshot({ path: 'tests/e2e/.artifacts/handover-done.png', fullPage: true })
  await supervisor.setViewportSize({ width: 390, height: 844 })
  await supervisor.screenshot({ path: 'tests/e2e/.artifacts/handover-done-phone.png', fullPage: true })

  // Now the administrator can deactivate, and the receiver's mail is in the outbox.
  await page.goto(userUrl)
  await page.getByRole('button', { name: '停用账户' }).click()
  await expect(page.getByText('账户已停用')).toBeVisible()
  await page.goto('/admin/outbox')
  await expect(page.getByText('工作交接：周随访 的工作已移交给您').first()).toBeVisible({ timeout: 10_000 })
})
