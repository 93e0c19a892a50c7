// One recipient's follow-up digest, enqueued by the daily sweep (job key followup_digest:<user>:<day>).
// It marks what it takes and enqueues the e-mail in one transaction: run again, it sends nothing.
import type { Task } from 'graphile-worker'
import { z } from 'zod'
import type { DB } from '#db/connection.ts'
import { sendDigest } from '#app/followup/sweep.server.ts'

const payloadSchema = z.object({ recipientId: z.string().regex(/^\d+$/), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })

export function followupDigestTask(deps: { db: DB; publicUrl?: string }): Task {
  return async (payload, helpers) => {
    const input = payloadSchema.parse(payload)
    const result = await sendDigest(deps.db, { ...input, publicUrl: deps.publicUrl })
    helpers.logger.debug(`follow-up digest ${input.recipientId}/${input.day}: ${result.items} items`)
  }
}
