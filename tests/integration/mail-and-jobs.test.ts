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
import { resetPassword } from '#app/staff/users.server.ts'
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
  runOnce({ pgPool: t.pool, taskList: taskList({ db: t.db, cipher, smtpUrl, mailFrom: 'Registry <registry@test.invalid>' }), logger: quietLogger() })

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

test('an administrator resetting a password e-mails the user in their language, without the password', async () => {
  received.length = 0
  const admin = await makeUser(t.db, { roles: ['admin'] })
  const user = await makeUser(t.db, { email: 'wang@example.test' })
  await t.db.updateTable('users').set({ locale: 'en' }).where('id', '=', user.id).execute()
  const result = await resetPassword(t.db, { id: admin.id, username: admin.username, registryCode: admin.registryCode }, user.id, { publicUrl: 'https://registry.example.test' })
  expect(result.emailed).toBe(true)
  await runJobs(`smtp://127.0.0.1:${smtpPort}`)
  expect(received).toHaveLength(1)
  expect(received[0].subject).toBe('Your Adoption Registry password was reset')
  expect(received[0].text).toContain(user.username)
  expect(received[0].text).toContain('https://registry.example.test/login')
  expect(received[0].text).not.toContain(result.temporaryPassword)
  const row = await t.db.selectFrom('users').select(['must_change_password']).where('id', '=', user.id).executeTakeFirstOrThrow()
  expect(row.must_change_password).toBe(true)
})

test('a user without an address is reset without mail', async () => {
  const admin = await makeUser(t.db, { roles: ['admin'] })
  const user = await makeUser(t.db, { email: null })
  const before = await jobCount('send_email')
  const result = await resetPassword(t.db, { id: admin.id, username: admin.username, registryCode: admin.registryCode }, user.id)
  expect(result.emailed).toBe(false)
  expect(await jobCount('send_email')).toBe(before)
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
