// The follow-up digests over a real SMTP server on 127.0.0.1: content in the recipient's language
// with numbers and dates only (never the child's or the family's names), one mail per recipient
// even when a digest job runs again, and every mail delivered exactly once when a failing SMTP
// server comes back.
//
// graphile-worker retries a failed job after exp(min(attempts, 10)) seconds; the tests do not wait
// but set the failed jobs' run_at to now (fastForwardRetries) and run the worker again.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry, makeUser } from '#tests/support/factories.ts'
import { makeRegisteredAdoption, makeViewer } from '#tests/support/applications.ts'
import { drainJobs, fastForwardRetries, jobs, makeRegistration, makeTask, resetFollowup, startSmtp, testCipher } from '#tests/support/followup-jobs.ts'
import { sendDigest, sweep } from '#app/followup/sweep.server.ts'

let t: TestDatabase
let smtp: Awaited<ReturnType<typeof startSmtp>>
const R = '500111'
const DAY = '2026-12-01'
const due = { window_from: '2026-11-17', due_on: '2026-12-01', window_to: '2026-12-15' }
let registrar: { id: string }
let supervisor: { id: string }

beforeAll(async () => {
  t = await testDatabase()
  smtp = await startSmtp()
  await makeRegistry(t.db, R)
  registrar = await makeUser(t.db, { roles: ['registrar'] })
  supervisor = await makeUser(t.db, { roles: ['supervisor'], email: 'sup@example.test' })
})
afterAll(async () => {
  await smtp.close()
  await t.destroy()
})
beforeEach(async () => {
  await resetFollowup(t.db, t.owner)
  smtp.received.length = 0
  smtp.state.down = false
  smtp.state.refused = 0
})

test('SMTP down, then up: every digest is delivered exactly once after the retries', async () => {
  const addresses: string[] = []
  for (let i = 0; i < 5; i++) {
    const address = `cw${i}@example.test`
    addresses.push(address)
    const cw = await makeUser(t.db, { roles: ['caseworker'], email: address })
    for (let k = 0; k < 2; k++) {
      const reg = await makeRegistration(t.db, R, registrar.id)
      await makeTask(t.db, { registryCode: R, applicationId: reg.id, caseworkerId: cw.id, dates: due })
    }
  }
  await makeTask(t.db, { registryCode: R, applicationId: (await makeRegistration(t.db, R, registrar.id)).id, caseworkerId: null, dates: due })
  addresses.push('sup@example.test')

  smtp.state.down = true
  expect((await sweep(t.db, DAY)).digests).toBe(6)
  await drainJobs(t.pool, t.db, smtp.url)
  expect(smtp.received).toHaveLength(0)
  expect(smtp.state.refused).toBe(6)
  // The digests are done (their rows marked); the mails wait in send_email jobs, failed once, to be retried.
  expect(await jobs(t.db, 'followup_digest')).toEqual([])
  const waiting = await jobs(t.db, 'send_email')
  expect(waiting).toHaveLength(6)
  expect(waiting.every((j) => j.attempts === 1 && /451/.test(j.last_error ?? ''))).toBe(true)
  const { rows: later } = await sql<{ n: string }>`select count(*) as n from graphile_worker.jobs where task_identifier = 'send_email' and run_at > now()`.execute(t.db)
  expect(Number(later[0].n)).toBe(6) // backoff: not retried at once

  // Still down at the second attempt.
  await fastForwardRetries(t.db)
  await drainJobs(t.pool, t.db, smtp.url)
  expect(smtp.received).toHaveLength(0)
  expect((await jobs(t.db, 'send_email')).every((j) => j.attempts === 2)).toBe(true)

  // A sweep meanwhile changes nothing.
  expect(await sweep(t.db, DAY)).toEqual({ notices: 0, deliveries: 0, digests: 0 })

  smtp.state.down = false
  await fastForwardRetries(t.db)
  await drainJobs(t.pool, t.db, smtp.url)
  expect(smtp.received).toHaveLength(6)
  for (const address of addresses) expect(smtp.to(address)).toHaveLength(1)
  expect(await jobs(t.db, 'send_email')).toEqual([])

  // Nothing left to send, whatever runs again.
  await fastForwardRetries(t.db)
  await drainJobs(t.pool, t.db, smtp.url)
  expect(smtp.received).toHaveLength(6)
})

test('a digest job that runs again (a retry after it committed) sends no second mail', async () => {
  const cw = await makeUser(t.db, { roles: ['caseworker'], email: 'again@example.test' })
  await makeTask(t.db, { registryCode: R, applicationId: (await makeRegistration(t.db, R, registrar.id)).id, caseworkerId: cw.id, dates: due })
  await sweep(t.db, DAY)
  const first = await sendDigest(t.db, { recipientId: cw.id, day: DAY })
  const again = await sendDigest(t.db, { recipientId: cw.id, day: DAY })
  expect(first.items).toBe(1)
  expect(first.messageId).toMatch(/^<.+@adoption-registry>$/)
  expect(again).toEqual({ items: 0, messageId: null })
  // the queued job of the sweep runs as well: still one mail
  await drainJobs(t.pool, t.db, smtp.url)
  expect(smtp.to('again@example.test')).toHaveLength(1)
  const row = await t.db.selectFrom('followup_deliveries').select(['mailed_at', 'message_id']).where('recipient_id', '=', cw.id).executeTakeFirstOrThrow()
  expect(row.message_id).toBe(first.messageId)
  expect(row.mailed_at).not.toBeNull()
})

test('two digest jobs of the same recipient at once: one mail', async () => {
  const cw = await makeUser(t.db, { roles: ['caseworker'], email: 'race@example.test' })
  for (let i = 0; i < 3; i++) await makeTask(t.db, { registryCode: R, applicationId: (await makeRegistration(t.db, R, registrar.id)).id, caseworkerId: cw.id, dates: due })
  await sweep(t.db, DAY)
  const results = await Promise.all([sendDigest(t.db, { recipientId: cw.id, day: DAY }), sendDigest(t.db, { recipientId: cw.id, day: DAY })])
  expect(results.map((r) => r.items).sort()).toEqual([0, 3])
  await drainJobs(t.pool, t.db, smtp.url)
  expect(smtp.to('race@example.test')).toHaveLength(1)
})

test('the digest is in the recipient\'s language, names registration numbers and dates, never the child or the family', async () => {
  const registrarViewer = await makeViewer(t.db, 'registrar')
  const supervisorViewer = await makeViewer(t.db, 'supervisor')
  const cw = await makeUser(t.db, { roles: ['caseworker'], email: 'en@example.test' })
  await t.db.updateTable('users').set({ locale: 'en' }).where('id', '=', cw.id).execute()
  const cwZh = await makeUser(t.db, { roles: ['caseworker'], email: 'zh@example.test' })
  // A real registration (through the procedure): its first visit is due 2026-12-28, window from 2026-12-14.
  const appId = await makeRegisteredAdoption(t.db, testCipher, registrarViewer, supervisorViewer)
  const app = await t.db.selectFrom('applications').select('registration_number').where('id', '=', appId).executeTakeFirstOrThrow()
  await t.db.updateTable('followup_tasks').set({ caseworker_id: cw.id }).where('application_id', '=', appId).execute()
  const other = await makeRegistration(t.db, R, registrar.id)
  await makeTask(t.db, { registryCode: R, applicationId: other.id, caseworkerId: cwZh.id, dates: { window_from: '2026-12-10', due_on: '2026-12-24', window_to: '2027-01-07' } })
  const parties = await t.db.selectFrom('parties').select(['name']).where('application_id', '=', appId).execute()
  expect(parties.length).toBeGreaterThan(1)

  await sweep(t.db, '2026-12-15')
  await drainJobs(t.pool, t.db, smtp.url)
  const [en] = smtp.to('en@example.test')
  expect(en.subject).toBe('Post-adoption follow-up: 1 items (2026-12-15)')
  expect(en.text).toContain('Window open (1)')
  const enTask = await t.db.selectFrom('followup_tasks').select('id').where('application_id', '=', appId).where('sequence', '=', 1).executeTakeFirstOrThrow()
  expect(en.text).toContain(`${app.registration_number} · visit 1 · due 2026-12-28, at the latest 2027-01-11 · https://registry.example.test/followup/tasks/${enTask.id}`)
  // A caseworker's digest opens "My visits".
  expect(en.text).toContain('Sign in: https://registry.example.test/followup\n')
  const [zh] = smtp.to('zh@example.test')
  expect(zh.subject).toBe('收养后随访提醒：1 项（2026年12月15日）')
  expect(zh.text).toContain(`${other.number} · 第 1 次随访 · 应于 2026年12月24日，最迟 2027年1月7日`)
  for (const mail of [en, zh]) {
    for (const p of parties) if (p.name) expect(mail.text).not.toContain(p.name)
  }
})

test('escalations reach the supervisor with the caseworker\'s name; a recipient without an address is marked, not mailed', async () => {
  const cw = await makeUser(t.db, { roles: ['caseworker'], email: null })
  const reg = await makeRegistration(t.db, R, registrar.id)
  await makeTask(t.db, { registryCode: R, applicationId: reg.id, caseworkerId: cw.id, dates: { window_from: '2026-10-01', due_on: '2026-10-15', window_to: '2026-10-29' } })
  await sweep(t.db, DAY)
  await drainJobs(t.pool, t.db, smtp.url)
  const [mail] = smtp.to('sup@example.test')
  const name = (await t.db.selectFrom('users').select('display_name').where('id', '=', cw.id).executeTakeFirstOrThrow()).display_name
  expect(mail.text).toContain('逾期超过督办期限（督办） (1)')
  expect(mail.text).toContain(`${reg.number} · 第 1 次随访`)
  expect(mail.text).toContain(`承办人：${name}`)
  // A supervisor's digest opens the overdue tasks.
  expect(mail.text).toMatch(/登录系统：https:\/\/registry\.example\.test\/followup\/tasks\?status=overdue\n/)
  expect(smtp.received).toHaveLength(1)
  const unmailed = await t.db.selectFrom('followup_deliveries').select(['recipient_id', 'message_id']).where('recipient_id', '=', cw.id).execute()
  expect(unmailed).toEqual([{ recipient_id: cw.id, message_id: null }])
  expect(await t.db.selectFrom('followup_deliveries').select('task_id').where('mailed_at', 'is', null).execute()).toEqual([])
  void supervisor
})
