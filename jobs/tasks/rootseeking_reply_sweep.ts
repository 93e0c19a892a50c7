// Daily (jobs/crontab): root-seeking requests whose 10-working-day reply is late are escalated to
// the supervisors, once per request per day.
import type { Task } from 'graphile-worker'
import type { DB } from '#db/connection.ts'
import { sweepLateReplies } from '#app/rootseeking/sweep.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'

export function rootseekingReplySweepTask(deps: { db: DB; publicUrl?: string }): Task {
  return async (_payload, helpers) => {
    const result = await sweepLateReplies(deps.db, todayInShanghai(), deps.publicUrl)
    helpers.logger.info(`root-seeking reply sweep: ${result.late} late, ${result.escalated} escalated`)
  }
}
