// The daily follow-up sweep and the digest e-mail it causes (docs/decisions/011-followup-sweep.md).
//
// The sweep is one SQL statement in one transaction, whatever the number of registrations:
//   1. every open task whose window has opened is in one state on `today` — its window is open
//      (window_from <= today < due_on), it is due (due_on <= today <= window_to) or overdue
//      (window_to < today) — and, past window_to by more than the registry's escalation days, it is
//      also escalated;
//   2. each (task, state) is recorded once in followup_notices (INSERT … ON CONFLICT DO NOTHING
//      RETURNING: what another run already recorded comes back empty);
//   3. each new notice gets its recipients in followup_deliveries: the task's caseworker, or every
//      active supervisor of the registry for an unassigned task (or one whose caseworker has left)
//      and for an escalation;
//   4. one small `followup_digest` job per recipient with new deliveries (job key
//      followup_digest:<user>:<day>), added through graphile_worker.add_job in the same statement.
// Run twice the same day, the second run inserts nothing and enqueues nothing; a crash before the
// commit leaves nothing behind, and the next run does the whole work once.
//
// The digest job (sendDigest) takes the recipient's deliveries not yet mailed, marks them and
// enqueues the one e-mail in the same transaction. A retried digest finds nothing left; a failing
// SMTP server fails the send_email job, which graphile-worker retries with backoff, and the message
// goes out when the server is back. The mail names registration numbers, the kind and number of
// the visit and its dates: never the child or the family (minimum necessary).
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { enqueueEmail } from '#app/platform/mail.server.ts'
import { formatDate, translate, type Locale, type MessageKey } from '#app/platform/i18n/index.ts'

export type SweepResult = { notices: number; deliveries: number; digests: number }

export type SweepOptions = {
  /** Called inside the transaction after the statement, before the commit (tests: a crash halfway). */
  beforeCommit?: (trx: Transaction<Database>) => Promise<void>
}

const isDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day)

/** The tasks the sweep of `today` considers, with their state: the statement the sweep is built on. */
export function sweepCandidatesSql(today: string) {
  return sql<{ id: string; registry_code: string; caseworker_id: string | null; kind: string }>`
    select t.id, t.registry_code,
           case when cw.active then t.caseworker_id end as caseworker_id,
           case when t.due_on > ${today}::date then 'window_open' when t.window_to >= ${today}::date then 'due' else 'overdue' end as kind,
           t.window_to + r.followup_escalation_days < ${today}::date as escalate
    from followup_tasks t
    join registries r on r.code = t.registry_code
    left join users cw on cw.id = t.caseworker_id
    where t.status = 'open' and t.window_from <= ${today}::date`
}

/** The sweep's one statement (exported for the benchmark's EXPLAIN). */
export function sweepStatement(today: string) {
  return sql<{ notices: string; deliveries: string; digests: string }>`
      with candidates as materialized (${sweepCandidatesSql(today)}),
      -- What earlier runs announced of these tasks, read once before anything is written (a
      -- snapshot: the statement's own inserts never make this scan grow).
      known as materialized (
        select n.task_id, n.kind from followup_notices n where n.task_id in (select id from candidates)
      ),
      states as (
        select s.* from (
          select id, registry_code, caseworker_id, kind from candidates
          union all
          select id, registry_code, null, 'escalated' from candidates where escalate
        ) s
        where not exists (select 1 from known k where k.task_id = s.id and k.kind = s.kind)
      ),
      supervisors as materialized (
        select u.registry_code, u.id from users u
        join user_roles ur on ur.user_id = u.id and ur.role = 'supervisor'
        where u.active
      ),
      first_supervisor as (select registry_code, min(id) as id from supervisors group by registry_code),
      -- Each (task, state) is addressed either to its caseworker or to the supervisors; the two
      -- kinds of notice are inserted apart so that what comes back says whose it is, without
      -- reading the tasks again. ON CONFLICT (the primary key) skips what an earlier run recorded.
      to_caseworker as (
        insert into followup_notices (task_id, kind, recipient_id, swept_on)
        select s.id, s.kind, s.caseworker_id, ${today}::date from states s where s.caseworker_id is not null
        on conflict do nothing
        returning task_id, kind, recipient_id
      ),
      to_supervisors as (
        -- The notice names the registry's first supervisor; followup_deliveries lists them all.
        -- A registry with no active supervisor: the notice waits for a later sweep.
        insert into followup_notices (task_id, kind, recipient_id, swept_on)
        select s.id, s.kind, f.id, ${today}::date from states s join first_supervisor f on f.registry_code = s.registry_code
        where s.caseworker_id is null
        on conflict do nothing
        returning task_id, kind, recipient_id
      ),
      delivered as (
        insert into followup_deliveries (task_id, kind, recipient_id, swept_on)
        select task_id, kind, recipient_id, ${today}::date from to_caseworker
        union all
        select i.task_id, i.kind, p.id, ${today}::date
        from to_supervisors i join first_supervisor f on f.id = i.recipient_id join supervisors p on p.registry_code = f.registry_code
        returning recipient_id
      ),
      jobs as (
        select graphile_worker.add_job(
          'followup_digest',
          json_build_object('recipientId', r.recipient_id::text, 'day', ${today}::text),
          job_key => 'followup_digest:' || r.recipient_id || ':' || ${today}::text,
          max_attempts => 25
        ) from (select distinct recipient_id from delivered) r
      )
      select (select count(*) from to_caseworker) + (select count(*) from to_supervisors) as notices,
             (select count(*) from delivered) as deliveries,
             (select count(*) from jobs) as digests`
}

/** The daily sweep for the business day `today` (YYYY-MM-DD, Asia/Shanghai). */
export async function sweep(db: Kysely<Database>, today: string, options: SweepOptions = {}): Promise<SweepResult> {
  if (!isDay(today)) throw new Error(`sweep: not a day: ${today}`)
  return db.transaction().execute(async (trx) => {
    const { rows } = await sweepStatement(today).execute(trx)
    await options.beforeCommit?.(trx)
    const row = rows[0]
    return { notices: Number(row.notices), deliveries: Number(row.deliveries), digests: Number(row.digests) }
  })
}

export type DigestResult = { items: number; messageId: string | null }

type DigestRow = {
  task_id: string
  kind: 'window_open' | 'due' | 'overdue' | 'escalated'
  task_kind: 'visit' | 'post_placement_report'
  sequence: number
  due_on: string
  window_to: string
  number: string | null
  caseworker: string | null
}

const kindOrder = ['escalated', 'overdue', 'due', 'window_open'] as const

/**
 * The digest of one recipient: every delivery not yet mailed (today's, and any an earlier digest
 * could not take), in one e-mail in the recipient's language. Idempotent: the rows are marked in the
 * transaction that enqueues the mail.
 */
export async function sendDigest(
  db: Kysely<Database>,
  input: { recipientId: string; day: string; publicUrl?: string },
): Promise<DigestResult> {
  return db.transaction().execute(async (trx) => {
    const rows = await sql<DigestRow>`
      select d.task_id, d.kind, t.kind as task_kind, t.sequence, t.due_on::text as due_on, t.window_to::text as window_to,
             coalesce(a.registration_number, i.registration_number) as number,
             -- for the supervisors: whose task it is ('' = nobody's); null in a caseworker's own digest
             case when t.caseworker_id = d.recipient_id and d.kind <> 'escalated' then null
                  when cw.active then cw.display_name else '' end as caseworker
      from followup_deliveries d
      join followup_tasks t on t.id = d.task_id
      left join applications a on a.id = t.application_id
      left join intercountry_adoptions i on i.id = t.intercountry_id
      left join users cw on cw.id = t.caseworker_id
      where d.recipient_id = ${input.recipientId} and d.mailed_at is null
      order by t.due_on, d.task_id
      for update of d`.execute(trx)
    if (rows.rows.length === 0) return { items: 0, messageId: null }
    const user = await trx.selectFrom('users').select(['email', 'locale', 'display_name', 'active', 'registry_code'])
      .where('id', '=', input.recipientId).executeTakeFirstOrThrow()
    let messageId: string | null = null
    if (user.email && user.active) {
      const locale = user.locale as Locale
      messageId = await enqueueEmail(trx, {
        registryCode: user.registry_code,
        to: user.email,
        subject: translate(locale, 'handover.digest.subject', { count: rows.rows.length, date: formatDate(locale, input.day) }),
        text: digestText(locale, user.display_name, input.day, rows.rows, input.publicUrl),
      })
    }
    // Exactly the rows this digest took (a notice added meanwhile waits for the next digest).
    await sql`
      update followup_deliveries set mailed_at = now(), message_id = ${messageId}
      where recipient_id = ${input.recipientId} and mailed_at is null
        and (task_id, kind) in (select * from unnest(${rows.rows.map((r) => r.task_id)}::bigint[], ${rows.rows.map((r) => r.kind)}::text[]))`.execute(trx)
    return { items: rows.rows.length, messageId }
  })
}

/**
 * The digest's plain text: grouped by state, one line per task, numbers and dates only. With the
 * registry's address known, each line ends with the task's page and the closing link opens the
 * recipient's list: "My visits" for a caseworker, the overdue tasks for a supervisor (whose lines
 * name the caseworker). The links say nothing of the family: the pages ask for a login.
 */
export function digestText(locale: Locale, name: string, day: string, rows: DigestRow[], publicUrl?: string): string {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key as MessageKey, params)
  const base = publicUrl?.replace(/\/$/, '')
  const lines = [t('handover.digest.greeting', { name }), '', t('handover.digest.intro', { date: formatDate(locale, day) })]
  for (const kind of kindOrder) {
    const group = rows.filter((r) => r.kind === kind)
    if (group.length === 0) continue
    lines.push('', `${t(`handover.digest.section.${kind}`)} (${group.length})`)
    for (const r of group) {
      const what = t(`handover.digest.task.${r.task_kind}`, { sequence: r.sequence })
      const who = r.caseworker === null ? '' : r.caseworker === '' ? t('handover.digest.unassigned') : t('handover.digest.caseworker', { name: r.caseworker })
      const page = base ? ` · ${base}/followup/tasks/${r.task_id}` : ''
      lines.push(`- ${r.number ?? t('handover.digest.noNumber')} · ${what} · ${t('handover.digest.dates', { due: formatDate(locale, r.due_on), until: formatDate(locale, r.window_to) })}${who ? ` · ${who}` : ''}${page}`)
    }
  }
  const supervising = rows.some((r) => r.caseworker !== null)
  if (base) lines.push('', t('handover.digest.link', { url: `${base}${supervising ? '/followup/tasks?status=overdue' : '/followup'}` }))
  lines.push('', t('handover.digest.footer'))
  return lines.join('\n')
}
