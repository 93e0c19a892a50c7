// Root-seeking (issue: root-seeking return visits): a family submits on the public page, a
// registrar verifies and accepts with the reception plan, the family's e-mail arrives at a real
// SMTP sink with the plan, the caseworker records the reception and prints the record.
//
// The shared e2e server runs without SMTP (its mail goes to the outbox, which other specs read).
// This spec starts its own SMTP sink and its own instance of the built app pointed at it, on the
// next port, with its own data directory: the mail is delivered by the real worker over SMTP.
import { expect, test } from '@playwright/test'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import { PDFDocument } from 'pdf-lib'
import { DEMO_PASSWORD, expectAccessible, freePortSync, loginAs } from './helpers.ts'

// Its own server (with an SMTP sink), on a port free at load time.
const port = freePortSync()
const baseURL = `http://127.0.0.1:${port}`
const dataDir = 'tests/e2e/.artifacts/rootseeking-data'
const mails: ParsedMail[] = []
let smtp: SMTPServer
let server: ChildProcess
let serverLog = ''

test.use({ baseURL })
test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  test.setTimeout(90_000)
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) { simpleParser(stream).then((m) => { mails.push(m); callback() }, callback) },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  const smtpPort = (smtp.server.address() as { port: number }).port
  rmSync(dataDir, { recursive: true, force: true })
  server = spawn(process.execPath, ['build/start.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: 'Registry <registry@e2e.test>', DEMO_PASSWORD, PUBLIC_URL: baseURL },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stdout?.on('data', (d) => { serverLog += d })
  server.stderr?.on('data', (d) => { serverLog += d })
  const deadline = Date.now() + 80_000
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited: ${serverLog}`)
    try {
      if ((await fetch(`${baseURL}/healthz`)).ok) break
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`server did not start: ${serverLog}`)
    await new Promise((r) => setTimeout(r, 300))
  }
})

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve))
    server.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
  }
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
})

async function pdfFile(name: string) {
  const doc = await PDFDocument.create()
  doc.addPage([595, 842])
  return { name, mimeType: 'application/pdf', buffer: Buffer.from(await doc.save()) }
}

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

test('a family submits, a registrar verifies and accepts, the plan arrives by e-mail, the caseworker records the reception', async ({ page, browser }) => {
  test.setTimeout(90_000)
  // The registrar finds the original registration a demo family refers to (from the demo request).
  await loginAs(page, 'registrar')
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '寻根回访' }).click()
  await expect(page.getByRole('heading', { name: '寻根回访', level: 1 })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('row', { name: /Sarah Miller/ }).getByRole('link').first().click()
  const fact = (label: string) => page.locator('dl.facts dt', { hasText: label }).first().locator('xpath=following-sibling::dd[1]')
  const number = (await fact('收养登记证字号').innerText()).trim()
  const registeredOn = (await fact('收养登记日期').innerText()).trim()
  const institution = (await fact('原所在儿童福利机构').innerText()).trim()
  const nameThen = (await fact('收养时姓名').innerText()).trim()
  const born = (await fact('出生日期').innerText()).trim()
  const iso = (zh: string) => { const m = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(zh)!; return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` }
  await expect(page.getByText('已找到原收养登记')).toBeVisible()

  // The family, in English, on the public page (no login).
  const family = await browser.newContext({ baseURL, locale: 'en-GB', timezoneId: 'America/New_York' })
  const f = await family.newPage()
  await f.goto('/visit-request')
  await f.getByRole('button', { name: 'English' }).click()
  await expect(f.getByRole('heading', { name: 'Root-seeking visit request' })).toBeVisible()
  await expectAccessible(f)
  await f.getByLabel('Applicant\'s name (as in the passport)').fill('Hannah Brooks')
  await f.getByRole('textbox', { name: 'Nationality', exact: true }).first().fill('United States')
  await f.getByLabel('Country of residence').fill('United States')
  await f.getByLabel('E-mail').fill('hannah.brooks@family.test')
  await f.getByLabel('Language for our letters').selectOption('en')
  await f.getByLabel('Your time zone').fill('America/New_York')
  await f.getByLabel('Name at adoption').fill(nameThen)
  await f.getByLabel('Name now').fill('Ruby Brooks')
  await f.getByLabel('Date of birth').first().fill(iso(born))
  await f.getByLabel('Adoption registration number').fill(number)
  await f.getByLabel('Date of the adoption registration').fill(iso(registeredOn))
  await f.getByRole('textbox', { name: 'Welfare institution', exact: true }).fill(institution)
  await f.getByLabel('Wished visit from').fill(future(-3))
  await f.getByLabel('Wished visit to').fill(future(40))
  await f.getByLabel('Places you wish to see').fill('The welfare institution and the finding place')
  const row = (n: number) => f.getByRole('group', { name: `Visitor ${n}` })
  await row(1).getByLabel('Name (as in the passport)').fill('Hannah Brooks')
  await row(1).getByLabel('Relation to the adoptee').fill('mother')
  await row(1).getByLabel('Nationality').fill('United States')
  await row(1).getByLabel('Date of birth').fill('1979-06-02')
  await row(1).getByLabel('Passport number').fill('561234987')
  await row(1).getByLabel('Passport valid until').fill('2031-01-01')
  await row(1).getByLabel('Passport copy').setInputFiles(await pdfFile('passport-hannah.pdf'))
  await f.getByLabel('Reception application form').setInputFiles(await pdfFile('form.pdf'))
  await f.getByLabel('Copy of the adoption certificate').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not really a pdf') })
  await f.getByRole('button', { name: 'Submit the request' }).click()
  // A date in the past is refused beside its field; the values stay.
  await expect(f.getByText('This date is today or past: choose a later date.', { exact: true })).toBeVisible()
  await expect(f.getByLabel('Applicant\'s name (as in the passport)')).toHaveValue('Hannah Brooks')
  await f.getByLabel('Wished visit from').fill(future(30))
  await row(1).getByLabel('Passport copy').setInputFiles(await pdfFile('passport-hannah.pdf'))
  await f.getByLabel('Reception application form').setInputFiles(await pdfFile('form.pdf'))
  await f.getByLabel('Copy of the adoption certificate').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not really a pdf') })
  await f.getByRole('button', { name: 'Submit the request' }).click()
  // The upload is checked by its content, not its name.
  await expect(f.getByText('The file "certificate.pdf" is not a PDF, JPEG or PNG.').first()).toBeVisible()
  await row(1).getByLabel('Passport copy').setInputFiles(await pdfFile('passport-hannah.pdf'))
  await f.getByLabel('Reception application form').setInputFiles(await pdfFile('form.pdf'))
  await f.getByLabel('Copy of the adoption certificate').setInputFiles(await pdfFile('certificate.pdf'))
  await f.getByRole('button', { name: 'Submit the request' }).click()
  await expect(f.getByRole('heading', { name: 'Request received' })).toBeVisible()
  const reference = (await f.locator('p.reference').innerText()).trim()
  expect(reference).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/)
  await expect.poll(() => mails.some((m) => m.subject?.includes(reference)), { timeout: 15_000 }).toBe(true)
  const confirmation = mails.find((m) => m.subject?.includes(reference))!
  expect(confirmation.subject).toBe(`Your root-seeking visit request has been received (reference ${reference})`)
  expect(confirmation.to).toMatchObject({ text: 'hannah.brooks@family.test' })

  // The status: the wrong e-mail gets the same neutral answer as an unknown reference.
  await f.goto('/visit-request/status')
  await f.getByLabel('Reference').fill(reference)
  await f.getByLabel('E-mail').fill('someone.else@family.test')
  await f.getByRole('button', { name: 'Show the status' }).click()
  await expect(f.getByText('No request matches both this reference and this e-mail.')).toBeVisible()
  await expect(f.getByText('Awaiting reply')).toHaveCount(0)
  await f.getByLabel('E-mail').fill('hannah.brooks@family.test')
  await f.getByRole('button', { name: 'Show the status' }).click()
  await expect(f.getByText('Awaiting reply')).toBeVisible()

  // The registrar verifies against the registry and accepts with the reception plan.
  await page.goto('/rootseeking')
  await page.getByRole('link', { name: reference }).click()
  await expect(page.getByText('已找到原收养登记')).toBeVisible()
  await expect(page.getByText('剩 10 个工作日').or(page.getByText(/剩 \d+ 个工作日/)).first()).toBeVisible()
  await page.getByRole('button', { name: '核实' }).click()
  await expect(page.getByText('请确认来访人员与护照复印件一致。')).toBeVisible()
  await page.getByLabel('来访人员与护照复印件逐一核对无误').check()
  await page.getByRole('button', { name: '核实' }).click()
  await expect(page.getByText(/已核实：王登记/)).toBeVisible()
  await page.getByLabel('接待负责人（社工）').selectOption({ label: '张回访' })
  await page.getByLabel('接待日期').fill(future(30))
  await page.getByLabel('开始时间（北京时间）').fill('09:30')
  await page.getByLabel('结束时间（北京时间）').fill('12:00')
  await page.getByRole('textbox', { name: '地点', exact: true }).fill('大足区儿童福利院；发现地')
  await page.getByLabel('接待人员').fill('王登记、张回访')
  await page.getByLabel('翻译').fill('陈译（英语）')
  await page.getByLabel('福利机构联系人').fill('福利院办公室 023-43720000')
  await page.getByLabel('可以展示的内容').fill('The rooms of the institution and the photos of her stay')
  await page.getByLabel('本次接待不收取任何费用，不索要或暗示捐赠').check()
  await page.getByRole('button', { name: '同意并确定接待方案' }).click()
  await expect(page.getByText('已同意，待接待').first()).toBeVisible()
  await expectAccessible(page)

  // The family's e-mail, in English, with the plan in New York time and China time.
  await expect.poll(() => mails.some((m) => m.subject === `Your root-seeking visit is accepted (reference ${reference})`), { timeout: 15_000 }).toBe(true)
  const accepted = mails.find((m) => m.subject === `Your root-seeking visit is accepted (reference ${reference})`)!
  expect(accepted.to).toMatchObject({ text: 'hannah.brooks@family.test' })
  expect(accepted.text).toMatch(/Starts: .*(20|21):30 GMT-[45] \(America\/New_York\)/)
  expect(accepted.text).toContain('09:30 GMT+8 (Asia/Shanghai)')
  expect(accepted.text).toContain('Places: 大足区儿童福利院；发现地')
  expect(accepted.text).toContain('Hannah Brooks')
  expect(accepted.text).toContain('free of charge')
  await family.close()

  // The caseworker records the reception and prints the record.
  const cw = await browser.newContext({ baseURL })
  const c = await cw.newPage()
  await loginAs(c, 'caseworker')
  await expect(c.getByText(/我负责的待接待 \d+ 件/)).toBeVisible()
  await c.goto('/rootseeking?show=mine')
  await c.getByRole('link', { name: reference }).click()
  await c.getByLabel('实际接待日期').fill(new Date().toISOString().slice(0, 10))
  await c.getByLabel('Hannah Brooks').check()
  await c.getByLabel('到访地点').fill('大足区儿童福利院')
  await c.getByLabel('展示的内容').fill('福利院的房间和在院期间的照片')
  await c.getByLabel('后续愿望').fill('Letters to the institution')
  await c.getByRole('button', { name: '保存接待记录' }).click()
  await expect(c.getByText('已接待').first()).toBeVisible()
  const pdf = await c.request.get(await c.getByRole('link', { name: '接待记录（PDF）' }).getAttribute('href') as string)
  expect(pdf.headers()['content-type']).toBe('application/pdf')
  const dir = mkdtempSync(join(tmpdir(), 'reception-'))
  writeFileSync(join(dir, 'r.pdf'), await pdf.body())
  const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' })
  expect(text.replace(/\s/g, '')).toContain('寻根回访接待记录')
  expect(text).toContain('Hannah Brooks')
  await c.getByRole('button', { name: '结案' }).click()
  await expect(c.getByText('已结案').first()).toBeVisible()
  await c.goto('/rootseeking/statistics')
  await expect(c.getByRole('cell', { name: 'United States' }).first()).toBeVisible()
  await expectAccessible(c)
  await cw.close()
})

test('the public page limits submissions per address (kept in PostgreSQL)', async ({ request }) => {
  // Empty submissions still count: the sixth within the hour is refused.
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) {
    const response = await request.post('/visit-request', { multipart: { applicantName: '' }, headers: { Origin: baseURL } })
    statuses.push(response.status())
  }
  // The family's submission in the first test counted too.
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2)
  expect(statuses[0]).toBe(400)
})

test('the administrator maintains the holiday calendar and is warned when it runs short', async ({ page }) => {
  await loginAs(page, 'sysadmin')
  // The shipped calendar ends on 31 December 2026: from November on, the home page warns.
  const warning = page.getByText(/节假日日历只录入到 2026年12月31日/)
  if (future(60) > '2026-12-31') await expect(warning).toBeVisible()
  else await expect(warning).toHaveCount(0)
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '节假日日历' }).click()
  await expect(page.getByRole('heading', { name: '节假日日历', level: 1 })).toBeVisible()
  await expect(page.getByRole('row', { name: /2026年10月10日/ })).toContainText('调休上班')
  // An adjusted working day must fall on a weekend.
  await page.getByLabel('日期', { exact: true }).fill('2026-12-02')
  await page.getByLabel('调休上班').check()
  await page.getByLabel('名称').fill('测试')
  await page.getByRole('button', { name: '添加日期' }).click()
  await expect(page.getByText('调休上班日必须是周六或周日。')).toBeVisible()
  // Next year's arrangement, imported from a file in the shipped format.
  const file = JSON.stringify({ year: 2027, source: 'test', holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }], workdays: ['2027-01-09'] })
  await page.getByLabel('JSON 文件').setInputFiles({ name: 'holidays-cn-2027.json', mimeType: 'application/json', buffer: Buffer.from(file) })
  await page.getByRole('button', { name: '导入一年的安排（JSON）' }).click()
  await expect(page.getByText('已导入 2027 年：放假 3 天，调休上班 1 天。')).toBeVisible()
  await expect(page.getByText(/节假日日历只录入到/)).toHaveCount(0)
  await page.goto('/admin/calendar?year=2027')
  await expect(page.getByRole('row', { name: /2027年1月9日/ })).toContainText('调休上班')
  await expectAccessible(page)
})
