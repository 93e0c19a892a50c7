// Express middleware in front of Remix: security headers with a per-response CSP nonce, refusal of
// cross-site state-changing requests, and a limit on request bodies.
import { randomBytes } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'

export function securityHeaders(req: Request, res: Response, next: NextFunction) {
  const nonce = randomBytes(16).toString('base64')
  res.locals.nonce = nonce
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      `script-src 'nonce-${nonce}' 'strict-dynamic'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  )
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000')
  next()
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Cross-site request forgery protection by the browser's own provenance headers (see
 * docs/decisions/004-csrf-by-origin.md): a state-changing request is refused when the browser says
 * it came from another site (Sec-Fetch-Site), or when its Origin is not this host. Requests with
 * neither header do not come from a browser that a forged page could drive.
 */
export function crossSiteGuard(req: Request, res: Response, next: NextFunction) {
  if (safeMethods.has(req.method)) return next()
  const site = req.get('sec-fetch-site')
  if (site && site !== 'same-origin' && site !== 'none') return refuse(res)
  const origin = req.get('origin')
  if (origin && origin !== 'null') {
    let host: string
    try {
      host = new URL(origin).host
    } catch {
      return refuse(res)
    }
    if (host !== req.get('host')) return refuse(res)
  } else if (origin === 'null') {
    return refuse(res)
  }
  next()
}

function refuse(res: Response) {
  res.status(403).type('text/plain; charset=utf-8').send('403 跨站请求已拒绝 / Cross-site request refused')
}

/** Refuses bodies over the limit with 413, by Content-Length up front or by counting a chunked body. */
export function bodyLimit(defaultMaxBytes: number, streamed?: { paths: readonly RegExp[]; maxBytes: number }) {
  return (req: Request, res: Response, next: NextFunction) => {
    // Routes that stream their uploads (app/platform/uploads.server.ts) take larger bodies: the
    // file parts never sit in memory. Everything else is read whole and keeps the small limit.
    const streaming = streamed && req.is('multipart/form-data') && streamed.paths.some((p) => p.test(req.path))
    const maxBytes = streaming ? streamed.maxBytes : defaultMaxBytes
    const declared = Number(req.get('content-length') ?? 0)
    if (declared > maxBytes) return tooLarge(req, res)
    let seen = 0
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length
      if (seen > maxBytes && !res.headersSent) {
        tooLarge(req, res)
      }
    })
    next()
  }
}

function tooLarge(req: Request, res: Response) {
  res.status(413).set('Connection', 'close').type('text/plain; charset=utf-8').send('413 提交的内容过大 / Request body too large')
  req.unpipe()
  req.resume()
}
