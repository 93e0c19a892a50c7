import { expect, test } from 'vitest'
import { activeNavItem, navItems } from './nav.ts'
import { catalogs } from '#app/platform/i18n/index.ts'

test('every section of the navigation has its label and its line on the home page, in both languages', () => {
  for (const item of navItems.filter((i) => i.to !== '/')) {
    for (const locale of ['zh', 'en'] as const) {
      expect(catalogs[locale][item.label], `${locale} ${item.label}`).toBeTruthy()
      expect(catalogs[locale][`home.section.${item.to}`], `${locale} home.section.${item.to}`).toBeTruthy()
    }
  }
})

test('one item is current: the longest item path the page is under', () => {
  const items = [{ to: '/' }, { to: '/archive' }, { to: '/archive/requests' }, { to: '/applications' }]
  expect(activeNavItem(items, '/')).toBe('/')
  expect(activeNavItem(items, '/archive')).toBe('/archive')
  expect(activeNavItem(items, '/archive/12')).toBe('/archive')
  expect(activeNavItem(items, '/archive/requests')).toBe('/archive/requests')
  expect(activeNavItem(items, '/archive/requests/7')).toBe('/archive/requests')
  expect(activeNavItem(items, '/archived')).toBeNull()
  expect(activeNavItem(items, '/account')).toBeNull()
})

test("a section's own sub-pages light it, longer than a shorter item's prefix", () => {
  // The supervisor's review queue and report register are reached from 回访任务's page header.
  const items = [{ to: '/followup' }, { to: '/followup/tasks', also: ['/followup/reviews', '/followup/reports'] }, { to: '/followup/intercountry' }]
  expect(activeNavItem(items, '/followup/reviews')).toBe('/followup/tasks')
  expect(activeNavItem(items, '/followup/reports')).toBe('/followup/tasks')
  expect(activeNavItem(items, '/followup/tasks/12')).toBe('/followup/tasks')
  expect(activeNavItem(items, '/followup')).toBe('/followup')
  expect(activeNavItem(items, '/followup/intercountry/reports')).toBe('/followup/intercountry')
  // Without 我的回访 (a supervisor who makes no visits): still 回访任务.
  expect(activeNavItem(items.slice(1), '/followup/reviews')).toBe('/followup/tasks')
})
