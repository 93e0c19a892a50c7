// Administrator settings kept in the database (key → JSON), validated on the way in and out.
import { sql, type Kysely, type Transaction } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { roles, type Role } from './permissions.ts'
import { audit, type Actor } from './audit.server.ts'

/**
 * Roles that must use a second factor out of the box: whoever administers the system or approves
 * decisions (decision 031; graded protection level 3 asks two factors of administrators). Named
 * as a list of names, old and new, so that the rule holds whichever role set a deployment has.
 */
export const SECOND_FACTOR_ROLE_NAMES: readonly string[] = ['admin', 'sysadmin', 'secadmin', 'auditadmin', 'supervisor']
export const defaultTotpRequiredRoles: Role[] = roles.filter((r) => SECOND_FACTOR_ROLE_NAMES.includes(r))

const settingSchemas = {
  /** Roles whose holders must use a TOTP second factor. */
  totp_required_roles: z.array(z.enum(roles)).default(defaultTotpRequiredRoles),
} as const

type Settings = { [K in keyof typeof settingSchemas]: z.infer<(typeof settingSchemas)[K]> }

export async function getSetting<K extends keyof Settings>(db: Kysely<Database>, key: K): Promise<Settings[K]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  return settingValue(key, row?.value)
}

/** A stored value read elsewhere (e.g. with the session), or the default when absent or invalid. */
export function settingValue<K extends keyof Settings>(key: K, stored: unknown): Settings[K] {
  const parsed = settingSchemas[key].safeParse(stored ?? undefined)
  return (parsed.success ? parsed.data : settingSchemas[key].parse(undefined)) as Settings[K]
}

export async function putSetting<K extends keyof Settings>(
  trx: Kysely<Database> | Transaction<Database>,
  key: K,
  value: Settings[K],
  userId: string,
) {
  const json = JSON.stringify(settingSchemas[key].parse(value))
  await trx
    .insertInto('settings')
    .values({ key, value: json, updated_by: userId })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_by: userId, updated_at: sql`now()` }))
    .execute()
}

/**
 * The roles that must use a second factor, from the stored setting; when none is stored, the
 * out-of-the-box list, which demo mode relaxes to none (the demo's published password is no
 * secret to protect, and its login page says so). A setting an administrator saved always holds.
 */
export function totpRequiredRoles(stored: unknown, demo: boolean): Role[] {
  if ((stored === null || stored === undefined) && demo) return []
  return settingValue('totp_required_roles', stored)
}

export async function getTotpRequiredRoles(db: Kysely<Database>, demo: boolean): Promise<Role[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'totp_required_roles').executeTakeFirst()
  return totpRequiredRoles(row?.value, demo)
}

/** The roles that must use a second factor; the change and its audit row in one transaction. */
export async function setTotpRequiredRoles(db: Kysely<Database>, actor: NonNullable<Actor>, required: Role[]) {
  await db.transaction().execute(async (trx) => {
    await putSetting(trx, 'totp_required_roles', required, actor.id)
    await audit(trx, { actor, action: 'settings.totp_required_roles', entityType: 'setting', entityId: 'totp_required_roles', summary: { roles: required } })
  })
}
