// The body limit over a real socket: what the client receives, and what the route reading the body
// sees. The route reads the body as the Remix express adapter does (createReadableStreamFromReadable).
import http from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { createReadableStreamFromReadable } from '@remix-run/node'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { afterBodyRefused, bodyLimit, isBodyTooLarge } from './middleware.server.ts'

const LIMIT = 1024 * 1024
const CHUNK = Buffer.alloc(64 * 1024, 120)

/** What the route made of each body: 'read <bytes>' once it ended, or the name of its error. */
const seenByRoute: string[] = []
let server: http.Server
let port: number

beforeAll(async () => {
  const app = express()
  app.use(bodyLimit(LIMIT))
  app.post('/form', async (req, res, next) => {
    try {
      const body = await new Response(createReadableStreamFromReadable(req)).arrayBuffer()
      seenByRoute.push(`read ${body.byteLength}`)
      res.send('saved')
    } catch (error) {
      seenByRoute.push(error instanceof Error ? error.name : String(error))
      next(error)
    }
  })
  app.use(afterBodyRefused)
  server = http.createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

type Outcome = { status?: number; connection?: string; clientError?: string }

/** Sends `chunks` chunks (all of them, as a browser would) and reports what came back. */
function post(headers: Record<string, string | number>, chunks: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = {}
    const req = http.request({ host: '127.0.0.1', port, path: '/form', method: 'POST', headers, agent: false }, (res) => {
      outcome.status = res.statusCode
      outcome.connection = res.headers.connection
      res.resume()
      res.on('end', () => resolve(outcome))
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      outcome.clientError = error.code
      setTimeout(() => resolve(outcome), 200)
    })
    let sent = 0
    const write = () => {
      while (sent < chunks) {
        sent++
        if (!req.write(CHUNK)) return void req.once('drain', write)
      }
      req.end()
    }
    write()
  })
}

/**
 * The client least able to read early: a raw socket that sends the whole body before it reads a
 * byte. Were the server to close with unread bytes, the kernel would reset the connection and throw
 * away the 413 waiting in this socket's buffer: the status comes back as undefined.
 */
function postThenRead(framing: 'length' | 'chunked', megabytes: number): Promise<{ status?: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.pause()
    const received: Buffer[] = []
    // More than the two sockets' kernel buffers hold, so the client is still sending when answered.
    const chunks = (megabytes * 1024 * 1024) / CHUNK.length
    const head = framing === 'length' ? `Content-Length: ${chunks * CHUNK.length}` : 'Transfer-Encoding: chunked'
    const frame = (data: Buffer) => (framing === 'length' ? [data] : [Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')])
    const parts = [
      Buffer.from(`POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n${head}\r\n\r\n`),
      ...Array.from({ length: chunks }, () => frame(CHUNK)).flat(),
      ...(framing === 'chunked' ? [Buffer.from('0\r\n\r\n')] : []),
    ]
    socket.on('error', () => undefined)
    socket.on('data', (data: Buffer) => received.push(data))
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(received).toString('latin1'))?.[1]
      resolve({ status: status ? Number(status) : undefined })
    })
    const write = () => {
      while (parts.length > 0) if (!socket.write(parts.shift()!)) return void socket.once('drain', write)
      // Everything is sent; only now is the answer read.
      setTimeout(() => socket.resume(), 100)
    }
    write()
  })
}

describe('bodyLimit', () => {
  it('lets a body under the limit through to the route', async () => {
    seenByRoute.length = 0
    expect(await post({ 'Content-Type': 'application/octet-stream', 'Content-Length': 4 * CHUNK.length }, 4)).toMatchObject({ status: 200 })
    expect(seenByRoute).toEqual([`read ${4 * CHUNK.length}`])
  })

  it('refuses a declared length over the limit before the route runs, and the client that keeps sending still reads the 413', async () => {
    seenByRoute.length = 0
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => post({ 'Content-Type': 'application/octet-stream', 'Content-Length': 40 * CHUNK.length }, 40)),
    )
    for (const outcome of outcomes) expect(outcome).toEqual({ status: 413, connection: 'close' })
    expect(seenByRoute).toEqual([])
  })

  it('refuses a chunked body once it passes the limit: the route reading it fails instead of seeing a truncated body end', async () => {
    seenByRoute.length = 0
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => post({ 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked', Connection: 'close' }, 48)),
    )
    // No reset: the server read the rest of each body before it closed (lingering close).
    for (const outcome of outcomes) expect(outcome).toEqual({ status: 413, connection: 'close' })
    expect(seenByRoute).toEqual(Array(8).fill('BodyTooLargeError'))
  })

  it('reads the rest of a refused body before it closes, so a client that reads only after sending gets the 413', async () => {
    for (const framing of ['length', 'chunked'] as const) {
      const outcomes = await Promise.all(Array.from({ length: 4 }, () => postThenRead(framing, 24)))
      expect(outcomes, framing).toEqual(Array(4).fill({ status: 413 }))
    }
  })

  it('recognises the refusal when a body parser wraps it', () => {
    const refusal = Object.assign(new Error('request body over the limit'), { name: 'BodyTooLargeError' })
    expect(isBodyTooLarge(new TypeError('could not parse the form', { cause: refusal }))).toBe(true)
    expect(isBodyTooLarge(new Error('other'))).toBe(false)
  })
})
