// The year's figures on a small known data set: every number exact, the previous year apart, the
// other registry's records never counted; the monitoring report PDF and workbook carry them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { currentVersion, makeReadyApplication, makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { makeUser } from '#tests/support/factories.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { approveDecision, proposeDecision, registerDissolution } from '#app/registration/decisions.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { currentInstrument } from '#app/assessment/instruments.server.ts'
import { figuresByTown, overdueVisitsByCaseworker, yearFigures } from '#app/statistics/figures.server.ts'
import { parseYear, statisticsOf } from '#app/statistics/page.server.ts'
import { makePlannedReception, makeRegistration } from '#tests/support/followup-jobs.ts'
import { monitoringReportPdf, monitoringWorkbook } from '#app/statistics/report.server.ts'
import { expectCleanInTools, expectEmbeddedSubsets, expectInOrder, pdftotext, squash, writeTemp } from '#documents/pdf-checks.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer, supervisor: Viewer
let caseworker: { id: string }
let towns: Record<'longgang' | 'longshui' | 'wangu' | 'shima', string>

const setRegistered = (id: string, on: string, relation: 'none' | 'relative' | 'stepchild' = 'none') =>
  t.db.updateTable('applications').set({ registered_on: on, relation }).where('id', '=', id).execute()

beforeAll(async () => {
  t = await testDatabase()
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  await ensureRegistry(t.db, '500222', '另一个民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  caseworker = await makeUser(t.db, { roles: ['caseworker'], registryCode: '500111' })
  await t.db.updateTable('users').set({ display_name: '张回访' }).where('id', '=', caseworker.id).execute()

  // 2026: two ordinary in March, one by a relative in July, one stepchild in November (dissolved
  // later that month); 2025: one ordinary. Another registry: one in March 2026 (never counted).
  const a = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  const b = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  const c = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  const d = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  const old = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
  await setRegistered(a, '2026-03-10')
  await setRegistered(b, '2026-03-31')
  await setRegistered(c, '2026-07-01', 'relative')
  await setRegistered(d, '2026-11-02', 'stepchild')
  await setRegistered(old, '2025-12-31')
  await registerDissolution(t.db, cipher, registrar, d, await currentVersion(t.db, d), { agreementOn: TODAY, childConsents: null, certificateReturned: true }, TODAY)
  const foreignRegistrar = await makeViewer(t.db, 'registrar', '500222')
  const foreignSupervisor = await makeViewer(t.db, 'supervisor', '500222')
  const foreign = await makeRegisteredAdoption(t.db, cipher, foreignRegistrar, foreignSupervisor)
  await setRegistered(foreign, '2026-03-15')

  // Refusals in 2026: two for the age gap, one on the assessment.
  for (const ground of ['age_gap', 'age_gap', 'assessment_not_recommended'] as const) {
    const id = await makeReadyApplication(t.db, cipher, registrar)
    await proposeDecision(t.db, cipher, registrar, id, await currentVersion(t.db, id), { decision: 'refuse', ground, facts: '事实', basis: '依据' }, TODAY)
    await approveDecision(t.db, cipher, supervisor, id, await currentVersion(t.db, id), {}, TODAY)
  }

  // Assessment reports standing in 2026: two recommending, one not; one superseded (not counted).
  const instrument = await currentInstrument(t.db, '500111')
  const { id: assessmentId } = await t.db.insertInto('assessments').values({
    registry_code: '500111', application_id: a, instrument_id: instrument.id, mode: 'in_house', commissioned_by: registrar.id, commissioned_on: '2026-01-05',
  } as never).returning('id').executeTakeFirstOrThrow()
  const report = (n: number, conclusion: string, superseded: boolean) => t.db.insertInto('assessment_reports').values({
    assessment_id: assessmentId, version: n, number: `R-${n}`, conclusion, total: 85, facts_enc: 'x', report_on: '2026-02-01', reason: n > 1 ? '更正' : null, created_by: registrar.id,
    finalized_at: new Date(), superseded_at: superseded ? new Date() : null,
  } as never).execute()
  await report(1, 'not_recommended', true)
  await report(2, 'recommended', false)
  await report(3, 'recommended', false)
  await report(4, 'not_recommended', false)

  // Visits: a's first visit made within its window, b's first outside it, c's first still a draft.
  const firstTask = async (app: string) => (await t.db.selectFrom('followup_tasks').select(['id', 'window_from', 'window_to']).where('application_id', '=', app).where('sequence', '=', 1).executeTakeFirstOrThrow())
  const visit = async (app: string, on: (task: { window_from: string; window_to: string }) => string, status: 'draft' | 'submitted') => {
    const task = await firstTask(app)
    await t.db.insertInto('visit_reports').values({
      task_id: task.id, status, visited_on: on(task), outside_window_reason: 'x', met_enc: 'x', daily_care_enc: 'x', health_enc: 'x', schooling_enc: 'x', bonding_enc: 'x',
      concern_level: 'none', created_by: registrar.id, ...(status === 'submitted' ? { signed_by: registrar.id, signed_at: new Date() } : {}),
    } as never).execute()
  }
  await visit(a, (task) => task.window_from, 'submitted')
  await visit(b, (task) => addDays(task.window_from, -1), 'submitted')
  await visit(c, (task) => task.window_from, 'draft')

  // Root-seeking: two families from the Netherlands and one from Canada received in 2026, one planned only.
  for (const [country, recorded] of [['Netherlands', true], ['Netherlands', true], ['Canada', true], ['Canada', false]] as const) {
    const reg = await makeRegistration(t.db, '500111', registrar.id)
    await setRegistered(reg.id, '2010-01-05') // an adoption of long ago, outside the years compared
    const id = await makePlannedReception(t.db, { registryCode: '500111', applicationId: reg.id, registrationNumber: reg.number, caseworkerId: caseworker.id, plannerId: registrar.id })
    await t.db.updateTable('rootseeking_requests').set({ residence_country: country }).where('id', '=', id).execute()
    if (recorded) {
      await t.db.updateTable('rootseeking_receptions').set({ state: 'recorded', attendees: 'Anna\nMei', visited_on: '2026-10-02', recorded_by: registrar.id, recorded_at: new Date() })
        .where('request_id', '=', id).execute()
    }
  }

  // Overdue today: two of c's visits for the caseworker, one unassigned of b's.
  const open = await t.db.selectFrom('followup_tasks').select('id').where('status', '=', 'open').where('application_id', 'in', [b, c]).orderBy('id').execute()
  await t.db.updateTable('followup_tasks').set({ window_from: '2026-10-01', due_on: '2026-10-10', window_to: '2026-10-20' }).where('id', 'in', open.slice(0, 3).map((o) => o.id)).execute()
  await t.db.updateTable('followup_tasks').set({ caseworker_id: caseworker.id }).where('id', 'in', open.slice(0, 2).map((o) => o.id)).execute()

  // Towns of residence: a and b in 龙岗街道, c abroad, d not recorded, last year's in 万古镇 (retired
  // since); 龙水镇 in use with nobody, 石马镇 retired with nobody (not shown). The other registry's
  // registration has a town of its own (never counted).
  const town = async (registry: string, code: string, name: string, retiredOn: string | null = null) =>
    (await t.db.insertInto('towns').values({ registry_code: registry, code, name, kind: 'town', retired_on: retiredOn }).returning('id').executeTakeFirstOrThrow()).id
  towns = {
    longgang: await town('500111', '500111001', '龙岗街道'),
    longshui: await town('500111', '500111101', '龙水镇'),
    wangu: await town('500111', '500111108', '万古镇', '2026-06-30'),
    shima: await town('500111', '500111106', '石马镇', '2025-01-01'),
  }
  const foreignTown = await town('500222', '500222001', '别处街道')
  // The factories gave every registration its registry's test town (测试镇); all have moved out of
  // it above or below, and it is retired in both registries: a retired town with nobody is not listed.
  await t.db.updateTable('towns').set({ retired_on: '2025-01-01' }).where('name', '=', '测试镇').execute()
  await t.db.updateTable('applications').set({ residence_town_id: towns.longgang }).where('id', 'in', [a, b]).execute()
  await t.db.updateTable('applications').set({ resides_abroad: true, residence_town_id: null }).where('id', '=', c).execute()
  // d: made before the rule that every registration names its town (migration 0021).
  await t.db.updateTable('applications').set({ residence_town_id: null, recorded_before_town_rule: true }).where('id', '=', d).execute()
  await t.db.updateTable('applications').set({ residence_town_id: towns.wangu }).where('id', '=', old).execute()
  await t.db.updateTable('applications').set({ residence_town_id: foreignTown }).where('id', '=', foreign).execute()
})
afterAll(async () => { await t.destroy() })

function addDays(iso: string, days: number) {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

describe('statistics', () => {
  test('registrations per month and kind, refusals by ground, dissolutions, assessments, visits: exact', async () => {
    const f = await yearFigures(t.db, '500111', 2026)
    expect(f.registrations).toEqual({ none: 2, relative: 1, stepchild: 1, total: 4 })
    expect(f.registrationsByMonth[2]).toEqual({ none: 2, relative: 0, stepchild: 0 })
    expect(f.registrationsByMonth[6]).toEqual({ none: 0, relative: 1, stepchild: 0 })
    expect(f.registrationsByMonth[10]).toEqual({ none: 0, relative: 0, stepchild: 1 })
    expect(f.registrationsByMonth.reduce((s, m) => s + m.none + m.relative + m.stepchild, 0)).toBe(4)
    expect(f.refusalsByGround).toMatchObject({ age_gap: 2, assessment_not_recommended: 1, other: 0, total: 3 })
    expect(f.dissolutions).toBe(1)
    expect(f.revocations).toBe(0)
    expect(f.assessments).toEqual({ recommended: 2, notRecommended: 1 })
    expect(f.visits).toEqual({ done: 2, withinWindow: 1 })
  })

  test('root-seeking visits received in the year, per country of residence', async () => {
    const s = await statisticsOf(t.db, '500111', 2026, TODAY)
    expect(s.rootSeekingByCountry).toEqual([{ country: 'Canada', visits: 1 }, { country: 'Netherlands', visits: 2 }])
    expect((await statisticsOf(t.db, '500111', 2025, TODAY)).rootSeekingByCountry).toEqual([])
  })

  test('the previous year is apart', async () => {
    const f = await yearFigures(t.db, '500111', 2025)
    expect(f.registrations.total).toBe(1)
    expect(f.registrationsByMonth[11].none).toBe(1)
    expect(f.refusalsByGround.total).toBe(0)
  })

  test('overdue visits today by responsible caseworker, the unassigned apart', async () => {
    expect(await overdueVisitsByCaseworker(t.db, '500111', TODAY)).toEqual([{ name: '张回访', count: 2 }, { name: null, count: 1 }])
  })

  test('registrations per town of residence, abroad and not recorded apart, adding up to the year; open visits of the year', async () => {
    const rows = await figuresByTown(t.db, '500111', 2026, TODAY)
    const brief = rows.map((r) => [r.place, r.name, r.retired, r.current, r.previous, r.visitsOpen, r.visitsOverdue])
    expect(brief).toEqual([
      // a and b; a's first visit due in December, b's three moved to October and overdue.
      ['town', '龙岗街道', false, 2, 0, 4, 3],
      ['town', '龙水镇', false, 0, 0, 0, 0],
      // 石马镇 (retired, nobody) is left out; 万古镇 (retired since) keeps last year's registration and its visit.
      ['town', '万古镇', true, 0, 1, 1, 0],
      ['abroad', null, false, 1, 0, 1, 0],
      // d: its visits were cancelled with the dissolution.
      ['none', null, false, 1, 0, 0, 0],
    ])
    expect(rows.reduce((n, r) => n + r.current, 0)).toBe((await yearFigures(t.db, '500111', 2026)).registrations.total)
    expect(rows.reduce((n, r) => n + r.previous, 0)).toBe((await yearFigures(t.db, '500111', 2025)).registrations.total)
    const before = await figuresByTown(t.db, '500111', 2025, TODAY)
    expect(before.map((r) => [r.name ?? r.place, r.current, r.previous, r.visitsOpen])).toEqual([
      ['龙岗街道', 0, 0, 0], ['龙水镇', 0, 0, 0], ['万古镇', 1, 0, 0], ['abroad', 0, 0, 0], ['none', 0, 0, 0],
    ])
    // The other registry sees only its own town and registration (and its own open visit).
    expect((await figuresByTown(t.db, '500222', 2026, TODAY)).map((r) => [r.name ?? r.place, r.current, r.visitsOpen])).toEqual([
      ['别处街道', 1, 1], ['abroad', 0, 0], ['none', 0, 0],
    ])
  })

  test('a year not in the list is refused with a message, this year shown', () => {
    expect(parseYear('2026', TODAY)).toEqual({ year: 2026, error: false })
    expect(parseYear('1899', TODAY)).toEqual({ year: 2026, error: true })
    expect(parseYear('2027', TODAY)).toEqual({ year: 2026, error: true })
    expect(parseYear('20x6', TODAY)).toEqual({ year: 2026, error: true })
    expect(parseYear(null, TODAY)).toEqual({ year: 2026, error: false })
  })

  test('the monitoring report PDF and workbook carry the same figures', async () => {
    const path = writeTemp('monitoring-int.pdf', await monitoringReportPdf(t.db, supervisor, 2026, TODAY))
    const text = squash(pdftotext(path))
    // The per-town table between the main figures and the charts, in the list's order, its total last.
    expectInOrder(text, [
      '一、主要指标（与上年对比）',
      '二、按收养人居住地（与上年对比）',
      '居住地乡镇（街道）2026年2025年增减未完成回访其中逾期',
      '龙岗街道20+243',
      '龙水镇00000',
      '万古镇（已停用）01-110',
      '国外居住10+110',
      '未记录居住地10+100',
      '合计41+363',
      '三、图表',
    ])
    expect(text).not.toContain('石马镇')
    expect(text).not.toContain('别处街道')
    expectEmbeddedSubsets(expectCleanInTools(path).fonts)
    expect(text).toContain('收养登记41+3')
    expect(text).toContain('不予登记30+3')
    expect(text).toContain('其中在规定期间内10+150%——') // the share: no visits last year, so no share and no change then
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.read(Readable.from(await monitoringWorkbook(t.db, supervisor, 2026, TODAY, 'zh')))
    const summary = workbook.worksheets[0]
    expect(summary.getRow(2).values).toEqual([undefined, '收养登记', 4, 1, 3])
    const share = summary.getRow(13)
    expect(share.getCell(1).value).toBe('按期回访率')
    expect(share.getCell(2).value).toBe(0.5)
    expect(share.getCell(2).numFmt).toBe('0.0%')
    const byTown = workbook.worksheets[1]
    expect(byTown.name).toBe('2026年按居住地')
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => (byTown.getRow(n).values as unknown[]).slice(1))).toEqual([
      ['居住地乡镇（街道）', '2026 年', '2025 年', '增减', '未完成回访', '其中逾期'],
      ['龙岗街道', 2, 0, 2, 4, 3],
      ['龙水镇', 0, 0, 0, 0, 0],
      ['万古镇（已停用）', 0, 1, -1, 1, 0],
      ['国外居住', 1, 0, 1, 1, 0],
      ['未记录居住地', 1, 0, 1, 0, 0],
      ['合计', 4, 1, 3, 6, 3],
    ])
    expect(byTown.getRow(7).font?.bold).toBe(true)
    expect(byTown.rowCount).toBe(7)
    const printed = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'statistics.report_printed').execute()
    expect(printed.length).toBe(2)
  })
})
