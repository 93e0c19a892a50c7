// The adoption registration certificate: ?mode=read (the default: the A4 copy for reading, ID
// numbers masked), ?mode=copy (the full A4 copy for the file) or ?mode=blank&x=&y= (only the
// values, for the preprinted blank, shifted by the printer's calibration in mm). The last two carry
// full ID numbers: served only with the grant of the reason page (decision 028).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { certificatePdf } from '#app/registration/documents.server.ts'
import { servePdf } from '#app/registration/pdf-response.server.ts'
import { masked, requirePrintGrant } from '#app/registration/print.server.ts'

const query = z.object({
  mode: z.enum(['read', 'copy', 'blank']).catch('read'),
  x: z.coerce.number().min(-30).max(30).catch(0),
  y: z.coerce.number().min(-30).max(30).catch(0),
  certificate: z.string().regex(/^\d{1,18}$/).optional().catch(undefined),
})

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  const url = new URL(request.url)
  const o = query.parse(Object.fromEntries(url.searchParams))
  if (o.mode === 'read') {
    return servePdf(context, user, params.id ?? '', (loaded) =>
      certificatePdf(context.db, masked(loaded), { mode: 'copy', certificateId: o.certificate }),
      { filename: 'certificate-read', document: 'certificate', mode: 'read' },
    )
  }
  const grant = await requirePrintGrant(context, user, params.id ?? '', 'certificate', url)
  return servePdf(context, user, params.id ?? '', (loaded) =>
    certificatePdf(context.db, loaded, { mode: o.mode as 'copy' | 'blank', offsetMm: { x: o.x, y: o.y }, certificateId: o.certificate }),
    { filename: `certificate-${o.mode}`, document: 'certificate', mode: o.mode, grant },
  )
}
