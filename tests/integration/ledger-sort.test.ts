// Sortable ledger columns with key-set paging, against real PostgreSQL: each of the three ledgers
// paged through in every sortable order, ascending and descending, with many ties on the sort
// value, sees every row exactly once and in the order an independent comparison expects; a sort
// value not in the list is named as a filter error; an export follows the chosen order.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { applicationSort, applicationsQuery, listApplications, parseLedgerFilter, LEDGER_PAGE_SIZE } from '#app/registration/ledger.server.ts'
import { listTasks, parseTaskFilter } from '#app/followup/assign.server.ts'
import { filesQuery, fileSort, listFiles, parseFileFilter } from '#app/archive/files.server.ts'
import { exportDownload, requestExport, runExport } from '#app/ledgers/exports.server.ts'
import { states } from '#app/registration/workflow.ts'
import { byCodePoint, byPinyin, expectedOrder, pageThrough, type Key } from '#tests/support/paging.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer, archivist: Viewer, caseworkerA: Viewer, caseworkerB: Viewer
const N = 137 // three pages of 50, and a last one not full

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  archivist = await makeViewer(t.db, 'archivist')
  caseworkerA = await makeViewer(t.db, 'caseworker', '500111', 'cw-a')
  caseworkerB = await makeViewer(t.db, 'caseworker', '500111', 'cw-b')
  // 甲 (jiǎ) before 乙 (yǐ) in pinyin; by code point 乙 (U+4E59) comes first.
  await t.db.updateTable('users').set({ display_name: sql`case when id = ${caseworkerA.id} then '甲回访员' else '乙回访员' end` })
    .where('id', 'in', [caseworkerA.id, caseworkerB.id]).execute()
  // Applications with many ties: seven receipt days, a third registered (four registration days),
  // one in five with no review clock, every state of the procedure.
  await sql`
    insert into applications (registry_code, state, relation, placing_kind, received_on, review_due_on, registrar_id, created_by, approved_by, decision_proposed_by,
                              registration_number, registration_year, registered_on, assessment, resides_abroad)
    select '500111', s.state, 'none', 'welfare_institution',
           case when s.state = 'draft' then null else date '2026-10-01' + (g % 7) end,
           case when s.state in ('received', 'assessment', 'public_notice', 'pending_approval') and g % 5 <> 0 then date '2026-12-01' + (g % 4) end,
           ${registrar.id}, ${registrar.id},
           case when s.state in ('registered', 'dissolved', 'revoked') then ${supervisor.id}::bigint end,
           case when s.state in ('registered', 'dissolved', 'revoked') then ${registrar.id}::bigint end,
           case when s.state in ('registered', 'dissolved', 'revoked') then 'SORT-' || lpad(((g * 37) % ${N})::text, 3, '0') end,
           case when s.state in ('registered', 'dissolved', 'revoked') then 2026 end,
           case when s.state in ('registered', 'dissolved', 'revoked') then date '2026-10-10' + (g % 4) end,
           'recommended', true
    from generate_series(1, ${N}) g
    cross join lateral (select (${sql.val(states)}::text[])[1 + g % ${states.length}] as state) s
  `.execute(t.db)
  // Follow-up visits: three per application of a registered state, due on one of five days; a
  // third unassigned, the rest split between two caseworkers.
  await sql`
    insert into followup_tasks (registry_code, application_id, kind, sequence, due_on, window_from, window_to, caseworker_id)
    select '500111', a.id, 'visit', q, date '2027-01-01' + ((a.id + q) % 5)::int, date '2026-12-01', date '2027-02-01',
           case (a.id + q) % 3 when 0 then null when 1 then ${caseworkerA.id}::bigint else ${caseworkerB.id}::bigint end
    from applications a, generate_series(1, 3) q where a.state in ('registered', 'dissolved', 'revoked')
  `.execute(t.db)
  // Archive files: one per application, in three years and three states, due on four days.
  await sql`
    insert into archive_files (registry_code, application_id, type, year, seq, archive_number, title, state, due_on, filed_at, filed_by)
    select '500111', a.id, 'establishment', 2024 + (a.id % 3)::int, a.id, 'A-' || lpad(((a.id * 53) % 1000)::text, 4, '0'), '卷' || a.id,
           (array['open', 'filed', 'transferred'])[1 + a.id % 3], date '2027-01-01' + (a.id % 4)::int,
           case when a.id % 3 <> 0 then now() end, case when a.id % 3 <> 0 then ${archivist.id}::bigint end
    from applications a
  `.execute(t.db)
})
afterAll(async () => { await t.destroy() })


describe('the applications ledger', () => {
  const LOW = '0000-00-00', HIGH = '9999-99-99'
  const orders: Record<string, (r: { id: string; received_on: string | null; registration_number: string | null; registered_on: string | null; state: string; review_due_on: string | null }) => Key> = {
    id: (r) => Number(r.id),
    received: (r) => r.received_on ?? LOW,
    number: (r) => r.registration_number ?? '',
    registered: (r) => r.registered_on ?? LOW,
    state: (r) => states.indexOf(r.state as (typeof states)[number]),
    due: (r) => r.review_due_on ?? HIGH,
  }
  for (const [column, value] of Object.entries(orders)) {
    for (const dir of ['asc', 'desc'] as const) {
      test(`sorted by ${column} ${dir}: every row once, in order, across pages`, async () => {
        const all = await t.db.selectFrom('applications').select(['id', 'received_on', 'registration_number', 'registered_on', 'state', 'review_due_on']).execute()
        expect(all).toHaveLength(N)
        const { ids, pages } = await pageThrough(async (after) => {
          const { filter, errors } = parseLedgerFilter(new URLSearchParams({ sort: column, dir, ...(after ? { after } : {}) }))
          expect(errors).toEqual({})
          return listApplications(t.db, cipher, supervisor, filter, TODAY)
        })
        expect(pages).toBe(Math.ceil(N / LEDGER_PAGE_SIZE))
        expect(new Set(ids).size).toBe(N)
        expect(ids).toEqual(expectedOrder(all, value, dir))
      })
    }
  }

  test('the register\'s own order stays the newest first, with the id alone as its cursor', async () => {
    const { filter } = parseLedgerFilter(new URLSearchParams({ state: 'received' }))
    const page = await listApplications(t.db, cipher, supervisor, filter, TODAY)
    const ids = page.rows.map((r) => Number(r.id))
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    const { filter: byReceipt } = parseLedgerFilter(new URLSearchParams({ sort: 'received', dir: 'asc' }))
    const first = await listApplications(t.db, cipher, supervisor, byReceipt, TODAY)
    expect(first.next).toMatch(/^\d{4}-\d{2}-\d{2}\|\d+$/)
  })

  test('a filter and a sort together: only the filtered rows, in the sort', async () => {
    const rows = await t.db.selectFrom('applications').select(['id', 'review_due_on']).where('state', '=', 'received').execute()
    const { filter } = parseLedgerFilter(new URLSearchParams({ state: 'received', sort: 'due', dir: 'asc' }))
    const page = await listApplications(t.db, cipher, supervisor, filter, TODAY)
    expect(page.rows.map((r) => r.id)).toEqual(expectedOrder(rows, (r) => r.review_due_on ?? '9999', 'asc'))
  })

  test('a sort, direction or cursor not in the list is a filter error; the list keeps its own order', async () => {
    expect(parseLedgerFilter(new URLSearchParams({ sort: 'adopters' })).errors).toEqual({ sort: 'ledger.filter.notInList' })
    expect(parseLedgerFilter(new URLSearchParams({ sort: 'received', dir: 'up' })).errors).toEqual({ dir: 'ledger.filter.notInList' })
    expect(parseLedgerFilter(new URLSearchParams({ sort: 'received', after: '17' })).errors).toEqual({ after: 'ledger.filter.notInList' })
    expect(parseLedgerFilter(new URLSearchParams({ after: '2026-10-01|17' })).errors).toEqual({ after: 'ledger.filter.notInList' })
    const { filter, errors } = parseLedgerFilter(new URLSearchParams({ sort: "state'; drop table applications; --", state: 'received' }))
    expect(errors.sort).toBe('ledger.filter.notInList')
    expect(filter).toEqual({ state: 'received' })
    const page = await listApplications(t.db, cipher, supervisor, filter, TODAY)
    expect(page.rows.length).toBeGreaterThan(0)
  })

  test('an export with a sort has its rows in that order, across its batches', async () => {
    const all = await t.db.selectFrom('applications').select(['id', 'received_on']).execute()
    const id = await requestExport(t.db, supervisor, { ledger: 'applications', params: { sort: 'received', dir: 'asc', after: '999' }, format: 'csv', locale: 'zh' })
    await runExport(t.db, cipher, id, { batch: 9 })
    const { chunks } = await exportDownload(t.db, cipher, supervisor, id)
    const parts: Buffer[] = []
    for await (const c of chunks) parts.push(c)
    const ids = Buffer.concat(parts).toString('utf8').trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0])
    expect(ids).toEqual(expectedOrder(all, (r) => r.received_on ?? '0000', 'asc'))
    await expect(requestExport(t.db, supervisor, { ledger: 'applications', params: { sort: 'child' }, format: 'csv', locale: 'zh' }))
      .rejects.toSatisfy((e: unknown) => (e as { fields?: Record<string, string> }).fields?.sort === 'ledger.filter.notInList')
  })
})

describe('indexes', () => {
  // With sorting disabled, a plan still sorts only when no index yields the order: each sortable
  // column of the applications ledger (at a million rows) and the archive's year and due date have
  // an index on exactly their expression (migration 0017), on the first page and after a cursor.
  async function plan(compiled: { sql: string; parameters: readonly unknown[] }) {
    return t.db.transaction().execute(async (trx) => {
      await sql`set local enable_sort = off`.execute(trx)
      await sql`set local enable_seqscan = off`.execute(trx)
      const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain ${compiled.sql}`, query: undefined as never, queryId: undefined as never })
      return rows.map((r) => r['QUERY PLAN']).join('\n')
    })
  }
  for (const column of Object.keys(applicationSort.columns)) {
    test(`the applications ledger sorted by ${column} reads an index in order`, async () => {
      for (const dir of ['asc', 'desc'] as const) {
        const first = await listApplications(t.db, cipher, supervisor, { sort: column, dir }, TODAY)
        for (const after of [undefined, first.next!]) {
          const text = await plan(applicationsQuery(t.db, cipher, supervisor, { sort: column, dir, after }, TODAY).limit(51).compile())
          expect(text, text).not.toMatch(/\bSort\b/)
        }
      }
    })
  }
  for (const column of ['id', 'year', 'due'] as const) {
    test(`the archive register sorted by ${column} reads an index in order`, async () => {
      expect(Object.keys(fileSort.columns)).toContain(column)
      const text = await plan(filesQuery(t.db, archivist, { sort: column, dir: 'desc' }, TODAY).limit(51).compile())
      expect(text, text).not.toMatch(/\bSort\b/)
    })
  }
})

describe('the follow-up task ledger', () => {
  const names = () => new Map([[caseworkerA.id, '甲回访员'], [caseworkerB.id, '乙回访员']])
  for (const [column, dir] of [['due', 'asc'], ['due', 'desc'], ['case', 'asc'], ['case', 'desc'], ['caseworker', 'asc'], ['caseworker', 'desc']] as const) {
    test(`sorted by ${column} ${dir}: every open task once, in order`, async () => {
      const all = await t.db.selectFrom('followup_tasks as f').innerJoin('applications as a', 'a.id', 'f.application_id')
        .select(['f.id', 'f.due_on', 'f.caseworker_id', 'a.registration_number']).where('f.status', '=', 'open').execute()
      expect(all.length).toBeGreaterThan(100)
      const value = { due: (r: typeof all[number]) => r.due_on, case: (r: typeof all[number]) => r.registration_number ?? '', caseworker: (r: typeof all[number]) => names().get(r.caseworker_id ?? '') ?? '' }[column]
      const { ids } = await pageThrough(async (after) => {
        const { filter, errors } = parseTaskFilter({ sort: column, dir, after })
        expect(errors).toEqual({})
        return listTasks(t.db, supervisor, { ...filter, status: 'open' }, TODAY)
      })
      expect(new Set(ids).size).toBe(all.length)
      expect(ids).toEqual(expectedOrder(all, value, dir, column === 'caseworker' ? byPinyin : byCodePoint))
    })
  }

  test('its own order is the due date, soonest first, with the "due|id" cursor; a bad sort is named', async () => {
    const page = await listTasks(t.db, supervisor, { status: 'open' }, TODAY)
    expect(page.next).toMatch(/^2027-01-0\d\|\d+$/)
    expect(parseTaskFilter({ sort: 'kind' }).errors).toEqual({ sort: 'ledger.filter.notInList' })
    expect(parseTaskFilter({ sort: 'due', dir: 'sideways' }).errors).toEqual({ dir: 'ledger.filter.notInList' })
  })

  test('an export sorted by caseworker follows that order', async () => {
    const all = await t.db.selectFrom('followup_tasks').select(['id', 'caseworker_id']).where('status', '=', 'open').execute()
    const id = await requestExport(t.db, supervisor, { ledger: 'followup_tasks', params: { status: 'open', sort: 'caseworker', dir: 'desc' }, format: 'csv', locale: 'zh' })
    await runExport(t.db, cipher, id, { batch: 11 })
    const { chunks } = await exportDownload(t.db, cipher, supervisor, id)
    const parts: Buffer[] = []
    for await (const c of chunks) parts.push(c)
    const ids = Buffer.concat(parts).toString('utf8').trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0])
    expect(ids).toEqual(expectedOrder(all, (r) => names().get(r.caseworker_id ?? '') ?? '', 'desc', byPinyin))
  })
})

describe('the archive file register', () => {
  const states3 = ['open', 'filed', 'transferred']
  for (const [column, dir] of [['id', 'desc'], ['id', 'asc'], ['number', 'asc'], ['number', 'desc'], ['year', 'asc'], ['year', 'desc'], ['state', 'asc'], ['state', 'desc'], ['due', 'asc'], ['due', 'desc']] as const) {
    test(`sorted by ${column} ${dir}: every file once, in order`, async () => {
      const all = await t.db.selectFrom('archive_files').select(['id', 'archive_number', 'year', 'state', 'due_on']).execute()
      const value = { id: (r: typeof all[number]) => Number(r.id), number: (r: typeof all[number]) => r.archive_number, year: (r: typeof all[number]) => r.year,
        state: (r: typeof all[number]) => states3.indexOf(r.state), due: (r: typeof all[number]) => r.due_on }[column]
      const { ids } = await pageThrough(async (after) => {
        const { filter, errors } = parseFileFilter({ sort: column, dir, after })
        expect(errors).toEqual({})
        return listFiles(t.db, archivist, filter, TODAY)
      })
      expect(new Set(ids).size).toBe(N)
      expect(ids).toEqual(expectedOrder(all, value, dir))
    })
  }

  test('a bad sort is named; an export sorted by year follows it', async () => {
    expect(parseFileFilter({ sort: 'title' }).errors).toEqual({ sort: 'ledger.filter.notInList' })
    const all = await t.db.selectFrom('archive_files').select(['id', 'year', 'archive_number']).where('state', '=', 'open').execute()
    const id = await requestExport(t.db, archivist, { ledger: 'archive_files', params: { state: 'open', sort: 'year', dir: 'desc' }, format: 'csv', locale: 'zh' })
    await runExport(t.db, cipher, id, { batch: 4 })
    const { chunks } = await exportDownload(t.db, cipher, archivist, id)
    const parts: Buffer[] = []
    for await (const c of chunks) parts.push(c)
    const numbers = Buffer.concat(parts).toString('utf8').trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0])
    const byId = new Map(all.map((r) => [r.id, r.archive_number]))
    expect(numbers).toEqual(expectedOrder(all, (r) => r.year, 'desc').map((i) => byId.get(i)))
  })
})
