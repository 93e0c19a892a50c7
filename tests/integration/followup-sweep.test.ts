// The daily follow-up sweep against real PostgreSQL, graphile-worker (runOnce with the real task
// list) and a real SMTP server on 127.0.0.1: which tasks it announces to whom, and that running it
// twice, concurrently, or again after a crash halfway sends every reminder once.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { parseCrontab } from 'graphile-worker'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry, makeUser } from '#tests/support/factories.ts'
import { drainJobs, jobs, makeRegistration, makeTask, resetFollowup, startSmtp, type TaskDates } from '#tests/support/followup-jobs.ts'
import { sweep } from '#app/followup/sweep.server.ts'
import { crontab } from '#jobs/worker.ts'

const DAY = '2026-12-01'
// Task dates relative to DAY, one per state.
const dates: Record<string, TaskDates> = {
  future: { window_from: '2026-12-10', due_on: '2026-12-24', window_to: '2027-01-07' },
  windowOpen: { window_from: '2026-11-25', due_on: '2026-12-09', window_to: '2026-12-23' },
  due: { window_from: '2026-11-17', due_on: '2026-12-01', window_to: '2026-12-15' },
  overdue: { window_from: '2026-11-01', due_on: '2026-11-15', window_to: '2026-11-29' },
  escalated: { window_from: '2026-10-01', due_on: '2026-10-15', window_to: '2026-10-29' }, // 33 days past: > 14
  lastDayBeforeEscalation: { window_from: '2026-10-20', due_on: '2026-11-03', window_to: '2026-11-17' }, // 14 days past: not yet
}

let t: TestDatabase
let smtp: Awaited<ReturnType<typeof startSmtp>>
let caseworker: { id: string }
let caseworker2: { id: string }
let supervisor1: { id: string }
let supervisor2: { id: string }
let registrar: { id: string }
const R = '500111'

beforeAll(async () => {
  t = await testDatabase()
  smtp = await startSmtp()
  await makeRegistry(t.db, R)
  registrar = await makeUser(t.db, { roles: ['registrar'] })
  caseworker = await makeUser(t.db, { roles: ['caseworker'], email: 'cw1@example.test' })
  caseworker2 = await makeUser(t.db, { roles: ['caseworker'], email: 'cw2@example.test' })
  supervisor1 = await makeUser(t.db, { roles: ['supervisor'], email: 'sup1@example.test' })
  supervisor2 = await makeUser(t.db, { roles: ['supervisor'], email: 'sup2@example.test' })
  // A supervisor of another registry never hears of this registry's tasks.
  await makeRegistry(t.db, '500112', '重庆市荣昌区民政局')
  await makeUser(t.db, { roles: ['supervisor'], registryCode: '500112', email: 'other@example.test' })
})
afterAll(async () => {
  await smtp.close()
  await t.destroy()
})
beforeEach(async () => {
  await resetFollowup(t.db, t.owner)
  smtp.received.length = 0
  smtp.state.down = false
})

async function task(key: keyof typeof dates, caseworkerId: string | null, status: 'open' | 'done' = 'open') {
  const reg = await makeRegistration(t.db, R, registrar.id)
  const id = await makeTask(t.db, { registryCode: R, applicationId: reg.id, caseworkerId, dates: dates[key], status })
  return { id, number: reg.number }
}

const notices = () => t.db.selectFrom('followup_notices').select(['task_id', 'kind', 'recipient_id', 'swept_on']).orderBy('task_id').orderBy('kind').execute()
const deliveries = () => t.db.selectFrom('followup_deliveries').select(['task_id', 'kind', 'recipient_id']).orderBy('task_id').orderBy('kind').orderBy('recipient_id').execute()

describe('what the sweep announces', () => {
  test('each open task in its state on the day, to its caseworker; unassigned and escalated ones to every supervisor', async () => {
    const future = await task('future', caseworker.id)
    const open = await task('windowOpen', caseworker.id)
    const due = await task('due', caseworker.id)
    const overdue = await task('overdue', caseworker2.id)
    const escalated = await task('escalated', caseworker.id)
    const notYet = await task('lastDayBeforeEscalation', caseworker.id)
    const unassigned = await task('due', null)
    const done = await task('due', caseworker.id, 'done')

    const result = await sweep(t.db, DAY)
    const rows = await notices()
    const byTask = (id: string) => rows.filter((r) => r.task_id === id).map((r) => `${r.kind}:${r.recipient_id}`)
    expect(byTask(future.id)).toEqual([])
    expect(byTask(done.id)).toEqual([])
    expect(byTask(open.id)).toEqual([`window_open:${caseworker.id}`])
    expect(byTask(due.id)).toEqual([`due:${caseworker.id}`])
    expect(byTask(overdue.id)).toEqual([`overdue:${caseworker2.id}`])
    expect(byTask(notYet.id)).toEqual([`overdue:${caseworker.id}`])
    // escalated: the caseworker hears it is overdue, the supervisors that it is escalated
    expect(byTask(escalated.id)).toEqual([`escalated:${supervisor1.id}`, `overdue:${caseworker.id}`])
    expect(byTask(unassigned.id)).toEqual([`due:${supervisor1.id}`])
    expect(rows.every((r) => r.swept_on === DAY)).toBe(true)

    const d = await deliveries()
    const to = (id: string) => d.filter((r) => r.task_id === id).map((r) => `${r.kind}:${r.recipient_id}`)
    expect(to(escalated.id)).toEqual([`escalated:${supervisor1.id}`, `escalated:${supervisor2.id}`, `overdue:${caseworker.id}`])
    expect(to(unassigned.id)).toEqual([`due:${supervisor1.id}`, `due:${supervisor2.id}`])
    expect(result).toEqual({ notices: 7, deliveries: 9, digests: 4 })

    // One digest job per recipient, keyed by recipient and day.
    const keys = (await jobs(t.db, 'followup_digest')).map((j) => j.key).sort()
    expect(keys).toEqual([caseworker.id, caseworker2.id, supervisor1.id, supervisor2.id].map((id) => `followup_digest:${id}:${DAY}`).sort())
  })

  test('a task whose caseworker has left goes to the supervisors', async () => {
    const leaver = await makeUser(t.db, { roles: ['caseworker'], email: 'gone@example.test' })
    const orphan = await task('due', leaver.id)
    await t.db.updateTable('users').set({ active: false }).where('id', '=', leaver.id).execute()
    await sweep(t.db, DAY)
    expect((await deliveries()).filter((r) => r.task_id === orphan.id).map((r) => r.recipient_id)).toEqual([supervisor1.id, supervisor2.id].sort())
  })

  test('the next day announces only what changed: a due task becoming overdue', async () => {
    const due = await task('due', caseworker.id)
    await sweep(t.db, DAY)
    expect(await sweep(t.db, '2026-12-10')).toEqual({ notices: 0, deliveries: 0, digests: 0 })
    const later = await sweep(t.db, '2026-12-16')
    expect(later).toEqual({ notices: 1, deliveries: 1, digests: 1 })
    expect((await notices()).filter((n) => n.task_id === due.id).map((n) => n.kind)).toEqual(['due', 'overdue'])
  })
})

describe('idempotency', () => {
  async function plant() {
    const tasks = [
      await task('windowOpen', caseworker.id), await task('due', caseworker.id), await task('overdue', caseworker2.id),
      await task('escalated', caseworker2.id), await task('due', null),
    ]
    return tasks
  }
  const mailCounts = () => ({
    cw1: smtp.to('cw1@example.test').length, cw2: smtp.to('cw2@example.test').length,
    sup1: smtp.to('sup1@example.test').length, sup2: smtp.to('sup2@example.test').length, other: smtp.to('other@example.test').length,
  })

  test('sweeping twice the same day sends one mail to each recipient', async () => {
    await plant()
    const first = await sweep(t.db, DAY)
    const second = await sweep(t.db, DAY)
    expect(first.digests).toBe(4)
    expect(second).toEqual({ notices: 0, deliveries: 0, digests: 0 })
    await drainJobs(t.pool, t.db, smtp.url)
    // and a third sweep after the mail went out, and the jobs run again: still nothing new
    expect(await sweep(t.db, DAY)).toEqual({ notices: 0, deliveries: 0, digests: 0 })
    await drainJobs(t.pool, t.db, smtp.url)
    expect(mailCounts()).toEqual({ cw1: 1, cw2: 1, sup1: 1, sup2: 1, other: 0 })
    expect(smtp.received).toHaveLength(4)
    const pending = await t.db.selectFrom('followup_deliveries').select('task_id').where('mailed_at', 'is', null).execute()
    expect(pending).toEqual([])
  })

  test('the sweep job itself, run twice through the worker with the day in its payload, mails once', async () => {
    await plant()
    const { enqueue } = await import('#app/platform/jobs.server.ts')
    await enqueue(t.db, 'followup_sweep', { day: DAY })
    await drainJobs(t.pool, t.db, smtp.url)
    await enqueue(t.db, 'followup_sweep', { day: DAY })
    await drainJobs(t.pool, t.db, smtp.url)
    expect(mailCounts()).toEqual({ cw1: 1, cw2: 1, sup1: 1, sup2: 1, other: 0 })
  })

  test('a crash after the notices are written and before the commit leaves nothing; the next run does it all, once', async () => {
    await plant()
    await expect(sweep(t.db, DAY, {
      beforeCommit: async (trx) => {
        // Halfway: the notices, deliveries and jobs are written in this transaction…
        const n = await trx.selectFrom('followup_notices').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
        expect(Number(n.n)).toBe(6)
        throw new Error('worker killed')
      },
    })).rejects.toThrow('worker killed')
    // …and none of it survived.
    expect(await notices()).toEqual([])
    expect(await deliveries()).toEqual([])
    expect(await jobs(t.db, 'followup_digest')).toEqual([])
    await drainJobs(t.pool, t.db, smtp.url)
    expect(smtp.received).toHaveLength(0)

    expect((await sweep(t.db, DAY)).notices).toBe(6)
    await drainJobs(t.pool, t.db, smtp.url)
    expect(mailCounts()).toEqual({ cw1: 1, cw2: 1, sup1: 1, sup2: 1, other: 0 })
  })

  test('two sweeps at the same moment announce each task once', async () => {
    await plant()
    const results = await Promise.all([sweep(t.db, DAY), sweep(t.db, DAY), sweep(t.db, DAY)])
    expect(results.reduce((s, r) => s + r.notices, 0)).toBe(6)
    expect(await notices()).toHaveLength(6)
    await drainJobs(t.pool, t.db, smtp.url)
    expect(mailCounts()).toEqual({ cw1: 1, cw2: 1, sup1: 1, sup2: 1, other: 0 })
  })
})

describe('the crontab', () => {
  test('the sweep runs at 00:00 UTC, which is 08:00 in Asia/Shanghai, under a fixed id with a day of backfill', () => {
    const item = parseCrontab(crontab()).find((i) => i.task === 'followup_sweep')!
    expect(item.options.backfillPeriod).toBe(24 * 60 * 60 * 1000)
    expect((item as unknown as { identifier: string }).identifier).toBe('followup_sweep')
    // graphile-worker matches the UTC fields of the instant.
    const at = (iso: string) => {
      const d = new Date(iso)
      return item.match({ min: d.getUTCMinutes(), hour: d.getUTCHours(), date: d.getUTCDate(), month: d.getUTCMonth() + 1, dow: d.getUTCDay() })
    }
    expect(at('2026-12-01T08:00:00+08:00')).toBe(true)
    expect(at('2026-12-01T08:00:00Z')).toBe(false)
    const shanghai = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' }).format(new Date('2026-12-01T00:00:00Z'))
    expect(shanghai).toBe('08:00')
  })
})
