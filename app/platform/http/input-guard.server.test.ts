import type { ServerBuild } from '@remix-run/node'
import { expect, test } from 'vitest'
import { guardInput } from './input-guard.server.ts'

/** A build of one route whose loader and action record that they ran. */
function build() {
  const ran: string[] = []
  const module = {
    loader: () => { ran.push('loader'); return null },
    action: async ({ request }: { request: Request }) => { ran.push(`action:${(await request.formData()).get('name')}`); return null },
  }
  const b = { routes: { r: { id: 'r', path: 'r', module } } } as unknown as ServerBuild
  return { ran, build: b }
}

type Route = { loader: (a: { request: Request }) => unknown; action: (a: { request: Request }) => Promise<unknown> }
const route = (b: ServerBuild) => b.routes.r!.module as unknown as Route

async function refusal(work: () => unknown): Promise<number | null> {
  try {
    await work()
    return null
  } catch (error) {
    if (error instanceof Response) return error.status
    throw error
  }
}

const post = (path: string, body: string | FormData, type?: string) =>
  new Request(`http://registry.test${path}`, { method: 'POST', body, headers: type ? { 'content-type': type } : {} })

test('a form value with NUL, a lone surrogate, a bidi override or over 20,000 characters is a 400 and the action never runs', async () => {
  const { ran, build: b } = build()
  const guarded = route(guardInput(b))
  for (const body of ['name=a%00b', 'name=x%ED%A0%80', `name=${encodeURIComponent('王\u202E明')}`, `name=${'x'.repeat(100 * 1024)}`, 'a%00=1']) {
    expect(await refusal(() => guarded.action({ request: post('/r', body, 'application/x-www-form-urlencoded') })), body.slice(0, 30)).toBe(400)
  }
  const multipart = new FormData()
  multipart.set('name', 'a\u0000b')
  multipart.set('file', new Blob([new Uint8Array([0, 1, 0])]), 'scan.pdf')
  expect(await refusal(() => guarded.action({ request: post('/r', multipart) }))).toBe(400)
  expect(ran).toEqual([])
})

test('sound input reaches the action with its body intact; file bytes may hold NUL', async () => {
  const { ran, build: b } = build()
  const guarded = route(guardInput(b))
  expect(await refusal(() => guarded.action({ request: post('/r', `name=${encodeURIComponent('王小明 𠮷')}`, 'application/x-www-form-urlencoded') }))).toBeNull()
  const multipart = new FormData()
  multipart.set('name', 'ok')
  multipart.set('file', new Blob([new Uint8Array([0, 0, 0])]), 'scan.pdf')
  expect(await refusal(() => guarded.action({ request: post('/r', multipart) }))).toBeNull()
  expect(ran).toEqual(['action:王小明 𠮷', 'action:ok'])
})

test('a query parameter is checked for loaders and actions; streamed upload routes are not read twice', async () => {
  const { ran, build: b } = build()
  const guarded = route(guardInput(b, [/^\/r$/]))
  expect(await refusal(() => guarded.loader({ request: new Request('http://registry.test/r?q=%00') }))).toBe(400)
  expect(await refusal(() => guarded.loader({ request: new Request('http://registry.test/r?q=ok') }))).toBeNull()
  // The streamed route parses its own multipart body (and checks its fields there: uploads.server.ts).
  const multipart = new FormData()
  multipart.set('name', 'a\u0000b')
  expect(await refusal(() => guarded.action({ request: post('/r', multipart) }))).toBeNull()
  expect(ran).toEqual(['loader', 'action:a\u0000b'])
})
