// The main pages of each role pass the automated accessibility check (WCAG 2.1 A/AA rules).
import { test } from '@playwright/test'
import { expectAccessible, loginAs } from './helpers.ts'

const pages: Record<string, string[]> = {
  registrar: ['/applications/new', '/applications?due=late', '/guide', '/statistics'],
  assessor: ['/assessments', '/assessments/1'],
  archivist: ['/archive', '/archive/1', '/archive/transfers', '/archive/requests'],
  caseworker: ['/followup', '/followup?view=calendar', '/followup/intercountry', '/rootseeking', '/rootseeking/new', '/rootseeking/1', '/rootseeking/statistics', '/visit-request', '/visit-request/status'],
  supervisor: ['/followup/tasks', '/followup/reviews', '/rootseeking/2', '/staff/handover'],
  // The three administrators (decision 026).
  sysadmin: ['/admin/users', '/admin/registry', '/admin/outbox', '/account', '/admin/followup-policy', '/admin/calendar', '/admin/towns'],
  secadmin: ['/admin/security', '/admin/approvals'],
  auditadmin: ['/audit'],
}

for (const [role, paths] of Object.entries(pages)) {
  test(`${role}: ${paths.join(', ')}`, async ({ page }) => {
    await loginAs(page, role)
    for (const path of paths) {
      await page.goto(path)
      await expectAccessible(page)
    }
  })
}
