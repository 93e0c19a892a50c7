// The adoption registration certificate: ?mode=copy (full A4 file copy) or ?mode=blank&x=&y=
// (only the values, for the preprinted blank, shifted by the printer's calibration in mm).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { certificatePdf } from '#app/registration/documents.server.ts'
import { servePdf } from '#app/registration/pdf-response.server.ts'

const query = z.object({
  mode: z.enum(['copy', 'blank']).catch('copy'),
  x: z.coerce.number().min(-30).max(30).catch(0),
  y: z.coerce.number().min(-30).max(30).catch(0),
  certificate: z.string().regex(/^\d{1,18}$/).optional().catch(undefined),
})

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  const o = query.parse(Object.fromEntries(new URL(request.url).searchParams))
  return servePdf(context, user, params.id ?? '', (loaded) =>
    certificatePdf(context.db, loaded, { mode: o.mode, offsetMm: { x: o.x, y: o.y }, certificateId: o.certificate }),
    { filename: `certificate-${o.mode}`, document: 'certificate', mode: o.mode },
  )
}
