// Visit plans: made in the registering transaction (a registration without its plan never commits),
// cancelled with the reason when the adoption ends (dissolution, revocation).
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { DEFAULT_POLICY, planPostPlacementReports, planVisits, policyRulesSchema, type PolicyRules } from './policy.ts'

type Db = Kysely<Database> | Transaction<Database>

export type CurrentPolicy = { version: number | null; rules: PolicyRules }

/** The registry's newest published policy, or the built-in default (version null) before any. */
export async function currentPolicy(db: Db, registryCode: string): Promise<CurrentPolicy> {
  const row = await db.selectFrom('followup_policies').select(['version', 'rules'])
    .where('registry_code', '=', registryCode).orderBy('version', 'desc').limit(1).executeTakeFirst()
  return row ? { version: row.version, rules: policyRulesSchema.parse(row.rules) } : { version: null, rules: DEFAULT_POLICY }
}

/** Creates the visit tasks of a registration under the registry's current policy; returns how many. */
export async function createVisitPlan(
  trx: Transaction<Database>,
  input: { applicationId: string; registryCode: string; registeredOn: string; childBirthDate: string },
): Promise<number> {
  const policy = await currentPolicy(trx, input.registryCode)
  const planned = planVisits(input.registeredOn, input.childBirthDate, policy.rules)
  if (planned.length === 0) return 0
  await trx.insertInto('followup_tasks').values(planned.map((p) => ({
    registry_code: input.registryCode, application_id: input.applicationId, kind: 'visit' as const,
    sequence: p.sequence, policy_version: policy.version, due_on: p.dueOn, window_from: p.windowFrom, window_to: p.windowTo,
  }))).execute()
  return planned.length
}

/** Creates the six expected post-placement reports of an earlier intercountry adoption. */
export async function createPostPlacementPlan(
  trx: Transaction<Database>,
  input: { intercountryId: string; registryCode: string; registeredOn: string; approvedOn: string },
): Promise<number> {
  const planned = planPostPlacementReports(input.registeredOn, input.approvedOn)
  await trx.insertInto('followup_tasks').values(planned.map((p) => ({
    registry_code: input.registryCode, intercountry_id: input.intercountryId, kind: 'post_placement_report' as const,
    sequence: p.sequence, policy_version: null, due_on: p.dueOn, window_from: p.windowFrom, window_to: p.windowTo,
  }))).execute()
  return planned.length
}

export type CancelReason = 'dissolution' | 'revocation' | 'policy_change'

/** Cancels every open task of an adoption with the reason; returns how many were cancelled. */
export async function cancelOpenTasks(trx: Transaction<Database>, applicationId: string, reason: CancelReason): Promise<number> {
  const result = await trx.updateTable('followup_tasks')
    .set((eb) => ({ status: 'cancelled', cancel_reason: reason, closed_at: new Date(), version: eb('version', '+', 1) }))
    .where('application_id', '=', applicationId).where('status', '=', 'open')
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
