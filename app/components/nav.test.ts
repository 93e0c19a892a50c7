import { expect, test } from 'vitest'
import { navItems } from './nav.ts'
import { catalogs } from '#app/platform/i18n/index.ts'

test('every section of the navigation has its label and its line on the home page, in both languages', () => {
  for (const item of navItems.filter((i) => i.to !== '/')) {
    for (const locale of ['zh', 'en'] as const) {
      expect(catalogs[locale][item.label], `${locale} ${item.label}`).toBeTruthy()
      expect(catalogs[locale][`home.section.${item.to}`], `${locale} home.section.${item.to}`).toBeTruthy()
    }
  }
})
