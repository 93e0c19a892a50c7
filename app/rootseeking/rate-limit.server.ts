// Rate limits for the public pages, counted in PostgreSQL so every app process sees the same hits.
// A sliding window (decision 010): a hit is allowed when the key had fewer than `max` allowed hits
// in the `windowSeconds` before it. Fixed clock windows would let an address send twice the limit
// across the top of an hour. Refused attempts are not stored, so a flood adds no rows.
import { isIPv6 } from 'node:net'
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'

export type Limit = { bucket: string; max: number; windowSeconds: number }

export const SUBMIT_LIMIT: Limit = { bucket: 'visit-request.submit', max: 5, windowSeconds: 3600 }
export const STATUS_LIMIT: Limit = { bucket: 'visit-request.status', max: 20, windowSeconds: 3600 }

/** The hourly caps on the public forms for the whole registry, whoever sends (decision 033). */
export const submitCap = (max: number): Limit => ({ bucket: 'visit-request.submit.all', max, windowSeconds: 3600 })
export const mailCap = (max: number): Limit => ({ bucket: 'public.mail.all', max, windowSeconds: 3600 })
/** The key of the registry-wide caps. */
export const EVERYONE = '*'

/**
 * The rate-limit key of an address. An IPv6 subscriber is handed a whole /64 (RFC 6177), so one
 * client has 2^64 addresses: IPv6 is counted by its /64 prefix. IPv4 (also IPv4-mapped IPv6) as is.
 */
export function rateKey(ip: string | null): string | null {
  if (!ip) return null
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return mapped[1]!
  const address = ip.split('%')[0]!
  if (!isIPv6(address)) return ip
  const [head = '', tail = ''] = address.toLowerCase().split('::')
  const left = head ? head.split(':') : []
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : []
  // An embedded IPv4 tail is in the interface half: it never reaches the first four groups.
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`
}

/** Advisory-lock class of the rate limits (two-key form: apart from the one-key locks elsewhere). */
const LOCK_CLASS = 0x52415445

/** Counts one hit; false when the key is at its limit in the window before now. */
export async function hit(db: Kysely<Database>, limit: Limit, key: string | null): Promise<boolean> {
  const who = key === EVERYONE ? key : rateKey(key) ?? 'unknown'
  return db.transaction().execute(async (trx) => {
    // Two requests from one address at once must not both see room for one more.
    await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${`${limit.bucket} ${who}`}))`.execute(trx)
    const { recent } = await trx
      .selectFrom('public_rate_limit_hits')
      .select((eb) => eb.fn.countAll<number>().as('recent'))
      .where('bucket', '=', limit.bucket)
      .where('key', '=', who)
      .where('at', '>', sql<Date>`now() - make_interval(secs => ${limit.windowSeconds})`)
      .executeTakeFirstOrThrow()
    if (Number(recent) >= limit.max) return false
    await trx.insertInto('public_rate_limit_hits').values({ bucket: limit.bucket, key: who }).execute()
    return true
  })
}

/** Hits older than any window are of no use: the daily sweep drops them. */
export async function pruneRateLimits(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('public_rate_limit_hits').where('at', '<', sql<Date>`now() - interval '1 day'`).execute()
}
