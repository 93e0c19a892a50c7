// Working-day arithmetic (工作日): the one function every working-day deadline uses, e.g. the
// 10-working-day reply to a root-seeking request. Pure: the caller passes the holiday calendar
// (calendar_days, maintained by the administrator from the State Council's notice each year).
// A day is a working day when it is a weekday that is not a holiday, or a weekend day listed as an
// adjusted working day (调休上班). Calendar-day periods (the 30-day review) use registration's own
// arithmetic and do not come here.

export type WorkingDayCalendar = { holidays: readonly string[] | ReadonlySet<string>; workdays: readonly string[] | ReadonlySet<string> }

const DAY_MS = 86_400_000
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/

function toDayNumber(iso: string): number {
  const m = ISO.exec(iso)
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(iso)}`)
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  const back = new Date(ms).toISOString().slice(0, 10)
  if (back !== iso) throw new RangeError(`no such date: ${iso}`)
  return ms / DAY_MS
}
const fromDayNumber = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)

const asSet = (days: readonly string[] | ReadonlySet<string>): ReadonlySet<string> => (days instanceof Set ? days : new Set(days as readonly string[]))

export function isWorkingDay(iso: string, calendar: WorkingDayCalendar): boolean {
  const day = toDayNumber(iso)
  if (asSet(calendar.holidays).has(iso)) return false
  if (asSet(calendar.workdays).has(iso)) return true
  const weekday = new Date(day * DAY_MS).getUTCDay()
  return weekday !== 0 && weekday !== 6
}

/**
 * The date `days` working days after `start` (YYYY-MM-DD), the start day itself not counted:
 * a request received on a Friday with days = 1 is due on the next working day. `days` = 0 returns
 * `start`. A holiday listed in `holidays` is a day off even on a weekday; a weekend day listed in
 * `workdays` is a working day.
 */
export function addWorkingDays(start: string, days: number, calendar: { holidays: string[]; workdays: string[] }): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number ≥ 0, not ${days}`)
  const holidays = new Set(calendar.holidays)
  const workdays = new Set(calendar.workdays)
  let day = toDayNumber(start)
  let left = days
  while (left > 0) {
    day++
    const iso = fromDayNumber(day)
    if (holidays.has(iso)) continue
    const weekday = new Date(day * DAY_MS).getUTCDay()
    if (workdays.has(iso) || (weekday !== 0 && weekday !== 6)) left--
  }
  return fromDayNumber(day)
}

/**
 * Working days from `from` to `to`: how many working days after `from` up to and including `to`
 * (0 when `to` ≤ `from`). With `to` the due date, this is the working days left.
 */
export function workingDaysBetween(from: string, to: string, calendar: { holidays: string[]; workdays: string[] }): number {
  const a = toDayNumber(from)
  const b = toDayNumber(to)
  if (b <= a) return 0
  const holidays = new Set(calendar.holidays)
  const workdays = new Set(calendar.workdays)
  let count = 0
  for (let day = a + 1; day <= b; day++) {
    const iso = fromDayNumber(day)
    if (holidays.has(iso)) continue
    const weekday = new Date(day * DAY_MS).getUTCDay()
    if (workdays.has(iso) || (weekday !== 0 && weekday !== 6)) count++
  }
  return count
}
