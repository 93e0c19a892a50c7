// The certificate of dissolution: ?mode=read (ID numbers masked) without more; the certificate
// itself carries full ID numbers and is served only with the grant of the reason page (decision 028).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { dissolutionCertificatePdf } from '#app/registration/documents.server.ts'
import { servePdf } from '#app/registration/pdf-response.server.ts'
import { masked, requirePrintGrant } from '#app/registration/print.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  const url = new URL(request.url)
  if (url.searchParams.get('mode') === 'read') {
    return servePdf(context, user, params.id ?? '', (loaded) => dissolutionCertificatePdf(context.db, masked(loaded)), { filename: 'dissolution-certificate-read', document: 'dissolution_certificate', mode: 'read' })
  }
  const grant = await requirePrintGrant(context, user, params.id ?? '', 'dissolution_certificate', url)
  return servePdf(context, user, params.id ?? '', (loaded) => dissolutionCertificatePdf(context.db, loaded), { filename: 'dissolution-certificate', document: 'dissolution_certificate', grant })
}
