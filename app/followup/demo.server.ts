// Demo follow-up (demo mode only), through the real commands: the open visits of the demo
// registrations due in the last six weeks or the next three months go to the demo caseworker;
// one visit is reported and awaits the supervisor's review; an earlier intercountry adoption shows
// its expected post-placement reports (one accepted, one returned for correction).
//
// The demo registrations are spread over the past year, so the plans may happen to leave this week
// empty: then the next upcoming visit is moved into this week (a demo-only adjustment, said here) so
// that "due this week" shows something.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { demoAccount } from '#app/staff/demo-seed.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { addDays } from '#app/registration/deadlines.ts'
import { assignTasks } from './assign.server.ts'
import { weekOf } from './access.server.ts'
import { decideReceipt, recordIntercountry, recordReceipt } from './intercountry.server.ts'
import { saveReport } from './reports.server.ts'


/** A one-page PDF standing in for an agency's scanned report. */
const demoPdf = (title: string) => new TextEncoder().encode([
  '%PDF-1.4',
  '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
  '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj',
  `4 0 obj << /Length ${44 + title.length} >> stream`,
  `BT /F1 18 Tf 72 760 Td (${title}) Tj ET`,
  'endstream endobj',
  '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj',
  'trailer << /Root 1 0 R >>',
  '%%EOF',
].join('\n'))

export async function seedDemoFollowup(db: Kysely<Database>, cipher: FieldCipher, options: { registryCode: string; today: string }) {
  const { registryCode, today } = options
  const done = await db.selectFrom('followup_tasks').select('id').where('registry_code', '=', registryCode).where('caseworker_id', 'is not', null).limit(1).execute()
  const ic = await db.selectFrom('intercountry_adoptions').select('id').where('registry_code', '=', registryCode).limit(1).execute()
  if (done.length || ic.length) return { assigned: 0 }
  const [caseworker, supervisor] = await Promise.all([demoAccount(db, registryCode, 'caseworker'), demoAccount(db, registryCode, 'supervisor')])
  if (!caseworker || !supervisor) return { assigned: 0 }

  const week = weekOf(today)
  const open = () => db.selectFrom('followup_tasks').select(['id', 'version', 'due_on', 'window_from', 'window_to', 'application_id'])
    .where('registry_code', '=', registryCode).where('status', '=', 'open').where('kind', '=', 'visit')
  const thisWeek = await open().where('due_on', '>=', week.from).where('due_on', '<=', week.to).execute()
  if (thisWeek.length === 0) {
    const next = await open().where('due_on', '>', week.to).orderBy('due_on').limit(1).executeTakeFirst()
    if (next) {
      const due = addDays(week.to, -2) < today ? today : addDays(week.to, -2)
      await db.updateTable('followup_tasks').set({ due_on: due, window_from: sql`least(window_from, ${addDays(due, -14)}::date)` as never, window_to: sql`greatest(window_to, ${addDays(due, 14)}::date)` as never })
        .where('id', '=', next.id).execute()
    }
  }
  // Visits that fell due in the last six weeks and those due in the next three months: older ones
  // stay unassigned (the supervisor's list shows them).
  const tasks = await open().where('due_on', '>=', addDays(today, -42)).where('due_on', '<=', addDays(today, 92)).orderBy('due_on').execute()
  if (tasks.length) await assignTasks(db, supervisor, tasks.map((t) => ({ id: t.id, version: t.version })), caseworker.id)

  // One visit made and reported (in its window, before today): awaiting the supervisor's review.
  const reportable = tasks.find((t) => t.window_from <= today)
  if (reportable) {
    const visitedOn = reportable.window_to < today ? addDays(reportable.window_to, -3) : today
    await saveReport(db, cipher, caseworker, reportable.id, {
      visitedOn: visitedOn < reportable.window_from ? reportable.window_from : visitedOn,
      met: '收养人夫妇和孩子；外祖母在场。',
      dailyCare: '孩子作息规律，饮食由养母照料，居室整洁，有独立床铺和玩具。',
      health: '按计划接种疫苗，近期无就医记录。身高体重在正常范围。',
      schooling: '在附近幼儿园小班就读，老师反映适应良好。',
      bonding: '孩子称呼收养人为爸爸妈妈，主动寻求拥抱；邻里关系和睦。',
      supportNeeds: ['psychological'],
      referral: '入园后夜间偶有惊醒，已介绍到区未成年人保护工作站心理咨询。',
      concernLevel: 'minor',
      concernDetails: '分离焦虑，下次回访了解心理咨询情况。',
    }, { submit: true, today })
  }

  // An intercountry adoption approved in 2023: reports at 6, 12, 24 … months.
  const registeredOn = addDays(today, -800)
  const icId = await recordIntercountry(db, caseworker, {
    registrationNumber: `渝涉外收字（${registeredOn.slice(0, 4)}）第0003号`, registeredOn, approvedOn: addDays(registeredOn, -21),
    childName: '福小安', childBirthDate: addDays(registeredOn, -900), adopters: 'John Miller、Sarah Miller', country: '美国',
    agency: 'Bethany Christian Services', agencyEmail: 'china.program@bethany.example',
  }, today)
  const reports = await db.selectFrom('followup_tasks').select(['id', 'version', 'due_on']).where('intercountry_id', '=', icId).orderBy('sequence').execute()
  const first = await recordReceipt(db, cipher, caseworker, reports[0].id, { receivedOn: addDays(reports[0].due_on, 10), bytes: demoPdf('Post-placement report 1') }, today)
  await decideReceipt(db, caseworker, first, { accept: true, taskVersion: reports[0].version })
  const second = await recordReceipt(db, cipher, caseworker, reports[1].id, { receivedOn: addDays(reports[1].due_on, 5), bytes: demoPdf('Post-placement report 2') }, today)
  await decideReceipt(db, caseworker, second, { accept: false, reason: '缺少孩子近期照片和儿科医生签字，请补正后重新提交。', taskVersion: reports[1].version })
  return { assigned: tasks.length }
}
