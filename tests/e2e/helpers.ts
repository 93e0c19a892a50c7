import { execFileSync } from 'node:child_process'
import { expect, type Browser, type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'

export const DEMO_PASSWORD = 'e2e-demo-password'

export async function login(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
}

export async function loginAs(page: Page, username: string, password = DEMO_PASSWORD) {
  await login(page, username, password)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('您好')
}

/**
 * A new account the way the bureau makes one under separation of duties (decision 026): the system
 * administrator creates it with no password, the security administrator approves its roles and
 * releases a code, the user sets their own password with the code. Returns the account's page.
 */
export async function createAccount(browser: Browser, username: string, roleLabels: string[], password: string, displayName = `测试 ${username}`): Promise<string> {
  const adminContext = await browser.newContext({ locale: 'zh-CN' })
  const admin = await adminContext.newPage()
  await loginAs(admin, 'sysadmin')
  await admin.goto('/admin/users/new')
  await admin.getByLabel('用户名').fill(username)
  await admin.getByLabel('姓名').fill(displayName)
  for (const role of roleLabels) await admin.getByLabel(role, { exact: true }).check()
  await admin.getByRole('button', { name: '创建用户' }).click()
  await expect(admin.getByText('用户已创建')).toBeVisible()
  await expect(admin.getByText(/待安全管理员审批的角色/)).toBeVisible()
  const url = new URL(admin.url()).pathname
  await adminContext.close()

  const secContext = await browser.newContext({ locale: 'zh-CN' })
  const sec = await secContext.newPage()
  await loginAs(sec, 'secadmin')
  await sec.goto('/admin/approvals')
  for (const role of roleLabels) {
    await sec.getByRole('row').filter({ hasText: username }).filter({ hasText: role }).getByRole('button', { name: '批准' }).click()
    await expect(sec.getByText('已批准，角色立即生效。')).toBeVisible()
  }
  await sec.getByRole('row').filter({ hasText: username }).getByRole('button', { name: '发放验证码' }).click()
  const code = (await sec.locator('.reset-code').textContent())!.trim()
  await secContext.close()

  const userContext = await browser.newContext({ locale: 'zh-CN' })
  const user = await userContext.newPage()
  await setPasswordWithCode(user, username, code, password)
  await userContext.close()
  return url
}

export async function setPasswordWithCode(page: Page, username: string, code: string, password: string) {
  await page.goto('/password/reset')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('验证码').fill(code)
  await page.getByLabel('新密码', { exact: true }).fill(password)
  await page.getByLabel('再次输入新密码').fill(password)
  await page.getByRole('button', { name: '设置新密码' }).click()
  await expect(page.getByText('新密码已设置')).toBeVisible()
}

/** A message key shown as is (its catalogue entry missing): e.g. "home.section./x", "archive.col.foo". */
const UNRESOLVED_KEY = /\b(?:home|nav|archive|access|transfer|followup|rootseeking|calendar|handover|export|ledger|stats|registration|step|state|relation|assessment|import|audit|staff|account|auth|validation|action|common|form|refusalGround|registry|eligibility|towns)\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_/]+)*\b/

/** Axe accessibility check (WCAG 2.1 A/AA rules) of the page as it stands; no message key left untranslated. */
export async function expectAccessible(page: Page) {
  const text = await page.locator('body').innerText()
  const keys = [...text.matchAll(new RegExp(UNRESOLVED_KEY, 'g'))].map((m) => m[0]).filter((k) => !/\.(pdf|jpe?g|png|tiff?|xlsx|csv|txt)$/i.test(k)) // file names
  expect(keys).toEqual([])
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const problems = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
  expect(problems).toEqual([])
}

/** A port free right now on 127.0.0.1, found synchronously (a spec needs it when it is loaded). */
export function freePortSync(): number {
  const probe = "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
  return Number(execFileSync(process.execPath, ['-e', probe]).toString().trim())
}
