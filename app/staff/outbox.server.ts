import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'

const PAGE = 20

/**
 * The registry's local outbox (mail kept when no SMTP server is configured), newest first: who,
 * what subject, when — never the body. Families' mail is not the administrator's to read (decision
 * 026); the body stays in the table for the day a mail server is configured.
 */
export async function listOutbox(db: Kysely<Database>, registryCode: string, before?: string) {
  let query = db
    .selectFrom('mail_outbox')
    .select(['id', 'to_address as toAddress', 'subject', 'created_at as createdAt'])
    .where('registry_code', '=', registryCode)
  if (before && /^\d{1,18}$/.test(before)) query = query.where('id', '<', before)
  const rows = await query.orderBy('id', 'desc').limit(PAGE + 1).execute()
  const page = rows.slice(0, PAGE)
  return { rows: page, nextBefore: rows.length > PAGE ? page[page.length - 1].id : null }
}
