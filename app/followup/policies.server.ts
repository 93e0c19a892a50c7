// Administration of the follow-up policy: versions (never edited: a change is a new version, which
// new registrations use), and the explicit replan of existing registrations' open tasks. The replan
// rule: for each registered adoption with open visits, the open visits due after today are
// cancelled ('policy_change') and replaced by the new policy's visits due after today, numbered on
// after the highest sequence the adoption already has; visits done, and those due today or before,
// are untouched. A case whose future dates would not change is left alone. Preview first, then
// apply — in one transaction, with an audit row — only if the policy is still the one previewed.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import { ConflictError, ProcedureError } from '#app/platform/http.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { currentPolicy } from './plans.server.ts'
import { planVisits, policyRulesSchema, type PolicyRules } from './policy.ts'
import type { Db } from './access.server.ts'

export async function policyHistory(db: Db, registryCode: string) {
  const rows = await db.selectFrom('followup_policies as p').leftJoin('users as u', 'u.id', 'p.created_by')
    .select(['p.version', 'p.rules', 'p.note', 'p.created_at as createdAt', 'u.display_name as createdBy'])
    .where('p.registry_code', '=', registryCode).orderBy('p.version', 'desc').execute()
  return rows.map((r) => ({ ...r, rules: policyRulesSchema.parse(r.rules) }))
}

export async function publishPolicy(db: Kysely<Database>, viewer: Viewer, rules: PolicyRules, note: string, seenVersion: number | null): Promise<number> {
  const checked = policyRulesSchema.parse(rules)
  return db.transaction().execute(async (trx) => {
    // One publisher at a time per registry; the form carries the version it was based on.
    await sql`select pg_advisory_xact_lock(hashtext('followup_policy:' || ${viewer.registryCode}))`.execute(trx)
    const current = await currentPolicy(trx, viewer.registryCode)
    if (current.version !== seenVersion) throw new ConflictError()
    const version = (current.version ?? 0) + 1
    await trx.insertInto('followup_policies').values({ registry_code: viewer.registryCode, version, rules: JSON.stringify(checked), note: note.trim(), created_by: viewer.id }).execute()
    await audit(trx, { actor: viewer, action: 'followup.policy_published', entityType: 'followup_policy', entityId: version, summary: { rules: checked } })
    return version
  })
}

export type ReplanCase = { applicationId: string; registrationNumber: string | null; caseworkerId: string | null; goes: string[]; comes: { sequence: number; dueOn: string; windowFrom: string; windowTo: string }[] }

const CHUNK = 1000

/** The changes the current policy would make, case by case, in batches of registrations. */
async function* replanChanges(db: Db, registryCode: string, rules: PolicyRules, today: string): AsyncGenerator<ReplanCase[]> {
  let after = '0'
  for (;;) {
    const apps = await db.selectFrom('applications as a').innerJoin('parties as c', (j) => j.onRef('c.application_id', '=', 'a.id').on('c.role', '=', 'child'))
      .select(['a.id', 'a.registration_number', 'a.registered_on', 'c.birth_date'])
      .where('a.registry_code', '=', registryCode).where('a.state', '=', 'registered')
      .where(sql<boolean>`a.id > ${after}::bigint`)
      .where(({ exists, selectFrom }) => exists(selectFrom('followup_tasks as t').select('t.id').whereRef('t.application_id', '=', 'a.id').where('t.status', '=', 'open')))
      .orderBy('a.id').limit(CHUNK).execute()
    if (apps.length === 0) return
    after = apps.at(-1)!.id
    const tasks = await db.selectFrom('followup_tasks').select(['application_id', 'sequence', 'due_on', 'status', 'caseworker_id'])
      .where('application_id', 'in', apps.map((a) => a.id)).where('kind', '=', 'visit').execute()
    const out: ReplanCase[] = []
    for (const a of apps) {
      if (!a.registered_on || !a.birth_date) continue
      const own = tasks.filter((t) => t.application_id === a.id)
      const goes = own.filter((t) => t.status === 'open' && t.due_on > today).map((t) => t.due_on).sort()
      const planned = planVisits(a.registered_on, a.birth_date, rules).filter((p) => p.dueOn > today)
      if (goes.join() === planned.map((p) => p.dueOn).join()) continue
      const maxSeq = Math.max(0, ...own.map((t) => t.sequence))
      // The new visits stay with the case's caseworker.
      const caseworkerId = own.find((t) => t.status === 'open' && t.caseworker_id)?.caseworker_id ?? null
      out.push({ applicationId: a.id, registrationNumber: a.registration_number, caseworkerId, goes, comes: planned.map((p, i) => ({ ...p, sequence: maxSeq + i + 1 })) })
    }
    yield out
  }
}

/** What applying the current policy would change: the first `show` cases and the totals. */
export async function previewReplan(db: Db, viewer: Viewer, today: string, show = 100) {
  const policy = await currentPolicy(db, viewer.registryCode)
  const cases: ReplanCase[] = []
  let total = 0, cancelled = 0, created = 0
  for await (const batch of replanChanges(db, viewer.registryCode, policy.rules, today)) {
    for (const c of batch) {
      total++; cancelled += c.goes.length; created += c.comes.length
      if (cases.length < show) cases.push(c)
    }
  }
  return { policyVersion: policy.version, cases, total, cancelled, created }
}

/** Applies the current policy to the open tasks of existing registrations (after a preview of `seenVersion`). */
export async function applyReplan(db: Kysely<Database>, viewer: Viewer, seenVersion: number | null, today: string) {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('followup_policy:' || ${viewer.registryCode}))`.execute(trx)
    const policy = await currentPolicy(trx, viewer.registryCode)
    if (policy.version !== seenVersion) throw new ConflictError()
    if (policy.version === null) throw new ProcedureError('followup.policy.noneToApply')
    let cases = 0, cancelled = 0, created = 0
    for await (const batch of replanChanges(trx, viewer.registryCode, policy.rules, today)) {
      if (batch.length === 0) continue
      const ids = batch.map((c) => c.applicationId)
      const r = await trx.updateTable('followup_tasks')
        .set({ status: 'cancelled', cancel_reason: 'policy_change', closed_at: sql`now()` as never, version: sql`version + 1` as never })
        .where('application_id', 'in', ids).where('kind', '=', 'visit').where('status', '=', 'open').where('due_on', '>', today).executeTakeFirst()
      cancelled += Number(r.numUpdatedRows)
      const rows = batch.flatMap((c) => c.comes.map((p) => ({
        registry_code: viewer.registryCode, application_id: c.applicationId, kind: 'visit' as const, sequence: p.sequence, policy_version: policy.version,
        due_on: p.dueOn, window_from: p.windowFrom, window_to: p.windowTo, caseworker_id: c.caseworkerId,
      })))
      for (let i = 0; i < rows.length; i += 5000) await trx.insertInto('followup_tasks').values(rows.slice(i, i + 5000)).execute()
      created += rows.length
      cases += batch.length
    }
    await audit(trx, { actor: viewer, action: 'followup.policy_applied', entityType: 'followup_policy', entityId: policy.version, summary: { cases, cancelled, created, today } })
    return { cases, cancelled, created }
  })
}
