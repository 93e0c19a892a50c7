// In demo mode every PDF the registry serves — certificates, notices, reports, records, slips, and
// archive documents — carries "演示 / demo" on every page (decision 033): a printout of the demo
// must never pass for a document of the bureau. The documents stay pure functions of their data:
// the mark is laid over the served bytes here, at the composition root, with the documents' own
// watermark (documents/watermark.ts), so no document and no capability knows about demo mode.
import type { ServerBuild } from '@remix-run/node'
import { loadDocuments } from '#app/platform/documents.server.ts'

export const DEMO_MARK = '演示 / demo · 非正式文书 / not a valid document'

type Handler = (args: { request: Request }) => unknown

async function marked(response: Response): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer())
  const { watermarkPdf } = await loadDocuments()
  const out = await watermarkPdf(bytes, DEMO_MARK)
  const headers = new Headers(response.headers)
  headers.set('Content-Length', String(out.byteLength))
  return new Response(out as unknown as BodyInit, { status: response.status, statusText: response.statusText, headers })
}

/** The build with every loader's PDF answer marked as a demo document. */
export function markDemoDocuments(build: ServerBuild): ServerBuild {
  const routes: ServerBuild['routes'] = {}
  for (const [id, route] of Object.entries(build.routes)) {
    const loader = (route.module as { loader?: Handler }).loader
    if (!loader) {
      routes[id] = route
      continue
    }
    const module = {
      ...route.module,
      loader: async (args: { request: Request }) => {
        const result = await loader(args)
        if (result instanceof Response && result.ok && /^application\/pdf/i.test(result.headers.get('content-type') ?? '')) return marked(result)
        return result
      },
    }
    routes[id] = { ...route, module: module as unknown as typeof route.module }
  }
  return { ...build, routes }
}
