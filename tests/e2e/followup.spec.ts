// Post-adoption follow-up end to end: a registrar and a supervisor register an adoption, which
// creates its visit plan; the supervisor assigns the first visit to the caseworker; the caseworker,
// on a phone-sized screen, finds it on My visits and files the report (a visit outside its window
// needs a reason); the supervisor reviews it and prints the visit record.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { couple, receiveWithNotice, recordApplication, shanghaiDate, verifyAllDocuments } from './flows.ts'
import { expectAccessible, loginAs } from './helpers.ts'

const SCREENS = 'tests/e2e/.artifacts/screens'
mkdirSync(SCREENS, { recursive: true })
const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: `${SCREENS}/followup-${name}.png`, fullPage })

/** The date one calendar month after `iso` (clamped to the month's end), as the policy counts. */
function addMonth(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number)
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}

test('registering creates the plan; the caseworker files the first visit on a phone; the supervisor reviews it', async ({ page, browser }) => {
  test.setTimeout(150_000)
  await loginAs(page, 'registrar')
  // An overseas Chinese couple: their report from where they live is recorded as it comes.
  const url = await recordApplication(page, couple(733), '福小禾', { overseasChinese: true })
  await receiveWithNotice(page, 80, 0)
  await page.locator('summary', { hasText: '采用系统外评估' }).click()
  await page.getByRole('button', { name: '采用系统外评估' }).click()
  await expect(page.getByText('已办理：开始评估')).toBeVisible()
  await page.getByLabel('评估结论').selectOption({ label: '建议办理收养登记' })
  await page.getByLabel('报告编号').fill('大足评估〔2026〕77号')
  await page.getByRole('button', { name: '登记评估报告' }).click()
  await expect(page.getByText('已办理：评估报告')).toBeVisible()
  await page.waitForLoadState('networkidle')
  for (const form of await page.locator('form.findings-form').all()) {
    await form.getByLabel('患有医学上认为不应当收养子女的疾病').selectOption({ label: '否' })
    await form.getByLabel('有不利于被收养人健康成长的违法犯罪记录').selectOption({ label: '否' })
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/applications/')),
      form.getByRole('button', { name: '保存核查结果' }).click(),
    ])
    await page.waitForLoadState('networkidle')
  }
  await verifyAllDocuments(page)
  await page.getByLabel('准予登记').check()
  await page.getByRole('button', { name: '提出登记意见' }).click()
  await expect(page.getByText('已办理：提出登记意见')).toBeVisible()

  // The supervisor approves: the registration and its visit plan commit together.
  const supervisorContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
  const supervisor = await supervisorContext.newPage()
  await loginAs(supervisor, 'supervisor')
  await supervisor.goto(url)
  await supervisor.getByLabel('收养登记证印制号').fill('J500111260000733')
  await supervisor.getByRole('button', { name: '批准' }).click()
  await expect(supervisor.getByText('已办理：批准登记')).toBeVisible()
  const number = (await supervisor.locator('.facts strong.mono').textContent())!.trim()

  // The plan exists: the first visit falls due a month after today, unassigned.
  const today = shanghaiDate()
  const due = addMonth(today)
  await supervisor.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '回访任务' }).click()
  await expect(supervisor.getByRole('heading', { name: '回访任务', level: 1 })).toBeVisible()
  await supervisor.getByLabel('回访人').selectOption({ label: '未指派' })
  await supervisor.getByLabel('应访月份').fill(due.slice(0, 7))
  await supervisor.getByRole('button', { name: '筛选' }).click()
  const row = supervisor.locator('tr', { hasText: number }).filter({ hasText: '第 1 次' })
  await expect(row).toHaveCount(1)
  await expectAccessible(supervisor)
  // Assigning without choosing anyone: a clear message, nothing saved.
  await row.getByRole('checkbox').check()
  await supervisor.getByRole('button', { name: '指派所选任务' }).click()
  await expect(supervisor.getByText('请选择一项。')).toBeVisible()
  await supervisor.locator('tr', { hasText: number }).filter({ hasText: '第 1 次' }).getByRole('checkbox').check()
  await supervisor.getByLabel('指派给').selectOption({ label: '张回访' })
  await supervisor.getByRole('button', { name: '指派所选任务' }).click()
  await expect(supervisor.getByText('已指派。')).toBeVisible()
  await shot(supervisor, 'tasks-desktop')

  // The caseworker, on a phone, finds the visit in the month's calendar of My visits.
  const phoneContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  const phone = await phoneContext.newPage()
  await loginAs(phone, 'caseworker')
  await phone.goto('/followup')
  await expect(phone.getByRole('heading', { name: '我的回访', level: 1 })).toBeVisible()
  await expectAccessible(phone)
  await shot(phone, 'my-visits-phone', false)
  await phone.getByRole('link', { name: '月历' }).click()
  await phone.goto(`/followup?view=calendar&month=${due.slice(0, 7)}`)
  const visit = phone.getByRole('link', { name: '福小禾 第 1 次' })
  await expect(visit).toBeVisible()
  await shot(phone, 'calendar-phone', false)
  await visit.click()
  await expect(phone.getByRole('heading', { name: /回访 第 1 次/ })).toBeVisible()
  await expect(phone.getByText('重庆市大足区棠香街道二环南路168号').first()).toBeVisible()

  // A visit made today is before the window opens: refused without a reason, values kept.
  await phone.getByLabel('见到的人员').fill('收养人夫妇和孩子')
  await phone.getByLabel('日常照料').fill('作息规律，饮食起居由养母照料，居室整洁。')
  await phone.getByLabel('健康状况').fill('健康，按时接种疫苗。')
  await phone.getByLabel('入学与教育').fill('在家，明年入园。')
  await phone.getByLabel('家庭融合与社会适应').fill('与父母亲密，邻里和睦。')
  await phone.getByLabel('无', { exact: true }).check()
  await phone.getByRole('button', { name: '提交并签名' }).click()
  await expect(phone.getByText('回访日期不在回访期间内，请说明原因。').first()).toBeVisible()
  // On the phone the refused form brings its error summary into view and focuses it.
  const summary = phone.locator('.error-summary')
  await expect(summary).toBeFocused()
  await expect(summary).toBeInViewport()
  await expect(summary.getByRole('link', { name: '不在回访期间内的原因：回访日期不在回访期间内，请说明原因。', exact: true })).toHaveAttribute('href', '#r-outsideWindowReason')
  await expect(phone.getByLabel('日常照料')).toHaveValue('作息规律，饮食起居由养母照料，居室整洁。')
  await phone.getByLabel('不在回访期间内的原因').fill('家庭下月外出务工，提前回访。')
  await shot(phone, 'report-form-phone', false)
  await phone.getByRole('group', { name: '强制报告' }).scrollIntoViewIfNeeded()
  await shot(phone, 'report-form-phone-2', false)
  await phone.getByRole('button', { name: '提交并签名' }).click()
  await expect(phone.getByText('回访记录已提交并签名，等待审核。')).toBeVisible()
  await expect(phone.getByText('已提交，待审核')).toBeVisible()
  await expectAccessible(phone)
  await shot(phone, 'report-submitted-phone', false)
  await phoneContext.close()

  // The supervisor reviews it; it is read-only and prints as the visit record.
  await supervisor.goto('/followup/reviews')
  await supervisor.getByRole('link', { name: number }).click()
  await supervisor.getByLabel('审核意见').fill('情况良好，按计划继续回访。')
  await supervisor.getByRole('button', { name: '审核通过' }).click()
  await expect(supervisor.getByText('已审核', { exact: true })).toBeVisible()
  await expect(supervisor.getByRole('button', { name: '审核通过' })).toHaveCount(0)
  await shot(supervisor, 'task-reviewed-desktop')
  const pdf = await supervisor.request.get(`${supervisor.url()}/record.pdf`)
  expect(pdf.status()).toBe(200)
  expect(pdf.headers()['content-type']).toBe('application/pdf')
  await supervisorContext.close()
})

test('the follow-up pages render for each role (screens)', async ({ browser }) => {
  for (const [role, paths] of Object.entries({
    supervisor: ['/', '/followup/intercountry'],
    sysadmin: ['/admin/followup-policy'],
    caseworker: ['/followup', '/followup?view=calendar'],
  })) {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await loginAs(page, role)
    for (const path of paths) {
      await page.goto(path)
      await expect(page.locator('h1')).toBeVisible()
      await shot(page, `${role}-${path.replace(/[^a-z]+/g, '-')}-desktop`)
    }
    await context.close()
  }
})

test('without JavaScript: a visit report with a missing field keeps the values and says what is missing; bulk assignment works', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false, viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  await loginAs(page, 'caseworker')
  await page.goto('/followup')
  await page.locator('.visit-card-link').first().click()
  await expect(page.getByRole('heading', { name: /回访 第 \d+ 次/ })).toBeVisible()
  await page.getByLabel('日常照料').fill('照料良好。')
  await page.getByRole('button', { name: '保存草稿' }).click()
  await expect(page.getByText('请填写此项。').first()).toBeVisible()
  await expect(page.getByLabel('日常照料')).toHaveValue('照料良好。')
  // Without a script the page comes back focused on its summary, in view at 390 px.
  await expect(page.locator('.error-summary')).toBeFocused()
  await expect(page.locator('.error-summary')).toBeInViewport()
  await expect(page.locator('.error-summary').getByRole('link', { name: '见到的人员：请填写此项。', exact: true })).toHaveAttribute('href', '#r-met')
  await context.close()

  const desk = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false })
  const supervisor = await desk.newPage()
  await loginAs(supervisor, 'supervisor')
  await supervisor.goto('/followup/tasks?caseworker=none')
  const boxes = supervisor.locator('input[name="task"]')
  await boxes.nth(0).check()
  await boxes.nth(1).check()
  await supervisor.getByLabel('指派给').selectOption({ label: '张回访' })
  await supervisor.getByRole('button', { name: '指派所选任务' }).click()
  await expect(supervisor.getByText('已指派。')).toBeVisible()
  await desk.close()
})

test('an administrator publishes a policy version (bad input next to its field), previews the replan and applies it', async ({ page }) => {
  await loginAs(page, 'sysadmin')
  await page.goto('/admin/followup-policy')
  await page.getByLabel('固定回访（登记后第几个月）').fill('6, 3')
  await page.getByRole('button', { name: '发布', exact: true }).click()
  await expect(page.getByText('月份须从小到大、不重复。')).toBeVisible()
  await page.getByLabel('固定回访（登记后第几个月）').fill('2, 6, 12')
  await page.getByLabel('此后每隔几个月').fill('24')
  await page.getByLabel('说明').fill('省民政厅规定（演示）')
  await page.getByRole('button', { name: '发布', exact: true }).click()
  await expect(page.getByText('已发布第 1 版。')).toBeVisible()
  await expect(page.getByRole('heading', { name: '现行：第 1 版' })).toBeVisible()
  await page.getByRole('link', { name: '预览变化' }).click()
  await expect(page.getByText(/将涉及 \d+ 个案件/)).toBeVisible()
  await expectAccessible(page)
  await shot(page, 'policy-preview-desktop')
  await page.getByRole('button', { name: /确认应用到 \d+ 个案件/ }).click()
  await expect(page.getByText(/已应用：\d+ 个案件/)).toBeVisible()
})

test('a task not assigned to the caseworker is not found, page and visit record alike; their own opens (decision 023)', async ({ browser }) => {
  const desk = await browser.newContext({ locale: 'zh-CN' })
  const supervisor = await desk.newPage()
  await loginAs(supervisor, 'supervisor')
  await supervisor.goto('/followup/tasks?caseworker=none')
  const href = await supervisor.locator('a[href^="/followup/tasks/"]').first().getAttribute('href') as string
  expect(href).toMatch(/^\/followup\/tasks\/\d+$/)
  expect((await supervisor.request.get(href)).status()).toBe(200)
  await desk.close()

  const context = await browser.newContext({ locale: 'zh-CN' })
  const page = await context.newPage()
  await loginAs(page, 'caseworker')
  const response = await page.goto(href)
  expect(response?.status()).toBe(404)
  await expect(page.getByRole('heading', { name: /回访 第 \d+ 次/ })).toHaveCount(0)
  expect((await page.request.get(`${href}/record.pdf`)).status()).toBe(404)
  await page.goto('/followup')
  await page.locator('.visit-card-link').first().click()
  await expect(page.getByRole('heading', { name: /回访 第 \d+ 次/ })).toBeVisible()
  await context.close()
})
