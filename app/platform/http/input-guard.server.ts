// The last line of defence against malformed text (decision 033): whatever a route's own schema
// does, no loader or action ever sees a form value or a query parameter with NUL, a lone surrogate
// or a bidirectional control, nor one field longer than MAX_FIELD_CHARS. Such a request is answered
// 400 with a message before the route runs, so it can neither reach PostgreSQL (which fails on NUL
// with a 500) nor be half-saved. The forms' shared schema (app/platform/text.ts) says the same next
// to the field, in the browser, before anything is sent.
import type { ServerBuild } from '@remix-run/node'
import { isSafeText, MAX_FIELD_CHARS } from '#app/platform/text.ts'

type Args = { request: Request }
type Handler = (args: Args) => unknown

/** The message the error page shows for a refused input (a catalogue key). */
export const MALFORMED_INPUT_KEY = 'error.malformedInput'

/** The 400 answer, its message named for the error page. */
export function malformedInput(): Response {
  return Response.json({ message: MALFORMED_INPUT_KEY }, { status: 400 })
}

function badValue(value: string): boolean {
  return value.length > MAX_FIELD_CHARS || !isSafeText(value)
}

/** True when a query parameter (or its name) is malformed. */
export function badSearchParams(url: URL): boolean {
  for (const [name, value] of url.searchParams) if (badValue(name) || badValue(value)) return true
  return false
}

/** True when a form body's text field (or a field name) is malformed; file parts are not text. */
export async function badFormBody(request: Request): Promise<boolean> {
  const type = request.headers.get('content-type') ?? ''
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return false
  let form: FormData
  try {
    form = await request.clone().formData()
  } catch {
    // An unreadable body: the route's own reading fails the same way and answers it.
    return false
  }
  return badFormData(form)
}

/** True when a field name or text value of the form is malformed. */
export function badFormData(form: FormData): boolean {
  for (const [name, value] of form) {
    if (badValue(name)) return true
    if (typeof value === 'string' && badValue(value)) return true
  }
  return false
}

/**
 * Wraps every route's loader and action of the build. Routes that stream their uploads (`streamed`)
 * read the multipart body themselves, part by part: their bodies are not read twice here (their
 * text fields go through the shared schema).
 */
export function guardInput(build: ServerBuild, streamed: readonly RegExp[] = []): ServerBuild {
  const routes: ServerBuild['routes'] = {}
  for (const [id, route] of Object.entries(build.routes)) {
    const module = { ...route.module } as Record<string, unknown> & { loader?: Handler; action?: Handler }
    const loader = module.loader
    const action = module.action
    if (loader) {
      module.loader = (args: Args) => {
        if (badSearchParams(new URL(args.request.url))) throw malformedInput()
        return loader(args)
      }
    }
    if (action) {
      module.action = async (args: Args) => {
        const url = new URL(args.request.url)
        if (badSearchParams(url)) throw malformedInput()
        const streaming = streamed.some((p) => p.test(url.pathname)) && /^multipart\//i.test(args.request.headers.get('content-type') ?? '')
        if (!streaming && (await badFormBody(args.request))) throw malformedInput()
        return action(args)
      }
    }
    routes[id] = { ...route, module: module as unknown as typeof route.module }
  }
  return { ...build, routes }
}
