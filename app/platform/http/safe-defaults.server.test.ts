// HTTPS mode and caching at the HTTP layer, against a real Express server on a free port; the SMTP
// transport's STARTTLS requirement.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { closeWhenBodyUnread, noStoreByDefault, securityHeadersFor } from './middleware.server.ts'
import { createTransporter } from '#jobs/worker.ts'

const servers: http.Server[] = []
async function serve(https: boolean): Promise<number> {
  const app = express()
  app.use(securityHeadersFor({ https }))
  app.get('/assets/a.js', (_req, res) => res.set('Cache-Control', 'public, max-age=31536000, immutable').send('x'))
  app.use(noStoreByDefault)
  app.use(closeWhenBodyUnread)
  app.get('/page', (_req, res) => res.send('<p>a minor’s record</p>'))
  app.get('/pdf', (_req, res) => res.set('Cache-Control', 'private, max-age=60').send('pdf'))
  // Answers without reading its body (as a streamed upload stopped at an oversized field does).
  app.post('/early', (_req, res) => res.status(400).send('refused'))
  const server = http.createServer(app)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}
let plain: number
let secure: number
beforeAll(async () => { plain = await serve(false); secure = await serve(true) })
afterAll(async () => { for (const s of servers) await new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()) }) })

test('pages are no-store unless the route says otherwise; assets keep their caching', async () => {
  expect((await fetch(`http://127.0.0.1:${plain}/page`)).headers.get('cache-control')).toBe('no-store')
  expect((await fetch(`http://127.0.0.1:${plain}/pdf`)).headers.get('cache-control')).toBe('private, max-age=60')
  expect((await fetch(`http://127.0.0.1:${plain}/assets/a.js`)).headers.get('cache-control')).toContain('immutable')
})

test('HSTS on every response in HTTPS mode only', async () => {
  expect((await fetch(`http://127.0.0.1:${secure}/page`)).headers.get('strict-transport-security')).toMatch(/max-age=31536000/)
  expect((await fetch(`http://127.0.0.1:${plain}/page`)).headers.get('strict-transport-security')).toBeNull()
})

test('an answer sent before the body was read closes the connection; a read one keeps it', async () => {
  const early = await fetch(`http://127.0.0.1:${plain}/early`, { method: 'POST', body: 'x'.repeat(200_000) })
  expect(early.status).toBe(400)
  expect(early.headers.get('connection')).toBe('close')
  expect((await fetch(`http://127.0.0.1:${plain}/page`)).headers.get('connection')).not.toBe('close')
})

test('in HTTPS mode the SMTP transport requires STARTTLS', () => {
  const strict = createTransporter('smtp://mail.example.test:587', true) as unknown as { options: { requireTLS?: boolean; host?: string } }
  expect(strict.options.requireTLS).toBe(true)
  expect(strict.options.host).toBe('mail.example.test')
  const lax = createTransporter('smtp://mail.example.test:587') as unknown as { options: { requireTLS?: boolean } }
  expect(lax.options.requireTLS).toBeFalsy()
})
