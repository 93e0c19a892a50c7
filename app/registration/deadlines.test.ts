import { describe, expect, test } from 'vitest'
import calendar2026 from '#db/seed/holidays-cn-2026.json' with { type: 'json' }
import { isRestDay, reviewClock, type Calendar } from './deadlines.ts'

const calendar: Calendar = {
  holidays: new Set(calendar2026.holidays.flatMap((h) => h.dates)),
  workdays: new Set(calendar2026.workdays),
}

describe('the 30-day review period', () => {
  test('counts from the day after receipt: received 2 Nov → due 2 Dec (a Wednesday)', () => {
    expect(reviewClock('2026-11-02', [], '2026-11-02', calendar)).toEqual({ status: 'running', dueOn: '2026-12-02', usedDays: 0, daysLeft: 30 })
    expect(reviewClock('2026-11-02', [], '2026-11-28', calendar)).toMatchObject({ dueOn: '2026-12-02', usedDays: 26, daysLeft: 4 })
  })

  test('a period ending on a Saturday ends on the Monday (民法典 art. 203)', () => {
    // received 4 Nov → 30th day is Friday 4 Dec; received 6 Nov → Sunday 6 Dec → Monday 7 Dec
    expect(reviewClock('2026-11-04', [], '2026-11-04', calendar)).toMatchObject({ dueOn: '2026-12-04' })
    expect(reviewClock('2026-11-06', [], '2026-11-06', calendar)).toMatchObject({ dueOn: '2026-12-07' })
  })

  test('a period ending in the National Day holiday ends on 8 October', () => {
    // received 1 Sep → 30th day 1 Oct (holiday through 7 Oct) → 8 Oct
    expect(reviewClock('2026-09-01', [], '2026-09-01', calendar)).toMatchObject({ dueOn: '2026-10-08' })
  })

  test('an adjusted working Saturday (调休上班) is a working day', () => {
    expect(isRestDay('2026-10-10', calendar)).toBe(false)
    expect(isRestDay('2026-10-11', calendar)).toBe(true)
    // received 10 Sep → 30th day 10 Oct, a Saturday worked under 调休: due that day
    expect(reviewClock('2026-09-10', [], '2026-09-10', calendar)).toMatchObject({ dueOn: '2026-10-10' })
  })

  test('days in the assessment do not count; the clock shows paused while it runs', () => {
    // received 2 Nov; assessment from 5 Nov: 3 days used, paused
    expect(reviewClock('2026-11-02', [{ startedOn: '2026-11-05', endedOn: null }], '2026-11-28', calendar)).toEqual({ status: 'paused', usedDays: 3, daysLeft: 27 })
    // report back 20 Nov: days 6..20 Nov (15 days) did not count → due 2 Dec + 15 = 17 Dec
    expect(reviewClock('2026-11-02', [{ startedOn: '2026-11-05', endedOn: '2026-11-20' }], '2026-11-28', calendar)).toMatchObject({ status: 'running', dueOn: '2026-12-17', usedDays: 11 })
  })

  test('a foundling notice and an assessment both pause', () => {
    const pauses = [
      { startedOn: '2026-03-01', endedOn: '2026-04-30' },
      { startedOn: '2026-05-05', endedOn: '2026-06-04' },
    ]
    // received 1 Mar: 0 days before the notice; 1–5 May count (5 days); after 4 Jun 25 more → 29 Jun (Mon)
    expect(reviewClock('2026-03-01', pauses, '2026-06-04', calendar)).toMatchObject({ status: 'running', dueOn: '2026-06-29', usedDays: 5 })
  })

  test('late: days left go negative and the due day stays where it fell', () => {
    expect(reviewClock('2026-10-12', [], '2026-11-28', calendar)).toMatchObject({ dueOn: '2026-11-11', daysLeft: -17, usedDays: 47 })
  })

  test('no receipt, no clock', () => {
    expect(reviewClock(null, [], '2026-11-28', calendar)).toEqual({ status: 'not_started' })
  })
})
