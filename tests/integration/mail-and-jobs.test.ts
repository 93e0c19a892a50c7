// Mail through a real SMTP server on 127.0.0.1, and jobs that exist exactly when their
// transaction commits.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import { runOnce } from 'graphile-worker'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry, makeUser } from '#tests/support/factories.ts'
import { enqueueEmail } from '#app/platform/mail.server.ts'
import { enqueue } from '#app/platform/jobs.server.ts'
import { requestPasswordReset } from '#app/staff/password-resets.server.ts'
import { taskList } from '#jobs/worker.ts'
import { quietLogger } from '#db/migrate.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))

let t: TestDatabase
let smtp: SMTPServer
let smtpPort = 0
const received: ParsedMail[] = []
const envelopes: string[][] = []

beforeAll(async () => {
  t = await testDatabase()
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Two addresses the server refuses: one for good (550), one for now (451).
    onRcptTo(address, _session, callback) {
      if (address.address === 'nobody@example.test') return callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }))
      if (address.address === 'later@example.test') return callback(Object.assign(new Error('4.2.1 Try again later'), { responseCode: 451 }))
      callback()
    },
    onData(stream, session, callback) {
      envelopes.push(session.envelope.rcptTo.map((r) => r.address))
      simpleParser(stream).then((mail) => { received.push(mail); callback() }, callback)
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  smtpPort = (smtp.server.address() as { port: number }).port
})
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
  await t.destroy()
})

const runJobs = (smtpUrl?: string) =>
  runOnce({ pgPool: t.pool, taskList: taskList({ db: t.db, cipher, smtpUrl, mailFrom: 'Registry <registry@test.invalid>', publicUrl: 'https://registry.example.test' }), logger: quietLogger() })

async function jobCount(task: string) {
  const { rows } = await sql<{ n: string }>`select count(*) as n from graphile_worker.jobs where task_identifier = ${task}`.execute(t.db)
  return Number(rows[0].n)
}

test('an e-mail enqueued in a committed transaction arrives over SMTP', async () => {
  received.length = 0
  await t.db.transaction().execute(async (trx) => {
    await enqueueEmail(trx, { registryCode: null, to: 'clerk@example.test', subject: '测试邮件 Test', text: '正文：收养登记。' })
  })
  await runJobs(`smtp://127.0.0.1:${smtpPort}`)
  expect(received).toHaveLength(1)
  expect(received[0].subject).toBe('测试邮件 Test')
  expect(received[0].text?.trim()).toBe('正文：收养登记。')
  expect(received[0].from?.text).toContain('registry@test.invalid')
  expect(envelopes.at(-1)).toEqual(['clerk@example.test'])
  expect(await jobCount('send_email')).toBe(0)
})

test('a job enqueued in a rolled-back transaction never exists and never runs', async () => {
  received.length = 0
  await expect(
    t.db.transaction().execute(async (trx) => {
      await enqueueEmail(trx, { registryCode: null, to: 'nobody@example.test', subject: 'rolled back', text: 'x' })
      await enqueue(trx, 'send_email', { bogus: true })
      throw new Error('decision abandoned')
    }),
  ).rejects.toThrow('decision abandoned')
  expect(await jobCount('send_email')).toBe(0)
  await runJobs(`smtp://127.0.0.1:${smtpPort}`)
  expect(received).toHaveLength(0)
})

test('without SMTP the mail lands in the outbox, once, even when the job runs twice', async () => {
  await makeRegistry(t.db)
  const messageId = await enqueueEmail(t.db, { registryCode: '500111', to: 'a@example.test', subject: 'outbox', text: 'kept locally' })
  await runJobs(undefined)
  const job = taskList({ db: t.db, cipher, mailFrom: 'x' }).send_email!
  await job({ messageId, registryCode: '500111', to: 'a@example.test', subject: 'outbox', text: 'kept locally' }, {} as never)
  const rows = await t.db.selectFrom('mail_outbox').selectAll().where('message_id', '=', messageId).execute()
  expect(rows).toHaveLength(1)
  expect(rows[0].body_text).toBe('kept locally')
})

test('a reset by mail sends the user a one-time link by SMTP: no secret in the job, the outbox or the table', async () => {
  received.length = 0
  const admin = await makeUser(t.db, { roles: ['sysadmin'] })
  const user = await makeUser(t.db, { email: 'wang@example.test' })
  await t.db.updateTable('users').set({ locale: 'en' }).where('id', '=', user.id).execute()
  const actor = { id: admin.id, username: admin.username, registryCode: admin.registryCode }
  expect(await requestPasswordReset(t.db, actor, user.id, { mail: true })).toEqual({ channel: 'mail' })
  const { rows: jobs } = await sql<{ payload: unknown }>`select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id where k.identifier = 'send_password_reset'`.execute(t.db)
  expect(Object.keys(jobs[0].payload as object)).toEqual(['resetId'])
  await runJobs(`smtp://127.0.0.1:${smtpPort}`)
  expect(received).toHaveLength(1)
  expect(received[0].subject).toBe('Set your Adoption Registry password')
  const token = /\/password\/reset\?token=([A-Za-z0-9_-]+)/.exec(received[0].text ?? '')?.[1]
  expect(token).toBeTruthy()
  expect(received[0].text).toContain('https://registry.example.test/password/reset?token=')
  const reset = await t.db.selectFrom('password_resets').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow()
  expect(reset.state).toBe('issued')
  expect(reset.secret_hash).not.toContain(token!)
  expect(await t.db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'wang@example.test').execute()).toHaveLength(0)
})

test('a reset asked for while no mail server is configured never goes to the outbox: a code is needed', async () => {
  const admin = await makeUser(t.db, { roles: ['sysadmin'] })
  const user = await makeUser(t.db, { email: 'outbox-user@example.test' })
  const result = await requestPasswordReset(t.db, { id: admin.id, username: admin.username, registryCode: admin.registryCode }, user.id, { mail: false })
  expect(result.channel).toBe('code')
  const before = await jobCount('send_password_reset')
  await runJobs(undefined)
  expect(await t.db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'outbox-user@example.test').execute()).toHaveLength(0)
  expect(await jobCount('send_password_reset')).toBe(before)
})

test('an address the server refuses for good is recorded as bounced, not retried; one refused for now is retried', async () => {
  received.length = 0
  await t.db.transaction().execute(async (trx) => {
    await enqueueEmail(trx, { registryCode: null, to: 'nobody@example.test', subject: 'Bounce', text: 'x' })
    await enqueueEmail(trx, { registryCode: null, to: 'later@example.test', subject: 'Later', text: 'y' })
  })
  await runJobs(`smtp://127.0.0.1:${smtpPort}`)
  expect(received).toHaveLength(0)
  const bounces = await t.db.selectFrom('mail_bounces').select(['address', 'response']).execute()
  expect(bounces).toHaveLength(1)
  expect(bounces[0].address).toBe('nobody@example.test')
  expect(bounces[0].response).toContain('550')
  // The temporary refusal stays queued with its error, to be tried again.
  const { rows } = await sql<{ attempts: number; last_error: string }>`select attempts, last_error from graphile_worker.jobs where task_identifier = 'send_email'`.execute(t.db)
  expect(rows).toHaveLength(1)
  // (graphile-worker's first backoff is under 3 s: on a loaded machine runOnce may already try twice)
  // (the error is on the row between attempts; a retry that has just been picked up clears it)
  expect(rows[0].attempts).toBeGreaterThanOrEqual(1)
  if (rows[0].last_error !== null) expect(rows[0].last_error).toContain('451')
  expect(await t.db.selectFrom('mail_bounces').select('address').where('address', '=', 'later@example.test').execute()).toEqual([])
  await sql`delete from graphile_worker._private_jobs`.execute(t.db)
})
