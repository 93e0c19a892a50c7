// Documents that carry full citizen ID numbers (the adoption certificate, the certificate of
// dissolution): printed or downloaded only after the reason is given and logged; the copy for
// reading has the numbers masked (decision 028; architecture decision 8, "display is masked unless
// the viewer's role and reason allow more").
import { redirect } from '@remix-run/node'
import type { AppContext } from '#app/platform/context.server.ts'
import type { CurrentUser } from '#app/platform/guard.server.ts'
import { audit } from '#app/platform/audit.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { checkPrintGrant, newGrantRef, signPrintGrant, type PrintTarget } from '#app/platform/print-grant.server.ts'
import { loadApplication, type LoadedApplication } from './applications.server.ts'
import { viewerOf } from './page.server.ts'

export const PRINT_DOCUMENTS = { certificate: 'certificate.pdf', dissolution_certificate: 'dissolution-certificate.pdf' } as const
export type PrintDocument = keyof typeof PRINT_DOCUMENTS
export const isPrintDocument = (v: unknown): v is PrintDocument => typeof v === 'string' && Object.hasOwn(PRINT_DOCUMENTS, v)

/**
 * The printing options of a document as a canonical query string (what the grant signs): the
 * certificate's mode (the A4 copy for the file, or the values on the preprinted blank with the
 * printer's offsets) and which certificate; nothing for the certificate of dissolution.
 */
export function printOptions(document: PrintDocument, params: URLSearchParams): string {
  if (document !== 'certificate') return ''
  const out = new URLSearchParams()
  const mode = params.get('mode') === 'blank' ? 'blank' : 'copy'
  out.set('mode', mode)
  if (mode === 'blank') {
    const offset = (k: string) => { const n = Number(params.get(k) ?? 0); return Number.isFinite(n) ? String(Math.max(-30, Math.min(30, n))) : '0' }
    out.set('x', offset('x'))
    out.set('y', offset('y'))
  }
  const certificate = params.get('certificate')
  if (certificate && /^\d{1,18}$/.test(certificate)) out.set('certificate', certificate)
  return out.toString()
}

const target = (user: CurrentUser, appId: string, document: PrintDocument, options: string): PrintTarget => ({ userId: user.id, recordId: appId, document, options })

export const documentUrl = (appId: string, document: PrintDocument, options: string, grant?: string) => {
  const q = new URLSearchParams(options)
  if (grant) q.set('grant', grant)
  const s = q.toString()
  return `/applications/${appId}/${PRINT_DOCUMENTS[document]}${s ? `?${s}` : ''}`
}

export const reasonPageUrl = (appId: string, document: PrintDocument, options: string) => {
  const q = new URLSearchParams(options)
  q.set('document', document)
  return `/applications/${appId}/print?${q.toString()}`
}

/**
 * The reason page's action: the application must be readable by the user (its one rule), the
 * reason goes into the audit log with a reference, and the browser is sent to the document with a
 * grant for exactly this print.
 */
export async function grantPrint(context: AppContext, user: CurrentUser, appId: string, document: PrintDocument, options: string, reason: string) {
  const viewer = viewerOf(user)
  const loaded = await loadApplication(context.db, context.cipher, viewer, appId)
  const ref = newGrantRef()
  await audit(context.db, {
    actor: viewer, action: 'application.print_reason', entityType: 'application', entityId: loaded.app.id,
    summary: { document, options, printGrant: ref }, reason, ip: context.ip,
  })
  return redirect(documentUrl(loaded.app.id, document, options, signPrintGrant(context.sessionSecret, target(user, loaded.app.id, document, options), ref)), 303)
}

/**
 * Before a document with full ID numbers is served: the application readable under its rule (else
 * not found), then the grant from the reason page, or a redirect to that page. Returns the grant's
 * reference for the print's own audit row.
 */
export async function requirePrintGrant(context: AppContext, user: CurrentUser, appId: string, document: PrintDocument, url: URL): Promise<string> {
  const loaded = await orRespond(() => loadApplication(context.db, context.cipher, viewerOf(user), appId))
  const options = printOptions(document, url.searchParams)
  const ref = checkPrintGrant(context.sessionSecret, url.searchParams.get('grant'), target(user, loaded.app.id, document, options))
  if (!ref) throw redirect(reasonPageUrl(loaded.app.id, document, options), 303)
  return ref
}

/** The application with every ID number masked: the copy for reading. */
export function masked(loaded: LoadedApplication): LoadedApplication {
  return { ...loaded, parties: loaded.parties.map((p) => ({ ...p, idNumber: p.idNumberMasked })) }
}
