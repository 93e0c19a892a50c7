// A registrar records an application and takes it through review; a supervisor approves; the
// certificate is downloaded and read back with pdftotext.
import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { couple, fillPerson, publishNotice, receiveWithNotice, recordApplication, shanghaiDate, verifyAllDocuments } from './flows.ts'
import { expectAccessible, login, loginAs } from './helpers.ts'

const { father, mother } = couple(311)

test('a registrar records an application, a supervisor approves, the certificate reads back', async ({ page, browser }) => {
  test.setTimeout(90_000)
  await loginAs(page, 'registrar')
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '收养登记' }).click()
  await expect(page.getByRole('heading', { name: '收养登记台账' })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('link', { name: '录入申请' }).click()

  // A wrong ID number is an error next to its field, the values stay.
  await page.getByLabel('一般收养').check()
  await page.getByLabel('送养人类型').selectOption({ label: '儿童福利机构' })
  await fillPerson(page, '收养人', { ...father, id: father.id.slice(0, 17) + (father.id.endsWith('1') ? '2' : '1') }, '男')
  await page.getByRole('button', { name: '保存为待受理申请' }).click()
  // Said next to the field and, as a link to it, in the summary at the top.
  await expect(page.locator('[id="application-adopter1.idNumber-error"]')).toContainText('校验')
  await expect(page.locator('.error-summary').getByRole('link', { name: /公民身份号码.*校验/ })).toHaveAttribute('href', '#application-adopter1.idNumber')
  await expect(page.locator('fieldset:has(> legend:text-is("收养人"))').getByLabel('姓名', { exact: true })).toHaveValue(father.name)

  await fillPerson(page, '收养人', father, '男')
  // 华侨: the case may bring the assessment made where the couple lives (outside the system).
  await page.locator('fieldset:has(> legend:text-is("收养人"))').getByLabel('华侨').check()
  await page.getByLabel('居住地乡镇（街道）').selectOption({ label: '棠香街道' })
  await page.getByLabel('夫妻共同收养').check()
  await fillPerson(page, '收养人配偶', mother, '女')
  const child = page.locator('fieldset:has(> legend:text-is("被收养人"))')
  await child.getByLabel('姓名', { exact: true }).fill('福小雨')
  await child.getByLabel('收养后姓名').fill('周小雨')
  await child.getByLabel('性别').selectOption({ label: '女' })
  await child.getByLabel('出生日期').fill('2022-04-09')
  await child.getByLabel('被收养人情况').selectOption({ label: '查找不到生父母' })
  await child.getByLabel('由儿童福利机构抚养').check()
  await page.getByLabel('儿童福利机构名称').fill('重庆市大足区儿童福利院')
  await page.getByRole('button', { name: '保存为待受理申请' }).click()
  await expect(page.getByRole('heading', { name: /收养登记申请 \d+/ })).toBeVisible()
  const url = page.url()
  // ID numbers are masked by default.
  await expect(page.getByText(father.id)).toHaveCount(0)
  await expect(page.getByText(`${father.id.slice(0, 6)}********${father.id.slice(-4)}`)).toBeVisible()

  // A child in the welfare institution whose birth parents cannot be found: the notice seeking them
  // runs sixty full days before the registration (arts. 1093(2), 1105), whoever places the child.
  await receiveWithNotice(page, 80, 0)
  await expect(page.locator('.panel', { hasText: '查找生父母公告' }).getByText('重庆日报')).toBeVisible()
  // The assessment made outside the system (the in-system one is assessment.spec.ts).
  await page.locator('summary', { hasText: '采用系统外评估' }).click()
  await page.getByRole('button', { name: '采用系统外评估' }).click()
  await expect(page.getByText('已办理：开始评估')).toBeVisible()
  await page.getByLabel('评估结论').selectOption({ label: '建议办理收养登记' })
  await page.getByLabel('报告编号').fill('大足评估〔2026〕31号')
  await page.getByRole('button', { name: '登记评估报告' }).click()
  await expect(page.getByText('已办理：评估报告')).toBeVisible()
  await page.waitForLoadState('networkidle')

  for (const form of await page.locator('form.findings-form').all()) {
    await form.getByLabel('患有医学上认为不应当收养子女的疾病').selectOption({ label: '否' })
    await form.getByLabel('有不利于被收养人健康成长的违法犯罪记录').selectOption({ label: '否' })
    // Wait for this save to land before the next click: a new submission cancels one in flight.
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/applications/')),
      form.getByRole('button', { name: '保存核查结果' }).click(),
    ])
    await page.waitForLoadState('networkidle')
  }
  await expect(page.getByText('第 1098(3) 条所需事实待确认')).toHaveCount(0)
  // Verify every document on the checklist.
  await verifyAllDocuments(page)
  await expect(page.getByText('全部条件已满足，可以提出登记意见。')).toBeVisible()
  await expectAccessible(page)
  await page.getByLabel('准予登记').check()
  await page.getByRole('button', { name: '提出登记意见' }).click()
  await expect(page.getByText('已办理：提出登记意见')).toBeVisible()

  // The supervisor approves (the registrar cannot approve their own proposal).
  const supervisorContext = await browser.newContext({ locale: 'zh-CN' })
  const supervisor = await supervisorContext.newPage()
  await loginAs(supervisor, 'supervisor')
  await supervisor.goto(url)
  await supervisor.getByLabel('收养登记证印制号').fill('J500111260000777')
  await supervisor.getByRole('button', { name: '批准' }).click()
  await expect(supervisor.getByText('已办理：批准登记')).toBeVisible()
  const number = (await supervisor.locator('.facts strong.mono').textContent())!.trim()
  expect(number).toMatch(/^（2026）.*收字第\d{4}号$/)

  // Full ID numbers: printed only with a reason (decision 028); the reason page sends on to the PDF.
  expect((await supervisor.request.get(`${url}/certificate.pdf?mode=copy`, { maxRedirects: 0 })).status()).toBe(303)
  const response = await supervisor.request.post(`${url}/print`, { form: { document: 'certificate', options: 'mode=copy', reason: '端到端测试：核对证书' } })
  expect(response.status()).toBe(200)
  expect(response.headers()['content-type']).toBe('application/pdf')
  const dir = mkdtempSync(join(tmpdir(), 'cert-'))
  const file = join(dir, 'certificate.pdf')
  writeFileSync(file, await response.body())
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  for (const expected of ['收养登记证', number, '福小雨', '周小雨', father.name, mother.name, father.id, 'J500111260000777', '重庆市大足区儿童福利院']) {
    expect(text).toContain(expected)
  }
  await supervisor.goto(`${url}/approval`)
  await expect(supervisor.getByRole('heading', { name: '收养登记审批表' })).toBeVisible()
  await expect(supervisor.locator('table.sheet').getByText('王登记')).toBeVisible()
  await expect(supervisor.locator('table.sheet').getByText('刘科长')).toBeVisible()
  await supervisorContext.close()
})

test('an empty application is refused with a summary of the fields in error, focused, each a link to its field', async ({ page }) => {
  await loginAs(page, 'registrar')
  await page.goto('/applications/new')
  // Required fields are marked before anything is typed.
  await expect(page.locator('label[for="application-adopter1.name"] .req')).toHaveCount(1)
  await expect(page.getByLabel('送养人类型')).toHaveAttribute('aria-required', 'true')
  await expect(page.locator('label[for="application-placingKind"] .req')).toHaveCount(1)
  await expect(page.locator('label[for="application-adopter1.phone"] .req')).toHaveCount(0)
  await page.getByRole('button', { name: '保存为待受理申请' }).click()
  const summary = page.locator('.error-summary')
  await expect(summary).toBeVisible()
  await expect(summary).toBeFocused()
  await expect(summary).toContainText('需要更正')
  const links = summary.getByRole('link')
  await expect(links.first()).toHaveText('送养人类型：请选择一项。')
  await expect(summary.getByRole('link', { name: '收养人 · 姓名：请填写此项。', exact: true })).toHaveAttribute('href', '#application-adopter1.name')
  await expect(summary.getByRole('link', { name: '被收养人 · 出生日期：请填写此项。', exact: true })).toBeVisible()
  // Every link leads to a field on the page.
  const targets = await links.evaluateAll((as) => as.map((a) => decodeURIComponent((a as HTMLAnchorElement).hash.slice(1))))
  expect(targets.length).toBeGreaterThan(5)
  for (const id of targets) expect(await page.evaluate((x) => document.getElementById(x) !== null, id), id).toBe(true)
  // Following a link puts the cursor in that field.
  await summary.getByRole('link', { name: '收养人 · 姓名：请填写此项。', exact: true }).click()
  await expect(page.locator('[id="application-adopter1.name"]')).toBeFocused()
  // Typing in the fields does not pull the focus back to the summary.
  await page.locator('[id="application-adopter1.name"]').fill('罗杰')
  await page.keyboard.press('Tab')
  await expect(page.locator('[id="application-adopter1.sex"]')).toBeFocused()
  await expectAccessible(page)
})

test('registration pages work without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
  const page = await context.newPage()
  await login(page, 'registrar')
  await page.goto('/applications/new')
  await page.getByRole('button', { name: '保存为待受理申请' }).click()
  await expect(page.getByText('请选择一项。').first()).toBeVisible()
  // The server's page starts at the summary (autofocus), with its links to the fields.
  const summary = page.locator('.error-summary')
  await expect(summary).toBeFocused()
  await expect(summary.getByRole('link', { name: '收养人 · 姓名：请填写此项。', exact: true })).toHaveAttribute('href', '#application-adopter1.name')
  // After that refusal every section still shows (the server knows the form's values, but only a
  // script could show a hidden section again): the whole application can be recorded.
  await expect(page.getByLabel('儿童福利机构名称')).toBeVisible()
  await expect(page.locator('fieldset:has(> legend:text-is("收养人配偶"))')).toBeVisible()
  const url = await recordApplication(page, couple(9051), '福小川')
  expect(url).toMatch(/\/applications\/\d+$/)
  await page.goto('/applications?due=late')
  await expect(page.getByRole('heading', { name: '收养登记台账' })).toBeVisible()
  await context.close()
})

test('a foundling recorded with birth parents who are known is refused next to the field, without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
  const page = await context.newPage()
  await login(page, 'registrar')
  await page.goto('/applications/new')
  const people = couple(9071)
  await page.getByLabel('一般收养').check()
  await page.getByLabel('送养人类型').selectOption({ label: '儿童福利机构' })
  await page.getByLabel('被收养人为查找不到生父母的弃婴、儿童（需公告 60 日）').check()
  await fillPerson(page, '收养人', people.father, '男')
  await page.getByLabel('居住地乡镇（街道）').selectOption({ label: '棠香街道' })
  await page.getByLabel('夫妻共同收养').check()
  await fillPerson(page, '收养人配偶', people.mother, '女')
  const child = page.locator('fieldset:has(> legend:text-is("被收养人"))')
  await child.getByLabel('姓名', { exact: true }).fill('福小川')
  await child.getByLabel('性别').selectOption({ label: '女' })
  await child.getByLabel('出生日期').fill('2022-04-09')
  await child.getByLabel('被收养人情况').selectOption({ label: '孤儿' })
  await page.getByLabel('儿童福利机构名称').fill('重庆市大足区儿童福利院')
  await page.getByRole('button', { name: '保存为待受理申请' }).click()
  const message = '弃婴是查找不到生父母的未成年人'
  // Next to the child's situation (and the foundling box), nothing saved, the values kept.
  await expect(child.locator('.field:has(select[name="child.situation"])').getByText(message)).toBeVisible()
  await expect(page.locator('.checkbox-field:has(input[name="foundling"])').getByText(message)).toBeVisible()
  await expect(page.getByRole('heading', { name: /收养登记申请 \d+/ })).toHaveCount(0)
  await expect(child.getByLabel('姓名', { exact: true })).toHaveValue('福小川')
  await child.screenshot({ path: 'tests/e2e/.artifacts/foundling-situation-refused.png' })
  await context.close()
})

test('the notice for an institution child cannot be closed before its sixty full days; the page says from when (no JavaScript)', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
  const page = await context.newPage()
  await login(page, 'registrar')
  await recordApplication(page, couple(9071), '福小秋')
  await page.getByLabel('日期').first().fill(shanghaiDate(-70))
  await page.getByRole('button', { name: '受理申请' }).click()
  await expect(page.getByText('已办理：受理')).toBeVisible()
  // Before the notice: the blocker names it.
  await expect(page.getByText('查找生父母公告尚未期满')).toBeVisible()
  // A file that is not an image is refused next to its field, nothing recorded.
  const step = page.locator('details.step', { has: page.locator('summary', { hasText: '发布查找生父母公告' }) })
  await step.locator('summary').click()
  await step.getByLabel('被收养人照片（JPEG 或 PNG）').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('not an image') })
  await step.getByLabel('日期').fill(shanghaiDate(-55))
  await step.getByLabel('公告载体').selectOption({ label: '网站' })
  await step.getByLabel('报纸或网站名称').fill('重庆市大足区人民政府网')
  await step.getByLabel('刊登版次或网页地址').fill('https://www.dazu.gov.cn/notice/9071')
  await step.getByLabel('公告内容').fill('请其生父母自公告之日起六十日内认领。')
  await step.getByRole('button', { name: '发布查找生父母公告' }).click()
  await expect(page.locator('.field:has(input[name="photo"])').getByText('照片应为 JPEG 或 PNG 图片。')).toBeVisible()
  await expect(page.locator('input[name="outlet"]')).toHaveValue('重庆市大足区人民政府网')
  // Published 55 days ago: the sixty days are not over.
  await publishNotice(page, 55)
  await expect(page.getByText('已办理：发布公告')).toBeVisible()
  const panel = page.locator('.panel', { hasText: '查找生父母公告' })
  await expect(panel.getByText('公告期最后一日')).toBeVisible()
  await expect(panel.getByText(/公告期间，.* 起可办理登记。/)).toBeVisible()
  const end = page.locator('details.step', { has: page.locator('summary', { hasText: '公告期满' }) })
  if ((await end.getAttribute('open')) === null) await end.locator('summary').click()
  await end.getByRole('button', { name: '公告期满' }).click()
  await expect(page.getByText(/起方可记录期满/)).toBeVisible()
  const photo = await page.request.get(new URL(page.url()).pathname + '/notice-photo')
  expect(photo.status()).toBe(200)
  expect(photo.headers()['content-type']).toBe('image/png')
  await page.screenshot({ path: 'tests/e2e/.artifacts/notice-running.png', fullPage: true })
  await context.close()
})
