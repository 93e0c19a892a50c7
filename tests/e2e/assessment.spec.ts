// Two assessors record an assessment with a home visit and an integration period and sign it; the
// registrar then registers the adoption (issue 4).
import { expect, test, type Browser, type Page } from '@playwright/test'
import { createAccount, DEMO_PASSWORD, expectAccessible, login, loginAs } from './helpers.ts'
import { couple, receiveWithNotice, recordApplication, shanghaiDate, verifyAllDocuments } from './flows.ts'

async function page(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' })
  return context.newPage()
}

/** A second assessor: the system administrator creates the account, the security administrator
 * approves the role and releases a code, the assessor sets their own password (decision 026). */
async function secondAssessor(browser: Browser): Promise<Page> {
  await createAccount(browser, 'assessor3', ['评估人员'], DEMO_PASSWORD + '-2', '钱评估')
  const assessor = await page(browser)
  await loginAs(assessor, 'assessor3', DEMO_PASSWORD + '-2')
  return assessor
}

async function openAssessment(p: Page, applicationUrl: string) {
  await p.goto(applicationUrl.replace(/\/applications\/\d+$/, '/assessments'))
  await p.getByRole('link', { name: /^\d+$/ }).first().click()
  await expect(p.getByRole('heading', { name: /收养评估 \d+/ })).toBeVisible()
}

async function declareNoConflict(p: Page) {
  await p.getByLabel('本人与本案当事人无利害关系').check()
  await p.getByRole('button', { name: '提交声明' }).click()
  await expect(p.getByText('已保存。')).toBeVisible()
}

test('two assessors assess and sign; the registrar then registers', async ({ browser }) => {
  test.setTimeout(120_000)
  const assessor3 = await secondAssessor(browser)

  const registrar = await page(browser)
  await loginAs(registrar, 'registrar')
  const url = await recordApplication(registrar, couple(421), '福小月')
  // Received long enough ago for the notice seeking the birth parents to have run its sixty days.
  await receiveWithNotice(registrar, 140, 62)
  // An ordinary couple (not overseas Chinese, no Hong Kong, Macao or Taiwan permit): no outside
  // report, so no registrar can record a conclusion alone.
  await expect(registrar.locator('summary', { hasText: '采用系统外评估' })).toHaveCount(0)
  // Commission: in-house, the two assessors.
  const commission = registrar.locator('section.panel', { has: registrar.getByRole('heading', { name: '委托收养评估' }) })
  await commission.getByLabel('日期').fill(shanghaiDate(-59))
  await commission.getByLabel('李评估').check()
  await commission.getByLabel('钱评估').check()
  await commission.getByRole('button', { name: '委托评估' }).click()
  await expect(registrar.getByRole('link', { name: /评估 \d+：评估中/ })).toBeVisible()

  const assessor1 = await page(browser)
  await loginAs(assessor1, 'assessor')
  await openAssessment(assessor1, url)
  // Before the declaration the case stays closed.
  await expect(assessor1.getByRole('heading', { name: '回避声明' })).toBeVisible()
  await expect(assessor1.getByRole('heading', { name: '评估活动' })).toHaveCount(0)
  await declareNoConflict(assessor1)

  await assessor1.getByLabel('书面告知日期').fill(shanghaiDate(-58))
  await assessor1.getByLabel('申请人同意评估日期').fill(shanghaiDate(-57))
  await assessor1.getByRole('button', { name: '保存' }).first().click()
  await expect(assessor1.getByText(/60 日期限|剩余/).first()).toBeVisible()

  // A home visit with both assessors present.
  await assessor1.locator('summary', { hasText: '添加记录' }).click()
  await assessor1.getByLabel('方式').selectOption({ label: '入户走访' })
  await assessor1.locator('#f-on').fill(shanghaiDate(-50))
  await assessor1.getByLabel('地点').fill('申请人家中（大足区棠香街道）')
  await assessor1.getByRole('group', { name: '在场评估人员' }).getByLabel('李评估').check()
  await assessor1.getByRole('group', { name: '在场评估人员' }).getByLabel('钱评估').check()
  await assessor1.getByLabel('记录', { exact: true }).fill('住房三室一厅约 110 平方米，已为孩子布置独立房间；夫妻关系和睦。')
  await assessor1.getByRole('button', { name: '添加记录' }).click()
  await expect(assessor1.getByRole('cell', { name: '入户走访' })).toBeVisible()

  // An integration period shorter than 30 days is refused next to the field, then a right one.
  await assessor1.getByLabel('开始日期').fill(shanghaiDate(-45))
  await assessor1.getByLabel('结束日期').fill(shanghaiDate(-20))
  await assessor1.locator('form', { has: assessor1.getByLabel('开始日期') }).getByRole('button', { name: '保存' }).click()
  await expect(assessor1.getByText('融合期不少于 30 日。')).toBeVisible()
  await assessor1.getByLabel('结束日期').fill(shanghaiDate(-10))
  await assessor1.locator('form', { has: assessor1.getByLabel('开始日期') }).getByRole('button', { name: '保存' }).click()
  await expect(assessor1.getByText('已保存。')).toBeVisible()

  // Every dimension at full marks.
  const dimensions = assessor1.locator('details.dimension')
  const count = await dimensions.count()
  expect(count).toBe(11)
  for (let i = 0; i < count; i++) {
    const d = assessor1.locator('details.dimension').nth(i)
    await d.locator('summary').click()
    const max = await d.locator('input[name=score]').getAttribute('max')
    await d.locator('input[name=score]').fill(max!)
    await d.getByLabel('评估意见').fill('符合要求。')
    await d.getByRole('button', { name: '保存本项' }).click()
    await expect(assessor1.locator('details.dimension').nth(i).locator('summary')).toContainText(`${max} / ${max}`)
  }
  await expect(assessor1.getByText('按评分：建议办理')).toBeVisible()
  await expectAccessible(assessor1)

  await assessor1.getByLabel('基本情况（事实）').fill('申请人夫妇均为公务员，身体健康，无子女，收养动机端正。')
  await assessor1.getByRole('button', { name: '形成评估报告' }).click()
  await expect(assessor1.getByText('报告待签署').first()).toBeVisible()
  await assessor1.getByRole('button', { name: '签署报告' }).click()
  await expect(assessor1.getByText('待签署：钱评估')).toBeVisible()

  await openAssessment(assessor3, url)
  await declareNoConflict(assessor3)
  await assessor3.getByRole('button', { name: '签署报告' }).click()
  await expect(assessor3.getByText('已签署，只读').first()).toBeVisible()
  const pdf = await assessor3.request.get(new URL(assessor3.url()).pathname + '/report.pdf')
  expect(pdf.status()).toBe(200)
  expect(pdf.headers()['content-type']).toBe('application/pdf')

  // Back with the registrar: the conclusion is in, the clock runs again; register.
  await registrar.goto(url)
  await expect(registrar.getByText(/建议办理（/)).toBeVisible()
  await verifyAllDocuments(registrar)
  await expect(registrar.getByText('全部条件已满足，可以提出登记意见。')).toBeVisible()
  await registrar.getByLabel('准予登记').check()
  await registrar.getByRole('button', { name: '提出登记意见' }).click()
  await expect(registrar.getByText('已办理：提出登记意见')).toBeVisible()

  const supervisor = await page(browser)
  await loginAs(supervisor, 'supervisor')
  await supervisor.goto(url)
  await supervisor.getByLabel('收养登记证印制号').fill('J500111260000888')
  await supervisor.getByRole('button', { name: '批准' }).click()
  await expect(supervisor.getByText('已办理：批准登记')).toBeVisible()
})
