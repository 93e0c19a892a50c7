// Sortable columns and the town-of-residence filter of the six newer registers (decision 018),
// against real PostgreSQL: each register paged through its page function in every sortable order,
// ascending and descending, over data with many ties on the sort value, sees every row exactly once
// and in the order an independent comparison expects (by the value, then the id); a sort value not
// in the list is a filter error (the page keeps its own order, an export is refused); an export
// follows the chosen order across its batches; the town filter gives exactly its rows.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeViewer, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { v1Encrypt } from '../support/legacy-cipher.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { currentInstrument } from '#app/assessment/instruments.server.ts'
import { exportDownload, FilterError, requestExport, runExport } from '#app/ledgers/exports.server.ts'
import { ASSESSMENT_STATES, assessmentLedger, assessmentSort, parseAssessmentFilter, withAgency } from '#app/assessment/ledger.server.ts'
import { ACCESS_STATES, accessLedger, accessSort, parseAccessFilter } from '#app/archive/access-ledger.server.ts'
import { parseVisitReportFilter, visitReportLedger, visitReportSort } from '#app/followup/report-ledger.server.ts'
import { CONCERN_LEVELS } from '#app/followup/report-rules.ts'
import { parsePlacementFilter, placementLedger, placementSort, PLACEMENT_STATES } from '#app/followup/placement-ledger.server.ts'
import { parseRootseekingFilter, ROOTSEEKING_STATES, rootseekingLedger, rootseekingSort } from '#app/rootseeking/ledger.server.ts'
import { formatReference } from '#app/rootseeking/reference.ts'
import { DECISION_KINDS, decisionLedger, decisionSort, parseDecisionFilter } from '#app/registration/decisions-ledger.server.ts'
import type { SortOptions } from '#app/ledgers/sorting.ts'
import { expectedOrder, pageThrough as followPages, type Key } from '#tests/support/paging.ts'

const masterKey = parseMasterKey(generateMasterKey())
const cipher = createFieldCipher(masterKey)
// Fixture rows written straight to the tables carry format v1, which is read without a row binding.
const encryptFixture = (plaintext: string) => v1Encrypt(masterKey, plaintext)
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer, archivist: Viewer, approver: Viewer, cwA: Viewer, cwB: Viewer
let townA: string, townB: string, townOld: string
const N = 113 // three pages of 50: two full, one not
const LOW = '0000-00-00', HIGH = '9999-99-99'

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  archivist = await makeViewer(t.db, 'archivist')
  approver = await makeViewer(t.db, 'supervisor')
  cwA = await makeViewer(t.db, 'caseworker')
  cwB = await makeViewer(t.db, 'caseworker')
  // ASCII names and numbers: their order is the same under any collation the server may have.
  await t.db.updateTable('users').set({ display_name: sql`case when id = ${cwA.id} then 'Alpha' else 'Beta' end` }).where('id', 'in', [cwA.id, cwB.id]).execute()
  const town = async (code: string, name: string, retired: string | null = null) => (await t.db.insertInto('towns')
    .values({ registry_code: '500111', code, name, kind: 'town', retired_on: retired }).returning('id').executeTakeFirstOrThrow()).id
  townA = await town('500111001', '龙岗街道')
  townB = await town('500111002', '棠香街道')
  townOld = await town('500111003', '旧镇', '2025-01-01')
  const instrument = await currentInstrument(t.db, '500111')

  // Applications: N with an assessment, N ended by a decision (refused, dissolved or revoked), N
  // registered with a visit report; the town of residence cycles through A, B, the retired town,
  // abroad and none.
  const insertApplications = (purpose: string) => sql`
    insert into applications (registry_code, state, relation, placing_kind, received_on, registrar_id, created_by, approved_by, decision_proposed_by,
                              registration_number, registration_year, registered_on, decision, refusal_ground, refused_on, refusal_number, assessment,
                              residence_town_id, resides_abroad, recorded_before_town_rule)
    select '500111', s.state, 'none', 'welfare_institution', date '2026-01-01' + (g % 9), ${registrar.id}, ${registrar.id},
           case when s.state <> 'received' then ${supervisor.id}::bigint end, case when s.state <> 'received' then ${registrar.id}::bigint end,
           case when s.state in ('registered', 'dissolved', 'revoked') then ${purpose} || '-G-' || lpad(((g * 37) % ${N})::text, 3, '0') end,
           case when s.state in ('registered', 'dissolved', 'revoked') then 2026 end,
           case when s.state in ('registered', 'dissolved', 'revoked') then date '2026-03-01' + (g % 4) end,
           case when s.state = 'refused' then 'refuse' when s.state <> 'received' then 'register' end,
           case when s.state = 'refused' then 'other' end,
           case when s.state = 'refused' then date '2026-05-01' + (g % 6) end,
           case when s.state = 'refused' then 'R-' || lpad(((g * 41) % ${N})::text, 3, '0') end,
           'recommended',
           case g % 5 when 0 then ${townA}::bigint when 1 then ${townB}::bigint when 2 then ${townOld}::bigint end,
           g % 5 = 3,
           g % 5 = 4 -- none: a record from before the town was required (migration 0021)
    from generate_series(1, ${N}) g
    cross join lateral (select case ${purpose} when 'DEC' then (array['refused', 'dissolved', 'revoked'])[1 + g % 3]
                                               when 'VIS' then 'registered' else 'received' end as state) s
    returning id`
  const ids = async (purpose: string) => (await insertApplications(purpose).execute(t.db)).rows.map((r) => (r as { id: string }).id)
  const forAssessment = await ids('ASM')
  const forDecision = await ids('DEC')
  const forVisits = await ids('VIS')

  // Assessments: four states, five commissioning days, three due days; a third with a report in force on one of four days.
  await sql`
    insert into assessments (registry_code, application_id, instrument_id, mode, state, commissioned_by, commissioned_on, notice_on, consent_on, due_on, cancel_reason)
    select '500111', a.id, ${instrument.id}, 'in_house', (${sql.val(ASSESSMENT_STATES)}::text[])[1 + a.id % 4], ${registrar.id},
           date '2026-06-01' + (a.id % 5)::int, date '2026-06-01', date '2026-06-01', case when a.id % 7 <> 0 then date '2026-08-01' + (a.id % 3)::int end,
           case when (${sql.val(ASSESSMENT_STATES)}::text[])[1 + a.id % 4] = 'cancelled' then 'adopters_changed' end
    from applications a where a.id = any(${sql.val(forAssessment)}::bigint[])`.execute(t.db)
  await sql`
    insert into assessment_reports (assessment_id, version, number, conclusion, total, facts_enc, report_on, created_by, finalized_at)
    select s.id, 1, 'RPT-' || s.id, 'recommended', 80, ${encryptFixture('—')}, date '2026-07-01' + (s.id % 4)::int, ${registrar.id}, now()
    from assessments s where s.id % 3 = 0`.execute(t.db)

  // Decisions: dissolutions and revocations for those in these states, on a few days.
  await sql`
    insert into dissolutions (application_id, agreement_on, certificate_returned, number, dissolved_on, registered_by)
    select id, date '2026-09-01', true, 'D-' || lpad(((id * 13) % 1000)::text, 3, '0'), date '2026-09-01' + (id % 3)::int, ${registrar.id} from applications where state = 'dissolved'`.execute(t.db)
  await sql`
    insert into revocations (application_id, revoked_on, reason, certificate_confiscated, revoked_by)
    select id, date '2026-05-01' + (id % 6)::int, '以欺骗手段取得登记', true, ${supervisor.id} from applications where state = 'revoked'`.execute(t.db)

  // Visit reports: one per registered application's first visit, on one of six days, four concern levels, two caseworkers.
  await sql`
    insert into followup_tasks (registry_code, application_id, kind, sequence, due_on, window_from, window_to)
    select '500111', id, 'visit', 1, date '2026-10-01', date '2026-09-01', date '2026-11-01' from applications where id = any(${sql.val(forVisits)}::bigint[])`.execute(t.db)
  await sql`
    insert into visit_reports (task_id, status, visited_on, met_enc, daily_care_enc, health_enc, schooling_enc, bonding_enc, concern_level, concern_details_enc,
                               reported_to, reported_at, created_by, signed_by, signed_at)
    select f.id, 'submitted', date '2026-09-20' + (f.id % 6)::int, ${encryptFixture('x')}, ${encryptFixture('x')}, ${encryptFixture('x')}, ${encryptFixture('x')}, ${encryptFixture('x')},
           c.level, case when c.level <> 'none' then ${encryptFixture('x')} end,
           case when c.level = 'serious' then 'police' end, case when c.level = 'serious' then now() end,
           case when f.id % 2 = 0 then ${cwA.id}::bigint else ${cwB.id}::bigint end, case when f.id % 2 = 0 then ${cwA.id}::bigint else ${cwB.id}::bigint end, now()
    from followup_tasks f cross join lateral (select (${sql.val(CONCERN_LEVELS)}::text[])[1 + f.id % 4] as level) c
    where f.kind = 'visit'`.execute(t.db)

  // Archive files (one per assessment application) and access requests: five request days, three decision days, every shown state.
  await sql`
    insert into archive_files (registry_code, application_id, type, year, seq, archive_number, title, state, due_on)
    select '500111', id, 'establishment', 2026, id, 'A-' || lpad(((id * 53) % 1000)::text, 4, '0'), '卷' || id, 'open', date '2027-01-01'
    from applications where id = any(${sql.val(forAssessment)}::bigint[])`.execute(t.db)
  await sql`
    insert into archive_access_requests (file_id, requester_kind, requester_name, purpose, staff_id, created_by, created_at, state, decided_by, decided_at, decision_reason, valid_until)
    select f.id, 'other', 'Req-' || (f.id % 7), '查阅', ${archivist.id}, ${archivist.id}, timestamptz '2026-04-01 10:00+08' + make_interval(days => (f.id % 5)::int), s.state,
           case when s.state in ('approved', 'refused') then ${approver.id}::bigint end,
           case when s.state in ('approved', 'refused') then timestamptz '2026-04-10 10:00+08' + make_interval(days => (f.id % 3)::int) end,
           case when s.state in ('approved', 'refused') then '依规定' end,
           case when s.state = 'approved' then (case when (f.id / 4) % 2 = 0 then timestamptz '2026-05-01 00:00+08' else timestamptz '2099-01-01 00:00+08' end) end
    from archive_files f cross join lateral (select (array['pending', 'approved', 'refused', 'withdrawn'])[1 + f.id % 4] as state) s`.execute(t.db)

  // Intercountry adoptions in three countries, three post-placement reports each, every state but those needing a receipt.
  await sql`
    insert into intercountry_adoptions (registry_code, registration_number, registered_on, approved_on, child_name, child_birth_date, adopters, country, agency, created_by)
    select '500111', 'IC-' || lpad(((g * 7) % 40)::text, 3, '0'), date '2020-01-01', date '2019-12-01', '福' || g, date '2018-01-01', 'A & B',
           (array['Canada', 'Italy', 'USA'])[1 + g % 3], 'Agency', ${registrar.id}
    from generate_series(1, 38) g`.execute(t.db)
  await sql`
    insert into followup_tasks (registry_code, intercountry_id, kind, sequence, due_on, window_from, window_to, status, cancel_reason, closed_at)
    select '500111', ic.id, 'post_placement_report', q, date '2026-06-01' + (((ic.id + q) % 4) * 90)::int,
           date '2026-05-01' + (((ic.id + q) % 4) * 90)::int, date '2026-07-01' + (((ic.id + q) % 4) * 90)::int,
           s.status, case when s.status = 'cancelled' then 'other' end, case when s.status <> 'open' then now() end
    from intercountry_adoptions ic cross join generate_series(1, 3) q
    cross join lateral (select (array['open', 'open', 'done', 'cancelled'])[1 + (ic.id * 3 + q) % 4] as status) s`.execute(t.db)

  // Root-seeking requests: six states, four receipt days, three countries; a third with a planned visit.
  await sql`
    insert into rootseeking_requests (registry_code, reference, channel, state, applicant_name, nationality, residence_country, email, language, time_zone,
      adoptee_name_then, adoptee_name_now, adoptee_birth_date, registration_number, registration_date, institution, wished_from, wished_to, wished_places, message,
      received_on, reply_due_on, paper_archive_reference, verified_by, verified_at, decided_by, decided_at, decline_reasons)
    select '500111', 'RSRSRSRS' || translate(lpad(g::text, 4, '0'), '0123456789', 'ABCDEFGHIJ'), 'online', (${sql.val(ROOTSEEKING_STATES)}::text[])[1 + g % 6], 'Family ' || g, 'USA',
           (array['Canada', 'Italy', 'USA'])[1 + g % 3], 'family@example.test', 'en', 'America/New_York', '福', 'Mei', date '2005-04-01',
           '渝涉外收字（2006）第0012号', date '2006-05-10', '福利院', date '2027-04-01', date '2027-04-10', '福利院', '—',
           date '2026-10-01' + (g % 4), date '2026-10-15' + (g % 5),
           '纸质档案 2006-12', ${registrar.id}, now(), ${registrar.id}, now(), case when g % 6 = 2 then 'other' end
    from generate_series(1, ${N}) g`.execute(t.db)
  await sql`
    insert into rootseeking_receptions (request_id, caseworker_id, state, visit_on, starts_at, ends_at, places, receiving_staff, interpreter, institution_contact, may_show, no_fee, planned_by)
    select id, ${cwA.id}, 'planned', date '2027-04-01' + (id % 3)::int, '09:00', '12:00', '福利院', '张三', '李四', '王五', '房间', true, ${registrar.id}
    from rootseeking_requests where id % 3 = 0`.execute(t.db)
})
afterAll(async () => { await t.destroy() })


/** Follows the page's "next" links from the first page (as the browser does: the URL's sort, dir and after). */
function pageThrough(params: Record<string, string>, page: (raw: URLSearchParams) => Promise<{ rows: { id: string }[]; next: string | null; errors: Record<string, unknown> }>) {
  return followPages(async (after) => {
    const result = await page(new URLSearchParams({ ...params, ...(after ? { after } : {}) }))
    expect(result.errors).toEqual({})
    return result
  }, 20)
}

/** Every sortable column of a register, both directions: each row once, in order, across pages. */
function sortCases<R extends { id: string }>(options: SortOptions, all: () => Promise<R[]>, values: Record<string, (r: R) => Key>,
  page: (raw: URLSearchParams) => Promise<{ rows: { id: string }[]; next: string | null; errors: Record<string, unknown> }>, extra: Record<string, string> = {}) {
  test('every sortable column has its expected order in this test', () => {
    expect(Object.keys(values).sort()).toEqual(Object.keys(options.columns).sort())
  })
  for (const column of Object.keys(values)) {
    for (const dir of ['asc', 'desc'] as const) {
      test(`sorted by ${column} ${dir}: every row once, in order, across pages`, async () => {
        const rows = await all()
        expect(rows.length).toBeGreaterThan(100)
        const { ids, pages } = await pageThrough({ ...extra, sort: column, dir }, page)
        expect(pages).toBe(Math.ceil(rows.length / 50))
        expect(new Set(ids).size).toBe(rows.length)
        expect(ids).toEqual(expectedOrder(rows, values[column], dir))
      })
    }
  }
}

/** The first column of an export made with `params`, run in small batches (the cursor carries across them). */
async function exportedFirstColumn(viewer: Viewer, ledger: string, params: Record<string, unknown>) {
  const id = await requestExport(t.db, viewer, { ledger, params, format: 'csv', locale: 'zh' })
  await runExport(t.db, cipher, id, { batch: 7 })
  const { chunks } = await exportDownload(t.db, cipher, viewer, id)
  const parts: Buffer[] = []
  for await (const c of chunks) parts.push(c)
  return Buffer.concat(parts).toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0])
}

/** A sort value that is not a column: named as the filter's error; the page keeps its own order; an export is refused. */
async function expectBadSortRefused(viewer: Viewer, ledger: string, parse: (raw: Record<string, unknown>) => { errors: Record<string, unknown> },
  page: (raw: URLSearchParams) => Promise<{ rows: { id: string }[]; errors: Record<string, unknown> }>) {
  expect(parse({ sort: 'adopters' }).errors).toEqual({ sort: 'ledger.filter.notInList' })
  expect(parse({ sort: 'id', dir: 'sideways' }).errors).toEqual({ dir: 'ledger.filter.notInList' })
  const result = await page(new URLSearchParams({ sort: "id'; drop table applications; --" }))
  expect(result.errors).toEqual({ sort: 'ledger.filter.notInList' })
  const ids = result.rows.map((r) => BigInt(r.id))
  expect(ids.length).toBe(50)
  expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))) // newest first
  // A cursor that does not fit the chosen order is named, not followed (the first page is shown).
  expect((await page(new URLSearchParams({ after: '2026-01-01|5' }))).errors).toEqual({ after: 'ledger.filter.notInList' })
  await expect(requestExport(t.db, viewer, { ledger, params: { sort: 'adopters' }, format: 'csv', locale: 'zh' }))
    .rejects.toSatisfy((e) => e instanceof FilterError && e.fields.sort === 'ledger.filter.notInList')
}

describe('assessments register', () => {
  const all = () => t.db.selectFrom('assessments as s')
    .leftJoin('assessment_reports as r', (j) => j.onRef('r.assessment_id', '=', 's.id').on('r.finalized_at', 'is not', null).on('r.superseded_at', 'is', null))
    .select(['s.id', 's.state', 's.commissioned_on', 's.due_on', 'r.report_on']).execute()
  type R = Awaited<ReturnType<typeof all>>[number]
  const page = async (raw: URLSearchParams) => assessmentLedger(t.db, await withAgency(t.db, supervisor), raw, TODAY)
  sortCases<R>(assessmentSort, all, {
    id: (r) => Number(r.id),
    state: (r) => ASSESSMENT_STATES.indexOf(r.state),
    commissioned: (r) => r.commissioned_on,
    completed: (r) => r.report_on ?? LOW,
    daysLeft: (r) => ((r.state === 'open' || r.state === 'signing') && r.due_on ? r.due_on : HIGH),
  }, page)

  test('a bad sort is refused; an export follows the chosen order', async () => {
    await expectBadSortRefused(supervisor, 'assessments', parseAssessmentFilter, page)
    const rows = await all()
    expect(await exportedFirstColumn(supervisor, 'assessments', { sort: 'daysLeft', dir: 'asc', after: '1' }))
      .toEqual(expectedOrder(rows, (r) => ((r.state === 'open' || r.state === 'signing') && r.due_on ? r.due_on : HIGH), 'asc'))
  })

  test('the town filter gives exactly the assessments of that town; a town not in the list is named', async () => {
    const of = async (town: string) => (await t.db.selectFrom('assessments as s').innerJoin('applications as a', 'a.id', 's.application_id').select('s.id')
      .where(town === 'abroad' ? sql<boolean>`a.resides_abroad` : town === 'none' ? sql<boolean>`a.residence_town_id is null and not a.resides_abroad` : sql<boolean>`a.residence_town_id = ${town}`)
      .orderBy('s.id', 'desc').execute()).map((r) => r.id)
    for (const town of [townA, townOld, 'abroad', 'none']) {
      const { ids } = await pageThrough({ town }, page)
      expect(ids.length).toBeGreaterThan(10)
      expect(ids).toEqual(await of(town))
    }
    const { ids } = await pageThrough({ town: townB, sort: 'commissioned', dir: 'asc' }, page)
    expect(new Set(ids)).toEqual(new Set(await of(townB)))
    const forged = await page(new URLSearchParams({ town: '999999' }))
    expect(forged.errors).toEqual({ town: 'ledger.filter.notInList' })
    expect(forged.filter.town).toBeUndefined()
    expect(parseAssessmentFilter({ town: 'mars' }).errors).toEqual({ town: 'ledger.filter.notInList' })
    expect(await exportedFirstColumn(supervisor, 'assessments', { town: townA })).toEqual(await of(townA))
  })
})

describe('access request register', () => {
  const shanghaiDay = (at: Date | null) => (at ? new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) : LOW)
  const all = () => t.db.selectFrom('archive_access_requests as r').innerJoin('archive_files as f', 'f.id', 'r.file_id')
    .select(['r.id', 'r.created_at', 'r.decided_at', 'r.state', 'r.valid_until', 'r.requester_name', 'f.archive_number']).execute()
  type R = Awaited<ReturnType<typeof all>>[number]
  const shown = (r: R) => (r.state === 'approved' && r.valid_until && r.valid_until < new Date() ? 'expired' : r.state)
  const page = (raw: URLSearchParams) => accessLedger(t.db, archivist, raw, TODAY)
  sortCases<R>(accessSort, all, {
    id: (r) => Number(r.id),
    requested: (r) => shanghaiDay(r.created_at),
    decided: (r) => shanghaiDay(r.decided_at),
    state: (r) => ACCESS_STATES.indexOf(shown(r)),
    number: (r) => r.archive_number,
    requester: (r) => r.requester_name,
  }, page)

  test('every shown state is among the rows; a bad sort is refused; an export follows the chosen order', async () => {
    expect(new Set((await all()).map(shown))).toEqual(new Set(ACCESS_STATES))
    await expectBadSortRefused(archivist, 'access_requests', parseAccessFilter, page)
    expect(await exportedFirstColumn(archivist, 'access_requests', { sort: 'state', dir: 'desc' }))
      .toEqual(expectedOrder(await all(), (r) => ACCESS_STATES.indexOf(shown(r)), 'desc'))
  })
})

describe('visit report register', () => {
  const names = () => new Map([[cwA.id, 'Alpha'], [cwB.id, 'Beta']])
  const all = () => t.db.selectFrom('visit_reports as r').innerJoin('followup_tasks as f', 'f.id', 'r.task_id').innerJoin('applications as a', 'a.id', 'f.application_id')
    .select(['r.id', 'r.visited_on', 'r.concern_level', 'r.signed_by', 'a.registration_number', 'a.residence_town_id', 'a.resides_abroad']).execute()
  type R = Awaited<ReturnType<typeof all>>[number]
  const page = (raw: URLSearchParams) => visitReportLedger(t.db, supervisor, raw, TODAY)
  sortCases<R>(visitReportSort, all, {
    id: (r) => Number(r.id),
    visited: (r) => r.visited_on,
    concern: (r) => CONCERN_LEVELS.indexOf(r.concern_level),
    caseworker: (r) => names().get(r.signed_by ?? '') ?? '',
    case: (r) => r.registration_number ?? '',
  }, page)

  test('a bad sort is refused; an export follows the chosen order', async () => {
    await expectBadSortRefused(supervisor, 'visit_reports', parseVisitReportFilter, page)
    expect(await exportedFirstColumn(supervisor, 'visit_reports', { sort: 'concern', dir: 'desc' }))
      .toEqual(expectedOrder(await all(), (r) => CONCERN_LEVELS.indexOf(r.concern_level), 'desc'))
  })

  test('the town filter gives exactly the reports of that town, with another filter and a sort', async () => {
    const rows = await all()
    const inTown = (town: string) => (r: R) => (town === 'abroad' ? r.resides_abroad : town === 'none' ? r.residence_town_id === null && !r.resides_abroad : r.residence_town_id === town)
    for (const town of [townA, townB, townOld, 'abroad', 'none']) {
      const { ids } = await pageThrough({ town, sort: 'visited', dir: 'asc' }, page)
      expect(ids.length).toBeGreaterThan(10)
      expect(ids).toEqual(expectedOrder(rows.filter(inTown(town)), (r) => r.visited_on, 'asc'))
    }
    const { ids } = await pageThrough({ town: townA, concern: 'serious' }, page)
    expect(ids).toEqual(rows.filter((r) => inTown(townA)(r) && r.concern_level === 'serious').map((r) => r.id).sort((a, b) => Number(b) - Number(a)))
    expect((await page(new URLSearchParams({ town: '424242' }))).errors).toEqual({ town: 'ledger.filter.notInList' })
    expect(await exportedFirstColumn(supervisor, 'visit_reports', { town: 'abroad', sort: 'case', dir: 'asc' }))
      .toEqual(expectedOrder(rows.filter(inTown('abroad')), (r) => r.registration_number ?? '', 'asc'))
  })
})

describe('post-placement report register', () => {
  const all = () => t.db.selectFrom('followup_tasks as f').innerJoin('intercountry_adoptions as ic', 'ic.id', 'f.intercountry_id')
    .select(['f.id', 'f.due_on', 'f.window_to', 'f.status', 'ic.country', 'ic.registration_number']).where('f.kind', '=', 'post_placement_report').execute()
  type R = Awaited<ReturnType<typeof all>>[number]
  const state = (r: R) => (r.status === 'done' ? 'accepted' : r.status === 'cancelled' ? 'cancelled' : r.window_to < TODAY ? 'overdue' : 'expected')
  const page = (raw: URLSearchParams) => placementLedger(t.db, registrar, raw, TODAY)
  sortCases<R>(placementSort, all, {
    id: (r) => Number(r.id),
    due: (r) => r.due_on,
    country: (r) => r.country,
    state: (r) => PLACEMENT_STATES.indexOf(state(r)),
    number: (r) => r.registration_number,
    received: () => LOW, // nothing received yet: all ties, in id order
  }, page)

  test('four states among the rows; a bad sort is refused; an export follows the chosen order', async () => {
    expect(new Set((await all()).map(state))).toEqual(new Set(['accepted', 'cancelled', 'overdue', 'expected']))
    await expectBadSortRefused(registrar, 'placement_reports', parsePlacementFilter, page)
    expect(await exportedFirstColumn(registrar, 'placement_reports', { country: 'Italy', sort: 'due', dir: 'asc' }))
      .toEqual(expectedOrder((await all()).filter((r) => r.country === 'Italy'), (r) => r.due_on, 'asc'))
  })
})

describe('root-seeking request register', () => {
  const all = () => t.db.selectFrom('rootseeking_requests as r').leftJoin('rootseeking_receptions as p', 'p.request_id', 'r.id')
    .select(['r.id', 'r.reference', 'r.received_on', 'r.reply_due_on', 'r.residence_country', 'r.state', 'p.visit_on']).execute()
  type R = Awaited<ReturnType<typeof all>>[number]
  const page = (raw: URLSearchParams) => rootseekingLedger(t.db, registrar, raw, TODAY)
  sortCases<R>(rootseekingSort, all, {
    id: (r) => Number(r.id),
    received: (r) => r.received_on,
    due: (r) => r.reply_due_on,
    country: (r) => r.residence_country,
    state: (r) => ROOTSEEKING_STATES.indexOf(r.state),
    visit: (r) => r.visit_on ?? HIGH,
  }, page)

  test('a bad sort is refused; an export follows the chosen order', async () => {
    await expectBadSortRefused(registrar, 'rootseeking', (raw) => parseRootseekingFilter(raw), page)
    const rows = await all()
    const byId = new Map(rows.map((r) => [r.id, formatReference(r.reference)]))
    expect(await exportedFirstColumn(registrar, 'rootseeking', { sort: 'country', dir: 'desc' }))
      .toEqual(expectedOrder(rows, (r) => r.residence_country, 'desc').map((id) => byId.get(id)))
  })
})

describe('refusals, dissolutions and revocations register', () => {
  const all = () => t.db.selectFrom('applications as a').leftJoin('dissolutions as d', 'd.application_id', 'a.id').leftJoin('revocations as v', 'v.application_id', 'a.id')
    .select(['a.id', 'a.state', 'a.refused_on', 'a.refusal_number', 'a.registration_number', 'd.dissolved_on', 'd.number', 'v.revoked_on', 'a.residence_town_id', 'a.resides_abroad'])
    .where('a.state', 'in', ['refused', 'dissolved', 'revoked']).execute()
  type R = Awaited<ReturnType<typeof all>>[number]
  const decided = (r: R) => (r.state === 'refused' ? r.refused_on : r.state === 'dissolved' ? r.dissolved_on : r.revoked_on) ?? LOW
  const number = (r: R) => (r.state === 'refused' ? r.refusal_number : r.state === 'dissolved' ? r.number : r.registration_number) ?? ''
  const page = (raw: URLSearchParams) => decisionLedger(t.db, supervisor, raw, TODAY)
  sortCases<R>(decisionSort, all, {
    id: (r) => Number(r.id),
    decided,
    kind: (r) => DECISION_KINDS.indexOf(r.state as (typeof DECISION_KINDS)[number]),
    number,
  }, page)

  test('a bad sort is refused; an export follows the chosen order', async () => {
    await expectBadSortRefused(supervisor, 'decisions', parseDecisionFilter, page)
    expect(await exportedFirstColumn(supervisor, 'decisions', { sort: 'number', dir: 'asc' })).toEqual(expectedOrder(await all(), number, 'asc'))
  })

  test('the town filter gives exactly the decisions of that town, a retired town too; with a kind and a sort', async () => {
    const rows = await all()
    const inTown = (town: string) => (r: R) => (town === 'abroad' ? r.resides_abroad : town === 'none' ? r.residence_town_id === null && !r.resides_abroad : r.residence_town_id === town)
    for (const town of [townA, townB, townOld, 'abroad', 'none']) {
      const { ids } = await pageThrough({ town, sort: 'decided', dir: 'desc' }, page)
      expect(ids.length).toBeGreaterThan(10)
      expect(ids).toEqual(expectedOrder(rows.filter(inTown(town)), decided, 'desc'))
    }
    const { ids } = await pageThrough({ town: townB, kind: 'refused' }, page)
    expect(ids).toEqual(rows.filter((r) => inTown(townB)(r) && r.state === 'refused').map((r) => r.id).sort((a, b) => Number(b) - Number(a)))
    const forged = await page(new URLSearchParams({ town: '31337', kind: 'dissolved' }))
    expect(forged.errors).toEqual({ town: 'ledger.filter.notInList' })
    expect(forged.rows.map((r) => r.id)).toEqual(rows.filter((r) => r.state === 'dissolved').map((r) => r.id).sort((a, b) => Number(b) - Number(a)))
    expect(await exportedFirstColumn(supervisor, 'decisions', { town: 'none', sort: 'kind', dir: 'asc' }))
      .toEqual(expectedOrder(rows.filter(inTown('none')), (r) => DECISION_KINDS.indexOf(r.state as (typeof DECISION_KINDS)[number]), 'asc'))
  })
})
