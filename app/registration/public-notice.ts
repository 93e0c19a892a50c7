// The public notice seeking the birth parents (查找生父母公告) of a child whose birth parents cannot
// be found (Civil Code art. 1093(2)), whoever places the child: a foundling, and equally a child in a
// welfare institution whose parents were never found (art. 1105 para. 2; 中国公民收养子女登记办法 on
// the notice). "自公告之日起满六十日": the day of publication is not counted (art. 201), the period
// ends at the end of its 60th day, and a last day that is a rest day moves to the next working day
// (art. 203). Registration is possible from the following day. Pure: the caller passes the calendar.
import { addDays, isRestDay, type Calendar } from './deadlines.ts'

export const PUBLIC_NOTICE_DAYS = 60

export type PublicNoticeEnd = {
  /** The notice's last day (its 60th day, moved past rest days). */
  lastDay: string
  /** The first day on which the notice is complete and registration may follow. */
  earliestRegistration: string
  /**
   * True when the holiday calendar does not yet cover the days that decide the end (e.g. next
   * year's holidays are not published): the dates may still move when the State Council's notice
   * is entered.
   */
  provisional: boolean
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** The years a calendar knows: its explicit `coveredThrough`, else every year it lists a day of. */
function covers(calendar: Calendar, iso: string): boolean {
  if (calendar.coveredThrough) return iso <= calendar.coveredThrough
  const year = iso.slice(0, 4)
  for (const day of calendar.holidays) if (day.startsWith(year)) return true
  for (const day of calendar.workdays) if (day.startsWith(year)) return true
  return false
}

export function publicNoticeEnd(publishedOn: string, calendar: Calendar): PublicNoticeEnd {
  if (!ISO_DATE.test(publishedOn) || addDays(publishedOn, 0) !== publishedOn) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(publishedOn)}`)
  // Day 1 is the day after publication (art. 201), so the 60th day is publishedOn + 60.
  let lastDay = addDays(publishedOn, PUBLIC_NOTICE_DAYS)
  let provisional = !covers(calendar, lastDay)
  while (isRestDay(lastDay, calendar)) {
    lastDay = addDays(lastDay, 1)
    if (!covers(calendar, lastDay)) provisional = true
  }
  return { lastDay, earliestRegistration: addDays(lastDay, 1), provisional }
}

/** A child whose birth parents cannot be found needs the notice, whoever places the child. */
export function publicNoticeRequiredFor(child: { situation: string | null | undefined }): boolean {
  return child.situation === 'parents_not_found'
}
