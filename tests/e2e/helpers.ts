import { execFileSync } from 'node:child_process'
import { expect, type Page } from '@playwright/test'
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
