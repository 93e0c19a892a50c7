// Applications for tests, built through the registration commands themselves.
import type { DB } from '#db/connection.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { applicationSchema, type ApplicationInput } from '#app/registration/schemas.ts'
import { createApplication, checklistStatus, loadApplication, markDocument, recordFindings, type Viewer } from '#app/registration/applications.server.ts'
import { approveDecision, endPublicNotice, proposeDecision, receive, recordAssessmentReport, startAssessment, startPublicNotice, type PublicNoticeInput } from '#app/registration/decisions.server.ts'
import { publicNoticeRequiredFor } from '#app/registration/public-notice.ts'
import { demoNoticePhoto } from '#app/registration/demo/notice-photo.server.ts'
import { citizenIdFor } from '#app/registration/demo/people.ts'
import { decideReissue, issueReissue, requestReissue } from '#app/registration/reissues.server.ts'
import type { Role } from '#app/platform/permissions.ts'
import { makeUser } from './factories.ts'

export const TODAY = '2026-11-28'

export async function makeViewer(db: DB, role: Role, registryCode = '500111', username?: string): Promise<Viewer> {
  const user = await makeUser(db, { roles: [role], registryCode, username })
  return { id: user.id, username: user.username, registryCode, roles: [role] }
}

let sequence = 0
/** A married couple (born 1985/1986) adopting a 3-year-old girl raised by a welfare institution. */
export function applicationInput(overrides: Partial<ApplicationInput> = {}): ApplicationInput {
  sequence++
  const raw = {
    relation: 'none',
    placingKind: 'welfare_institution',
    institutionName: '大足区儿童福利院',
    consentOfSupporters: 'unknown',
    adopter1: {
      name: '王建国', sex: 'male', birthDate: '1985-03-12', idNumber: citizenIdFor('500111', '1985-03-12', 'male', sequence),
      hukouAddress: '重庆市大足区龙岗街道五星大道1号', maritalStatus: 'married', children: 0, adoptedChildren: 0,
    },
    joint: true,
    adopter2: {
      name: '李秀英', sex: 'female', birthDate: '1986-07-01', idNumber: citizenIdFor('500111', '1986-07-01', 'female', sequence),
      hukouAddress: '重庆市大足区龙岗街道五星大道1号', maritalStatus: 'married', children: 0, adoptedChildren: 0,
    },
    child: {
      name: '福小花', sex: 'female', birthDate: '2023-05-20', situation: 'parents_not_found',
      inWelfareInstitution: true, disabled: false, consents: 'unknown', nameAfterAdoption: '王小花',
    },
    ...overrides,
  }
  return applicationSchema.parse(raw)
}

/**
 * A town of the registry's list for test records (a registration made in the system names its town
 * or that the adopters live abroad: migration 0021): its first town in use, or a test town (…199
 * 测试镇) added when it keeps none.
 */
export async function testTown(db: DB, registryCode: string): Promise<string> {
  const first = () => db.selectFrom('towns').select('id').where('registry_code', '=', registryCode).where('retired_on', 'is', null).orderBy('code').limit(1).executeTakeFirst()
  const found = await first()
  if (found) return found.id
  await db.insertInto('towns').values({ registry_code: registryCode, code: `${registryCode}199`, name: '测试镇', kind: 'town' })
    .onConflict((oc) => oc.doNothing()).execute()
  return (await first())!.id
}

/** An application through the form's schema and createApplication; in the registry's first town unless told. */
export async function makeApplication(db: DB, cipher: FieldCipher, registrar: Viewer, overrides: Partial<ApplicationInput> = {}) {
  const residence = overrides.residenceTown || overrides.residesAbroad ? {} : { residenceTown: await testTown(db, registrar.registryCode) }
  return createApplication(db, cipher, registrar, applicationInput({ ...residence, ...overrides }))
}

async function version(db: DB, id: string) {
  return (await db.selectFrom('applications').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version
}
export { version as currentVersion }

/** Received, assessed (recommended), findings clear, every required document verified. */
/** What a registrar records of a notice seeking the birth parents (the photo is a real PNG). */
export function testNotice(on: string, medium: 'newspaper' | 'website' = 'newspaper'): PublicNoticeInput {
  return {
    on, medium, outlet: medium === 'newspaper' ? '重庆日报' : '重庆市大足区人民政府网', reference: medium === 'newspaper' ? '第7版' : 'https://www.dazu.gov.cn/notice/1',
    text: '该儿童经公安机关查找，未能找到其生父母，请其生父母或其他监护人自公告之日起六十日内认领。', photo: demoNoticePhoto(),
  }
}

export async function makeReadyApplication(db: DB, cipher: FieldCipher, registrar: Viewer, overrides: Partial<ApplicationInput> = {}) {
  const id = await makeApplication(db, cipher, registrar, overrides)
  const needsNotice = publicNoticeRequiredFor({ situation: (await loadApplication(db, cipher, registrar, id)).parties.find((p) => p.role === 'child')?.situation })
  // A child whose birth parents cannot be found: received in August, so that the notice seeking
  // them (sixty full days, art. 1105) has run before the assessment; the review clock then stands
  // where it would without a notice (the notice's days do not count).
  await receive(db, registrar, id, await version(db, id), needsNotice ? '2026-08-03' : '2026-11-02', TODAY)
  if (needsNotice) {
    await startPublicNotice(db, cipher, registrar, id, await version(db, id), testNotice('2026-08-03'), TODAY)
    await endPublicNotice(db, registrar, id, await version(db, id), '2026-10-09', TODAY)
  }
  const loaded = await loadApplication(db, cipher, registrar, id)
  if (loaded.app.assessment === 'pending') {
    await startAssessment(db, registrar, id, await version(db, id), needsNotice ? '2026-10-09' : '2026-11-03', TODAY)
    await recordAssessmentReport(db, registrar, id, await version(db, id), { conclusion: 'recommended', reportOn: '2026-11-20', reference: '评估报告 2026-17' }, TODAY)
  }
  for (const adopter of loaded.parties.filter((p) => p.role === 'adopter')) {
    await recordFindings(db, cipher, registrar, id, adopter.position, { disqualifyingDisease: false, harmfulRecord: false })
  }
  for (const item of checklistStatus(loaded, TODAY)) await markDocument(db, registrar, id, item.code, 'verify')
  return id
}

let serials = 0
/** A registered adoption: ready, proposed by the registrar, approved by the supervisor on `registeredOn`. */
export async function makeRegisteredAdoption(
  db: DB, cipher: FieldCipher, registrar: Viewer, supervisor: Viewer, overrides: Partial<ApplicationInput> = {}, registeredOn = TODAY,
) {
  const id = await makeReadyApplication(db, cipher, registrar, overrides)
  await proposeDecision(db, cipher, registrar, id, await version(db, id), { decision: 'register' }, TODAY)
  // The registration is dated the day of approval: approved "on" registeredOn.
  await approveDecision(db, cipher, supervisor, id, await version(db, id), { serial: `T-${process.pid}-${++serials}` }, registeredOn)
  return id
}

/** A reissue as the procedure asks (decision 027): the registrar asks, the supervisor approves, the registrar issues the new blank. */
export async function reissueApproved(db: DB, registrar: Viewer, supervisor: Viewer, id: string, input: { reason: string; serial: string; kind?: 'lost' | 'damaged' | 'corrected' }, today = TODAY) {
  const reissue = await requestReissue(db, registrar, id, { kind: input.kind ?? 'lost', reason: input.reason })
  await decideReissue(db, supervisor, reissue, { version: 1, decision: 'approve' })
  return issueReissue(db, registrar, reissue, { version: 2, serial: input.serial }, today)
}
