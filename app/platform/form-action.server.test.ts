import { expect, test } from 'vitest'
import { z } from 'zod'
import { runForm } from './form-action.server.ts'
import { ConflictError, NotFoundError, ProcedureError } from './http.server.ts'

const schema = z.object({ name: z.string({ error: 'validation.required' }).min(1, 'validation.required') })
const form = (entries: Record<string, string>) => {
  const f = new FormData()
  for (const [k, v] of Object.entries(entries)) f.append(k, v)
  return f
}

test('invalid input comes back as field errors, and the command is not called', async () => {
  let called = false
  const result = await runForm(form({}), 'x', schema, async () => { called = true })
  expect(called).toBe(false)
  expect(result).toMatchObject({ ok: false, reply: { error: { name: ['validation.required'] } } })
})

test('refusals a user can act on become form errors next to the form', async () => {
  const procedure = await runForm(form({ name: 'a' }), 'x', schema, async () => { throw new ProcedureError('archive.missing', { count: 2 }) })
  expect(procedure).toMatchObject({ ok: false, reply: { error: { '': ['archive.missing|count=2'] } } })
  const stale = await runForm(form({ name: 'a' }), 'x', schema, async () => { throw new ConflictError() })
  expect(stale).toMatchObject({ ok: false, reply: { error: { '': ['error.conflict'] } } })
  const check = await runForm(form({ name: 'a' }), 'x', schema, async () => { throw Object.assign(new Error('check'), { code: '23514' }) })
  expect(check).toMatchObject({ ok: false, reply: { error: { '': ['validation.invalid'] } } })
})

test('an unknown record is a 404 response, never a 500; other faults propagate', async () => {
  const thrown = await runForm(form({ name: 'a' }), 'x', schema, async () => { throw new NotFoundError() }).catch((e) => e)
  expect(thrown).toBeInstanceOf(Response)
  expect(thrown.status).toBe(404)
  await expect(runForm(form({ name: 'a' }), 'x', schema, async () => { throw new TypeError('bug') })).rejects.toBeInstanceOf(TypeError)
})
