// Express middleware in front of Remix: security headers with a per-response CSP nonce, refusal of
// cross-site state-changing requests, a confirmation before a record opened from another site, and
// a limit on request bodies.
import { randomBytes } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { defaultLocale, isLocale, translator, type Locale } from '../i18n/index.ts'

/** The security headers; in HTTPS mode (PUBLIC_URL is https) HSTS on every response, whatever the hop said. */
export const securityHeadersFor = (options: { https: boolean }) => (req: Request, res: Response, next: NextFunction) => {
  if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  securityHeaders(req, res, next)
}

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
  if (req.secure && !res.hasHeader('Strict-Transport-Security')) res.setHeader('Strict-Transport-Security', 'max-age=31536000')
  next()
}

/**
 * Every response of the application (pages, `.data`, documents, exports, errors) is `no-store`
 * unless its route says otherwise: minors' records must not stay in the cache of a shared office
 * PC after logout. Only the fingerprinted static assets, served before this, are cached.
 */
export function noStoreByDefault(_req: Request, res: Response, next: NextFunction) {
  const writeHead = res.writeHead
  res.writeHead = function noStoreWriteHead(this: Response, ...args: unknown[]) {
    if (!this.hasHeader('Cache-Control')) this.setHeader('Cache-Control', 'no-store')
    return (writeHead as (...a: unknown[]) => Response).apply(this, args)
  } as typeof res.writeHead
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

/** What the route's reading of a body fails with once the body passed the limit (see bodyLimit). */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError'
  constructor() {
    super('request body over the limit: refused with 413')
  }
}

/**
 * True for a BodyTooLargeError, also when the body parser wrapped it as the cause of its own. By
 * name: the server (build/start.js) and the Remix build each bundle their own copy of the class.
 */
export function isBodyTooLarge(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) if (e.name === 'BodyTooLargeError') return true
  return false
}

/**
 * Refuses bodies over the limit with 413, by Content-Length up front or by counting a chunked body.
 * A chunked body is counted while the route already reads it: passing the limit makes that reading
 * fail with BodyTooLargeError, so no action ever runs on the truncated part of a form as if it were
 * the whole. `afterBodyRefused` (after the route handler) keeps the route's resulting error quiet.
 */
export function bodyLimit(defaultMaxBytes: number, streamed?: { paths: readonly RegExp[]; maxBytes: number }) {
  return (req: Request, res: Response, next: NextFunction) => {
    // Routes that stream their uploads (app/platform/uploads.server.ts) take larger bodies: the
    // file parts never sit in memory. Everything else is read whole and keeps the small limit.
    const streaming = streamed && req.is('multipart/form-data') && streamed.paths.some((p) => p.test(req.path))
    const maxBytes = streaming ? streamed.maxBytes : defaultMaxBytes
    const declared = Number(req.get('content-length') ?? 0)
    if (declared > maxBytes) return tooLarge(req, res)
    let seen = 0
    const count = (chunk: Buffer) => {
      seen += chunk.length
      if (seen <= maxBytes) return
      req.off('data', count)
      if (!res.headersSent) tooLarge(req, res)
      res.locals.bodyRefused = true
      // Remix reads the body through its own 'data'/'error' listeners: this error reaches the
      // route's formData() or upload parser. Emitted by hand, it does not destroy the socket. With
      // no listener (nothing reads this body) an 'error' event would throw: then there is no one to tell.
      if (req.listenerCount('error') > 0) req.emit('error', new BodyTooLargeError())
      req.resume()
    }
    req.on('data', count)
    next()
  }
}

/** Express error handler after the route: a route that failed because its body was refused has already been answered (413). */
export function afterBodyRefused(error: unknown, req: Request, res: Response, next: NextFunction) {
  if (res.locals.bodyRefused || isBodyTooLarge(error)) return
  next(error)
}

/**
 * A response written before its request body was read to the end — a streamed upload stopped at an
 * oversized text field, say — closes the connection: the request stream was destroyed with the
 * parser, and a client that reused the connection would see it reset under its next request. The
 * close lingers (see lingerBeforeClose) so the answer itself is not lost.
 */
export function closeWhenBodyUnread(req: Request, res: Response, next: NextFunction) {
  if (safeMethods.has(req.method)) return next()
  const writeHead = res.writeHead
  res.writeHead = function closingWriteHead(this: Response, ...args: unknown[]) {
    if (!req.complete && !this.headersSent) {
      this.setHeader('Connection', 'close')
      lingerBeforeClose(req)
    }
    return (writeHead as (...a: unknown[]) => Response).apply(this, args)
  } as typeof res.writeHead
  next()
}

/** How long a refused body may keep arriving before the connection is cut (see lingerBeforeClose). */
const LINGER_MS = 10_000

function tooLarge(req: Request, res: Response) {
  if (!req.complete) lingerBeforeClose(req)
  res.status(413).set('Connection', 'close').type('text/plain; charset=utf-8').send('413 提交的内容过大 / Request body too large')
  req.unpipe()
  req.resume()
}

/**
 * Lingering close, as nginx does it. Closing a socket that still has unread request bytes makes
 * the kernel answer with a reset, and a client that is still busy sending can lose the 413 it has
 * not read yet: a browser shows "connection reset" instead of our message (the e2e test hung on
 * it, about 1 request in 160 under load). So once the answer is written, only our side of the
 * connection is shut; the rest of the body is read and thrown away, and the socket is closed when
 * the body ends, or after LINGER_MS if the client is still sending.
 *
 * Node's HTTP server closes a "Connection: close" response's socket by calling its destroySoon()
 * (lib/_http_server.js, resOnFinish); this socket's own destroySoon is replaced to linger first.
 * Should a Node version stop calling it, the socket simply closes at once, as before.
 */
function lingerBeforeClose(req: Request) {
  const socket = req.socket
  socket.destroySoon = function lingeringDestroySoon(this: typeof socket) {
    this.end()
    const close = () => (this.writableFinished ? this.destroy() : this.once('finish', () => this.destroy()))
    const cut = setTimeout(close, LINGER_MS)
    cut.unref()
    this.once('close', () => clearTimeout(cut))
    if (req.complete) close()
    else req.once('end', close)
  }
}

/**
 * Paths that a link from another site may open directly: the start and login pages, the public
 * visit-request pages families reach from their mail, the one-time password-reset link of a mail, the guide, the health check, the language
 * switch. Everything else is a record or a register of the registry.
 */
const OPEN_TO_OTHER_SITES = [/^\/$/, /^\/login(\/|$)/, /^\/logout$/, /^\/healthz$/, /^\/visit-request(\/|$)/, /^\/password\/reset$/, /^\/set-locale$/, /^\/guide$/, /^\/favicon\.ico$/, /^\/assets\//]

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The language of an anonymous page: the `lang` cookie the switch sets (see locale.server.ts), else Chinese. */
function cookieLocale(cookieHeader: string | undefined): Locale {
  const m = /(?:^|;\s*)lang=([^;]+)/.exec(cookieHeader ?? '')
  if (!m) return defaultLocale
  try {
    const value = JSON.parse(Buffer.from(decodeURIComponent(m[1]), 'base64').toString('utf8'))
    return isLocale(value) ? value : defaultLocale
  } catch {
    return defaultLocale
  }
}

/**
 * A record opened from another site — a link in a mail, or a page that sends the browser here —
 * is not served at once (decision 028): the browser gets a page of ours asking "open this
 * record?", whose button asks for the same address again, now from this site. Nothing of the
 * record is in that page, so nothing is served without the read being logged by the record's own
 * page, and a forged page cannot make a signed-in browser fetch a record (as an image, a frame or
 * a top-level navigation) without a person choosing to open it here.
 */
export function crossSiteConfirmation(req: Request, res: Response, next: NextFunction) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next()
  const site = req.get('sec-fetch-site')
  if (!site || site === 'same-origin' || site === 'none') return next()
  if (OPEN_TO_OTHER_SITES.some((p) => p.test(req.path))) return next()
  const locale = cookieLocale(req.get('cookie'))
  const t = translator(locale)
  const url = new URL(req.originalUrl, 'http://placeholder')
  const hidden = [...url.searchParams].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('')
  const lang = locale === 'en' ? 'en' : 'zh-CN'
  res.status(200).set({ 'Cache-Control': 'no-store', Vary: 'Sec-Fetch-Site' }).type('text/html; charset=utf-8').send(
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<meta name="robots" content="noindex"><title>${escapeHtml(t('crossSite.title'))}</title></head>` +
      `<body><main>` +
      `<h1>${escapeHtml(t('crossSite.title'))}</h1><p>${escapeHtml(t('crossSite.lead'))}</p>` +
      `<p><code>${escapeHtml(url.pathname)}</code></p>` +
      `<form method="get" action="${escapeHtml(url.pathname)}">${hidden}<button type="submit">${escapeHtml(t('crossSite.open'))}</button></form>` +
      `<p><a href="/">${escapeHtml(t('crossSite.home'))}</a></p></main></body></html>`,
  )
}
