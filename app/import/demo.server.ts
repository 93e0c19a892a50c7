// Demo import (demo mode only): a small historical ledger of the kind a bureau keeps — a title row,
// a merged two-row header, text dates in several forms, one bad ID number, one impossible date, the
// adopters' town as the ledger wrote it (one since retired, one misspelt: a warning, decision 022) —
// uploaded and dry-run through the real commands, so the registrar finds a report to read and an
// import to run on 历史数据导入.
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import { citizenIdFor } from '#app/registration/demo/people.ts'
import { seedDemoTowns } from '#app/residence/demo.server.ts'
import { loadBatch, processBatch, startDryRun, uploadLedger } from './batches.server.ts'

const people: [string, string, string, string, string, string, string][] = [
  // number, registered on (as written), kind, adopter, spouse, child, child's birth date
  ['（2008）渝大收字第0012号', '2008.4.16', '社会收养', '陈国平', '刘芳', '陈思远', '2007-06-01'],
  ['（2011）渝大收字第0031号', '2011年9月2日', '亲属收养', '杨光明', '周丽', '杨小雪', '2009-02-11'],
  ['（2014）渝大收字第0007号', '3/18/2014', '继子女收养', '黄志强', '', '黄晨', '2010-10-10'],
  ['（2016）渝大收字第0044号', '2016-11-30', '涉外收养', 'John Miller', 'Anne Miller', '何安', '2015-03-03'],
  ['（2019）渝大收字第0020号', '2019/5/6', '社会收养', '吴建军', '郑敏', '吴悦', '2018-08-08'],
  ['（2020）渝大收字第0003号', '2020-02-30', '社会收养', '孙伟', '马丽', '孙乐', '2019-01-01'],
  ['（2022）渝大收字第0015号', '2022.7.1', '社会收养', '朱永', '胡燕', '朱可', '2021-04-04'],
]

// The town column: 万古镇 merged into a neighbour since (retired, still matched), none for the
// intercountry adoption, 龙岗镇 a slip for 龙岗街道 (not in the list: imported without a town).
const towns = ['万古镇', '棠香街道', '宝顶镇', '', '龙水镇', '中敖镇', '龙岗镇']

async function demoLedger(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('台账')
  sheet.addRow(['大足区收养登记台账（历年）'])
  sheet.mergeCells('A1:M1')
  sheet.addRow(['登记证号', '登记日期', '收养类型', '收养人', '', '配偶', '被收养人', '', '', '收养人国籍', '外国收养组织', '档案号', '乡镇/街道'])
  sheet.addRow(['', '', '', '姓名', '身份证号', '姓名', '姓名', '性别', '出生日期', '', '', '', ''])
  sheet.mergeCells('D2:E2'); sheet.mergeCells('G2:I2')
  for (const col of ['A', 'B', 'C', 'F', 'J', 'K', 'L', 'M']) sheet.mergeCells(`${col}2:${col}3`)
  people.forEach(([number, on, kind, adopter, spouse, child, birth], i) => {
    let id = kind === '涉外收养' ? '' : citizenIdFor('500111', `19${70 + i}-03-0${1 + i}`, 'male', 40 + i)
    if (i === 4) id = id.slice(0, 17) + (id[17] === '1' ? '2' : '1') // a mistyped check character
    sheet.addRow([number, on, kind, adopter, id, spouse, child, i % 2 ? '男' : '女', birth, kind === '涉外收养' ? '美国' : '', kind === '涉外收养' ? 'Holt International' : '', `DZ-${number.slice(1, 5)}-SY-${String(i + 1).padStart(4, '0')}`, towns[i]])
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

export async function seedDemoImport(db: Kysely<Database>, cipher: FieldCipher, options: { registryCode: string; today: string }) {
  const existing = await db.selectFrom('import_batches').select('id').where('registry_code', '=', options.registryCode).limit(1).execute()
  if (existing.length) return { created: 0 }
  const user = await db.selectFrom('users').select(['id', 'username']).where('registry_code', '=', options.registryCode).where('username', '=', 'registrar').executeTakeFirst()
  if (!user) return { created: 0 }
  const viewer = { id: user.id, username: user.username, registryCode: options.registryCode, roles: ['registrar' as const] }
  await seedDemoTowns(db, options.registryCode) // the list the town column is matched against
  // The demo registry went live three years ago (decision 027): its ledger's rows are all older.
  await db.updateTable('registries').set({ go_live_on: `${Number(options.today.slice(0, 4)) - 3}-01-01` })
    .where('code', '=', options.registryCode).where('go_live_on', 'is', null).execute()
  const blob = await postgresBlobStore(cipher).putStream(db, Readable.from([await demoLedger()]), { maxBytes: 10 * 1024 * 1024 })
  const id = await uploadLedger(db, cipher, viewer, { blob, filename: '历年收养登记台账.xlsx', contentType: null, complete: true, pdfPages: null })
  const { batch } = await loadBatch(db, viewer, id, 'all', null)
  await startDryRun(db, viewer, id, { version: batch.version, mapping: batch.mapping, pastVisits: 'skip' })
  await processBatch(db, cipher, id, 'check', options.today)
  return { created: 1 }
}
