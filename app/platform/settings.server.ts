// Administrator settings kept in the database (registry, key → JSON), validated on the way in and
// out. Each registry has its own (decision 030): one county's administrator changes only its own
// county's rules; a registry with no row has the default.
import { sql, type Kysely, type Transaction } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { roles, type Role } from './permissions.ts'
import { audit, type Actor } from './audit.server.ts'

const settingSchemas = {
  /** Roles whose holders must use a TOTP second factor. */
  totp_required_roles: z.array(z.enum(roles)).default([]),
} as const

type Settings = { [K in keyof typeof settingSchemas]: z.infer<(typeof settingSchemas)[K]> }

export async function getSetting<K extends keyof Settings>(db: Kysely<Database>, registryCode: string, key: K): Promise<Settings[K]> {
  const row = await db.selectFrom('settings').select('value').where('registry_code', '=', registryCode).where('key', '=', key).executeTakeFirst()
  return settingValue(key, row?.value)
}

/** A stored value read elsewhere (e.g. with the session), or the default when absent or invalid. */
export function settingValue<K extends keyof Settings>(key: K, stored: unknown): Settings[K] {
  const parsed = settingSchemas[key].safeParse(stored ?? undefined)
  return (parsed.success ? parsed.data : settingSchemas[key].parse(undefined)) as Settings[K]
}

export async function putSetting<K extends keyof Settings>(
  trx: Kysely<Database> | Transaction<Database>,
  registryCode: string,
  key: K,
  value: Settings[K],
  userId: string,
) {
  const json = JSON.stringify(settingSchemas[key].parse(value))
  await trx
    .insertInto('settings')
    .values({ registry_code: registryCode, key, value: json, updated_by: userId })
    .onConflict((oc) => oc.columns(['registry_code', 'key']).doUpdateSet({ value: json, updated_by: userId, updated_at: sql`now()` }))
    .execute()
}

/** The roles of the actor's registry that must use a second factor; the change and its audit row in one transaction. */
export async function setTotpRequiredRoles(db: Kysely<Database>, actor: NonNullable<Actor>, required: Role[]) {
  await db.transaction().execute(async (trx) => {
    await putSetting(trx, actor.registryCode, 'totp_required_roles', required, actor.id)
    await audit(trx, { actor, action: 'settings.totp_required_roles', entityType: 'setting', entityId: 'totp_required_roles', summary: { roles: required } })
  })
}
