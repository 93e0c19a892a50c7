// Mail. Callers enqueue a message inside their transaction (enqueueEmail); the send_email task
// (jobs/tasks/send_email.ts) delivers it through SMTP, or, with no SMTP configured, keeps it in the
// local outbox an administrator reads in the app.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { enqueue } from './jobs.server.ts'

export const emailPayload = z.object({
  messageId: z.string().min(1),
  registryCode: z.string().nullable(),
  to: z.string().email(),
  subject: z.string().min(1).max(300),
  text: z.string().min(1),
})
export type EmailPayload = z.infer<typeof emailPayload>

export async function enqueueEmail(
  trx: Kysely<Database> | Transaction<Database>,
  message: Omit<EmailPayload, 'messageId'>,
): Promise<string> {
  const payload = emailPayload.parse({ ...message, messageId: `<${randomUUID()}@adoption-registry>` })
  // The job key makes a retried enqueue of the same message a no-op.
  await enqueue(trx, 'send_email', payload, { jobKey: `mail:${payload.messageId}`, maxAttempts: 25 })
  return payload.messageId
}
