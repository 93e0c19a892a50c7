// Login throttling (decision 031): growing delays per source address and per typed account name
// instead of a lock. A lock that anyone can set by typing wrong passwords is a denial of service
// against the account; a delay slows guessing just as well and lets the right password in once it
// has passed. The name is throttled whether an account has it or not, so the answer says nothing
// about which names exist.
//
// Every attempt is counted before its password is checked ("a failure until proven right"): parallel
// guesses each take their own count, so a burst cannot slip past the limit. A right password takes
// its count back.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'

export type ThrottleRule = {
  /** Failures within the window before any delay. */
  free: number
  /** The first delay, doubled for every further failure, up to `capSeconds`. */
  baseSeconds: number
  capSeconds: number
}

/** One account name: a few typing mistakes are free; guessing soon costs minutes per try. */
export const NAME_RULE: ThrottleRule = { free: 5, baseSeconds: 2, capSeconds: 300 }
/** One address: an office behind one NAT address shares it, so more room before the delays. */
export const ADDRESS_RULE: ThrottleRule = { free: 20, baseSeconds: 1, capSeconds: 900 }
/** Failures older than this are forgotten. */
export const THROTTLE_WINDOW_MINUTES = 60

export function delaySeconds(rule: ThrottleRule, failures: number): number {
  if (failures < rule.free) return 0
  return Math.min(rule.capSeconds, rule.baseSeconds * 2 ** Math.min(30, failures - rule.free))
}

export const nameKey = (username: string) => `name:${username.trim().toLowerCase()}`
export const addressKey = (ip: string | null) => `ip:${ip ?? 'unknown'}`

export type Claim =
  | { ok: true; delayed: string[] }
  | { ok: false; retryAfterSeconds: number }

/**
 * Counts one attempt against each key, unless one of them is still waiting out its delay: then
 * nothing is counted and the attempt is refused with the seconds left. A key with `enforce` false
 * is counted but its delay does not apply (the account name, when the attempt comes from an address
 * the account signed in from before). `delayed` lists the keys whose delays this attempt starts
 * (for the audit).
 */
export async function claimAttempt(
  db: Kysely<Database>,
  keys: { key: string; rule: ThrottleRule; enforce: boolean }[],
): Promise<Claim> {
  return db.transaction().execute(async (trx) => {
    const ordered = [...keys].sort((a, b) => a.key.localeCompare(b.key)) // one lock order: no deadlock
    await trx
      .insertInto('login_throttle')
      .values(ordered.map((k) => ({ key: k.key })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
    const rows = await sql<{ key: string; failures: number; blocked_until: Date | null; stale: boolean; now: Date }>`
      select key, failures, blocked_until,
             updated_at < now() - make_interval(mins => ${THROTTLE_WINDOW_MINUTES}) as stale, now() as now
      from login_throttle where key in (${sql.join(ordered.map((k) => k.key))})
      order by key for update`.execute(trx)
    const byKey = new Map(rows.rows.map((r) => [r.key, r]))
    let wait = 0
    for (const k of ordered) {
      const row = byKey.get(k.key)!
      if (k.enforce && !row.stale && row.blocked_until && row.blocked_until > row.now) {
        wait = Math.max(wait, Math.ceil((row.blocked_until.getTime() - row.now.getTime()) / 1000))
      }
    }
    if (wait > 0) return { ok: false as const, retryAfterSeconds: wait }
    const delayed: string[] = []
    for (const k of ordered) {
      const row = byKey.get(k.key)!
      const failures = (row.stale ? 0 : row.failures) + 1
      const delay = delaySeconds(k.rule, failures)
      if (failures === k.rule.free) delayed.push(k.key)
      await trx
        .updateTable('login_throttle')
        .set({
          failures,
          blocked_until: delay > 0 ? sql<Date>`now() + make_interval(secs => ${delay})` : null,
          updated_at: sql`now()`,
        })
        .where('key', '=', k.key)
        .execute()
    }
    return { ok: true as const, delayed }
  })
}

/**
 * A right password: the name starts afresh; the address takes back the count of this attempt (an
 * office's morning sign-ins are not failures) but keeps earlier ones, so a valid account does not
 * wash an address's guesses away.
 */
export async function settleSuccess(db: Kysely<Database>, name: string, address: { key: string; rule: ThrottleRule }) {
  await db.deleteFrom('login_throttle').where('key', '=', name).execute()
  await db
    .updateTable('login_throttle')
    .set({
      failures: sql`greatest(failures - 1, 0)`,
      blocked_until: sql`case when failures - 1 < ${address.rule.free} then null else blocked_until end`,
    })
    .where('key', '=', address.key)
    .execute()
}

/** Rows no window remembers are of no use: the daily sweep may drop them. */
export async function pruneLoginThrottle(db: Kysely<Database>) {
  await db
    .deleteFrom('login_throttle')
    .where('updated_at', '<', sql<Date>`now() - make_interval(mins => ${THROTTLE_WINDOW_MINUTES})`)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', sql<Date>`now()`)]))
    .execute()
}

/**
 * A cap on password hashes at once. argon2id takes ~19 MiB and a thread of libuv's small pool for
 * each check; without a cap a flood of logins takes both from every other page. Beyond the cap a
 * login is answered "busy" at once rather than queued (a queue would only move the flood into
 * memory).
 */
export class HashGate {
  #active = 0
  constructor(readonly max: number) {}
  get active() { return this.#active }
  tryEnter(): boolean {
    if (this.#active >= this.max) return false
    this.#active++
    return true
  }
  leave() {
    this.#active = Math.max(0, this.#active - 1)
  }
}

const gates = new Map<number, HashGate>()
/** The process's gate for a configured size (LOGIN_HASH_CONCURRENCY). */
export function hashGate(max: number): HashGate {
  let gate = gates.get(max)
  if (!gate) gates.set(max, (gate = new HashGate(max)))
  return gate
}
