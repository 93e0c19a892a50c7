// Printing a document that carries full citizen ID numbers (decision 028): the reason is asked on
// a page of its own and written to the audit log first; the document is then served once the
// browser comes back with a grant that names who asked, the record, the document and how it is
// printed, signed with the session secret and valid for a few minutes. Without a valid grant the
// document's URL leads to the reason page. A grant cannot be stretched to another record, another
// document, another mode or another user: all of these are in the signed text.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const PRINT_GRANT_MINUTES = 5

export type PrintTarget = { userId: string; recordId: string; document: string; options: string }

function mac(secret: string, text: string) {
  return createHmac('sha256', secret).update(`print-grant\u0000${text}`).digest('base64url')
}

const textOf = (t: PrintTarget, expires: number, auditRef: string) => [t.userId, t.recordId, t.document, t.options, String(expires), auditRef].join('\u0001')

/** The reference that ties a grant to the audit row holding its reason (in that row's summary). */
export const newGrantRef = () => randomBytes(12).toString('base64url')

/** A grant for `target`, valid for PRINT_GRANT_MINUTES from `now`; `auditRef` (newGrantRef) is in the audit row that holds the reason. */
export function signPrintGrant(secret: string, target: PrintTarget, auditRef: string, now = Date.now()): string {
  const expires = now + PRINT_GRANT_MINUTES * 60_000
  return `${expires}.${auditRef}.${mac(secret, textOf(target, expires, auditRef))}`
}

/** The audit row of a valid grant for exactly this target, or null (missing, forged, another target, expired). */
export function checkPrintGrant(secret: string, grant: string | null, target: PrintTarget, now = Date.now()): string | null {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{8,32})\.([A-Za-z0-9_-]{43})$/.exec(grant ?? '')
  if (!m) return null
  const expires = Number(m[1])
  if (expires < now) return null
  const want = Buffer.from(mac(secret, textOf(target, expires, m[2])))
  const got = Buffer.from(m[3])
  return want.length === got.length && timingSafeEqual(want, got) ? m[2] : null
}
