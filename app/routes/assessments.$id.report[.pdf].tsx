import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { audit } from '#app/platform/audit.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { loadAssessment } from '#app/assessment/assessments.server.ts'
import { assessorViewer } from '#app/assessment/page.server.ts'
import { assessmentReportPdf } from '#app/assessment/report.server.ts'
import { ProcedureError } from '#app/registration/applications.server.ts'
import { registrySettings } from '#app/registration/registry.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'assessment.read')
  const version = z.coerce.number().int().min(1).optional().catch(undefined).parse(new URL(request.url).searchParams.get('version') ?? undefined)
  return orRespond(async () => {
    const viewer = await assessorViewer(context, user)
    const loaded = await loadAssessment(context.db, context.cipher, viewer, params.id ?? '')
    if (loaded.mustDeclare) throw new Response('error.forbidden', { status: 403 })
    const registry = await registrySettings(context.db, user.registryCode)
    let bytes: Uint8Array
    try {
      bytes = await assessmentReportPdf(loaded, registry.name, version)
    } catch (error) {
      if (error instanceof ProcedureError) return new Response(translate(user.locale, error.messageKey, error.params), { status: 422, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
      throw error
    }
    await audit(context.db, { actor: viewer, action: 'assessment.report_printed', entityType: 'assessment', entityId: loaded.header.id, ip: context.ip })
    return new Response(bytes as unknown as BodyInit, {
      headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="assessment-report-${loaded.header.id}.pdf"`, 'Cache-Control': 'no-store' },
    })
  })
}
