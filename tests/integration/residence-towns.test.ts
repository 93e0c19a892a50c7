// Towns and streets of residence (乡镇、街道) against real PostgreSQL: the administrator's list (a
// code of another county, a code or name taken, rename, retire, restore), the town on the
// application (required when the registry keeps a list, unless the adopters live abroad; a retired
// or unknown town refused, a retired one kept on its old record), the ledgers' town filter and
// exports, and the historical import's town column (by name or code; an unknown town a row warning).
import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testContext, testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry } from '#tests/support/factories.ts'
import { applicationInput, makeRegisteredAdoption, makeViewer, TODAY } from '#tests/support/applications.ts'
import { ledgerCsv, ordinaryRow } from '#tests/support/ledgers.ts'
import { approveBatch, setGoLive } from '#tests/support/imports.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import { createApplication, loadApplication, updateApplication, type Viewer } from '#app/registration/applications.server.ts'
import { listApplications, parseLedgerFilter } from '#app/registration/ledger.server.ts'
import { listTasks, parseTaskFilter } from '#app/followup/assign.server.ts'
import { addTown, listTowns, renameTown, setTownRetired, townChoices, TownFieldError, townFilterValid } from '#app/residence/towns.server.ts'
import { exportDownload, requestExport, runExport } from '#app/ledgers/exports.server.ts'
import { loadBatch, processBatch, startDryRun, startImport, uploadLedger } from '#app/import/batches.server.ts'
import { seedDemoTowns } from '#app/residence/demo.server.ts'

let t: TestDatabase
let cipher: FieldCipher
let registrar: Viewer, supervisor: Viewer, admin: Viewer
const towns: Record<string, string> = {}

beforeAll(async () => {
  t = await testDatabase()
  cipher = testContext(t.db).cipher
  await makeRegistry(t.db)
  registrar = await makeViewer(t.db, 'registrar')
  supervisor = await makeViewer(t.db, 'supervisor')
  admin = await makeViewer(t.db, 'sysadmin')
  await setGoLive(t.db, '500111', TODAY) // imports need it (decision 027)
})
afterAll(async () => { await t.destroy() })

const refusal = (field: string, key: string) => (e: unknown) => e instanceof TownFieldError && e.field === field && e.messageKey === key

describe('the administrator\'s list', () => {
  test('adds towns of the county only, each code and (in use) each name once', async () => {
    towns.longgang = await addTown(t.db, admin, { code: '500111001', name: '龙岗街道', kind: 'subdistrict' })
    towns.longshui = await addTown(t.db, admin, { code: '500111101000', name: '龙水镇', kind: 'town' })
    towns.wangu = await addTown(t.db, admin, { code: '500111108', name: '万古镇', kind: 'town' })
    await expect(addTown(t.db, admin, { code: '500112001', name: '别处街道', kind: 'subdistrict' })).rejects.toSatisfy(refusal('code', 'towns.code.otherCounty'))
    await expect(addTown(t.db, admin, { code: '500111101', name: '龙水镇二', kind: 'town' })).rejects.toSatisfy(refusal('code', 'towns.code.taken'))
    await expect(addTown(t.db, admin, { code: '500111001123', name: '某村', kind: 'town' })).rejects.toSatisfy(refusal('code', 'towns.code.invalid'))
    await expect(addTown(t.db, admin, { code: '500111009', name: '龙岗街道', kind: 'subdistrict' })).rejects.toSatisfy(refusal('name', 'towns.name.taken'))
    // The database holds to the same rules.
    await expect(sql`insert into towns (registry_code, code, name, kind) values ('500111', '50011100', '短码', 'town')`.execute(t.db)).rejects.toThrow(/towns_code_check/)
    await expect(sql`insert into towns (registry_code, code, name, kind) values ('500111', '500222001', '外县', 'town')`.execute(t.db)).rejects.toThrow(/towns_in_registry/)
    expect((await listTowns(t.db, '500111')).map((x) => x.name)).toEqual(['龙岗街道', '龙水镇', '万古镇'])
  })

  test('renames with the version seen, retires and restores; every change audited', async () => {
    const [town] = (await listTowns(t.db, '500111')).filter((x) => x.id === towns.wangu)
    await renameTown(t.db, admin, town.id, town.version, '万古镇（旧）')
    await expect(renameTown(t.db, admin, town.id, town.version, '又一名')).rejects.toMatchObject({ status: 409 })
    await renameTown(t.db, admin, town.id, town.version + 1, '万古镇')
    await setTownRetired(t.db, admin, town.id, town.version + 2, '2025-06-30')
    expect((await townChoices(t.db, '500111')).map((x) => x.name)).toEqual(['龙岗街道', '龙水镇'])
    expect((await townChoices(t.db, '500111', town.id)).map((x) => x.name)).toEqual(['龙岗街道', '龙水镇', '万古镇'])
    await expect(renameTown(t.db, admin, town.id, town.version + 3, '新万古')).rejects.toMatchObject({ messageKey: 'towns.retired' })
    const actions = (await t.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'town').where('entity_id', '=', town.id).orderBy('id').execute()).map((a) => a.action)
    expect(actions).toEqual(['towns.added', 'towns.renamed', 'towns.renamed', 'towns.retired'])
  })
})

describe('the application', () => {
  test('needs the town when the registry keeps a list, unless the adopters live abroad', async () => {
    await expect(createApplication(t.db, cipher, registrar, applicationInput())).rejects.toSatisfy(refusal('residenceTown', 'towns.residence.required'))
    const abroad = await createApplication(t.db, cipher, registrar, applicationInput({ residesAbroad: true }))
    expect((await loadApplication(t.db, cipher, registrar, abroad)).app).toMatchObject({ resides_abroad: true, residence_town_id: null })
  })

  test('refuses a retired town or one not in the list (nothing saved); records one in use', async () => {
    const before = Number((await t.db.selectFrom('applications').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)
    await expect(createApplication(t.db, cipher, registrar, applicationInput({ residenceTown: towns.wangu }))).rejects.toSatisfy(refusal('residenceTown', 'towns.residence.retired'))
    await expect(createApplication(t.db, cipher, registrar, applicationInput({ residenceTown: '999999' }))).rejects.toSatisfy(refusal('residenceTown', 'towns.residence.unknown'))
    expect(Number((await t.db.selectFrom('applications').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)).toBe(before)
    const id = await createApplication(t.db, cipher, registrar, applicationInput({ residenceTown: towns.longgang }))
    expect((await loadApplication(t.db, cipher, registrar, id)).app).toMatchObject({ residence_town_id: towns.longgang, residenceTownName: '龙岗街道', residenceTownCode: '500111001' })
  })

  test('a town retired since stays on its record, shown, and may be kept when the record is edited', async () => {
    const [town] = (await listTowns(t.db, '500111')).filter((x) => x.id === towns.wangu)
    await setTownRetired(t.db, admin, town.id, town.version, null)
    const id = await createApplication(t.db, cipher, registrar, applicationInput({ residenceTown: towns.wangu }))
    const restored = (await listTowns(t.db, '500111')).find((x) => x.id === towns.wangu)!
    await setTownRetired(t.db, admin, restored.id, restored.version, '2026-11-01')
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.app).toMatchObject({ residenceTownName: '万古镇', residenceTownRetiredOn: '2026-11-01' })
    await updateApplication(t.db, cipher, registrar, id, loaded.app.version, applicationInput({ residenceTown: towns.wangu }))
    // Another record cannot take it up.
    const other = await createApplication(t.db, cipher, registrar, applicationInput({ residenceTown: towns.longshui }))
    const otherVersion = (await loadApplication(t.db, cipher, registrar, other)).app.version
    await expect(updateApplication(t.db, cipher, registrar, other, otherVersion, applicationInput({ residenceTown: towns.wangu }))).rejects.toSatisfy(refusal('residenceTown', 'towns.residence.retired'))
    // The database refuses a town and abroad together.
    await expect(t.db.updateTable('applications').set({ resides_abroad: true }).where('id', '=', id).execute()).rejects.toThrow(/applications_residence_one/)
  })
})

describe('the ledgers', () => {
  test('the applications ledger filters by town (a retired one too), abroad and none; a value not in the list is named', async () => {
    const byTown = async (town: string) => (await listApplications(t.db, cipher, supervisor, parseLedgerFilter(new URLSearchParams({ town })).filter, TODAY)).rows
    const all = await t.db.selectFrom('applications').select(['id', 'residence_town_id', 'resides_abroad']).execute()
    expect((await byTown(towns.longgang)).map((r) => r.id).sort()).toEqual(all.filter((a) => a.residence_town_id === towns.longgang).map((a) => a.id).sort())
    const retired = await byTown(towns.wangu)
    expect(retired.length).toBe(1)
    expect(retired[0].town).toBe('万古镇')
    expect((await byTown('abroad')).map((r) => r.id)).toEqual(all.filter((a) => a.resides_abroad).map((a) => a.id))
    expect((await byTown('none')).length).toBe(all.filter((a) => !a.resides_abroad && !a.residence_town_id).length)
    expect(parseLedgerFilter(new URLSearchParams({ town: '龙岗' })).errors).toEqual({ town: 'ledger.filter.notInList' })
    const list = await listTowns(t.db, '500111')
    expect(townFilterValid(list, towns.wangu)).toBe(true)
    expect(townFilterValid(list, '987654')).toBe(false)
  })

  test('the follow-up task ledger filters by the adopters\' town; exports carry the town', async () => {
    const id = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor, { residenceTown: towns.longshui })
    const other = await makeRegisteredAdoption(t.db, cipher, registrar, supervisor, { residenceTown: towns.longgang })
    const { filter, errors } = parseTaskFilter({ town: towns.longshui, status: 'open' })
    expect(errors).toEqual({})
    const tasks = await listTasks(t.db, supervisor, filter, TODAY)
    const expected = await t.db.selectFrom('followup_tasks').select('id').where('application_id', '=', id).where('status', '=', 'open').execute()
    expect(tasks.rows.map((r) => r.id).sort()).toEqual(expected.map((e) => e.id).sort())
    expect(tasks.rows.every((r) => r.town === '龙水镇' && r.applicationId !== other)).toBe(true)
    expect(parseTaskFilter({ town: 'somewhere' }).errors).toEqual({ town: 'ledger.filter.notInList' })

    const exportId = await requestExport(t.db, supervisor, { ledger: 'applications', params: { town: towns.longshui, state: 'registered' }, format: 'csv', locale: 'zh' })
    await runExport(t.db, cipher, exportId)
    const { chunks } = await exportDownload(t.db, cipher, supervisor, exportId)
    const parts: Buffer[] = []
    for await (const c of chunks) parts.push(c)
    const lines = Buffer.concat(parts).toString('utf8').trimEnd().split('\r\n')
    expect(lines[0].endsWith(',保密,居住地乡镇（街道）')).toBe(true)
    expect(lines.slice(1).map((l) => [l.split(',')[0], l.split(',').at(-1)])).toEqual([[id, '龙水镇']])
  })
})

describe('the historical import', () => {
  test('maps a town column by name or code; an unknown town is that row\'s warning (imported without a town, decision 022)', async () => {
    const rows = [ordinaryRow({}, 901), ordinaryRow({}, 902), ordinaryRow({}, 903), ordinaryRow({}, 904)]
    const cells = ['龙岗街道', '500111101000', '不存在镇', '万古镇']
    const csv = ledgerCsv(rows).trimEnd().split('\r\n').map((line, i) => `${line},${i === 0 ? '居住地乡镇（街道）' : cells[i - 1]}`).join('\r\n') + '\r\n'
    const blob = await postgresBlobStore(cipher).putStream(t.db, Readable.from([Buffer.from(csv)]), { maxBytes: 1 << 20 })
    const batchId = await uploadLedger(t.db, cipher, registrar, { blob, filename: 'towns.csv', contentType: null, complete: true, pdfPages: null })
    const { batch } = await loadBatch(t.db, registrar, batchId, 'all', null)
    expect(batch.mapping.residenceTown).toMatch(/^居住地乡镇[（(]街道[）)]$/) // proposed from the header
    await startDryRun(t.db, registrar, batchId, { version: batch.version, mapping: batch.mapping, pastVisits: 'skip' })
    await processBatch(t.db, cipher, batchId, 'check', TODAY)
    const checked = await loadBatch(t.db, registrar, batchId, 'all', null)
    expect(checked.rows.map((r) => [r.status, r.messages.map((m) => `${m.field}:${m.key}`).join(' ')])).toEqual([
      ['valid', ''], ['valid', ''], ['valid', 'residenceTown:import.note.townUnknown'], ['valid', ''],
    ])
    expect(checked.rows[2].messages[0].params).toEqual({ value: '不存在镇' })
    await approveBatch(t.db, registrar, batchId, supervisor)
    const approved = await loadBatch(t.db, registrar, batchId, 'all', null)
    await startImport(t.db, registrar, batchId, approved.batch.version)
    await processBatch(t.db, cipher, batchId, 'import', TODAY)
    const imported = await t.db.selectFrom('applications').select(['registration_number', 'residence_town_id']).where('import_batch_id', '=', batchId).orderBy('import_row').execute()
    expect(imported.map((a) => a.residence_town_id)).toEqual([towns.longgang, towns.longshui, null, towns.wangu]) // a retired town fits an old record
  })
})

test('the demo list: well-formed codes of the county, one retired, seeded once', async () => {
  const other = '500112'
  await t.db.insertInto('registries').values({ code: other, name: '演示县民政局' }).execute()
  expect(await seedDemoTowns(t.db, other)).toBeGreaterThan(10)
  expect(await seedDemoTowns(t.db, other)).toBe(0) // once
  const list = await listTowns(t.db, other)
  expect(list.every((x) => /^500112\d{3}$/.test(x.code))).toBe(true)
  expect(list.filter((x) => x.retiredOn).map((x) => x.name)).toEqual(['万古镇'])
})
