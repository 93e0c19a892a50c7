// Domain errors and their HTTP statuses, decided in one place. Capabilities throw these; routes
// let them through (Remix turns a thrown Response into the error boundary with that status).
export class DomainError extends Error {
  constructor(readonly status: number, readonly messageKey: string, message?: string) {
    super(message ?? messageKey)
  }
}
export class NotFoundError extends DomainError {
  constructor(what = 'record') { super(404, 'error.notFound', `${what} not found`) }
}
export class ForbiddenError extends DomainError {
  constructor() { super(403, 'error.forbidden') }
}
/** An optimistic-lock conflict: the record changed since the form was loaded. */
export class ConflictError extends DomainError {
  constructor() { super(409, 'error.conflict') }
}

/** A rule of the procedure blocks the step; messageKey (with params) says which, in the user's language. */
export class ProcedureError extends DomainError {
  constructor(messageKey: string, readonly params: Record<string, string | number> = {}) {
    super(422, messageKey)
  }
}

export function errorResponse(error: DomainError): Response {
  return new Response(error.messageKey, { status: error.status, statusText: error.messageKey })
}

/** Runs a capability call and turns its domain errors into responses for the error boundary. */
export async function orRespond<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof DomainError) throw errorResponse(error)
    throw error
  }
}

export function notFound(): never {
  throw errorResponse(new NotFoundError())
}

/**
 * Only same-origin paths may be a redirect target (no open redirects). The target is parsed as a
 * URL against a placeholder origin, the way a browser would resolve it, and kept only when it stays
 * on that origin and its path cannot be read as protocol-relative. Browsers drop tabs and newlines
 * inside a URL and read a backslash as a slash, so `/\t/evil.example` becomes `//evil.example`:
 * control characters, whitespace and backslashes are refused outright, also percent-encoded.
 */
const PLACEHOLDER_ORIGIN = 'http://registry.invalid'

export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2048) return fallback
  if (!target.startsWith('/') || target.startsWith('//')) return fallback
  let decoded: string
  try {
    decoded = decodeURIComponent(target)
  } catch {
    return fallback
  }
  for (const text of [target, decoded]) {
    // C0 and C1 controls, DEL, any whitespace (tab, newline, NBSP, ideographic space), backslash.
    if (/[\u0000-\u001f\u007f-\u009f\s\\]/u.test(text)) return fallback
  }
  // An encoded slash next to the leading one would read as `//host` once decoded by a proxy.
  if (decoded.startsWith('//')) return fallback
  let url: URL
  try {
    url = new URL(target, PLACEHOLDER_ORIGIN)
  } catch {
    return fallback
  }
  if (url.origin !== PLACEHOLDER_ORIGIN || url.username || url.password) return fallback
  // `/..//evil` resolves to the path `//evil`: a Location header with it leaves the site.
  if (url.pathname.startsWith('//')) return fallback
  return url.pathname + url.search + url.hash
}
