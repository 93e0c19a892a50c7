// Serving an issued document: load the application (scoped to the viewer), render, answer with
// the PDF inline and never cached; every print is audited (who printed which document, how).
// A name the font cannot draw is answered 422 with the characters named.
import { audit } from '#app/platform/audit.server.ts'
import type { AppContext } from '#app/platform/context.server.ts'
import type { CurrentUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { loadApplication, ProcedureError, type LoadedApplication } from './applications.server.ts'
import { viewerOf } from './page.server.ts'

export async function servePdf(
  context: AppContext,
  user: CurrentUser,
  applicationId: string,
  render: (loaded: LoadedApplication) => Promise<Uint8Array>,
  meta: { filename: string; document: string; mode?: string; grant?: string },
): Promise<Response> {
  const viewer = viewerOf(user)
  return orRespond(async () => {
    const loaded = await loadApplication(context.db, context.cipher, viewer, applicationId)
    let bytes: Uint8Array
    try {
      bytes = await render(loaded)
    } catch (error) {
      if (error instanceof ProcedureError) {
        return new Response(translate(user.locale, error.messageKey, error.params), { status: 422, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
      }
      throw error
    }
    await audit(context.db, {
      actor: viewer, action: 'application.certificate_printed', entityType: 'application', entityId: loaded.app.id,
      summary: { document: meta.document, ...(meta.mode ? { mode: meta.mode } : {}), ...(meta.grant ? { printGrant: meta.grant } : {}) }, ip: context.ip,
    })
    return new Response(bytes as unknown as BodyInit, {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="${meta.filename}-${loaded.app.id}.pdf"`,
        'Cache-Control': 'no-store',
        'Content-Length': String(bytes.byteLength),
      },
    })
  })
}
