// Demo requests to consult the archive (demo mode only), through the archive's own commands, so
// the archivist's home page and /archive/requests show the procedure at once: one request waiting
// for the supervisor's approval, one approved and consulted (the document list viewed and the
// certificate copy downloaded with its watermark: the access log has both), one refused with its
// reason. The files of the earliest demo registrations are opened here as the archive job would
// open them (openFile is idempotent: the job, run later, finds them open). Seeded once: a registry
// that has any access request gets nothing more.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { demoAccount } from '#app/staff/demo-seed.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { openFile } from './files.server.ts'
import { consultDocument, decideAccess, logView, requestAccess } from './access.server.ts'


const version = async (db: Kysely<Database>, requestId: string) =>
  (await db.selectFrom('archive_access_requests').select('version').where('id', '=', requestId).executeTakeFirstOrThrow()).version

export async function seedDemoArchive(db: Kysely<Database>, cipher: FieldCipher, options: { registryCode: string; today: string }): Promise<{ created: number }> {
  const existing = await db.selectFrom('archive_access_requests as r').innerJoin('archive_files as f', 'f.id', 'r.file_id')
    .select('r.id').where('f.registry_code', '=', options.registryCode).limit(1).executeTakeFirst()
  if (existing) return { created: 0 }
  const [archivist, supervisor] = await Promise.all([demoAccount(db, options.registryCode, 'archivist'), demoAccount(db, options.registryCode, 'supervisor')])
  if (!archivist || !supervisor) return { created: 0 }
  // The three earliest registrations still in force (their files would be the oldest in the archive).
  const cases = await db.selectFrom('applications').select('id').where('registry_code', '=', options.registryCode).where('state', '=', 'registered')
    .orderBy('registered_on').orderBy('id').limit(3).execute()
  if (cases.length < 3) return { created: 0 }
  const files: string[] = []
  for (const c of cases) files.push(await openFile(db, cipher, { applicationId: c.id, type: 'establishment', actorId: supervisor.id }, options.today))

  // 1. A court's request for the archivist to consult: waiting for the supervisor.
  await requestAccess(db, cipher, archivist, files[0], {
    kind: 'court', name: '重庆市大足区人民法院', unit: '民事审判庭', idChecked: false, letterReference: '（2026）渝0111民初3127号协助调查函',
    purpose: '审理继承纠纷案件，需核实收养关系成立的时间和收养登记证明。', staffId: archivist.id,
  })

  // 2. The adopter's own request, ID checked: approved, then consulted by the archivist.
  const adopter = await db.selectFrom('parties').select('name').where('application_id', '=', cases[1].id).where('role', '=', 'adopter').orderBy('position').executeTakeFirst()
  const approved = await requestAccess(db, cipher, archivist, files[1], {
    kind: 'party', name: adopter?.name ?? '收养人', idChecked: true, purpose: '为子女办理出国留学手续，需收养登记证复印件。', staffId: archivist.id,
  })
  await decideAccess(db, supervisor, approved, await version(db, approved), { approve: true, reason: '当事人查阅本人收养档案，身份已核验，用途正当。', revealBirthFamily: false })
  await logView(db, archivist, approved, files[1], null)
  const certificate = await db.selectFrom('archive_documents').select('id').where('file_id', '=', files[1]).where('category', '=', 'certificate_copy').executeTakeFirst()
  if (certificate) await consultDocument(db, cipher, archivist, approved, certificate.id, null, options.today)

  // 3. A request with no ground the law recognises: refused, with the reason.
  const refused = await requestAccess(db, cipher, archivist, files[2], {
    kind: 'other', name: '某自媒体撰稿人', idChecked: false, purpose: '撰写关于收养家庭的报道，希望了解收养人和被收养人的情况。', staffId: archivist.id,
  })
  await decideAccess(db, supervisor, refused, await version(db, refused), {
    approve: false, reason: '申请人不是收养关系当事人，也未持司法机关或其他国家机关的公函；收养档案涉及收养秘密和个人信息，不予查阅。', revealBirthFamily: false,
  })
  return { created: 3 }
}
