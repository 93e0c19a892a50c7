// Working days across the 2026 Spring Festival and National Day holidays with their adjusted
// working days (调休), using the calendar as shipped (db/seed/holidays-cn-2026.json, the State
// Council's notice; same file as ../shared/data/holidays-cn-2026.json).
import { describe, expect, it } from 'vitest'
import calendarFile from '#db/seed/holidays-cn-2026.json' with { type: 'json' }
import { addWorkingDays, isWorkingDay, workingDaysBetween } from './working-days.ts'

const official = {
  holidays: calendarFile.holidays.flatMap((h) => h.dates),
  workdays: calendarFile.workdays,
}
const none = { holidays: [], workdays: [] }

describe('addWorkingDays', () => {
  it('counts from the day after the start: Monday + 1 is Tuesday, Friday + 1 is Monday', () => {
    expect(addWorkingDays('2026-11-23', 1, none)).toBe('2026-11-24')
    expect(addWorkingDays('2026-11-27', 1, none)).toBe('2026-11-30')
    expect(addWorkingDays('2026-11-28', 0, none)).toBe('2026-11-28')
    expect(addWorkingDays('2026-11-28', 10, official)).toBe('2026-12-11')
  })

  it('Spring Festival 2026: 15–23 February off, Saturdays 14 and 28 February worked', () => {
    // Friday 13 February + 1: Saturday the 14th is an adjusted working day.
    expect(addWorkingDays('2026-02-13', 1, official)).toBe('2026-02-14')
    // + 2: the whole holiday is skipped, Tuesday the 24th.
    expect(addWorkingDays('2026-02-13', 2, official)).toBe('2026-02-24')
    // The 10-working-day reply to a request received on Thursday 12 February:
    // 13, 14(Sat), 24, 25, 26, 27, 28(Sat), 2 Mar, 3, 4.
    expect(addWorkingDays('2026-02-12', 10, official)).toBe('2026-03-04')
    // Without the calendar it would be wrongly 26 February.
    expect(addWorkingDays('2026-02-12', 10, none)).toBe('2026-02-26')
    // A request received on a holiday: the first working day is the 24th.
    expect(addWorkingDays('2026-02-17', 1, official)).toBe('2026-02-24')
  })

  it('National Day 2026: 1–7 October off, Saturday 10 October worked; Sunday 20 September worked before 中秋', () => {
    expect(addWorkingDays('2026-09-30', 1, official)).toBe('2026-10-08')
    // 29, 30 Sep, 8, 9, 10(Sat), 12, 13, 14, 15, 16 Oct.
    expect(addWorkingDays('2026-09-28', 10, official)).toBe('2026-10-16')
    expect(addWorkingDays('2026-09-28', 10, none)).toBe('2026-10-12')
    expect(addWorkingDays('2026-10-03', 1, official)).toBe('2026-10-08')
    expect(addWorkingDays('2026-09-18', 1, official)).toBe('2026-09-20')
    // 中秋 Friday 25 September is off.
    expect(addWorkingDays('2026-09-24', 1, official)).toBe('2026-09-28')
  })

  it('refuses nonsense rather than guessing', () => {
    expect(() => addWorkingDays('2026-02-30', 1, official)).toThrow(RangeError)
    expect(() => addWorkingDays('26-2-3', 1, official)).toThrow(RangeError)
    expect(() => addWorkingDays('2026-02-03', -1, official)).toThrow(RangeError)
    expect(() => addWorkingDays('2026-02-03', 1.5, official)).toThrow(RangeError)
  })
})

describe('working days left', () => {
  it('counts the working days after one date up to another', () => {
    expect(workingDaysBetween('2026-02-12', '2026-03-04', official)).toBe(10)
    expect(workingDaysBetween('2026-09-28', '2026-10-16', official)).toBe(10)
    expect(workingDaysBetween('2026-10-16', '2026-09-28', official)).toBe(0)
    expect(isWorkingDay('2026-10-10', official)).toBe(true)
    expect(isWorkingDay('2026-10-05', official)).toBe(false)
    expect(isWorkingDay('2026-10-11', official)).toBe(false)
  })
})
