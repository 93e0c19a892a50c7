import { expect, test, type Browser } from '@playwright/test'
import { DEMO_PASSWORD, expectAccessible, login, loginAs } from './helpers.ts'
import { totpCode } from '../../app/platform/auth/totp.server.ts'

// What each demo role sees in the main navigation (only sections that exist and that it may use).
const navigation: Record<string, { sees: string[]; not: string[] }> = {
  registrar: { sees: ['首页', '收养登记'], not: ['审计日志', '用户管理', '安全设置', '发件箱'] },
  assessor: { sees: ['首页'], not: ['收养登记', '审计日志', '用户管理'] },
  caseworker: { sees: ['首页'], not: ['收养登记', '审计日志', '用户管理'] },
  archivist: { sees: ['首页', '收养登记', '档案管理'], not: ['审计日志', '用户管理'] },
  supervisor: { sees: ['首页', '收养登记', '审计日志'], not: ['用户管理', '安全设置', '发件箱'] },
  // An administrator runs the system and sees no case content.
  admin: { sees: ['首页', '审计日志', '用户管理', '安全设置', '登记机关设置', '发件箱'], not: ['收养登记'] },
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

async function createUser(browser: Browser, username: string, password: string, roles: string[]) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await loginAs(page, 'admin')
  await page.goto('/admin/users/new')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('姓名').fill(`测试 ${username}`)
  await page.getByLabel('初始密码').fill(password)
  for (const role of roles) await page.getByLabel(role, { exact: true }).check()
  await page.getByRole('button', { name: '创建用户' }).click()
  await expect(page.getByText('用户已创建')).toBeVisible()
  return { context, page, url: page.url() }
}

test('five wrong passwords slow the next try down instead of locking; the right password works after the wait, and an unknown name is answered the same', async ({ page, browser }) => {
  test.slow() // a dozen password checks (argon2id) in a row
  const admin = await createUser(browser, 'locktest', 'initial-password-1', ['登记员'])
  await admin.context.close()
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
  await login(page, 'locktest', 'initial-password-1')
  await expect(page).toHaveURL(/\/account\/password$/)
})

test('the second factor: enrol, keep the recovery codes, sign in with a code and once with a recovery code', async ({ browser }) => {
  test.slow() // four sign-ins with their password checks
  const admin = await createUser(browser, 'totpuser', 'initial-password-4', ['登记员'])
  await admin.context.close()
  const context = await browser.newContext()
  const page = await context.newPage()
  await login(page, 'totpuser', 'initial-password-4')
  await page.getByLabel('当前密码').fill('initial-password-4')
  await page.getByLabel('新密码', { exact: true }).fill('totp-user-password-2026')
  await page.getByLabel('再次输入新密码').fill('totp-user-password-2026')
  await page.getByRole('button', { name: '保存' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('您好')
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

test('a deactivated user\'s open session is thrown out on the next click', async ({ browser }) => {
  const admin = await createUser(browser, 'leaver', 'initial-password-2', ['登记员'])
  const userContext = await browser.newContext()
  const user = await userContext.newPage()
  await login(user, 'leaver', 'initial-password-2')
  // A new account must replace the administrator's password first.
  await expect(user).toHaveURL(/\/account\/password$/)
  await user.getByLabel('当前密码').fill('initial-password-2')
  await user.getByLabel('新密码', { exact: true }).fill('my-own-password-2026')
  await user.getByLabel('再次输入新密码').fill('my-own-password-2026')
  await user.getByRole('button', { name: '保存' }).click()
  await expect(user.getByRole('heading', { level: 1 })).toContainText('您好')

  await admin.page.goto(admin.url)
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
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit log' })).toBeVisible()
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
  await loginAs(page, 'admin')
  await page.goto('/admin/users/new')
  await page.getByLabel('用户名').fill('bad name!')
  await page.getByLabel('姓名').fill('某某')
  await page.getByLabel('电子邮箱').fill('not-an-address')
  await page.getByLabel('初始密码').fill('short')
  await page.getByRole('button', { name: '创建用户' }).click()
  await expect(page.getByText('用户名为 2–40 个字母、数字或 . _ - 字符。')).toBeVisible()
  await expect(page.getByText('请输入有效的电子邮箱地址。')).toBeVisible()
  await expect(page.getByText('密码至少需要 12 个字符。')).toBeVisible()
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
    await page.getByLabel('用户名').fill('admin')
    await page.getByLabel('密码').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toContainText('您好')
    await page.goto('/admin/users/new')
    await page.getByLabel('用户名').fill('nojs-user')
    await page.getByLabel('初始密码').fill('nojs-user-password')
    await page.getByRole('button', { name: '创建用户' }).click()
    await expect(page.getByText('密码不能包含用户名。')).toBeVisible()
    await expect(page.getByLabel('用户名')).toHaveValue('nojs-user')
    await page.getByRole('button', { name: 'English' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('New user')
    await page.getByRole('button', { name: '中文' }).click()
  })
})

test('an administrator resets a password: the user must change it, the mail waits in the outbox', async ({ browser }) => {
  const admin = await createUser(browser, 'resetme', 'initial-password-3', ['档案管理员'])
  await admin.page.getByLabel('电子邮箱').fill('resetme@example.test')
  await admin.page.getByRole('button', { name: '保存' }).click()
  await expect(admin.page.getByText('已保存。')).toBeVisible()
  await admin.page.getByRole('button', { name: '重置密码' }).click()
  const temporary = (await admin.page.locator('.temp-password').textContent())!.trim()
  expect(temporary).toHaveLength(16)
  await expect(admin.page.getByText('已向该用户发送邮件通知')).toBeVisible()
  await expect(async () => {
    await admin.page.goto('/admin/outbox')
    await expect(admin.page.getByText('resetme@example.test')).toBeVisible({ timeout: 500 })
  }).toPass({ timeout: 10_000 })
  await expect(admin.page.getByText(temporary)).toHaveCount(0)
  await expectAccessible(admin.page)

  const userContext = await browser.newContext()
  const user = await userContext.newPage()
  await login(user, 'resetme', temporary)
  await expect(user).toHaveURL(/\/account\/password$/)
  await expect(user.getByText('您的密码已由管理员重置')).toBeVisible()
  await userContext.close()
  await admin.context.close()
})

test('the audit log shows logins and account changes, filterable', async ({ page }) => {
  await loginAs(page, 'admin')
  await page.goto('/audit')
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '登录' })
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/action=auth.login/)
  const rows = page.locator('table.data-table tbody tr')
  await expect(rows.first()).toContainText('登录')
  await expectAccessible(page)
})

test('the audit log speaks the reader\'s language: named records with links, people\'s names, labelled summaries, in zh and en', async ({ page }) => {
  // An administrator: an account is a link to its page; a sign-in's summary is labelled and formatted.
  await loginAs(page, 'admin')
  await page.goto('/audit?action=auth.login&entityType=user')
  const row = page.locator('table.data-table tbody tr').first()
  await expect(row.locator('td').nth(1)).toContainText('赵管理') // the person's name now
  await expect(row.locator('td').nth(1)).toContainText('登录名 admin') // the login name recorded at the time
  const account = row.getByRole('link', { name: /^账户 \d+$/ })
  await expect(account).toHaveAttribute('href', /^\/admin\/users\/\d+$/)
  await expect(row.locator('.audit-summary')).toHaveText(/双重验证\s*否/)
  await expect(row).not.toContainText('secondFactor')
  await expectAccessible(page)
  // The old typed filter still works, shown in the new fields.
  const userId = (await account.getAttribute('href'))!.split('/').pop()!
  await page.goto(`/audit?entity=user:${userId}`)
  await expect(page.getByLabel('对象类型')).toHaveValue('user')
  await expect(page.getByLabel('对象编号')).toHaveValue(userId)
  await expect(page.locator('table.data-table tbody tr').first()).toContainText(`账户 ${userId}`)
  // The same rows in English.
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await page.goto('/audit?action=auth.login&entityType=user')
  const en = page.locator('table.data-table tbody tr').first()
  await expect(en.getByRole('link', { name: /^Account \d+$/ })).toBeVisible()
  await expect(en.locator('.audit-summary')).toHaveText(/Second factor\s*No/)
  await expect(en.locator('td').nth(1)).toContainText('user name admin')
  await expectAccessible(page)
  await page.getByRole('button', { name: '中文' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')

  // A supervisor: an application is a link, its states are named; an account is not a link (not theirs to open).
  const supervisor = await page.context().browser()!.newContext({ locale: 'zh-CN' })
  const sp = await supervisor.newPage()
  await loginAs(sp, 'supervisor')
  await sp.goto('/audit?entityType=application&action=application.approve_registration')
  const approved = sp.locator('table.data-table tbody tr').first()
  await expect(approved.getByRole('link', { name: /^收养登记申请 \d+$/ })).toHaveAttribute('href', /^\/applications\/\d+$/)
  await expect(approved.locator('.audit-summary')).toHaveText(/原为\s*待审批\s*改为\s*已登记/)
  await expect(approved.locator('td').nth(1)).toContainText('刘科长')
  await sp.goto('/audit?entityType=user')
  await expect(sp.locator('table.data-table tbody tr').first().locator('td').nth(3)).toContainText(/账户 \d+/)
  await expect(sp.locator('table.data-table tbody tr').first().locator('td').nth(3).getByRole('link')).toHaveCount(0)
  await expectAccessible(sp)
  await supervisor.close()
})
