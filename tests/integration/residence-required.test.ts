// The town of residence on every registration (decision 022) against real PostgreSQL: the
// correction of an imported registration sets it (recorded, audited, in the town filter at once),
// a town of another registry or a retired one refused next to the field with nothing saved; the
// database refuses a registration made in the system that names neither a town nor abroad; the
// ledger's town=none and its export list exactly the records without one; the import's town column
// (full-width names matched, an unknown name a warning: imported without a town); migration 0021
// on existing records (the town their address names, audited; the rest marked, nothing invented).
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry } from '#tests/support/factories.ts'
import { applicationInput, makeApplication, makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { ledgerCsv, ordinaryRow } from '#tests/support/ledgers.ts'
import { importCsv } from '#tests/support/imports.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { createApplication, type Viewer } from '#app/registration/applications.server.ts'
import { listApplications, parseLedgerFilter } from '#app/registration/ledger.server.ts'
import { listTasks, parseTaskFilter } from '#app/followup/assign.server.ts'
import { addTown, setTownRetired, listTowns, TownFieldError } from '#app/residence/towns.server.ts'
import { exportDownload, requestExport, runExport } from '#app/ledgers/exports.server.ts'
import { loadBatch } from '#app/import/batches.server.ts'
import { correctImported, correctionForm, correctionHistory, CorrectionFieldError } from '#app/import/corrections.server.ts'
import * as migration0021 from '#db/migrations/2026-11-28T0021_residence_required.ts'

let t: TestDatabase
let cipher: FieldCipher
let registrar: Viewer, supervisor: Viewer, admin: Viewer, otherAdmin: Viewer
const towns: Record<string, string> = {}
const imported: Record<string, string> = {}

async function importLedger(rows: ReturnType<typeof ordinaryRow>[], townCells: string[]) {
  const csv = ledgerCsv(rows).trimEnd().split('\r\n').map((line, i) => `${line},${i === 0 ? '乡镇/街道' : townCells[i - 1]}`).join('\r\n') + '\r\n'
  const { batchId, proposed, checked } = await importCsv(t.db, cipher, registrar, csv, 'towns.csv')
  expect(proposed.residenceTown).toBe('乡镇/街道') // a ledger's usual header, proposed
  const apps = await t.db.selectFrom('applications').select(['id', 'residence_town_id']).where('import_batch_id', '=', batchId).orderBy('import_row').execute()
  return { checked, apps, batchId }
}

const app = (id: string) => t.db.selectFrom('applications').select(['version', 'residence_town_id', 'resides_abroad']).where('id', '=', id).executeTakeFirstOrThrow()
const count = async (table: 'application_corrections' | 'audit_log') => Number((await t.db.selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)
const byTown = async (town: string) => (await listApplications(t.db, cipher, supervisor, parseLedgerFilter(new URLSearchParams({ town })).filter, TODAY)).rows.map((r) => r.id)
const fieldRefusal = (field: string, key: string) => (e: unknown) => e instanceof CorrectionFieldError && e.field === field && e.messageKey === key

beforeAll(async () => {
  t = await testDatabase()
  cipher = testContext(t.db).cipher
  await makeRegistry(t.db)
  await makeRegistry(t.db, '500112', '重庆市荣昌区民政局')
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  admin = await makeViewer(t.db, 'sysadmin')
  otherAdmin = await makeViewer(t.db, 'sysadmin', '500112')
  towns.longgang = await addTown(t.db, admin, { code: '500111001', name: '龙岗街道', kind: 'subdistrict' })
  towns.longshui = await addTown(t.db, admin, { code: '500111101', name: '龙水镇', kind: 'town' })
  // Entered by the administrator with full-width brackets, written in a ledger with half-width ones.
  towns.baoding = await addTown(t.db, admin, { code: '500111102', name: '宝顶镇（新区）', kind: 'town' })
  towns.wangu = await addTown(t.db, admin, { code: '500111108', name: '万古镇', kind: 'town' })
  towns.elsewhere = await addTown(t.db, otherAdmin, { code: '500112001', name: '昌元街道', kind: 'subdistrict' })

  const { checked, apps } = await importLedger([
    ordinaryRow({ number: '（2010）渝大收字第0101号', registeredOn: '2010-06-01', childBirth: '2009-01-01' }, 9101),
    ordinaryRow({ number: '（2011）渝大收字第0102号', registeredOn: '2011-06-01', childBirth: '2010-01-01' }, 9102),
    ordinaryRow({ number: '（2012）渝大收字第0103号', registeredOn: '2012-06-01', childBirth: '2011-01-01' }, 9103),
    ordinaryRow({ number: '（2013）渝大收字第0104号', registeredOn: '2013-06-01', childBirth: '2012-01-01' }, 9104),
    ordinaryRow({ number: '（2014）渝大收字第0105号', registeredOn: '2014-06-01', childBirth: '2013-01-01' }, 9105),
  ], ['\u3000龙岗街道 ', '宝顶镇(新区)', '龙岗镇', '', '万古镇'])
  // The dry run's verdicts: every row imported; the unknown name a warning on its row.
  expect(checked.rows.map((r) => [r.status, r.messages.map((m) => `${m.field}:${m.key}`).join(' ')])).toEqual([
    ['valid', ''], ['valid', ''], ['valid', 'residenceTown:import.note.townUnknown'], ['valid', ''], ['valid', ''],
  ])
  expect(checked.rows[2].messages[0].params).toEqual({ value: '龙岗镇' })
  expect(checked.townUnknownRows).toBe(1)
  expect(apps.map((a) => a.residence_town_id)).toEqual([towns.longgang, towns.baoding, null, null, towns.wangu])
  ;[imported.longgang, imported.baoding, imported.unknown, imported.empty, imported.wangu] = apps.map((a) => a.id)
  // 万古镇 retired since the ledger was written: it stays on its record.
  const wangu = (await listTowns(t.db, '500111')).find((x) => x.id === towns.wangu)!
  await setTownRetired(t.db, admin, wangu.id, wangu.version, '2025-06-30')
})
afterAll(async () => { await t.destroy() })

describe('the historical import', () => {
  test('the report lists the rows whose town is not in the list under a filter of their own', async () => {
    const batch = (await t.db.selectFrom('applications').select('import_batch_id').where('id', '=', imported.unknown).executeTakeFirstOrThrow()).import_batch_id!
    const { rows } = await loadBatch(t.db, registrar, batch, 'townUnknown', null)
    expect(rows.map((r) => r.applicationId)).toEqual([imported.unknown])
  })
})

describe('the correction of an imported registration', () => {
  test('sets the town: recorded as a correction, audited, the version moved, and the ledgers\' town filter finds it at once', async () => {
    expect(await byTown('none')).toContain(imported.empty)
    expect(await byTown(towns.longshui)).not.toContain(imported.empty)
    const form = await correctionForm(t.db, cipher, registrar, imported.empty)
    expect(form.residence).toEqual({ townId: null, abroad: false })
    // Offered: the towns in use (not the retired one, nor another registry's).
    expect(form.towns.map((x) => x.name)).toEqual(['龙岗街道', '龙水镇', '宝顶镇（新区）'])
    const audits = await count('audit_log')

    const changed = await correctImported(t.db, cipher, registrar, imported.empty, { version: form.version, reason: '依原始档案补录居住地', values: {}, residence: { townId: towns.longshui, abroad: false } }, TODAY)
    expect(changed).toEqual({ fields: ['residenceTown'], proposal: null })
    expect(await app(imported.empty)).toMatchObject({ version: form.version + 1, residence_town_id: towns.longshui, resides_abroad: false })
    expect(await byTown(towns.longshui)).toContain(imported.empty)
    expect(await byTown('none')).not.toContain(imported.empty)
    // Its follow-up tasks follow the registration's town in the task ledger too.
    const tasks = await listTasks(t.db, supervisor, parseTaskFilter({ town: towns.longshui, status: 'open' }).filter, TODAY)
    const own = await t.db.selectFrom('followup_tasks').select('id').where('application_id', '=', imported.empty).where('status', '=', 'open').execute()
    expect(own.length).toBeGreaterThan(0)
    expect(tasks.rows.filter((r) => r.applicationId === imported.empty).map((r) => r.id).sort()).toEqual(own.map((x) => x.id).sort())

    const [history] = await correctionHistory(t.db, cipher, imported.empty)
    expect(history).toMatchObject({ field: 'residenceTown', oldValue: null, newValue: '龙水镇（500111101）', reason: '依原始档案补录居住地' })
    const stored = await t.db.selectFrom('application_corrections').select(['old_value', 'new_value', 'encrypted']).where('application_id', '=', imported.empty).executeTakeFirstOrThrow()
    expect(stored).toEqual({ old_value: null, new_value: '500111101', encrypted: false })
    expect(await count('audit_log')).toBe(audits + 1)
    const entry = await t.db.selectFrom('audit_log').select(['action', 'summary', 'reason']).where('entity_id', '=', imported.empty).where('action', '=', 'application.corrected').executeTakeFirstOrThrow()
    expect(entry).toMatchObject({ reason: '依原始档案补录居住地', summary: { fields: ['residenceTown'] } })
    const event = await t.db.selectFrom('application_events').select('note').where('application_id', '=', imported.empty).where('kind', '=', 'corrected').executeTakeFirstOrThrow()
    expect(event.note).toBe('居住地乡镇（街道）')
  })

  test('a town of another registry, a retired one, or none for a recorded town: refused next to the field, nothing saved', async () => {
    const before = await app(imported.unknown)
    const corrections = await count('application_corrections')
    const attempt = (residence: { townId: string | null; abroad: boolean }, values = {}) =>
      correctImported(t.db, cipher, registrar, imported.unknown, { version: before.version, reason: '补录居住地', values, residence }, TODAY)
    await expect(attempt({ townId: towns.elsewhere, abroad: false })).rejects.toSatisfy(fieldRefusal('residenceTown', 'towns.residence.unknown'))
    // With another field changed as well: nothing of it is saved either.
    await expect(attempt({ townId: towns.elsewhere, abroad: false }, { childName: '改过的名字' })).rejects.toSatisfy(fieldRefusal('residenceTown', 'towns.residence.unknown'))
    await expect(attempt({ townId: towns.wangu, abroad: false })).rejects.toSatisfy(fieldRefusal('residenceTown', 'towns.residence.retired'))
    await expect(attempt({ townId: '123456789', abroad: false })).rejects.toSatisfy(fieldRefusal('residenceTown', 'towns.residence.unknown'))
    // Not recorded, left as it is: nothing to correct.
    await expect(attempt({ townId: null, abroad: false })).rejects.toMatchObject({ messageKey: 'import.correction.nothing' })
    expect(await app(imported.unknown)).toEqual(before)
    expect(await count('application_corrections')).toBe(corrections)
    expect((await t.db.selectFrom('parties').select('name').where('application_id', '=', imported.unknown).where('role', '=', 'child').executeTakeFirstOrThrow()).name).not.toBe('改过的名字')

    // A recorded town cannot go back to "not recorded"; a retired one it has may stay (another field corrected).
    const wangu = await app(imported.wangu)
    await expect(correctImported(t.db, cipher, registrar, imported.wangu, { version: wangu.version, reason: '更正', values: {}, residence: { townId: null, abroad: false } }, TODAY))
      .rejects.toSatisfy(fieldRefusal('residenceTown', 'towns.residence.required'))
    await correctImported(t.db, cipher, registrar, imported.wangu, { version: wangu.version, reason: '更正姓名', values: { childNameAfter: '新名' }, residence: { townId: towns.wangu, abroad: false } }, TODAY)
    expect((await app(imported.wangu)).residence_town_id).toBe(towns.wangu)
  })

  test('abroad: recorded as such, the town cleared, shown in the history', async () => {
    const before = await app(imported.longgang)
    await correctImported(t.db, cipher, registrar, imported.longgang, { version: before.version, reason: '收养人已定居国外', values: {}, residence: { townId: towns.longshui, abroad: true } }, TODAY)
    expect(await app(imported.longgang)).toMatchObject({ residence_town_id: null, resides_abroad: true })
    const [history] = await correctionHistory(t.db, cipher, imported.longgang)
    expect(history).toMatchObject({ field: 'residenceTown', oldValue: '龙岗街道（500111001）', newValue: 'abroad' })
    expect(await byTown('abroad')).toContain(imported.longgang)
  })
})

describe('a registration made in the system before the town was a rule', () => {
  test('may have its town recorded on the correction page, and nothing else: the mark cleared, the history and the audit kept', async () => {
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    // As migration 0021 left such a record: no town, not abroad, marked.
    await t.db.updateTable('applications').set({ residence_town_id: null, recorded_before_town_rule: true }).where('id', '=', id).execute()
    const form = await correctionForm(t.db, cipher, registrar, id)
    expect(form).toMatchObject({ imported: false, residenceOnly: true })
    const before = await t.db.selectFrom('applications').select(['version', 'registration_number', 'received_on']).where('id', '=', id).executeTakeFirstOrThrow()
    const audits = await count('audit_log')

    // No town chosen: refused next to the field, nothing saved.
    await expect(correctImported(t.db, cipher, registrar, id, { version: before.version, reason: '依档案补录', values: {}, residence: { townId: null, abroad: false } }, TODAY))
      .rejects.toSatisfy(fieldRefusal('residenceTown', 'towns.residence.required'))
    // A field other than the town in the request is not corrected (the system's own record has its legal route).
    const changed = await correctImported(t.db, cipher, registrar, id,
      { version: before.version, reason: '依档案第2页补录', values: { registrationNumber: '（2099）伪造第1号' }, residence: { townId: towns.longshui, abroad: false } }, TODAY)
    expect(changed).toEqual({ fields: ['residenceTown'], proposal: null })
    const after = await t.db.selectFrom('applications').select(['version', 'registration_number', 'received_on', 'residence_town_id', 'recorded_before_town_rule']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(after).toEqual({ version: before.version + 1, registration_number: before.registration_number, received_on: before.received_on, residence_town_id: towns.longshui, recorded_before_town_rule: false })
    const [history] = await correctionHistory(t.db, cipher, id)
    expect(history).toMatchObject({ field: 'residenceTown', oldValue: null, newValue: '龙水镇（500111101）', reason: '依档案第2页补录' })
    expect(await count('audit_log')).toBe(audits + 1)
    expect(await byTown(towns.longshui)).toContain(id)
    // Recorded: the page is closed to it again, like any registration made in the system.
    expect(await correctionForm(t.db, cipher, registrar, id)).toMatchObject({ imported: false, residenceOnly: false })
    await expect(correctImported(t.db, cipher, registrar, id, { version: after.version, reason: '再改', values: {}, residence: { townId: towns.longgang, abroad: false } }, TODAY))
      .rejects.toMatchObject({ messageKey: 'import.correction.notImported' })
  })

  test('one not marked (made under the rule) is refused, whatever it asks', async () => {
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor)
    const { version } = await app(id)
    expect(await correctionForm(t.db, cipher, registrar, id)).toMatchObject({ imported: false, residenceOnly: false })
    await expect(correctImported(t.db, cipher, registrar, id, { version, reason: '改居住地', values: {}, residence: { townId: towns.longgang, abroad: false } }, TODAY))
      .rejects.toMatchObject({ messageKey: 'import.correction.notImported' })
  })
})

describe('the database', () => {
  test('refuses a registration made in the system that names neither a town nor abroad; an imported one may lack it', async () => {
    const insert = (values: Record<string, unknown>) => t.db.insertInto('applications').values({
      registry_code: '500111', relation: 'none', placing_kind: 'welfare_institution', registrar_id: registrar.id, created_by: registrar.id, ...values,
    }).returning('id').executeTakeFirstOrThrow()
    await expect(insert({})).rejects.toThrow(/applications_residence_recorded/)
    expect((await insert({ resides_abroad: true })).id).toBeTruthy()
    const made = await insert({ residence_town_id: towns.longgang })
    await expect(t.db.updateTable('applications').set({ residence_town_id: null }).where('id', '=', made.id).execute()).rejects.toThrow(/applications_residence_recorded/)
    // The imported registration without a town above is admitted (until corrected).
    expect((await app(imported.unknown)).residence_town_id).toBeNull()
  })

  test('a registry that keeps no list records no one living in the country: the form says so next to the town', async () => {
    await makeRegistry(t.db, '500222', '重庆市某区民政局')
    const elsewhere = await makeViewer(t.db, 'registrar', '500222')
    await expect(createApplication(t.db, cipher, elsewhere, applicationInput())).rejects.toSatisfy((e: unknown) => e instanceof TownFieldError && e.field === 'residenceTown' && e.messageKey === 'towns.residence.noList')
    expect(await createApplication(t.db, cipher, elsewhere, applicationInput({ residesAbroad: true }))).toBeTruthy()
  })
})

describe('the applications ledger', () => {
  test('town=none lists exactly the records without a town (neither a town nor abroad); its export follows', async () => {
    await makeRegisteredAdoption(t.db, cipher, registrar, supervisor, { residenceTown: towns.longgang })
    await makeApplication(t.db, cipher, registrar, { residesAbroad: true })
    const all = await t.db.selectFrom('applications').select(['id', 'residence_town_id', 'resides_abroad']).where('registry_code', '=', '500111').execute()
    const none = all.filter((a) => !a.residence_town_id && !a.resides_abroad).map((a) => a.id).sort()
    expect(none).toEqual([imported.unknown].sort())
    expect((await byTown('none')).sort()).toEqual(none)

    const exportId = await requestExport(t.db, supervisor, { ledger: 'applications', params: { town: 'none' }, format: 'csv', locale: 'zh' })
    await runExport(t.db, cipher, exportId)
    const { chunks } = await exportDownload(t.db, cipher, supervisor, exportId)
    const parts: Buffer[] = []
    for await (const c of chunks) parts.push(c)
    const lines = Buffer.concat(parts).toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n')
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(none)
    expect(lines.slice(1).every((l) => l.split(',').at(-1) === '')).toBe(true)
  })
})

test('migration 0021 on existing records: the town their adopter\'s address names (audited); the rest marked, nothing invented; then validated', async () => {
  const m = await testDatabase()
  try {
    await makeRegistry(m.db)
    const reg = await makeViewer(m.db, 'registrar')
    const adm = await makeViewer(m.db, 'sysadmin')
    const longgang = await addTown(m.db, adm, { code: '500111001', name: '龙岗街道', kind: 'subdistrict' })
    await addTown(m.db, adm, { code: '500111101', name: '龙水镇', kind: 'town' })
    const mCipher = testContext(m.db).cipher
    // The factory's adopters live in 龙岗街道五星大道.
    const [named, nowhere, two, abroad] = [
      await makeApplication(m.db, mCipher, reg), await makeApplication(m.db, mCipher, reg), await makeApplication(m.db, mCipher, reg),
      await makeApplication(m.db, mCipher, reg, { residesAbroad: true }),
    ]
    // As before the rule: no town recorded.
    // Migrations run as the owner (decision 029).
    await migration0021.down(m.owner)
    await m.db.updateTable('applications').set({ residence_town_id: null }).where('id', 'in', [named, nowhere, two]).execute()
    await m.db.updateTable('parties').set({ hukou_address: '四川省成都市锦江区红星路1号', current_address: null }).where('application_id', '=', nowhere).where('role', '=', 'adopter').execute()
    await m.db.updateTable('parties').set({ hukou_address: '重庆市大足区龙岗街道与龙水镇交界处' }).where('application_id', '=', two).where('role', '=', 'adopter').where('position', '=', 1).execute()

    await migration0021.up(m.owner)
    const rows = await m.db.selectFrom('applications').select(['id', 'residence_town_id', 'resides_abroad', 'recorded_before_town_rule']).where('id', 'in', [named, nowhere, two, abroad]).orderBy('id').execute()
    expect(rows.map((r) => [r.residence_town_id, r.resides_abroad, r.recorded_before_town_rule])).toEqual([
      [longgang, false, false], [null, false, true], [null, false, true], [null, true, false],
    ])
    const audit = await m.db.selectFrom('audit_log').select(['entity_id', 'summary', 'actor_id']).where('action', '=', 'application.residence_inferred').execute()
    expect(audit).toEqual([{ entity_id: named, summary: { townId: longgang, town: '龙岗街道', from: 'adopter address' }, actor_id: null }])
    const constraint = await sql<{ convalidated: boolean }>`select convalidated from pg_constraint where conname = 'applications_residence_recorded'`.execute(m.db)
    expect(constraint.rows).toEqual([{ convalidated: true }])
    // A new record is never marked: the rule holds for it.
    await expect(m.db.insertInto('applications').values({ registry_code: '500111', relation: 'none', placing_kind: 'welfare_institution', registrar_id: reg.id, created_by: reg.id })
      .execute()).rejects.toThrow(/applications_residence_recorded/)
  } finally {
    await m.destroy()
  }
})
