// Longer steps shared by several end-to-end specs.
import { expect, type Page } from '@playwright/test'
import { citizenIdFor } from '../../app/registration/demo/people.ts'

export type Person = { name: string; birthDate: string; id: string }

export function couple(seed: number): { father: Person; mother: Person } {
  return {
    father: { name: '周建华', birthDate: '1984-06-15', id: citizenIdFor('500111', '1984-06-15', 'male', seed) },
    mother: { name: '吴丽娟', birthDate: '1986-02-03', id: citizenIdFor('500111', '1986-02-03', 'female', seed + 1) },
  }
}

export async function fillPerson(page: Page, section: string, p: Person, sex: '男' | '女') {
  const fieldset = page.locator(`fieldset:has(> legend:text-is("${section}"))`)
  await fieldset.getByLabel('姓名', { exact: true }).fill(p.name)
  await fieldset.getByLabel('性别').selectOption({ label: sex })
  await fieldset.getByLabel('出生日期').fill(p.birthDate)
  await fieldset.getByLabel('公民身份号码').fill(p.id)
  await fieldset.getByLabel('婚姻状况').selectOption({ label: '已婚' })
  await fieldset.getByLabel('户籍地址').fill('重庆市大足区棠香街道二环南路168号')
}

/** A registrar records a couple adopting a girl from the welfare institution; returns the page URL. */
/**
 * Records an ordinary application by a couple. `overseasChinese`: the husband is 华侨, so the case
 * may take an assessment made outside the system (app/registration/outside-assessment.ts).
 */
export async function recordApplication(page: Page, people: { father: Person; mother: Person }, child = '福小雨', options: { overseasChinese?: boolean } = {}): Promise<string> {
  await page.goto('/applications/new')
  await page.getByLabel('一般收养').check()
  await page.getByLabel('送养人类型').selectOption({ label: '儿童福利机构' })
  await fillPerson(page, '收养人', people.father, '男')
  if (options.overseasChinese) await page.locator('fieldset:has(> legend:text-is("收养人"))').getByLabel('华侨').check()
  await page.getByLabel('居住地乡镇（街道）').selectOption({ label: '棠香街道' })
  await page.getByLabel('夫妻共同收养').check()
  await fillPerson(page, '收养人配偶', people.mother, '女')
  const section = page.locator('fieldset:has(> legend:text-is("被收养人"))')
  await section.getByLabel('姓名', { exact: true }).fill(child)
  await section.getByLabel('性别').selectOption({ label: '女' })
  await section.getByLabel('出生日期').fill('2022-04-09')
  await section.getByLabel('被收养人情况').selectOption({ label: '查找不到生父母' })
  await section.getByLabel('由儿童福利机构抚养').check()
  await page.getByLabel('儿童福利机构名称').fill('重庆市大足区儿童福利院')
  await page.getByRole('button', { name: '保存为待受理申请' }).click()
  await expect(page.getByRole('heading', { name: /收养登记申请 \d+/ })).toBeVisible()
  return page.url()
}

/** Verifies every document on the checklist, one by one as a clerk would. */
export async function verifyAllDocuments(page: Page) {
  const verify = page.getByRole('button', { name: '核验', exact: true })
  for (let left = await verify.count(); left > 0; left--) {
    await verify.first().click()
    await expect(verify).toHaveCount(left - 1)
  }
}

/** A civil date in Asia/Shanghai, `days` from today. */
export function shanghaiDate(days = 0): string {
  const now = new Date(Date.now() + days * 86_400_000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** A 1×1 PNG: the child's photo published with the notice. */
export const NOTICE_PHOTO = { name: 'notice-photo.png', mimeType: 'image/png', buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64') }

/** Fills and sends the form that publishes the notice seeking the birth parents, dated `daysAgo`. */
export async function publishNotice(page: Page, daysAgo: number) {
  const step = page.locator('details.step', { has: page.locator('summary', { hasText: '发布查找生父母公告' }) })
  if ((await step.getAttribute('open')) === null) await step.locator('summary').click()
  await step.getByLabel('日期').fill(shanghaiDate(-daysAgo))
  await step.getByLabel('公告载体').selectOption({ label: '报纸' })
  await step.getByLabel('报纸或网站名称').fill('重庆日报')
  await step.getByLabel('刊登版次或网页地址').fill('第7版')
  await step.getByLabel('公告内容').fill('该儿童经公安机关查找，未能找到其生父母。请其生父母或其他监护人自公告之日起六十日内认领。')
  await step.getByLabel('被收养人照片（JPEG 或 PNG）').setInputFiles(NOTICE_PHOTO)
  await step.getByRole('button', { name: '发布查找生父母公告' }).click()
}

/**
 * Receives the application `receivedDaysAgo` days ago and, for a child whose birth parents cannot be
 * found (Civil Code arts. 1093(2), 1105), publishes the notice the next day and records its end
 * `endDaysAgo` days ago (at least sixty full days later).
 */
export async function receiveWithNotice(page: Page, receivedDaysAgo = 80, endDaysAgo = 0) {
  await page.getByLabel('日期').first().fill(shanghaiDate(-receivedDaysAgo))
  await page.getByRole('button', { name: '受理申请' }).click()
  await expect(page.getByText('已办理：受理')).toBeVisible()
  await publishNotice(page, receivedDaysAgo - 1)
  await expect(page.getByText('已办理：发布公告')).toBeVisible()
  const end = page.locator('details.step', { has: page.locator('summary', { hasText: '公告期满' }) })
  if ((await end.getAttribute('open')) === null) await end.locator('summary').click()
  await end.getByLabel('日期').fill(shanghaiDate(-endDaysAgo))
  await end.getByRole('button', { name: '公告期满' }).click()
  await expect(page.getByText('已办理：公告期满')).toBeVisible()
}
