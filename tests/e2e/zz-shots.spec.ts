import { test } from '@playwright/test'
import { loginAs } from './helpers.ts'
test.use({ viewport: { width: 1366, height: 900 } })
for (const [user, path, name] of [
  ['supervisor', '/ledgers/decisions', 'decisions'], ['supervisor', '/followup/reports', 'reports'], ['supervisor', '/assessments', 'assessments'],
  ['supervisor', '/followup/intercountry/reports', 'placement'], ['registrar', '/rootseeking', 'rootseeking'], ['archivist', '/archive/requests', 'access'],
] as const) {
  test(`shot ${name}`, async ({ page }) => {
    await loginAs(page, user)
    await page.goto(path)
    await page.screenshot({ path: `/tmp/main-shots/${name}.png`, fullPage: true })
  })
}
