// Test data for the follow-up sweep, the digests and the hand-over: tasks with chosen dates on
// minimal registered applications, a real SMTP server on 127.0.0.1 that can be taken down, and a
// worker run that drains the queue (graphile-worker's runOnce, with the real task list).
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import { runOnce } from 'graphile-worker'
import { sql } from 'kysely'
import type { DB } from '#db/connection.ts'
import type pg from 'pg'
import { taskList } from '#jobs/worker.ts'
import { quietLogger } from '#db/migrate.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { testTown } from './applications.ts'

let numbers = 0
/** A registered application (the columns the follow-up reads) and its registration number. */
export async function makeRegistration(db: DB, registryCode: string, registrarId: string) {
  const number = `（2026）渝足收字第${String(++numbers).padStart(5, '0')}号-${process.pid}`
  const { id } = await db.insertInto('applications').values({
    registry_code: registryCode, relation: 'none', placing_kind: 'welfare_institution', registrar_id: registrarId, created_by: registrarId,
    state: 'registered', received_on: '2025-12-01', approved_by: registrarId, registration_number: number, registered_on: '2026-01-05',
    residence_town_id: await testTown(db, registryCode),
  }).returning('id').executeTakeFirstOrThrow()
  return { id, number }
}

let references = 0
/** An accepted root-seeking request of an existing registration, its reception planned for `caseworkerId`. */
export async function makePlannedReception(db: DB, input: { registryCode: string; applicationId: string; registrationNumber: string; caseworkerId: string; plannerId: string }) {
  const reference = `TESTREF${String(++references).padStart(5, 'A')}`.replace(/[^A-Z2-7]/g, 'A').slice(0, 12).padEnd(12, 'A')
  const { id } = await sql<{ id: string }>`
    insert into rootseeking_requests (registry_code, reference, channel, state, applicant_name, nationality, residence_country, email, language, time_zone,
      adoptee_name_then, adoptee_name_now, adoptee_birth_date, registration_number, registration_date, institution, wished_from, wished_to, wished_places,
      received_on, reply_due_on, application_id, verified_at, decided_at)
    values (${input.registryCode}, ${reference}, 'email', 'accepted', 'Anna Test', 'Netherlands', 'Netherlands', 'anna@example.test', 'en', 'Europe/Amsterdam',
      '福测试', 'Mei Test', '2010-01-01', ${input.registrationNumber}, '2026-01-05', '大足区儿童福利院', '2027-04-01', '2027-04-10', '福利院',
      '2026-11-20', '2026-12-04', ${input.applicationId}, now(), now())
    returning id`.execute(db).then((r) => r.rows[0])
  await sql`
    insert into rootseeking_receptions (request_id, caseworker_id, visit_on, starts_at, ends_at, places, receiving_staff, interpreter, institution_contact, may_show, no_fee, planned_by)
    values (${id}, ${input.caseworkerId}, '2027-04-02', '09:00', '11:00', '福利院', '张三', '李四', '王五', '福利院环境', true, ${input.plannerId})`.execute(db)
  return id
}

export type TaskDates = { window_from: string; due_on: string; window_to: string }

export async function makeTask(db: DB, input: {
  registryCode: string; applicationId: string; caseworkerId: string | null; dates: TaskDates; sequence?: number; status?: 'open' | 'done'
}) {
  const done = input.status === 'done'
  const { id } = await db.insertInto('followup_tasks').values({
    registry_code: input.registryCode, application_id: input.applicationId, kind: 'visit', sequence: input.sequence ?? 1,
    caseworker_id: input.caseworkerId, ...input.dates, status: input.status ?? 'open', closed_at: done ? new Date() : null,
  }).returning('id').executeTakeFirstOrThrow()
  return id
}

/** A real SMTP server; `down` answers every message with a temporary failure (451) until lifted. */
export async function startSmtp() {
  const received: ParsedMail[] = []
  const state = { down: false, refused: 0 }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(_address, _session, callback) {
      if (state.down) {
        state.refused++
        const error = new Error('mailbox temporarily unavailable') as Error & { responseCode: number }
        error.responseCode = 451
        return callback(error)
      }
      callback()
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => { received.push(mail); callback() }, callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as { port: number }).port
  return {
    received, state, url: `smtp://127.0.0.1:${port}`,
    to: (address: string) => received.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(address))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export const testCipher = createFieldCipher(parseMasterKey(generateMasterKey()))

/** Runs every job that is ready, and the jobs those add, until none is left ready. */
export async function drainJobs(pool: pg.Pool, db: DB, smtpUrl: string | undefined) {
  for (let i = 0; i < 5; i++) {
    await runOnce({ pgPool: pool, taskList: taskList({ db, cipher: testCipher, smtpUrl, mailFrom: 'Registry <registry@test.invalid>', publicUrl: 'https://registry.example.test' }), logger: quietLogger() })
    const { rows } = await sql<{ n: string }>`select count(*) as n from graphile_worker.jobs where run_at <= now() and attempts < max_attempts`.execute(db)
    if (Number(rows[0].n) === 0) return
  }
}

/**
 * graphile-worker retries a failed job after exp(min(attempts, 10)) seconds. The tests do not wait:
 * they move the failed jobs' run_at to now, as the passing of time would.
 */
export async function fastForwardRetries(db: DB) {
  await sql`update graphile_worker._private_jobs set run_at = now() where attempts > 0 and attempts < max_attempts`.execute(db)
}

export async function jobs(db: DB, task: string) {
  const { rows } = await sql<{ key: string | null; attempts: number; last_error: string | null }>`
    select key, attempts, last_error from graphile_worker.jobs where task_identifier = ${task} order by id`.execute(db)
  return rows
}

/** Forgets every task, notice and job: each test starts from an empty follow-up. */
export async function resetFollowup(db: DB, owner: DB) {
  await sql`delete from followup_deliveries`.execute(db)
  await sql`delete from followup_notices`.execute(db)
  // Submitted reports refuse DELETE (their trigger): test cleanup only, as the owner, skips it.
  await owner.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx)
    await sql`delete from visit_reports`.execute(trx)
  })
  await sql`delete from followup_tasks`.execute(db)
  await sql`delete from graphile_worker._private_jobs`.execute(db)
}
