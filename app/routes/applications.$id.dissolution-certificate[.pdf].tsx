import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { dissolutionCertificatePdf } from '#app/registration/documents.server.ts'
import { servePdf } from '#app/registration/pdf-response.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  return servePdf(context, user, params.id ?? '', (loaded) => dissolutionCertificatePdf(context.db, loaded), { filename: 'dissolution-certificate', document: 'dissolution_certificate' })
}
