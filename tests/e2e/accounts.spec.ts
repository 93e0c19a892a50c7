import { expect, test, type Browser } from '@playwright/test'
import { createAccount, DEMO_PASSWORD, expectAccessible, login, loginAs, setPasswordWithCode } from './helpers.ts'
import { totpCode } from '../../app/platform/auth/totp.server.ts'

// What each demo role sees in the main navigation (only sections that exist and that it may use).
const navigation: Record<string, { sees: string[]; not: string[] }> = {
  registrar: { sees: ['首页', '收养登记'], not: ['审计日志', '用户管理', '安全设置', '发件箱'] },
  assessor: { sees: ['首页'], not: ['收养登记', '审计日志', '用户管理'] },
  caseworker: { sees: ['首页'], not: ['收养登记', '审计日志', '用户管理'] },
  archivist: { sees: ['首页', '收养登记', '档案管理'], not: ['审计日志', '用户管理'] },
  // The audit log is the audit administrator's alone (decision 026).
  supervisor: { sees: ['首页', '收养登记'], not: ['审计日志', '用户管理', '安全设置', '发件箱'] },
  // Three administrators with disjoint powers, none with case content.
  sysadmin: { sees: ['首页', '用户管理', '登记机关设置', '发件箱'], not: ['收养登记', '审计日志', '安全设置', '授权与重置审批'] },
  secadmin: { sees: ['首页', '授权与重置审批', '安全设置'], not: ['收养登记', '审计日志', '用户管理', '发件箱'] },
  auditadmin: { sees: ['首页', '审计日志'], not: ['收养登记', '用户管理', '安全设置', '发件箱', '授权与重置审批'] },
}

for (const [role, expected] of Object.entries(navigation)) {
  test(`demo account ${role} logs in and sees its navigation`, async ({ page }) => {
    await loginAs(page, role)
    const nav = page.getByRole('navigation', { name: '主导航' })
    for (const item of expected.sees) await expect(nav.getByRole('link', { name: item, exact: true })).toBeVisible()
    for (const item of expected.not) await expect(nav.getByRole('link', { name: item, exact: true })).toHaveCount(0)
    await expectAccessible(page)
  })
}

test('a registrar is refused the administrator pages with 403', async ({ page }) => {
  await loginAs(page, 'registrar')
  const response = await page.goto('/admin/users')
  expect(response?.status()).toBe(403)
  await expect(page.getByText('您没有执行此操作的权限。')).toBeVisible()
})

test('five wrong passwords slow the next try down instead of locking; the right password works after the wait, and an unknown name is answered the same', async ({ page, browser }) => {
  test.slow() // a dozen password checks (argon2id) in a row
  await createAccount(browser, 'locktest', ['登记员'], 'initial-password-1')
  const tryFive = async (username: string) => {
    for (let i = 1; i <= 5; i++) {
      await login(page, username, `wrong-password-${i}`)
      await expect(page.getByRole('alert')).toHaveText('用户名或密码不正确。')
    }
  }
  await tryFive('locktest')
  // At once: refused without the password being checked, even the right one.
  await login(page, 'locktest', 'initial-password-1')
  await expect(page.getByRole('alert')).toContainText('尝试次数过多')
  await expect(page.getByLabel('用户名')).toHaveValue('locktest')
  // A name no account has: the very same answers.
  await tryFive('no-such-account')
  await login(page, 'no-such-account', 'initial-password-1')
  await expect(page.getByRole('alert')).toContainText('尝试次数过多')
  // Once the wait is over (2 s after the fifth failure), the right password signs in.
  await page.waitForTimeout(2_500)
  await loginAs(page, 'locktest', 'initial-password-1')
})

test('the second factor: enrol, keep the recovery codes, sign in with a code and once with a recovery code', async ({ browser }) => {
  test.slow() // four sign-ins with their password checks
  await createAccount(browser, 'totpuser', ['登记员'], 'totp-user-password-2026')
  const context = await browser.newContext()
  const page = await context.newPage()
  await loginAs(page, 'totpuser', 'totp-user-password-2026')
  await page.goto('/account/totp')
  await expectAccessible(page)
  const secret = (await page.locator('code.mono').textContent())!.trim()
  await page.getByLabel('验证码', { exact: true }).fill(totpCode(secret))
  await page.getByRole('button', { name: '启用二次验证' }).click()
  await expect(page.getByRole('heading', { name: '恢复码' })).toBeVisible()
  const codes = (await page.locator('.recovery-codes li').allTextContents()).map((c) => c.trim())
  expect(codes).toHaveLength(10)
  await expectAccessible(page)
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible()

  // Password, then the authenticator's code (the next step: the enrolling one counts as used).
  await login(page, 'totpuser', 'totp-user-password-2026')
  await expect(page).toHaveURL(/\/login\/totp/)
  await page.getByLabel('验证码').fill(totpCode(secret, Date.now() + 30_000))
  await page.getByRole('button', { name: '验证' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('您好')
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible()

  // A recovery code signs in once, then never again.
  await login(page, 'totpuser', 'totp-user-password-2026')
  await page.getByLabel('验证码').fill(codes[0])
  await page.getByRole('button', { name: '验证' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('您好')
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible()
  await login(page, 'totpuser', 'totp-user-password-2026')
  await page.getByLabel('验证码').fill(codes[0])
  await page.getByRole('button', { name: '验证' }).click()
  await expect(page.getByText('验证码不正确或已过期。')).toBeVisible()
  await context.close()
})

test('nobody grants a role alone: the system administrator proposes, cannot change their own roles, the security administrator approves', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' })
  const admin = await context.newPage()
  await loginAs(admin, 'sysadmin')
  await admin.goto('/admin/users?q=sysadmin')
  await admin.getByRole('link', { name: 'sysadmin', exact: true }).click()
  await expect(admin.getByText('这是您自己的账户')).toBeVisible()
  await admin.getByLabel('系统管理员', { exact: true }).uncheck()
  await admin.getByLabel('科室负责人', { exact: true }).check()
  await admin.getByRole('button', { name: '保存' }).click()
  await expect(admin.getByText('不能修改自己的角色。此次尝试已记入审计日志。')).toBeVisible()
  await expect(admin.getByLabel('科室负责人', { exact: true })).toBeChecked() // the form kept
  // Nothing saved: the page loaded afresh still shows the administrator role.
  await admin.reload()
  await expect(admin.getByLabel('系统管理员', { exact: true })).toBeChecked()
  await expect(admin.getByLabel('科室负责人', { exact: true })).not.toBeChecked()
  // The approvals page is not the system administrator's.
  expect((await admin.request.get('/admin/approvals')).status()).toBe(403)
  expect((await admin.request.get('/audit')).status()).toBe(403)
  await expectAccessible(admin)
  await context.close()
  // The security administrator's desk.
  const secContext = await browser.newContext({ locale: 'zh-CN' })
  const sec = await secContext.newPage()
  await loginAs(sec, 'secadmin')
  await sec.goto('/admin/approvals')
  await expect(sec.getByRole('heading', { name: '授权与重置审批', level: 1 })).toBeVisible()
  await expectAccessible(sec)
  await secContext.close()
})

test('a deactivated user\'s open session is thrown out on the next click', async ({ browser }) => {
  const url = await createAccount(browser, 'leaver', ['登记员'], 'my-own-password-2026')
  const userContext = await browser.newContext()
  const user = await userContext.newPage()
  await loginAs(user, 'leaver', 'my-own-password-2026')

  const adminContext = await browser.newContext({ locale: 'zh-CN' })
  const admin = { context: adminContext, page: await adminContext.newPage() }
  await loginAs(admin.page, 'sysadmin')
  await admin.page.goto(url)
  await admin.page.getByRole('button', { name: '停用账户' }).click()
  await expect(admin.page.getByText('账户已停用')).toBeVisible()

  await user.getByRole('link', { name: '我的账户' }).or(user.locator('a.user-name')).first().click()
  await expect(user).toHaveURL(/\/login/)
  await expect(user.getByRole('heading', { name: '登录' })).toBeVisible()
  await userContext.close()
  await admin.context.close()
})

test('the language switch changes the page and persists for the user', async ({ page }) => {
  await loginAs(page, 'supervisor')
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome')
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Registration' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  // Persisted on the account: a fresh browser that logs in gets English.
  const fresh = await page.context().browser()!.newContext({ locale: 'zh-CN' })
  const other = await fresh.newPage()
  await login(other, 'supervisor')
  await expect(other.getByRole('heading', { level: 1 })).toContainText('Welcome')
  await other.getByRole('button', { name: '中文' }).click()
  await expect(other.getByRole('heading', { level: 1 })).toContainText('您好')
  await fresh.close()
})

test('bad input shows field errors next to the fields, keeps the values, saves nothing', async ({ page }) => {
  await loginAs(page, 'sysadmin')
  await page.goto('/admin/users/new')
  await page.getByLabel('用户名').fill('bad name!')
  await page.getByLabel('姓名').fill('某某')
  await page.getByLabel('电子邮箱').fill('not-an-address')
  await page.getByRole('button', { name: '创建用户' }).click()
  await expect(page.getByText('用户名为 2–40 个字母、数字或 . _ - 字符。')).toBeVisible()
  await expect(page.getByText('请输入有效的电子邮箱地址。')).toBeVisible()
  await expect(page.getByText('请至少选择一个角色。')).toBeVisible()
  await expect(page.getByLabel('用户名')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByLabel('姓名')).toHaveValue('某某')
  await page.goto('/admin/users?q=bad')
  await expect(page.getByText('没有记录。')).toBeVisible()
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('logging in, a server-side field error, and the language switch all work', async ({ page }) => {
    await page.goto('/login')
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByText('请填写此项。').first()).toBeVisible()
    await page.getByLabel('用户名').fill('sysadmin')
    await page.getByLabel('密码').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toContainText('您好')
    await page.goto('/admin/users/new')
    await page.getByLabel('用户名').fill('nojs-user')
    await page.getByLabel('姓名').fill('无脚本')
    await page.getByLabel('登记员', { exact: true }).check()
    await page.getByLabel('审计管理员', { exact: true }).check()
    await page.getByRole('button', { name: '创建用户' }).click()
    await expect(page.getByText('管理员角色（系统管理员、安全管理员、审计管理员）须单独持有').first()).toBeVisible()
    await expect(page.getByLabel('用户名')).toHaveValue('nojs-user')
    await page.getByRole('button', { name: 'English' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('New user')
    await page.getByRole('button', { name: '中文' }).click()
  })
})

test('a password reset shows the administrator no secret: a second administrator releases a code, the user sets the password', async ({ browser }) => {
  const url = await createAccount(browser, 'resetme', ['档案管理员'], 'initial-password-3')
  const adminContext = await browser.newContext({ locale: 'zh-CN' })
  const admin = await adminContext.newPage()
  await loginAs(admin, 'sysadmin')
  await admin.goto(url)
  await admin.getByLabel('电子邮箱').fill('resetme@example.test')
  await admin.getByRole('button', { name: '保存' }).click()
  await expect(admin.getByText('已保存。')).toBeVisible()
  await admin.getByRole('button', { name: '重置密码' }).click()
  // No mail server in this run: the code is the security administrator's to release, not this page's.
  await expect(admin.getByText(/请安全管理员（非本人）/)).toBeVisible()
  await expect(admin.locator('.temp-password, .reset-code')).toHaveCount(0)
  await expectAccessible(admin)
  // The outbox shows who and what, never a body (and holds no reset mail).
  await admin.goto('/admin/outbox')
  await expect(admin.getByText('不显示邮件正文')).toBeVisible()
  await expect(admin.locator('pre.mail-body')).toHaveCount(0)
  await expect(admin.getByText('resetme@example.test')).toHaveCount(0)
  await expectAccessible(admin)
  await adminContext.close()

  const secContext = await browser.newContext({ locale: 'zh-CN' })
  const sec = await secContext.newPage()
  await loginAs(sec, 'secadmin')
  await sec.goto('/admin/approvals')
  await sec.getByRole('row').filter({ hasText: 'resetme' }).getByRole('button', { name: '发放验证码' }).click()
  const code = (await sec.locator('.reset-code').textContent())!.trim()
  expect(code).toMatch(/^[A-Z0-9]{10}$/)
  await expectAccessible(sec)
  await secContext.close()

  const userContext = await browser.newContext({ locale: 'zh-CN' })
  const user = await userContext.newPage()
  // A wrong code is refused clearly, the user name kept.
  await user.goto('/password/reset')
  await user.getByLabel('用户名').fill('resetme')
  await user.getByLabel('验证码').fill('WRONGWRONG')
  await user.getByLabel('新密码', { exact: true }).fill('brand-new-password-4')
  await user.getByLabel('再次输入新密码').fill('brand-new-password-4')
  await user.getByRole('button', { name: '设置新密码' }).click()
  await expect(user.getByText('用户名或验证码不正确。')).toBeVisible()
  await expect(user.getByLabel('用户名')).toHaveValue('resetme')
  await expectAccessible(user)
  await setPasswordWithCode(user, 'resetme', code, 'brand-new-password-4')
  // Used once: refused the second time.
  await user.goto('/password/reset')
  await user.getByLabel('用户名').fill('resetme')
  await user.getByLabel('验证码').fill(code)
  await user.getByLabel('新密码', { exact: true }).fill('brand-new-password-5')
  await user.getByLabel('再次输入新密码').fill('brand-new-password-5')
  await user.getByRole('button', { name: '设置新密码' }).click()
  await expect(user.getByText('已使用过')).toBeVisible()
  await loginAs(user, 'resetme', 'brand-new-password-4')
  await userContext.close()
})

test('the audit log shows logins and account changes, filterable', async ({ page }) => {
  await loginAs(page, 'auditadmin')
  await page.goto('/audit')
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '登录' })
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/action=auth.login/)
  const rows = page.locator('table.data-table tbody tr')
  await expect(rows.first()).toContainText('登录')
  await expectAccessible(page)
  // The audit administrator exports what the filter selects.
  const href = await page.getByRole('link', { name: '导出为 CSV' }).getAttribute('href')
  expect(href).toContain('action=auth.login')
  const csv = await page.request.get(href!)
  expect(csv.headers()['content-type']).toContain('text/csv')
  expect(await csv.text()).toContain('时间,操作人,操作')
})

test('the audit log speaks the reader\'s language: named records, people\'s names, labelled summaries, in zh and en', async ({ page }) => {
  // The audit administrator: records are named (links only to pages the reader may open: none of
  // the accounts' or cases' pages are theirs); a sign-in's summary is labelled and formatted.
  await loginAs(page, 'auditadmin')
  await page.goto('/audit?action=auth.login&entityType=user')
  const row = page.locator('table.data-table tbody tr').first()
  await expect(row.locator('td').nth(1)).toContainText('吴审计') // the person's name now
  await expect(row.locator('td').nth(1)).toContainText('登录名 auditadmin') // the login name recorded at the time
  await expect(row.locator('td').nth(3)).toContainText(/账户 \d+/)
  await expect(row.locator('td').nth(3).getByRole('link')).toHaveCount(0)
  await expect(row.locator('.audit-summary')).toHaveText(/双重验证\s*否/)
  await expect(row).not.toContainText('secondFactor')
  await expectAccessible(page)
  // The old typed filter still works, shown in the new fields.
  const userId = /账户 (\d+)/.exec(await row.locator('td').nth(3).innerText())![1]
  await page.goto(`/audit?entity=user:${userId}`)
  await expect(page.getByLabel('对象类型')).toHaveValue('user')
  await expect(page.getByLabel('对象编号')).toHaveValue(userId)
  await expect(page.locator('table.data-table tbody tr').first()).toContainText(`账户 ${userId}`)
  // An application is named with its states, not linked (case content is not the auditor's).
  await page.goto('/audit?entityType=application&action=application.approve_registration')
  const approved = page.locator('table.data-table tbody tr').first()
  await expect(approved).toContainText(/收养登记申请 \d+/)
  await expect(approved.getByRole('link', { name: /^收养登记申请 \d+$/ })).toHaveCount(0)
  await expect(approved.locator('.audit-summary')).toHaveText(/原为\s*待审批\s*改为\s*已登记/)
  await expect(approved.locator('td').nth(1)).toContainText('刘科长')
  // The same rows in English.
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await page.goto('/audit?action=auth.login&entityType=user')
  const en = page.locator('table.data-table tbody tr').first()
  await expect(en.locator('td').nth(3)).toContainText(/Account \d+/)
  await expect(en.locator('.audit-summary')).toHaveText(/Second factor\s*No/)
  await expect(en.locator('td').nth(1)).toContainText('user name auditadmin')
  await expectAccessible(page)
  await page.getByRole('button', { name: '中文' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')

  // Neither a supervisor nor the system administrator reads the audit log (decision 026).
  for (const who of ['supervisor', 'sysadmin']) {
    const context = await page.context().browser()!.newContext({ locale: 'zh-CN' })
    const other = await context.newPage()
    await loginAs(other, who)
    expect((await other.goto('/audit'))?.status()).toBe(403)
    await context.close()
  }
})
