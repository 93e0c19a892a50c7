// Administrator settings kept in the database (key → JSON), validated on the way in and out.
import { sql, type Kysely, type Transaction } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { roles } from './permissions.ts'

const settingSchemas = {
  /** Roles whose holders must use a TOTP second factor. */
  totp_required_roles: z.array(z.enum(roles)).default([]),
} as const

type Settings = { [K in keyof typeof settingSchemas]: z.infer<(typeof settingSchemas)[K]> }

export async function getSetting<K extends keyof Settings>(db: Kysely<Database>, key: K): Promise<Settings[K]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  const parsed = settingSchemas[key].safeParse(row?.value ?? undefined)
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
