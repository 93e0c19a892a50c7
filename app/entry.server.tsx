// Server rendering, with the CSP nonce from the context on every inline script React and Remix
// emit (hydration data, single-fetch chunks).
//
// The whole document is rendered before it is sent, and sent as one buffer with its length: the
// pages have no deferred data, so streaming gained nothing and cost one socket write per React
// chunk (writev was ~8 % of a page's CPU in bench/ledger) and a chunked response.
import { Writable } from 'node:stream'
import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { renderToPipeableStream } from 'react-dom/server'
import { NonceProvider } from './components/nonce.tsx'
import { isBodyTooLarge } from './platform/http/middleware.server.ts'

const ABORT_DELAY = 5_000
export const streamTimeout = ABORT_DELAY

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.nonce
  return new Promise<Response>((resolve, reject) => {
    const chunks: Buffer[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk)
        done()
      },
      final(done) {
        clearTimeout(timer)
        responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
        const body = Buffer.concat(chunks)
        responseHeaders.set('Content-Length', String(body.length))
        resolve(new Response(body, { headers: responseHeaders, status: responseStatusCode }))
        done()
      },
    })
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          pipe(sink)
        },
        onShellError(error: unknown) {
          clearTimeout(timer)
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          console.error(error)
        },
      },
    )
    const timer = setTimeout(abort, ABORT_DELAY)
  })
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests and unknown URLs (404) are not faults of the server.
  if (request.signal.aborted) return
  // A body over the limit was answered with 413 by the middleware; its route could not read it.
  if (isBodyTooLarge(error)) return
  if (isRouteErrorResponse(error) && error.status === 404) return
  if (error instanceof Error && error.message.startsWith('No route matches URL')) return
  console.error(error)
}
