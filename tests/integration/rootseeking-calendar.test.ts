// The administrator's holiday calendar: adding and removing days with validation, importing a year
// in the shipped format, the 60-day warning, and a restart that keeps the administrator's changes.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readFileSync } from 'node:fs'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry, makeUser } from '#tests/support/factories.ts'
import { addCalendarDay, calendarCoverage, calendarYear, importCalendarYear, removeCalendarDay } from '#app/platform/calendar-admin.server.ts'
import { loadCalendar } from '#db/seed/calendar.ts'
import { calendarLists, replyDueOn } from '#app/rootseeking/calendar.server.ts'

let t: TestDatabase
let admin: { id: string; username: string; registryCode: string }
beforeAll(async () => {
  t = await testDatabase()
  await makeRegistry(t.db)
  const user = await makeUser(t.db, { roles: ['sysadmin'], registryCode: '500111' })
  admin = { id: user.id, username: user.username, registryCode: '500111' }
})
afterAll(async () => { await t.destroy() })

test('the shipped 2026 calendar reaches 60 days ahead on 1 October 2026, not on 28 November', async () => {
  expect(await calendarCoverage(t.db, '2026-10-01')).toEqual({ until: '2026-12-31', short: false })
  expect(await calendarCoverage(t.db, '2026-11-28')).toEqual({ until: '2026-12-31', short: true })
})

test('adding and removing days, with validation; the deadline follows', async () => {
  await expect(addCalendarDay(t.db, admin, { day: '2026-10-01', kind: 'holiday', name: '国庆节' })).rejects.toMatchObject({ messageKey: 'calendar.error.exists' })
  await expect(addCalendarDay(t.db, admin, { day: '2026-12-02', kind: 'workday', name: 'x' })).rejects.toMatchObject({ messageKey: 'calendar.error.workdayWeekday' })
  const before = replyDueOn('2026-12-01', await calendarLists(t.db))
  await addCalendarDay(t.db, admin, { day: '2026-12-03', kind: 'holiday', name: '测试放假' })
  expect(replyDueOn('2026-12-01', await calendarLists(t.db))).not.toBe(before)
  await removeCalendarDay(t.db, admin, '2026-12-03')
  expect(replyDueOn('2026-12-01', await calendarLists(t.db))).toBe(before)
  await expect(removeCalendarDay(t.db, admin, '2026-12-03')).rejects.toMatchObject({ messageKey: 'calendar.error.notFound' })
})

test('a year is imported from a file in the shipped format; bad files are refused whole', async () => {
  const file2027 = JSON.stringify({ year: 2027, holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }], workdays: ['2027-01-09'] })
  await expect(importCalendarYear(t.db, admin, '{not json')).rejects.toMatchObject({ messageKey: 'calendar.error.json' })
  await expect(importCalendarYear(t.db, admin, JSON.stringify({ year: 2027, holidays: [], workdays: ['2027-01-06'] }))).rejects.toMatchObject({ messageKey: 'calendar.error.format' })
  await expect(importCalendarYear(t.db, admin, JSON.stringify({ year: 2027, holidays: [{ name: 'x', dates: ['2026-12-31'] }], workdays: [] }))).rejects.toMatchObject({ messageKey: 'calendar.error.format' })
  expect(await calendarYear(t.db, 2027)).toEqual([])
  expect(await importCalendarYear(t.db, admin, file2027)).toEqual({ year: 2027, holidays: 3, workdays: 1 })
  expect((await calendarYear(t.db, 2027)).map((d) => d.day)).toEqual(['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-09'])
  expect(await calendarCoverage(t.db, '2026-11-28')).toEqual({ until: '2027-12-31', short: false })
  // The shipped file itself imports (same format).
  const shipped = readFileSync(new URL('../../db/seed/holidays-cn-2026.json', import.meta.url), 'utf8')
  expect(await importCalendarYear(t.db, admin, shipped)).toEqual({ year: 2026, holidays: 33, workdays: 6 })
})

test('a restart does not undo the administrator\'s changes to a shipped year', async () => {
  await removeCalendarDay(t.db, admin, '2026-10-10')
  await loadCalendar(t.db)
  expect((await calendarYear(t.db, 2026)).some((d) => d.day === '2026-10-10')).toBe(false)
})
