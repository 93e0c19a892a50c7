// Demo assessments (demo mode only): two received applications awaiting their assessment get one,
// through the real commands — one under way (declarations, notice and consent, a home visit, a few
// dimensions scored), one just commissioned, so an assessor meets the declaration first.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { demoAccount } from '#app/staff/demo-seed.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { addDays } from '#app/registration/deadlines.ts'
import { addActivity, commissionAssessment, declare, saveScore, setDates, type AssessorViewer } from './assessments.server.ts'
import { defaultInstrument } from './instrument.ts'

async function viewer(db: Kysely<Database>, registryCode: string, username: string): Promise<AssessorViewer | null> {
  const account = await demoAccount(db, registryCode, username)
  if (!account) return null
  const { agency_id } = await db.selectFrom('users').select('agency_id').where('id', '=', account.id).executeTakeFirstOrThrow()
  return { ...account, agencyId: agency_id }
}

export async function seedDemoAssessments(db: Kysely<Database>, cipher: FieldCipher, options: { registryCode: string; today: string }) {
  const existing = await db.selectFrom('assessments').select('id').where('registry_code', '=', options.registryCode).limit(1).execute()
  if (existing.length) return { created: 0 }
  const [registrar, a1, a2] = await Promise.all(['registrar', 'assessor', 'assessor2'].map((u) => viewer(db, options.registryCode, u)))
  if (!registrar || !a1 || !a2) return { created: 0 }
  const waiting = await db.selectFrom('applications').select(['id', 'received_on'])
    .where('registry_code', '=', options.registryCode).where('state', '=', 'received').where('assessment', '=', 'pending')
    .where('relation', '<>', 'stepchild').where('received_on', '<=', addDays(options.today, -8)).orderBy('received_on').limit(2).execute()
  const { today } = options
  for (const [i, app] of waiting.entries()) {
    const on = addDays(app.received_on!, 1)
    const id = await commissionAssessment(db, registrar, app.id, { mode: 'in_house', members: [a1.id, a2.id], on }, today)
    if (i > 0) continue
    await declare(db, a1, id, { conflict: false })
    await declare(db, a2, id, { conflict: false })
    const version = async () => (await db.selectFrom('assessments').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version
    await setDates(db, a1, id, await version(), { noticeOn: addDays(on, 1), consentOn: addDays(on, 2) }, today)
    await addActivity(db, cipher, a1, id, {
      kind: 'interview', on: addDays(on, 3), place: '大足区民政局收养登记室', present: [a1.id, a2.id],
      notes: '与申请人夫妇分别会谈，了解收养动机、家庭分工和抚育计划。二人表述一致，动机端正。',
    }, today)
    await addActivity(db, cipher, a2, id, {
      kind: 'home_visit', on: addDays(on, 5), place: '申请人家中', present: [a1.id, a2.id],
      notes: '住房三室一厅，已为孩子准备独立房间；社区环境安全，附近有幼儿园。',
    }, today)
    for (const d of defaultInstrument.dimensions.slice(0, 4)) {
      await saveScore(db, cipher, a1, id, { dimension: d.code, score: Math.round((d.maxScore ?? 0) * 0.9), vetoes: [], findings: '会谈与走访所见良好。' })
    }
  }
  return { created: waiting.length }
}
