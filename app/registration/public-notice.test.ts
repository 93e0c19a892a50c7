import { describe, expect, test } from 'vitest'
import calendar2026 from '#db/seed/holidays-cn-2026.json' with { type: 'json' }
import type { Calendar } from './deadlines.ts'
import { publicNoticeEnd, publicNoticeRequiredFor } from './public-notice.ts'

const calendar: Calendar = {
  holidays: new Set(calendar2026.holidays.flatMap((h) => h.dates)),
  workdays: new Set(calendar2026.workdays),
}
// The 2027 New Year holiday as a later State Council notice might set it (an assumption of the test).
const with2027: Calendar = {
  holidays: new Set([...calendar.holidays, '2027-01-01', '2027-01-02', '2027-01-03']),
  workdays: calendar.workdays,
}

describe('publicNoticeEnd: 自公告之日起满六十日 (Civil Code arts. 201, 203)', () => {
  test.each([
    // published    last day      registration from  why
    ['2026-01-05', '2026-03-06', '2026-03-07', 'day 60 is a Friday: it is the last day; publication day not counted'],
    ['2026-01-06', '2026-03-09', '2026-03-10', 'day 60 is Saturday 7 March: moves to Monday'],
    ['2026-08-02', '2026-10-08', '2026-10-09', 'day 60 is 1 October: the National Day holiday runs to 7 October'],
    ['2026-08-03', '2026-10-08', '2026-10-09', 'day 60 inside the holiday'],
    ['2026-08-11', '2026-10-10', '2026-10-11', 'day 60 is Saturday 10 October, an adjusted working day (调休上班)'],
    ['2025-12-17', '2026-02-24', '2026-02-25', 'day 60 is Sunday 15 February, the first day of the Spring Festival holiday'],
    ['2025-12-16', '2026-02-14', '2026-02-15', 'day 60 is Saturday 14 February, worked under 调休'],
    ['2026-02-28', '2026-04-29', '2026-04-30', 'across the end of February'],
  ])('published %s → last day %s, registration from %s (%s)', (published, lastDay, earliest) => {
    expect(publicNoticeEnd(published, calendar)).toEqual({ lastDay, earliestRegistration: earliest, provisional: false })
  })

  test('never on day 60 when day 60 is a rest day, and never before it', () => {
    for (let d = 0; d < 365; d++) {
      const published = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10)
      if (published > '2026-10-31') break
      const { lastDay, earliestRegistration } = publicNoticeEnd(published, calendar)
      const day60 = new Date(Date.parse(published) + 60 * 86_400_000).toISOString().slice(0, 10)
      expect(lastDay >= day60).toBe(true)
      expect(earliestRegistration > lastDay).toBe(true)
    }
  })

  test('at the year end the result is provisional until next year\'s holidays are known', () => {
    // Published 2 Nov 2026: day 60 is 1 Jan 2027.
    expect(publicNoticeEnd('2026-11-02', calendar)).toEqual({ lastDay: '2027-01-01', earliestRegistration: '2027-01-02', provisional: true })
    expect(publicNoticeEnd('2026-11-02', with2027)).toEqual({ lastDay: '2027-01-04', earliestRegistration: '2027-01-05', provisional: false })
    // Published 31 Dec 2026: day 60 is 1 Mar 2027.
    expect(publicNoticeEnd('2026-12-31', with2027)).toMatchObject({ lastDay: '2027-03-01', provisional: false })
    expect(publicNoticeEnd('2026-12-31', calendar)).toMatchObject({ provisional: true })
  })

  test('an explicit coverage wins over the listed years', () => {
    expect(publicNoticeEnd('2026-08-03', { ...calendar, coveredThrough: '2026-09-30' })).toMatchObject({ lastDay: '2026-10-08', provisional: true })
    expect(publicNoticeEnd('2026-11-02', { ...calendar, coveredThrough: '2027-12-31' })).toMatchObject({ lastDay: '2027-01-01', provisional: false })
  })

  test('a malformed or impossible date is refused', () => {
    expect(() => publicNoticeEnd('2026-02-30', calendar)).toThrow(RangeError)
    expect(() => publicNoticeEnd('20260801', calendar)).toThrow(RangeError)
  })
})

test('the notice is for every child whose birth parents cannot be found, and only for them', () => {
  expect(publicNoticeRequiredFor({ situation: 'parents_not_found' })).toBe(true)
  for (const situation of ['orphan', 'parents_in_difficulty', 'other', null]) expect(publicNoticeRequiredFor({ situation })).toBe(false)
})
