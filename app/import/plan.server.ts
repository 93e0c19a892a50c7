// The domestic follow-up plans of an import chunk, made by PostgreSQL in one statement (issue 9's
// speed work): the same plan as planVisits() in app/followup/policy.ts — a test compares the two
// over thousands of dates, month ends and 29 February included — but without building and sending
// ~4 task rows per record from Node (a 50,000-row ledger has ~195,000 of them).
//
// Month arithmetic: PostgreSQL's date + interval 'n months' clamps to the end of a shorter month, as
// addMonths() does, and counts from the registration date itself. The 18th birthday of a child born
// on 29 February is 1 March of a common year (birthdayOfAge), not PostgreSQL's 28 February.
import { sql, type RawBuilder } from 'kysely'
import type { PolicyRules } from '#app/followup/policy.ts'

export type VisitSubject = { id: string; registeredOn: string; birthDate: string }

/** `date + age years`, with 29 February → 1 March in a common year. */
const birthday = (date: RawBuilder<unknown>, age: number | RawBuilder<unknown>) => sql`(case
  when extract(month from ${date}) = 2 and extract(day from ${date}) = 29 and extract(day from (${date} + make_interval(years => ${age}))::date) = 28
  then (${date} + make_interval(years => ${age}))::date + 1
  else (${date} + make_interval(years => ${age}))::date end)`

/**
 * A select of (application_id, sequence, due_on, window_from, window_to, past) for the subjects:
 * children still under 18 today, the visits of `rules` before the child's `untilAge` birthday;
 * `past` when the window closed before `today`. Visits already past are left out when `keepPast`
 * is false (the bureau's choice 'skip'), else kept (to be recorded as not done).
 */
export function visitPlanQuery(subjects: VisitSubject[], rules: PolicyRules, today: string, keepPast: boolean) {
  const ids = subjects.map((s) => s.id)
  const registered = subjects.map((s) => s.registeredOn)
  const births = subjects.map((s) => s.birthDate)
  const last = rules.visitsAfterMonths.at(-1) ?? 0
  // The repeated visits after the fixed ones: enough months to pass any 18th birthday (a child is
  // born before its registration, so every due date past untilAge years is cut off below).
  const repeated = rules.thenEveryMonths
    ? sql`array(select generate_series(${last + rules.thenEveryMonths}::int, ${12 * rules.untilAge + 12}::int, ${rules.thenEveryMonths}::int))`
    : sql`'{}'::int[]`
  const birth = sql.ref('a.birth')
  return sql<{ application_id: string; sequence: number; due_on: string; window_from: string; window_to: string; past: boolean }>`
    select p.application_id, p.sequence, p.due_on, p.window_from, p.window_to, p.window_to < ${today}::date as past
    from (
      select a.id as application_id, m.sequence::int as sequence, d.due_on,
        greatest(d.due_on - ${rules.windowDays}::int, a.registered + 1) as window_from,
        least(d.due_on + ${rules.windowDays}::int, e.ends_on - 1) as window_to
      from unnest(${ids}::bigint[], ${registered}::date[], ${births}::date[]) as a(id, registered, birth)
      cross join lateral (select ${birthday(birth, rules.untilAge)} as ends_on, ${birthday(birth, 18)} as adult_on) e
      cross join lateral unnest(${rules.visitsAfterMonths}::int[] || ${repeated}) with ordinality as m(months, sequence)
      cross join lateral (select (a.registered + make_interval(months => m.months))::date as due_on) d
      where e.adult_on > ${today}::date and d.due_on < e.ends_on
    ) p
    where ${keepPast} or p.window_to >= ${today}::date`
}
