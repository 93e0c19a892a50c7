// The public page's server side as a route sees it: an oversized body refused before it is read,
// the rate limit per address, and the status lookup's one neutral answer.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry } from '#tests/support/factories.ts'
import { publicStatusLookup, publicSubmit } from '#app/rootseeking/public.server.ts'
import { PUBLIC_MAX_BYTES } from '#app/rootseeking/schemas.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await testDatabase()
  await makeRegistry(t.db)
})
afterAll(async () => { await t.destroy() })

const post = (path: string, body: FormData | string, headers: Record<string, string> = {}) =>
  new Request(`http://registry.test${path}`, { method: 'POST', body, headers })

test('a body over the limit is refused by its declared length, before reading', async () => {
  const context = testContext(t.db, { ip: '198.51.100.1' })
  const { result, status } = await publicSubmit(context, post('/visit-request', 'x', { 'content-length': String(PUBLIC_MAX_BYTES + 1), 'content-type': 'multipart/form-data; boundary=x' }))
  expect(status).toBe(413)
  expect(result).toEqual({ refused: 'tooLarge' })
})

test('an invalid submission comes back with its errors; the sixth in an hour from one address is refused', async () => {
  const context = testContext(t.db, { ip: '198.51.100.2' })
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) {
    const form = new FormData()
    form.set('applicantName', 'A')
    statuses.push((await publicSubmit(context, post('/visit-request', form))).status)
  }
  expect(statuses).toEqual([400, 400, 400, 400, 400, 429])
  // Another address is not affected.
  const other = new FormData()
  expect((await publicSubmit(testContext(t.db, { ip: '198.51.100.3' }), post('/visit-request', other))).status).toBe(400)
})

test('the status lookup answers an unknown reference exactly like a wrong e-mail', async () => {
  const context = testContext(t.db, { ip: '198.51.100.4' })
  const ask = async (reference: string, email: string) => {
    const form = new FormData()
    form.set('reference', reference)
    form.set('email', email)
    const { result, status } = await publicStatusLookup(context, post('/visit-request/status', form))
    return { status, noMatch: 'noMatch' in result ? result.noMatch : undefined, shown: 'status' in result }
  }
  expect(await ask('AAAA-BBBB-CCCC', 'a@b.test')).toEqual({ status: 200, noMatch: true, shown: false })
  expect(await ask('ZZZZ-ZZZZ-ZZZZ', 'other@b.test')).toEqual({ status: 200, noMatch: true, shown: false })
})
