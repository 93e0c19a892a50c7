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

/** Only same-site relative paths may be a redirect target (no open redirects). */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback
  return target
}
