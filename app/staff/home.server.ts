import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'

/** The user's latest logins (this one first), so they can spot a login that was not theirs. */
export async function lastLogins(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('audit_log')
    .select(['at', 'ip'])
    .where('actor_id', '=', userId)
    .where('action', '=', 'auth.login')
    .orderBy('id', 'desc')
    .limit(2)
    .execute()
}
