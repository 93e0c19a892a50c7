// The daily sweep of late replies: every request still unanswered after its due date is escalated
// to the registry's supervisors by e-mail, at most once per request per day (the escalation row is
// the sent-record, written in the same transaction as the e-mail's job).
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import { enqueueEmail } from '#app/platform/mail.server.ts'
import { lateMail } from './mail.ts'
import { pruneRateLimits } from './rate-limit.server.ts'
import { mailRecipients } from '#app/staff/users.server.ts'

export async function lateRequests(db: Kysely<Database>, today: string) {
  return db.selectFrom('rootseeking_requests').select(['id', 'registry_code', 'reference', 'applicant_name', 'reply_due_on'])
    .where('state', '=', 'received').where('reply_due_on', '<', today).orderBy('id').execute()
}

export async function sweepLateReplies(db: Kysely<Database>, today: string, publicUrl?: string): Promise<{ late: number; escalated: number }> {
  const late = await lateRequests(db, today)
  let escalated = 0
  for (const request of late) {
    await db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('rootseeking_escalations').values({ request_id: request.id, day: today })
        .onConflict((oc) => oc.doNothing()).returning('request_id').executeTakeFirst()
      if (!inserted) return
      const supervisors = await mailRecipients(trx, request.registry_code, 'supervisor')
      for (const s of supervisors) {
        const mail = lateMail({ locale: s.locale, reference: request.reference, id: request.id, applicantName: request.applicant_name, dueOn: request.reply_due_on, url: `${publicUrl ?? ''}/rootseeking/${request.id}` })
        await enqueueEmail(trx, { registryCode: request.registry_code, to: s.email, subject: mail.subject, text: mail.text })
      }
      await audit(trx, { actor: null, registryCode: request.registry_code, action: 'rootseeking.reply_late_escalated', entityType: 'rootseeking_request', entityId: request.id, summary: { dueOn: request.reply_due_on, supervisors: supervisors.length } })
      escalated++
    })
  }
  await pruneRateLimits(db)
  return { late: late.length, escalated }
}
