// Settings and the holiday calendar belong to their registry (decision 030): one registry's
// administrator cannot change another's second-factor rule or local days, and a local day of one
// registry does not move another's deadline. The national calendar is shared by both.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry, makeUser } from '#tests/support/factories.ts'
import { defaultTotpRequiredRoles, getSetting, setTotpRequiredRoles } from '#app/platform/settings.server.ts'
import { addCalendarDay, calendarYear, localScope, nationalScope, removeCalendarDay } from '#app/platform/calendar-admin.server.ts'
import { workCalendar } from '#app/platform/calendar.server.ts'
import { calendarLists, replyDueOn } from '#app/rootseeking/calendar.server.ts'
import { addWorkingDays } from '#app/platform/working-days.ts'
import { createSession, loadSession } from '#app/platform/auth/sessions.server.ts'

let t: TestDatabase
type Admin = { id: string; username: string; registryCode: string }
let adminA: Admin
let adminB: Admin
let registrarB: { id: string }
beforeAll(async () => {
  t = await testDatabase()
  await makeRegistry(t.db, '500111')
  await makeRegistry(t.db, '500112', '重庆市荣昌区民政局')
  const a = await makeUser(t.db, { roles: ['sysadmin'], registryCode: '500111' })
  const b = await makeUser(t.db, { roles: ['sysadmin'], registryCode: '500112' })
  adminA = { id: a.id, username: a.username, registryCode: '500111' }
  adminB = { id: b.id, username: b.username, registryCode: '500112' }
  registrarB = await makeUser(t.db, { roles: ['registrar'], registryCode: '500112' })
})
afterAll(async () => { await t.destroy() })

test('the second-factor rule of one registry leaves the other untouched', async () => {
  await setTotpRequiredRoles(t.db, adminA, ['registrar', 'supervisor'])
  expect(await getSetting(t.db, '500111', 'totp_required_roles')).toEqual(['registrar', 'supervisor'])
  // Registry B keeps the out-of-the-box rule.
  expect(await getSetting(t.db, '500112', 'totp_required_roles')).toEqual(defaultTotpRequiredRoles)
  // The session of registry B's registrar is not asked for a second factor by A's rule.
  const { token } = await createSession(t.db, registrarB.id, { ip: null, userAgent: null, secondFactorDone: false })
  expect((await loadSession(t.db, token, { idleMinutes: 60, maxHours: 12 }))!.totpRequired).toBe(false)
  await setTotpRequiredRoles(t.db, adminB, ['registrar'])
  expect((await loadSession(t.db, token, { idleMinutes: 60, maxHours: 12 }))!.totpRequired).toBe(true)
  expect(await getSetting(t.db, '500111', 'totp_required_roles')).toEqual(['registrar', 'supervisor'])
})

test('a local day of registry A moves only A\'s deadlines; B cannot remove it', async () => {
  const received = '2026-12-01'
  const beforeA = replyDueOn(received, await calendarLists(t.db, '500111'))
  const beforeB = replyDueOn(received, await calendarLists(t.db, '500112'))
  expect(beforeA).toBe(beforeB)
  await addCalendarDay(t.db, adminA, localScope('500111'), { day: '2026-12-03', kind: 'holiday', name: '地方放假' })
  expect(replyDueOn(received, await calendarLists(t.db, '500111'))).not.toBe(beforeA)
  expect(replyDueOn(received, await calendarLists(t.db, '500112'))).toBe(beforeB)
  expect(addWorkingDays('2026-12-02', 1, await calendarLists(t.db, '500111'))).toBe('2026-12-04')
  expect(addWorkingDays('2026-12-02', 1, await calendarLists(t.db, '500112'))).toBe('2026-12-03')
  // Registry B sees the national days and none of A's local ones, and cannot remove A's day.
  const seenByB = await calendarYear(t.db, '500112', 2026)
  expect(seenByB.some((d) => d.day === '2026-12-03')).toBe(false)
  expect(seenByB.every((d) => !d.local)).toBe(true)
  await expect(removeCalendarDay(t.db, adminB, localScope('500112'), '2026-12-03')).rejects.toMatchObject({ messageKey: 'calendar.error.notFound' })
  expect((await calendarYear(t.db, '500111', 2026)).find((d) => d.day === '2026-12-03')).toMatchObject({ local: true, kind: 'holiday' })
  // The same date may be a local day of B too; each registry removes only its own.
  await addCalendarDay(t.db, adminB, localScope('500112'), { day: '2026-12-03', kind: 'holiday', name: '荣昌放假' })
  await removeCalendarDay(t.db, adminB, localScope('500112'), '2026-12-03')
  expect((await calendarYear(t.db, '500111', 2026)).some((d) => d.day === '2026-12-03' && d.local)).toBe(true)
})

test('a local adjusted working day overrides a national day off for that registry only', async () => {
  // 2026-10-03 is a Saturday inside the national day holiday (the shipped calendar).
  expect((await calendarYear(t.db, '500111', 2026)).find((d) => d.day === '2026-10-03')).toMatchObject({ kind: 'holiday', local: false })
  await addCalendarDay(t.db, adminA, localScope('500111'), { day: '2026-10-03', kind: 'workday', name: '地方调休' })
  expect((await workCalendar(t.db, '500111')).workdays.has('2026-10-03')).toBe(true)
  expect((await workCalendar(t.db, '500111')).holidays.has('2026-10-03')).toBe(false)
  expect((await workCalendar(t.db, '500112')).holidays.has('2026-10-03')).toBe(true)
})

test('the national calendar is one for the deployment: a national day counts for both registries', async () => {
  await addCalendarDay(t.db, adminA, nationalScope, { day: '2026-12-10', kind: 'holiday', name: '全国测试' })
  expect((await workCalendar(t.db, '500111')).holidays.has('2026-12-10')).toBe(true)
  expect((await workCalendar(t.db, '500112')).holidays.has('2026-12-10')).toBe(true)
  // Removing it as a local day of a registry finds nothing: the scopes are apart.
  await expect(removeCalendarDay(t.db, adminB, localScope('500112'), '2026-12-10')).rejects.toMatchObject({ messageKey: 'calendar.error.notFound' })
  await removeCalendarDay(t.db, adminA, nationalScope, '2026-12-10')
  expect((await workCalendar(t.db, '500112')).holidays.has('2026-12-10')).toBe(false)
})
