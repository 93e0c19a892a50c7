// Rate limits for the public pages, counted in PostgreSQL so every app process sees the same hits:
// one row per bucket, key (the client's address) and fixed window.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'

export type Limit = { bucket: string; max: number; windowSeconds: number }

export const SUBMIT_LIMIT: Limit = { bucket: 'visit-request.submit', max: 5, windowSeconds: 3600 }
export const STATUS_LIMIT: Limit = { bucket: 'visit-request.status', max: 20, windowSeconds: 3600 }

/** Counts one hit; false when the key is over the limit in this window. */
export async function hit(db: Kysely<Database>, limit: Limit, key: string | null): Promise<boolean> {
  const row = await sql<{ hits: number }>`
    insert into public_rate_limits (bucket, key, window_start, hits)
    values (${limit.bucket}, ${key ?? 'unknown'}, to_timestamp(floor(extract(epoch from now()) / ${limit.windowSeconds}) * ${limit.windowSeconds}), 1)
    on conflict (bucket, key, window_start) do update set hits = public_rate_limits.hits + 1
    returning hits`.execute(db)
  return row.rows[0].hits <= limit.max
}

/** Old windows are of no use: the daily sweep drops them. */
export async function pruneRateLimits(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('public_rate_limits').where('window_start', '<', sql<Date>`now() - interval '2 days'`).execute()
}
