// Staff accounts: creation, roles, deactivation, password resets and changes, language, TOTP.
// Each command runs in one transaction with its audit row; changes that must end sessions end
// them in the same transaction.
import { randomBytes } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import { hashPassword, verifyPassword } from '#app/platform/auth/passwords.server.ts'
import { revokeUserSessions } from '#app/platform/auth/sessions.server.ts'
import { ConflictError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { openReset } from './password-resets.server.ts'
import { pendingGrants, proposeRoles, refuse, revokeRoles, rolesConflict, withdrawGrants } from './roles.server.ts'
import { assertNoOpenWork } from './handover.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { matchTotpStep } from '#app/platform/auth/totp.server.ts'
import { replaceRecoveryCodes } from '#app/platform/auth/second-factor.server.ts'
import { isLocale, type Locale } from '#app/platform/i18n/index.ts'
import type { Role } from '#app/platform/permissions.ts'
import { refuseOutsideRegistry } from '#app/platform/record-access.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export class UsernameTakenError extends Error {}
export class WrongPasswordError extends Error {}

export type NewUserInput = {
  registryCode: string
  username: string
  displayName: string
  email: string | null
  password: string
  roles: Role[]
  mustChangePassword: boolean
  /** A demo account (demo mode's seed only). */
  demo?: boolean
  /** From the console only: roles proposed for a security administrator's approval. */
  proposedRoles?: Role[]
  /** Made by a person: the first password comes through a reset (link or code), never from them. */
  firstPassword?: { mail: boolean }
}

/**
 * Creates an account. Made by a person (the system administrator), its roles are proposals a
 * security administrator approves (decision 026). Made with no actor — the console's first
 * administrators, the demo seed, test factories, all with direct access to the database anyway —
 * the roles are given at once, and any `proposedRoles` wait for approval.
 */
export async function createUser(db: Kysely<Database>, actor: Actor, input: NewUserInput): Promise<string> {
  if (rolesConflict(input.roles) || rolesConflict([...input.roles, ...(input.proposedRoles ?? [])])) throw new ProcedureError('roles.refused.conflict')
  const passwordHash = await hashPassword(input.password)
  try {
    return await db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('users')
        .values({
          registry_code: input.registryCode,
          username: input.username,
          display_name: input.displayName,
          email: input.email,
          password_hash: passwordHash,
          must_change_password: input.mustChangePassword,
          demo: input.demo ?? false,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const direct = actor ? [] : input.roles
      const proposed = actor ? input.roles : (input.proposedRoles ?? [])
      if (direct.length) {
        await trx.insertInto('user_roles').values(direct.map((role) => ({ user_id: id, role }))).execute()
      }
      await audit(trx, {
        actor,
        registryCode: input.registryCode,
        action: 'user.created',
        entityType: 'user',
        entityId: id,
        summary: { username: input.username, roles: direct, proposed },
      })
      await proposeRoles(trx, actor, { id, registryCode: input.registryCode }, proposed, actor ? 'proposal' : 'console')
      if (actor && input.firstPassword) await openReset(trx, actor, { id, email: input.email, registryCode: input.registryCode }, input.firstPassword)
      return id
    })
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new UsernameTakenError()
    throw error
  }
}

export type UserRow = {
  id: string
  username: string
  displayName: string
  email: string | null
  active: boolean
  lockedUntil: Date | null
  totpEnabled: boolean
  mustChangePassword: boolean
  roles: Role[]
  version: number
  createdAt: Date
}

function userColumns() {
  return [
    'u.id', 'u.username', 'u.display_name as displayName', 'u.email', 'u.active', 'u.locked_until as lockedUntil',
    'u.totp_enabled as totpEnabled', 'u.must_change_password as mustChangePassword', 'u.version', 'u.created_at as createdAt',
    sql<Role[]>`coalesce((select array_agg(role order by role) from user_roles where user_id = u.id), '{}')`.as('roles'),
  ] as const
}

/** Accounts of one registry, paged by user name (key-set, not offset). */
export async function listUsers(db: Db, registryCode: string, options: { after?: string; limit?: number; q?: string } = {}) {
  const limit = options.limit ?? 50
  let query = db.selectFrom('users as u').select(userColumns()).where('u.registry_code', '=', registryCode)
  if (options.q) {
    const like = `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query = query.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]))
  }
  if (options.after) query = query.where('u.username', '>', options.after)
  const rows = await query.orderBy('u.username').limit(limit + 1).execute()
  return { rows: rows.slice(0, limit) as UserRow[], next: rows.length > limit ? rows[limit - 1].username : null }
}

/** `reader`: who opens the account's page; their request for another registry's account is refused and audited (decision 028). */
export async function getUser(db: Db, registryCode: string, id: string, reader?: Actor): Promise<UserRow> {
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('user')
  const row = await db
    .selectFrom('users as u')
    .select(userColumns())
    .where('u.id', '=', id)
    .where('u.registry_code', '=', registryCode)
    .executeTakeFirst()
  if (!row) return reader ? refuseOutsideRegistry(db, reader, 'user', 'users', id) : Promise.reject(new NotFoundError('user'))
  return row as UserRow
}

/**
 * Edits an account's details and roles. `version` is the one the form was loaded with: a stale
 * form fails with ConflictError rather than silently overwriting another administrator's change.
 * `roles` is what the account should hold: roles it lacks become proposals for a security
 * administrator (decision 026), roles it holds and loses go at once, proposals no longer wanted are
 * withdrawn. Nobody changes their own roles: refused and audited.
 */
export async function updateUser(
  db: Kysely<Database>,
  actor: NonNullable<Actor>,
  id: string,
  input: { version: number; displayName: string; email: string | null; roles: Role[] },
) {
  const current = await getUser(db, actor.registryCode, id)
  const proposals = (await pendingGrants(db, actor.registryCode, id)).filter((g) => g.origin !== 'migration').map((g) => g.role)
  const wanted = [...new Set(input.roles)]
  const added = wanted.filter((r) => !current.roles.includes(r) && !proposals.includes(r))
  const removed = current.roles.filter((r) => !wanted.includes(r))
  const withdrawn = proposals.filter((r) => !wanted.includes(r))
  if (actor.id === id && (added.length || removed.length || withdrawn.length)) {
    await refuse(db, actor, 'user.roles_change_refused', id, 'roles.refused.own', { added, removed })
  }
  if (rolesConflict(wanted)) throw new ProcedureError('roles.refused.conflict')
  await db.transaction().execute(async (trx) => {
    const before = await getUser(trx, actor.registryCode, id)
    const updated = await trx
      .updateTable('users')
      .set({ display_name: input.displayName, email: input.email, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new ConflictError()
    await audit(trx, {
      actor,
      action: 'user.updated',
      entityType: 'user',
      entityId: id,
      summary: {
        ...(before.displayName !== input.displayName ? { displayName: [before.displayName, input.displayName] } : {}),
        ...(before.email !== input.email ? { emailChanged: true } : {}),
      },
    })
    await revokeRoles(trx, actor, id, removed)
    if (removed.length) {
      await audit(trx, { actor, action: 'user.roles_changed', entityType: 'user', entityId: id, summary: { added: [], removed } })
    }
    await withdrawGrants(trx, actor, id, withdrawn)
    await proposeRoles(trx, actor, { id, registryCode: actor.registryCode }, added)
  })
}

/** The security administrator lifts a lockout (too many wrong passwords) before it runs out. */
export async function unlockUser(db: Kysely<Database>, actor: NonNullable<Actor>, id: string) {
  await db.transaction().execute(async (trx) => {
    await getUser(trx, actor.registryCode, id)
    await trx.updateTable('users').set({ failed_attempts: 0, locked_until: null, updated_at: sql`now()` }).where('id', '=', id).execute()
    await audit(trx, { actor, action: 'user.unlocked', entityType: 'user', entityId: id })
  })
}

/**
 * Deactivation ends every open session of the user at once. A user who still holds open work is
 * not deactivated: a supervisor hands it over first (app/staff/handover.server.ts).
 */
export async function setActive(db: Kysely<Database>, actor: NonNullable<Actor>, id: string, active: boolean) {
  await db.transaction().execute(async (trx) => {
    await getUser(trx, actor.registryCode, id)
    if (!active) {
      // Locked so that no hand-over or assignment slips in between the check and the deactivation.
      await trx.selectFrom('users').select('id').where('id', '=', id).forUpdate().execute()
      await assertNoOpenWork(trx, id)
    }
    await trx.updateTable('users').set({ active, version: sql`version + 1`, updated_at: sql`now()`, failed_attempts: 0, locked_until: null }).where('id', '=', id).execute()
    const ended = active ? 0 : await revokeUserSessions(trx, id, 'deactivated')
    await audit(trx, { actor, action: active ? 'user.reactivated' : 'user.deactivated', entityType: 'user', entityId: id, summary: { sessionsEnded: ended } })
  })
}

/** A password nobody knows: the account's real first password comes through a reset. */
export function unusablePassword(): string {
  return randomBytes(32).toString('base64url')
}

/** A temporary password the user must change at the next login: 16 characters, easy to read out. */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789'
  const bytes = randomBytes(16)
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('')
}

/** The user changes their own password; every other session of theirs ends. */
export async function changeOwnPassword(
  db: Kysely<Database>,
  user: { id: string; username: string; registryCode: string; sessionId: string },
  current: string,
  next: string,
) {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()
  if (!(await verifyPassword(row.password_hash, current))) throw new WrongPasswordError()
  const passwordHash = await hashPassword(next)
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: false, password_changed_at: sql`now()`, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', user.id)
      .execute()
    const ended = await revokeUserSessions(trx, user.id, 'password_changed', user.sessionId)
    await audit(trx, { actor: user, action: 'user.password_changed', entityType: 'user', entityId: user.id, summary: { otherSessionsEnded: ended } })
  })
}

export async function setLocale(db: Db, userId: string, locale: Locale) {
  await db.updateTable('users').set({ locale }).where('id', '=', userId).execute()
}

/**
 * Turns TOTP on (or onto a new authenticator) once the user proves it works with a current code;
 * the caller has checked the current factor or password first when one was already on. The code's
 * time step counts as used, and a fresh set of recovery codes replaces any earlier one: they are
 * returned to be shown once. Null when the code does not match the new secret.
 */
export async function enableTotp(db: Kysely<Database>, cipher: FieldCipher, user: NonNullable<Actor>, secret: string, code: string): Promise<string[] | null> {
  const step = matchTotpStep(secret, code)
  if (step === null) return null
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').select('totp_enabled').where('id', '=', user.id).forUpdate().executeTakeFirstOrThrow()
    await trx
      .updateTable('users')
      .set({ totp_secret: cipher.encrypt(secret, { table: 'users', column: 'totp_secret', row: user.id }), totp_enabled: true, totp_last_step: String(step), totp_failures: 0, totp_blocked_until: null, updated_at: sql`now()` })
      .where('id', '=', user.id)
      .execute()
    const codes = await replaceRecoveryCodes(trx, cipher, user.id)
    await audit(trx, { actor: user, action: 'user.totp_enabled', entityType: 'user', entityId: user.id, summary: { replaced: before.totp_enabled } })
    return codes
  })
}

/** New recovery codes (the old ones stop working); the caller has checked the current factor. */
export async function regenerateRecoveryCodes(db: Kysely<Database>, cipher: FieldCipher, user: NonNullable<Actor>): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const codes = await replaceRecoveryCodes(trx, cipher, user.id)
    await audit(trx, { actor: user, action: 'user.recovery_codes_renewed', entityType: 'user', entityId: user.id })
    return codes
  })
}

export async function disableTotp(db: Kysely<Database>, actor: NonNullable<Actor>, userId: string) {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_secret: null, totp_enabled: false, totp_last_step: null, updated_at: sql`now()` }).where('id', '=', userId).execute()
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
    await audit(trx, { actor, action: 'user.totp_disabled', entityType: 'user', entityId: userId })
  })
}

export async function ensureRegistry(db: Db, code: string, name: string, nameEn = '') {
  await db.insertInto('registries').values({ code, name, name_en: nameEn }).onConflict((oc) => oc.column('code').doNothing()).execute()
}

/** Active staff of a registry, by name: e.g. who may be named to consult an archive file. */
export async function activeStaff(db: Db, registryCode: string) {
  return db.selectFrom('users').select(['id', 'display_name as name']).where('registry_code', '=', registryCode).where('active', '=', true).orderBy('display_name').execute()
}

/** Who to e-mail in a role of a registry: active, with an address, each with their language. */
export async function mailRecipients(db: Db, registryCode: string, role: Role) {
  const rows = await db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.email', 'u.locale', 'u.display_name as name'])
    .where('u.registry_code', '=', registryCode).where('r.role', '=', role).where('u.active', '=', true).where('u.email', 'is not', null)
    .orderBy('u.id').execute()
  return rows.map((r) => ({ email: r.email!, locale: (isLocale(r.locale) ? r.locale : 'zh') as Locale, name: r.name }))
}

/** Accounts locked out by wrong passwords right now (the security administrator may lift it). */
export async function lockedUsers(db: Db, registryCode: string) {
  return db.selectFrom('users').select(['id', 'username', 'display_name as displayName', 'locked_until as lockedUntil'])
    .where('registry_code', '=', registryCode).where('locked_until', '>', sql<Date>`now()`).orderBy('username').execute()
}
