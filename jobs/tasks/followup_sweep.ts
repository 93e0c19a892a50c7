// The daily follow-up sweep (jobs/crontab, 08:00 Asia/Shanghai). The business day is today's date
// in Asia/Shanghai whatever the server's zone; a payload `day` (YYYY-MM-DD) sweeps another day by
// hand (graphile_worker.add_job('followup_sweep', '{"day":"2026-11-28"}')).
import type { Task } from 'graphile-worker'
import type { DB } from '#db/connection.ts'
import { sweep } from '#app/followup/sweep.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'

export function followupSweepTask(deps: { db: DB }): Task {
  return async (payload, helpers) => {
    const asked = (payload as { day?: unknown } | null)?.day
    const day = typeof asked === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : todayInShanghai()
    const result = await sweep(deps.db, day)
    helpers.logger.info(`follow-up sweep ${day}: ${result.notices} notices, ${result.deliveries} deliveries, ${result.digests} digests`)
  }
}
