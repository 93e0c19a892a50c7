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
