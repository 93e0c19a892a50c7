// Names in pinyin order (migration 0022, decision 017): against real PostgreSQL, registers sorted by
// a name column come in pinyin order — not code point order — both ways, and page through ties and
// mixed Chinese/Latin names without skipping or repeating a row (the cursor is compared under the
// same collation as the ORDER BY); an export follows the same order; the task's copies of its case
// number and caseworker name follow every change of their sources; and at a few thousand rows the
// planner reads each indexed order from its index.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql, type Compilable } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { caseworkers as activeCaseworkers, listTasks, parseTaskFilter, tasksQuery, taskSort } from '#app/followup/assign.server.ts'
import { placementCountries } from '#app/followup/placement-ledger.server.ts'
import { assessmentsQuery, assessmentSort, withAgency } from '#app/assessment/ledger.server.ts'
import { currentInstrument } from '#app/assessment/instruments.server.ts'
import { visitReportsQuery, visitReportSort } from '#app/followup/report-ledger.server.ts'
import { cursorOf } from '#app/ledgers/sorting.server.ts'
import { accessLedger } from '#app/archive/access-ledger.server.ts'
import { filesQuery, fileSort } from '#app/archive/files.server.ts'
import { exportDownload, requestExport, runExport } from '#app/ledgers/exports.server.ts'
import type { SortDir, SortOptions, SortParams } from '#app/ledgers/sorting.ts'
import { byCodePoint, byPinyin, expectedOrder, pageThrough, type Key } from '#tests/support/paging.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let supervisor: Viewer, archivist: Viewer
const caseworkers: Viewer[] = []
// Two different people both called 张伟 (a tie between users), Latin names in both cases, and
// names whose pinyin order is far from their code point order (安 U+5B89 first, 陈 U+9648 second).
const NAMES = ['张伟', '王芳', 'bob', '李娜', '陈静', 'Anna Smith', '安然', '赵磊', '张伟', 'Zhao Lei']
const REQUESTERS = ['周杰', 'Anna Smith', '吴敏', '安然', 'anna smith', '郑爽', 'Émile Roux', '欧阳娜娜', '王芳', '周杰']

type Row = { id: string; name: string }
const expected = (rows: Row[], dir: SortDir, compare: (a: Key, b: Key) => number) => expectedOrder(rows, (r) => r.name, dir, compare)

async function csvOf(viewer: Viewer, ledger: string, params: Record<string, string>, batch: number) {
  const id = await requestExport(t.db, viewer, { ledger, params, format: 'csv', locale: 'zh' })
  await runExport(t.db, cipher, id, { batch })
  const { chunks } = await exportDownload(t.db, cipher, viewer, id)
  const parts: Buffer[] = []
  for await (const c of chunks) parts.push(c)
  return Buffer.concat(parts).toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n').slice(1).map((l) => l.split(','))
}

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  const registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  archivist = await makeViewer(t.db, 'archivist')
  for (const [i, name] of NAMES.entries()) {
    const cw = await makeViewer(t.db, 'caseworker', '500111', `pinyin-cw-${i}`)
    await t.db.updateTable('users').set({ display_name: name }).where('id', '=', cw.id).execute()
    caseworkers.push(cw)
  }
  // 60 registered adoptions, three visits each: 180 open tasks, one in eleven unassigned, the rest
  // spread over the ten caseworkers (ties of ~16 tasks on each name, 32 on 张伟).
  await sql`
    insert into applications (registry_code, state, relation, placing_kind, received_on, registrar_id, created_by, approved_by, decision_proposed_by,
                              registration_number, registration_year, registered_on, assessment, resides_abroad)
    select '500111', 'registered', 'none', 'welfare_institution', date '2026-01-01', ${registrar.id}, ${registrar.id}, ${supervisor.id}, ${registrar.id},
           '(2026)收字第' || lpad(g::text, 3, '0') || '号', 2026, date '2026-03-01', 'recommended', true
    from generate_series(1, 60) g`.execute(t.db)
  await sql`
    insert into followup_tasks (registry_code, application_id, kind, sequence, due_on, window_from, window_to, caseworker_id)
    select '500111', a.id, 'visit', q, date '2027-01-01' + (q * 30), date '2026-12-01', date '2027-06-01',
           (${sql.val(caseworkers.map((c) => c.id))}::bigint[])[nullif((a.id * 3 + q) % 11, 10) + 1]
    from applications a, generate_series(1, 3) q`.execute(t.db)
  // Archive files and 120 access requests on them, the requesters' names tied and mixed.
  await sql`
    insert into archive_files (registry_code, application_id, type, year, seq, archive_number, title, state, due_on)
    select '500111', id, 'establishment', 2026, id, 'A-' || lpad(id::text, 4, '0'), '卷' || id, 'open', date '2027-01-01' from applications`.execute(t.db)
  await sql`
    insert into archive_access_requests (file_id, requester_kind, requester_name, purpose, staff_id, created_by)
    select f.id, 'other', (${sql.val(REQUESTERS)}::text[])[1 + (f.id + q) % ${REQUESTERS.length}], '查阅', ${archivist.id}, ${archivist.id}
    from archive_files f, generate_series(1, 2) q`.execute(t.db)
})
afterAll(async () => { await t?.destroy() })

async function tasksWithNames(): Promise<Row[]> {
  return (await t.db.selectFrom('followup_tasks as f').leftJoin('users as u', 'u.id', 'f.caseworker_id')
    .select(['f.id', sql<string>`coalesce(u.display_name, '')`.as('name')]).where('f.status', '=', 'open').where('f.registry_code', '=', '500111').execute())
}

describe('a register sorted by a name column', () => {
  test('the data is such that pinyin and code point orders differ (else these tests could not fail)', async () => {
    const rows = await tasksWithNames()
    expect(expected(rows, 'asc', byPinyin)).not.toEqual(expected(rows, 'asc', byCodePoint))
    expect([...new Set(NAMES)].sort(byPinyin)).toEqual(['安然', '陈静', '李娜', '王芳', '张伟', '赵磊', 'Anna Smith', 'bob', 'Zhao Lei'])
  })

  for (const dir of ['asc', 'desc'] as const) {
    test(`follow-up tasks by caseworker ${dir}: pinyin order, every task once across pages of 50`, async () => {
      const rows = await tasksWithNames()
      expect(rows).toHaveLength(180)
      const { ids } = await pageThrough(async (after) => {
        const { filter, errors } = parseTaskFilter({ sort: 'caseworker', dir, ...(after ? { after } : {}) })
        expect(errors).toEqual({})
        return listTasks(t.db, supervisor, filter, TODAY)
      })
      expect(new Set(ids).size).toBe(180)
      expect(ids).toEqual(expected(rows, dir, byPinyin))
    })

    test(`access requests by requester ${dir}: pinyin order, every request once across pages`, async () => {
      const rows = (await t.db.selectFrom('archive_access_requests').select(['id', 'requester_name as name']).execute())
      expect(rows).toHaveLength(120)
      expect(expected(rows, dir, byPinyin)).not.toEqual(expected(rows, dir, byCodePoint))
      const { ids } = await pageThrough(async (after) => {
        const page = await accessLedger(t.db, archivist, new URLSearchParams({ sort: 'requester', dir, ...(after ? { after } : {}) }), TODAY)
        expect(page.errors).toEqual({})
        return page
      })
      expect(new Set(ids).size).toBe(120)
      expect(ids).toEqual(expected(rows, dir, byPinyin))
    })
  }

  test('a page boundary inside a tie and between Chinese and Latin names: the next page starts right after the cursor', async () => {
    const rows = await tasksWithNames()
    const order = expected(rows, 'asc', byPinyin)
    const nameOf = new Map(rows.map((r) => [r.id, r.name]))
    // The last 张伟 before 赵磊 (a tie between two people), and the last 赵磊 before the Latin names.
    for (const [name, following] of [['张伟', '赵磊'], ['赵磊', 'Anna Smith']]) {
      const at = order.findLastIndex((id) => nameOf.get(id) === name)
      expect(nameOf.get(order[at + 1])).toBe(following)
      for (const i of [at - 1, at]) {
        const after = `${nameOf.get(order[i])}|${order[i]}`
        const page = await listTasks(t.db, supervisor, { ...parseTaskFilter({ sort: 'caseworker', dir: 'asc', after }).filter }, TODAY)
        expect(page.rows.map((r) => r.id)).toEqual(order.slice(i + 1, i + 51))
      }
    }
  })

  test('an export sorted by caseworker follows the page\'s order, across its batches', async () => {
    const rows = await tasksWithNames()
    const lines = await csvOf(supervisor, 'followup_tasks', { status: 'open', sort: 'caseworker', dir: 'desc' }, 7)
    expect(lines.map((l) => l[0])).toEqual(expected(rows, 'desc', byPinyin))
  })

  test('an export of access requests sorted by requester follows the same order', async () => {
    const rows = (await t.db.selectFrom('archive_access_requests').select(['id', 'requester_name as name']).execute())
    const lines = await csvOf(archivist, 'access_requests', { sort: 'requester', dir: 'asc' }, 13)
    expect(lines.map((l) => l[0])).toEqual(expected(rows, 'asc', byPinyin))
  })
})

describe("the filters' choices", () => {
  test('list names in the order their column sorts: caseworkers, receiving countries', async () => {
    const names = (await activeCaseworkers(t.db, '500111')).map((c) => c.name)
    expect(names).toEqual([...NAMES].sort(byPinyin))
    expect(names.slice(0, 3)).toEqual(['安然', '陈静', '李娜'])
    for (const [i, country] of ['美国', 'Sweden', '法国', '加拿大', '美国'].entries()) {
      await t.db.insertInto('intercountry_adoptions').values({
        registry_code: '500111', registration_number: `IC-C-${i}`, registered_on: '2015-06-01', approved_on: '2015-05-01', child_name: '福安',
        child_birth_date: '2013-01-01', adopters: 'A', country, agency: 'Agency',
      }).execute()
    }
    expect(await placementCountries(t.db, '500111')).toEqual(['法国', '加拿大', '美国', 'Sweden'])
  })
})

describe("the task's copies of its case number and caseworker name", () => {
  const copies = async (id: string) => t.db.selectFrom('followup_tasks').select(['case_number', 'caseworker_name']).where('id', '=', id).executeTakeFirstOrThrow()
  const anyTask = async (caseworkerId: string) => (await t.db.selectFrom('followup_tasks').select(['id', 'application_id']).where('caseworker_id', '=', caseworkerId).limit(1).executeTakeFirstOrThrow())

  test('every task has them, equal to their sources', async () => {
    const wrong = await sql<{ n: string }>`
      select count(*) as n from followup_tasks f left join applications a on a.id = f.application_id left join users u on u.id = f.caseworker_id
      where f.case_number <> coalesce(a.registration_number, '') or f.caseworker_name <> coalesce(u.display_name, '')`.execute(t.db)
    expect(wrong.rows[0].n).toBe('0')
    const named = await t.db.selectFrom('followup_tasks').select((eb) => eb.fn.countAll<string>().as('n')).where('caseworker_name', '<>', '').executeTakeFirstOrThrow()
    expect(Number(named.n)).toBeGreaterThan(150)
  })

  test('they follow a renamed caseworker, a (re)assignment, an unassignment and a corrected registration number', async () => {
    const cw = caseworkers[1]
    const task = await anyTask(cw.id)
    await t.db.updateTable('users').set({ display_name: '艾文' }).where('id', '=', cw.id).execute()
    expect((await copies(task.id)).caseworker_name).toBe('艾文')
    const page = await listTasks(t.db, supervisor, { sort: 'caseworker', dir: 'asc' }, TODAY)
    // Unassigned first (''), then 艾文 (ài) before 安然 (ān).
    expect(page.rows.find((r) => r.caseworkerName !== null)?.caseworkerName).toBe('艾文')

    await t.db.updateTable('followup_tasks').set({ caseworker_id: caseworkers[4].id }).where('id', '=', task.id).execute()
    expect((await copies(task.id)).caseworker_name).toBe('陈静')
    await t.db.updateTable('followup_tasks').set({ caseworker_id: null }).where('id', '=', task.id).execute()
    expect((await copies(task.id)).caseworker_name).toBe('')

    await t.db.updateTable('applications').set({ registration_number: '(2026)收字第900号' }).where('id', '=', task.application_id!).execute()
    expect((await copies(task.id)).case_number).toBe('(2026)收字第900号')
  })

  test('a write to a copy is not taken as given: it is recomputed from the source', async () => {
    const task = await anyTask(caseworkers[2].id)
    await t.db.updateTable('followup_tasks').set({ caseworker_name: '张三', case_number: 'X' }).where('id', '=', task.id).execute()
    const number = (await t.db.selectFrom('applications').select('registration_number').where('id', '=', task.application_id!).executeTakeFirstOrThrow()).registration_number
    expect(await copies(task.id)).toEqual({ caseworker_name: 'bob', case_number: number })
  })

  test('an intercountry adoption\'s tasks carry its number, and follow its correction', async () => {
    const { id } = await t.db.insertInto('intercountry_adoptions').values({
      registry_code: '500111', registration_number: 'IC-2015-001', registered_on: '2015-06-01', approved_on: '2015-05-01', child_name: '福安',
      child_birth_date: '2013-01-01', adopters: 'John Miller', country: '美国', agency: 'Agency',
    }).returning('id').executeTakeFirstOrThrow()
    const task = await t.db.insertInto('followup_tasks').values({
      registry_code: '500111', intercountry_id: id, kind: 'post_placement_report', sequence: 1, due_on: '2016-01-01', window_from: '2015-12-01', window_to: '2016-02-01',
    }).returning('id').executeTakeFirstOrThrow()
    expect(await copies(task.id)).toEqual({ case_number: 'IC-2015-001', caseworker_name: '' })
    await t.db.updateTable('intercountry_adoptions').set({ registration_number: 'IC-2015-002' }).where('id', '=', id).execute()
    expect((await copies(task.id)).case_number).toBe('IC-2015-002')
  })
})

describe('indexes, at a few thousand rows with the planner left alone', () => {
  // A second registry with 4,000 registered adoptions (their assessments and archive files),
  // 12,000 visits (a quarter done, each done one reported), analysed. Each indexed order is planned
  // as PostgreSQL would plan it in production — no planner setting changed — for the first page
  // and for a page after a cursor: it must read the order from the index named (after a cursor, from
  // its place in the index: the row comparison is an index condition), not read the register and
  // sort it. At this size a seq scan and a sort would cost the planner less than random index reads
  // if the index did not give the order, so a pass here means the index is what the page uses.
  let sup2: Viewer, arch2: Viewer
  beforeAll(async () => {
    await ensureRegistry(t.db, '500112', '测试区民政局')
    sup2 = await makeViewer(t.db, 'supervisor', '500112')
    arch2 = await makeViewer(t.db, 'archivist', '500112')
    const reg = await makeViewer(t.db, 'registrar', '500112')
    const cws: string[] = []
    for (const [i, name] of NAMES.entries()) {
      const cw = await makeViewer(t.db, 'caseworker', '500112', `scale-cw-${i}`)
      await t.db.updateTable('users').set({ display_name: name }).where('id', '=', cw.id).execute()
      cws.push(cw.id)
    }
    await sql`
      insert into applications (registry_code, state, relation, placing_kind, received_on, registrar_id, created_by, approved_by, decision_proposed_by,
                                registration_number, registration_year, registered_on, assessment, resides_abroad)
      select '500112', 'registered', 'none', 'welfare_institution', date '2020-01-01' + (g % 2000), ${reg.id}, ${reg.id}, ${sup2.id}, ${reg.id},
             '(' || (2020 + g % 6) || ')收字第' || lpad(g::text, 5, '0') || '号', 2020 + g % 6, date '2020-03-01' + (g % 2000), 'recommended', true
      from generate_series(1, 4000) g`.execute(t.db)
    await sql`
      insert into followup_tasks (registry_code, application_id, kind, sequence, due_on, window_from, window_to, caseworker_id, status, closed_at)
      select '500112', a.id, 'visit', q, a.registered_on + q * 180, a.registered_on + q * 180 - 30, a.registered_on + q * 180 + 30,
             (${sql.val(cws)}::bigint[])[1 + (a.id + q) % 10], case when a.id % 4 = 0 then 'done' else 'open' end, case when a.id % 4 = 0 then now() end
      from applications a, generate_series(1, 3) q where a.registry_code = '500112'`.execute(t.db)
    await sql`
      insert into archive_files (registry_code, application_id, type, year, seq, archive_number, title, state, due_on, filed_at, filed_by)
      select '500112', id, 'establishment', registration_year, id, '500112-' || registration_year || '-' || lpad(id::text, 6, '0'), '卷',
             (array['open', 'filed', 'transferred'])[1 + id % 3], registered_on + 60,
             case when id % 3 <> 0 then now() end, case when id % 3 <> 0 then ${arch2.id}::bigint end
      from applications where registry_code = '500112'`.execute(t.db)
    const instrument = await currentInstrument(t.db, '500112')
    await sql`
      insert into assessments (registry_code, application_id, instrument_id, mode, state, commissioned_by, commissioned_on, notice_on, consent_on, due_on, cancel_reason)
      select '500112', id, ${instrument.id}, 'in_house', (array['open', 'signing', 'signed', 'cancelled'])[1 + id % 4], ${reg.id}, received_on, received_on, received_on, received_on + 60,
             case when id % 4 = 3 then 'adopters_changed' end
      from applications where registry_code = '500112'`.execute(t.db)
    const x = cipher.encrypt('x')
    await sql`
      insert into visit_reports (task_id, status, visited_on, met_enc, daily_care_enc, health_enc, schooling_enc, bonding_enc, concern_level, concern_details_enc,
                                 reported_to, reported_at, created_by, signed_by, signed_at)
      select f.id, 'submitted', f.due_on, ${x}, ${x}, ${x}, ${x}, ${x}, c.level, case when c.level <> 'none' then ${x} end,
             case when c.level = 'serious' then 'police' end, case when c.level = 'serious' then now() end, f.caseworker_id, f.caseworker_id, now()
      from followup_tasks f cross join lateral (select (array['none', 'none', 'minor', 'moderate', 'serious'])[1 + f.id % 5] as level) c
      where f.registry_code = '500112' and f.status = 'done'`.execute(t.db)
    await sql`analyze`.execute(t.owner) // only the owner may analyze
  })

  async function plan(query: Compilable<unknown>) {
    const compiled = query.compile()
    const { rows } = await t.db.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain ${compiled.sql}`, query: undefined as never, queryId: undefined as never })
    return rows.map((r) => r['QUERY PLAN']).join('\n')
  }
  type Q = { execute(): Promise<{ id: string; sortKey: string }[]> } & Compilable<unknown>
  type Case = { register: string; spec: SortOptions; query: (f: SortParams) => Promise<Q>; indexes: Record<string, string> }
  const cases: Case[] = [
    ...(['open', 'done'] as const).map((status) => ({
      register: `follow-up tasks (${status})`, spec: taskSort, query: async (f: SortParams) => tasksQuery(t.db, sup2, { ...f, status }, TODAY).limit(51),
      indexes: { due: 'followup_tasks_due_sort_idx', case: 'followup_tasks_case_sort_idx', caseworker: 'followup_tasks_caseworker_sort_idx' },
    })),
    { register: 'archive files', spec: fileSort, query: async (f) => filesQuery(t.db, arch2, f, TODAY).limit(51),
      indexes: { state: 'archive_files_state_sort_idx', number: 'archive_files_number_unique', year: 'archive_files_year_sort_idx', due: 'archive_files_due_sort_idx' } },
    { register: 'assessments', spec: assessmentSort, query: async (f) => assessmentsQuery(t.db, await withAgency(t.db, sup2), f, TODAY).limit(51),
      indexes: { state: 'assessments_state_sort_idx', commissioned: 'assessments_commissioned_sort_idx', daysLeft: 'assessments_days_left_sort_idx' } },
    { register: 'visit reports', spec: visitReportSort, query: async (f) => visitReportsQuery(t.db, sup2, f, TODAY).limit(51),
      indexes: { visited: 'visit_reports_visited_sort_idx', concern: 'visit_reports_concern_sort_idx' } },
  ]
  for (const { register, spec, query, indexes } of cases) {
    for (const [column, index] of Object.entries(indexes)) {
      test(`${register} by ${column}, both ways, first page and after a cursor: ${index}`, async () => {
        expect(Object.keys(spec.columns)).toContain(column)
        for (const dir of ['asc', 'desc'] as const) {
          const rows = await (await query({ sort: column, dir })).execute()
          expect(rows).toHaveLength(51)
          for (const after of [undefined, cursorOf(spec, { sort: column, dir }, rows[49])]) {
            const text = await plan(await query({ sort: column, dir, after }))
            const main = text.split('SubPlan')[0] // a cell's own subquery (string_agg … order by) may sort its few rows
            expect(main, text).toContain(`Index Scan${dir === 'desc' ? ' Backward' : ''} using ${index}`)
            if (index.endsWith('_unique')) {
              // A unique number: the index gives the order, the id only sorts groups of one row
              // (an incremental sort), and a cursor starts the scan at its number.
              expect(main, text).not.toMatch(/(^|->)\s*Sort\s+\(cost/m) // no full Sort node
              if (after) expect(main, text).toMatch(/Index Cond: .*archive_number [<>]=/)
            } else {
              expect(main, text).not.toMatch(/\bSort\b/)
              if (after) expect(main, text).toMatch(/Index Cond: .*ROW\(/)
            }
          }
        }
      })
    }
  }
  test('without its index the same query sorts the register (so the checks above can fail)', async () => {
    await t.owner.transaction().execute(async (trx) => {
      await sql`drop index followup_tasks_caseworker_sort_idx`.execute(trx)
      const compiled = tasksQuery(trx, sup2, { status: 'open', sort: 'caseworker', dir: 'asc' }, TODAY).limit(51).compile()
      const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain ${compiled.sql}`, query: undefined as never, queryId: undefined as never })
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/\bSort\b/)
      throw new Error('rolled back') // the index comes back
    }).catch((e: Error) => { if (e.message !== 'rolled back') throw e })
  })
})
