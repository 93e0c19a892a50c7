// Delivers one e-mail: through SMTP when configured, else into the local outbox. Idempotent on
// the message id: a retry after a crash stores no second copy, and SMTP receivers see the same
// Message-ID for a resent message.
import type { Task } from 'graphile-worker'
import type { Transporter } from 'nodemailer'
import type { DB } from '#db/connection.ts'
import { emailPayload } from '#app/platform/mail.server.ts'

export function sendEmailTask(deps: { db: DB; transporter: Transporter | null; from: string }): Task {
  return async (rawPayload) => {
    const message = emailPayload.parse(rawPayload)
    if (!deps.transporter) {
      await deps.db
        .insertInto('mail_outbox')
        .values({
          message_id: message.messageId,
          registry_code: message.registryCode,
          to_address: message.to,
          subject: message.subject,
          body_text: message.text,
        })
        .onConflict((oc) => oc.column('message_id').doNothing())
        .execute()
      return
    }
    try {
      await deps.transporter.sendMail({
        from: deps.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
      })
    } catch (error) {
      // A 5xx answer is the server's final word on this address: record it (the pages that rely on
      // the address say so) rather than retry for days. Anything else (4xx, the server down) is
      // thrown, and graphile-worker retries with backoff.
      const code = (error as { responseCode?: number }).responseCode
      if (code === undefined || code < 500 || code > 599) throw error
      await deps.db.insertInto('mail_bounces').values({
        message_id: message.messageId, registry_code: message.registryCode, address: message.to,
        response: String((error as { response?: string }).response ?? (error as Error).message).slice(0, 500),
      }).onConflict((oc) => oc.column('message_id').doNothing()).execute()
    }
  }
}
