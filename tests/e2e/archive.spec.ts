// An archivist completes and files a registered case's archive file (issue 5, filing part).
import { expect, test } from '@playwright/test'
import { PDFDocument } from 'pdf-lib'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expectAccessible, loginAs } from './helpers.ts'

async function scan(pages: number) {
  const doc = await PDFDocument.create()
  for (let i = 0; i < pages; i++) doc.addPage([595, 842])
  return Buffer.from(await doc.save())
}

test('an archivist files a case; a police request is approved; the named clerk downloads a watermarked copy; the log shows it', async ({ page, browser }) => {
  test.setTimeout(60_000)
  await loginAs(page, 'archivist')
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '档案管理' }).click()
  await expect(page.getByRole('heading', { name: '收养登记档案' })).toBeVisible()
  await expectAccessible(page)
  // The demo's registered cases were archived by the job their approval enqueued.
  await page.locator('table.data-table tbody tr', { hasText: '待归档' })
    .filter({ has: page.getByRole('cell', { name: '收养登记', exact: true }) }).first().getByRole('link').first().click()
  await expect(page.getByRole('heading', { name: /档案 500111-/ })).toBeVisible()
  await expect(page.getByRole('link', { name: '收养登记证（存根/副本）' })).toBeVisible()

  const upload = async (category: string, name: string, file: { name: string; mimeType: string; buffer: Buffer }) => {
    await page.getByLabel('材料类别').selectOption({ label: category })
    await page.getByLabel('文件名称').fill(name)
    await page.getByLabel('责任者').fill('申请人')
    await page.getByLabel('文件日期').fill('2026-10-08')
    await page.getByLabel('文件（PDF、JPEG、PNG、TIFF）').setInputFiles(file)
    await page.getByRole('button', { name: '上传' }).click()
  }
  await upload('收养登记申请书', '收养登记申请书', { name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ this is an exe renamed to pdf') })
  await expect(page.getByText('文件不是 PDF、JPEG、PNG 或 TIFF')).toBeVisible()

  for (const category of ['收养登记申请书', '询问笔录', '收养登记审批表', '收养人的证件和证明材料', '送养人的证件和证明材料']) {
    await upload(category, category, { name: `${category}.pdf`, mimeType: 'application/pdf', buffer: await scan(2) })
    await expect(page.getByRole('link', { name: category, exact: true })).toBeVisible()
  }
  await expect(page.getByText('必备材料已齐全，可以归档。')).toBeVisible()
  await page.getByLabel('存放位置（库房、架、盒）').fill('一号库房 3 架 12 盒')
  await page.getByRole('button', { name: '归档' }).click()
  await expect(page.getByText('已归档').first()).toBeVisible()
  const pdf = await page.request.get(await page.getByRole('link', { name: '询问笔录', exact: true }).getAttribute('href') as string)
  expect(pdf.headers()['content-type']).toBe('application/pdf')

  // The cover and document list for the paper file.
  const cover = await page.request.get(new URL(page.url()).pathname.replace(/\/?$/, '') + '/cover.pdf')
  expect(cover.headers()['content-type']).toBe('application/pdf')
  const coverDir = mkdtempSync(join(tmpdir(), 'cover-'))
  writeFileSync(join(coverDir, 'cover.pdf'), await cover.body())
  const coverText = execFileSync('pdftotext', [join(coverDir, 'cover.pdf'), '-'], { encoding: 'utf8' })
  expect(coverText.replace(/ /g, '')).toContain('卷内目录')
  expect(coverText).toContain('询问笔录')

  // A police request, the registrar 王登记 to consult the file for them.
  await page.locator('summary', { hasText: '登记利用申请' }).click()
  await page.getByLabel('申请人类别').selectOption({ label: '公安机关' })
  await page.getByLabel('申请人姓名或单位经办人').fill('李警官')
  await page.getByLabel('单位', { exact: true }).fill('大足区公安分局')
  await page.getByLabel('公函文号').fill('足公（刑）函〔2026〕88号')
  await page.getByLabel('利用目的').fill('刑事案件调查需要')
  await page.getByLabel('查阅的工作人员').selectOption({ label: '王登记' })
  await page.getByRole('button', { name: '提交申请' }).click()
  const requestLink = page.getByRole('link', { name: /^利用申请 \d+$/ }).or(page.getByRole('link', { name: /^申请 \d+$/ })).first()
  await expect(requestLink).toBeVisible()
  const requestUrl = await requestLink.getAttribute('href')

  const supervisor = await (await browser.newContext({ locale: 'zh-CN' })).newPage()
  await loginAs(supervisor, 'supervisor')
  await supervisor.goto(requestUrl!)
  await supervisor.getByLabel('同意', { exact: true }).check()
  await supervisor.getByLabel('审批意见').fill('依法协助公安机关调查')
  await supervisor.getByRole('button', { name: '审批' }).click()
  await expect(supervisor.getByText('已批准').first()).toBeVisible()

  const clerk = await (await browser.newContext({ locale: 'zh-CN' })).newPage()
  await loginAs(clerk, 'registrar')
  await clerk.goto(requestUrl!)
  const download = clerk.getByRole('link', { name: '下载（带水印）' }).first()
  await expect(download).toBeVisible()
  const copy = await clerk.request.get(await download.getAttribute('href') as string)
  expect(copy.status()).toBe(200)
  const dir = mkdtempSync(join(tmpdir(), 'wm-'))
  writeFileSync(join(dir, 'copy.pdf'), await copy.body())
  const text = execFileSync('pdftotext', [join(dir, 'copy.pdf'), '-'], { encoding: 'utf8' })
  expect(text).toContain('李警官')
  expect(text).toContain('王登记')

  await page.goto('/archive/access-log')
  await expect(page.getByRole('cell', { name: '下载' }).first()).toBeVisible()
  await expect(page.getByRole('cell', { name: '王登记' }).first()).toBeVisible()
  await expectAccessible(page)
})

test('an archivist reads a secrecy file\'s document only after giving a reason; the access log shows it; a consultation withholding the birth family lists what it withheld', async ({ page, browser }) => {
  test.setTimeout(60_000)
  await loginAs(page, 'archivist')
  await page.goto('/archive')
  // The demo's registered secrecy case (登记·保密): its file carries the secrecy badge.
  await page.locator('table.data-table tbody tr', { has: page.locator('.badge', { hasText: '保密' }) }).first().getByRole('link').first().click()
  await expect(page.getByText('收养秘密：查阅须经科室负责人逐次批准。')).toBeVisible()
  const fileUrl = page.url()
  const link = page.getByRole('link', { name: '收养登记证（存根/副本）' })
  const direct = (await link.getAttribute('href'))!.replace('/read/', '/documents/')
  // The document's own address, without a reason: the form instead of the bytes.
  const refused = await page.request.get(direct, { maxRedirects: 0 })
  expect(refused.status()).toBe(302)
  expect(refused.headers()['location']).toMatch(/\/archive\/\d+\/read\/\d+$/)
  // An empty reason posted anyway (no browser check): refused next to the field.
  await page.goto(refused.headers()['location'])
  await page.getByLabel('查阅理由').evaluate((el) => el.removeAttribute('required'))
  await page.getByRole('button', { name: '说明理由并打开' }).click()
  await expect(page.locator('#read-reason-error')).toHaveText('查阅涉密案卷的材料须填写理由。')
  await expectAccessible(page)
  await page.screenshot({ path: 'tests/e2e/.artifacts/read-reason.png', fullPage: true })
  await page.getByLabel('查阅理由').fill('核对收养登记证印制号')
  const [served] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(direct)),
    page.getByRole('button', { name: '说明理由并打开' }).click(),
  ])
  expect(served.status()).toBe(200)
  expect(served.headers()['content-type']).toBe('application/pdf')
  await page.goto('/archive/access-log')
  const row = page.locator('table tbody tr', { hasText: '核对收养登记证印制号' }).first()
  await expect(row).toBeVisible()
  await expect(row.getByRole('cell', { name: '档案员查阅' })).toBeVisible()
  await expectAccessible(page)

  // A court consults the file; the supervisor approves without revealing the birth family.
  await page.goto(fileUrl)
  // The demo has a request on this file too: the new one is the newest.
  const requestLinks = page.getByRole('link', { name: /^利用申请 \d+$/ }).or(page.getByRole('link', { name: /^申请 \d+$/ }))
  const before = await requestLinks.count()
  await page.locator('summary', { hasText: '登记利用申请' }).click()
  await page.getByLabel('申请人类别').selectOption({ label: '人民法院' })
  await page.getByLabel('申请人姓名或单位经办人').fill('王法官')
  await page.getByLabel('公函文号').fill('（2026）渝0111民他7号')
  await page.getByLabel('利用目的').fill('审理抚养纠纷')
  await page.getByLabel('查阅的工作人员').selectOption({ label: '王登记' })
  await page.getByRole('button', { name: '提交申请' }).click()
  await expect(requestLinks).toHaveCount(before + 1)
  const hrefs = await requestLinks.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
  const requestUrl = hrefs.sort((a, b) => Number(b.split('/').pop()) - Number(a.split('/').pop()))[0]
  const supervisor = await (await browser.newContext({ locale: 'zh-CN' })).newPage()
  await loginAs(supervisor, 'supervisor')
  await supervisor.goto(requestUrl!)
  await supervisor.getByLabel('同意', { exact: true }).check()
  await supervisor.getByLabel('审批意见').fill('同意查阅，生父母信息不予披露')
  await supervisor.getByRole('button', { name: '审批' }).click()
  await expect(supervisor.getByText('已批准').first()).toBeVisible()
  const clerk = await (await browser.newContext({ locale: 'zh-CN' })).newPage()
  await loginAs(clerk, 'registrar')
  await clerk.goto(requestUrl!)
  await expect(clerk.getByText('审批未同意披露生父母等送养方的身份信息')).toBeVisible()
  await expect(clerk.getByRole('listitem').filter({ hasText: '收养登记证（存根/副本）（1 件）' })).toBeVisible()
  await expect(clerk.getByRole('listitem').filter({ hasText: '收养登记证（存根/副本）' }).getByRole('link')).toHaveCount(0)
  await expectAccessible(clerk)
  await clerk.screenshot({ path: 'tests/e2e/.artifacts/withheld.png', fullPage: true })
})
