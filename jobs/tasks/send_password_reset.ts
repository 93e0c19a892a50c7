// Sends a password-reset link (app/staff/password-resets.server.ts). The payload names the reset,
// never a secret: the token is made here, at send time, and only its hash is stored. The message
// goes by SMTP only — never into the local outbox, where an administrator could read the link. With
// no SMTP server (any more), or an address the server refuses for good, the reset falls back to a
// code that a security administrator releases.
import type { Task } from 'graphile-worker'
import type { Transporter } from 'nodemailer'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { DB } from '#db/connection.ts'
import { fallBackToCode, issueResetLink } from '#app/staff/password-resets.server.ts'

const payload = z.object({ resetId: z.string().regex(/^\d{1,18}$/) })

export function sendPasswordResetTask(deps: { db: DB; transporter: Transporter | null; from: string; publicUrl?: string }): Task {
  return async (raw) => {
    const { resetId } = payload.parse(raw)
    if (!deps.transporter) return fallBackToCode(deps.db, resetId)
    const message = await issueResetLink(deps.db, resetId, deps.publicUrl)
    if (!message) return
    try {
      await deps.transporter.sendMail({ from: deps.from, to: message.to, subject: message.subject, text: message.text, messageId: `<${randomUUID()}@adoption-registry>` })
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode
      if (code === undefined || code < 500 || code > 599) throw error
      await fallBackToCode(deps.db, resetId)
    }
  }
}
