// Role grants under separation of duties (三员分立, GB/T 22239-2019 level 3; decision 026). A role
// given to an account takes effect only when a security administrator who neither proposed it nor
// receives it approves it; nobody changes their own roles; an administrator role is held alone.
// The database enforces the same (role_grants_four_eyes, user_roles_separation), so two approvals
// racing each other or a forged request cannot get past it. Every refusal is audited in its own
// statement (the refused change itself is rolled back: nothing half-saved).
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import { NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { adminRoles, caseRoles, type Role } from '#app/platform/permissions.ts'
export { rolesConflict } from '#app/platform/permissions.ts'

type Db = Kysely<Database> | Transaction<Database>
type Person = NonNullable<Actor>

/** Writes the refusal's audit row outside the refused transaction, then refuses. */
export async function refuse(db: Kysely<Database>, actor: Actor, action: string, userId: string | null, messageKey: string, summary: Record<string, unknown> = {}): Promise<never> {
  await audit(db, { actor, action, entityType: 'user', entityId: userId ?? undefined, summary: { refusal: messageKey.split('.').pop(), ...summary } })
  throw new ProcedureError(messageKey)
}

function isConstraint(error: unknown, name: string) {
  return (error as { code?: string; constraint?: string }).code === '23514' && (error as { constraint?: string }).constraint === name
}

export type PendingGrant = {
  id: string
  userId: string
  username: string
  displayName: string
  role: Role
  origin: 'proposal' | 'migration' | 'console'
  proposedBy: string | null
  proposedByName: string | null
  proposedAt: Date
}

/** Proposals waiting for a security administrator, in one registry (or of one account). */
export async function pendingGrants(db: Db, registryCode: string, userId?: string): Promise<PendingGrant[]> {
  let query = db.selectFrom('role_grants as g').innerJoin('users as u', 'u.id', 'g.user_id').leftJoin('users as p', 'p.id', 'g.proposed_by')
    .select(['g.id', 'g.user_id as userId', 'u.username', 'u.display_name as displayName', 'g.role', 'g.origin', 'g.proposed_by as proposedBy',
      'p.display_name as proposedByName', 'g.proposed_at as proposedAt'])
    .where('g.registry_code', '=', registryCode).where('g.state', '=', 'pending')
  if (userId) query = query.where('g.user_id', '=', userId)
  return (await query.orderBy('g.id').execute()) as PendingGrant[]
}

/**
 * Proposes roles for an account (inside the caller's transaction). Refuses one's own account;
 * a role already pending is not proposed twice.
 */
export async function proposeRoles(trx: Db, actor: Person | null, user: { id: string; registryCode: string }, wanted: readonly Role[], origin: 'proposal' | 'console' = 'proposal') {
  if (actor && actor.id === user.id) throw new ProcedureError('roles.refused.own')
  for (const role of wanted) {
    const inserted = await trx.insertInto('role_grants')
      .values({ registry_code: user.registryCode, user_id: user.id, role, origin, proposed_by: actor?.id ?? null })
      .onConflict((oc) => oc.columns(['user_id', 'role']).where('state', '=', 'pending').doNothing())
      .returning('id').executeTakeFirst()
    if (inserted) await audit(trx, { actor, registryCode: user.registryCode, action: 'role.proposed', entityType: 'user', entityId: user.id, summary: { role, grant: inserted.id } })
  }
}

/** Withdraws pending proposals (the account's form no longer asks for them). */
export async function withdrawGrants(trx: Db, actor: Person, userId: string, withdrawn: readonly Role[]) {
  if (!withdrawn.length) return
  const rows = await trx.updateTable('role_grants').set({ state: 'withdrawn', decided_at: sql`now()` })
    .where('user_id', '=', userId).where('role', 'in', withdrawn).where('state', '=', 'pending').returning(['id', 'role']).execute()
  for (const row of rows) await audit(trx, { actor, action: 'role.withdrawn', entityType: 'user', entityId: userId, summary: { role: row.role, grant: row.id } })
}

/**
 * A security administrator approves or refuses a proposed grant. Refused: one's own account, one's
 * own proposal, a grant already decided (the second of two concurrent approvals), a role that
 * would sit beside an administrator role. The approval and the role arrive together or not at all.
 */
export async function decideGrant(db: Kysely<Database>, actor: Person, grantId: string, decision: 'approve' | 'refuse'): Promise<void> {
  if (!/^\d{1,18}$/.test(grantId)) throw new NotFoundError('grant')
  const grant = await db.selectFrom('role_grants').select(['id', 'user_id', 'role', 'proposed_by', 'state'])
    .where('id', '=', grantId).where('registry_code', '=', actor.registryCode).executeTakeFirst()
  if (!grant) throw new NotFoundError('grant')
  const summary = { role: grant.role, grant: grant.id }
  if (grant.user_id === actor.id) await refuse(db, actor, 'role.approval_refused', grant.user_id, 'roles.refused.ownAccount', summary)
  if (grant.proposed_by === actor.id) await refuse(db, actor, 'role.approval_refused', grant.user_id, 'roles.refused.ownProposal', summary)
  try {
    await db.transaction().execute(async (trx) => {
      // The row is taken only while still pending: of two approvals racing, the second finds it
      // decided and is refused (the row lock orders them).
      const taken = await trx.updateTable('role_grants')
        .set({ state: decision === 'approve' ? 'approved' : 'refused', decided_by: actor.id, decided_at: sql`now()` })
        .where('id', '=', grant.id).where('state', '=', 'pending').returning('id').executeTakeFirst()
      if (!taken) throw new ProcedureError('roles.refused.decided')
      if (decision === 'approve') {
        await trx.insertInto('user_roles').values({ user_id: grant.user_id, role: grant.role }).onConflict((oc) => oc.doNothing()).execute()
      }
      await audit(trx, { actor, action: decision === 'approve' ? 'role.granted' : 'role.refused', entityType: 'user', entityId: grant.user_id, summary })
    })
  } catch (error) {
    if (isConstraint(error, 'user_roles_separation')) await refuse(db, actor, 'role.approval_refused', grant.user_id, 'roles.refused.conflict', summary)
    if (isConstraint(error, 'role_grants_four_eyes')) await refuse(db, actor, 'role.approval_refused', grant.user_id, 'roles.refused.ownProposal', summary)
    if (error instanceof ProcedureError && error.messageKey === 'roles.refused.decided') await refuse(db, actor, 'role.approval_refused', grant.user_id, 'roles.refused.decided', summary)
    throw error
  }
}

/** Takes roles away at once (less power needs no second person), never one's own. */
export async function revokeRoles(trx: Db, actor: Person, userId: string, removed: readonly Role[]) {
  if (!removed.length) return
  if (actor.id === userId) throw new ProcedureError('roles.refused.own')
  await trx.deleteFrom('user_roles').where('user_id', '=', userId).where('role', 'in', removed).execute()
}

/** Which administrator kinds have nobody yet in a registry (the console may create those directly). */
export async function unfilledAdminRoles(db: Db, registryCode: string): Promise<Role[]> {
  const held = await db.selectFrom('user_roles as r').innerJoin('users as u', 'u.id', 'r.user_id').select('r.role').distinct()
    .where('u.registry_code', '=', registryCode).where('u.active', '=', true).where('r.role', 'in', [...adminRoles]).execute()
  return adminRoles.filter((role) => !held.some((h) => h.role === role))
}

/** An account that holds a case role and waits for a decision on an administrator role. */
export function suspendedAdminRole(grants: readonly PendingGrant[], current: readonly Role[]): Role | null {
  const waiting = grants.find((g) => g.origin === 'migration')
  return waiting && current.some((r) => (caseRoles as readonly string[]).includes(r)) ? waiting.role : null
}
