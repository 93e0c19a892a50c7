// Demo applications (demo mode, empty registry): a few dozen fictional cases in every state, so a
// newcomer can click through the ledger, a case's timeline, its checklist and its certificate at
// once. Every case is built through the real commands (createApplication, receive, …,
// approveDecision), each called with the day the step happened as its `today`: the commands' own
// checks (dates not after today, the registration blockers re-checked on approval, four eyes)
// vouch for the data, and every case gets its events and audit rows. Nothing is inserted behind
// the commands' back.
//
// The steps of all cases run in one global date order, so registration numbers and certificate
// serials rise with the registration date, as they would have in the office.
import type { Kysely } from 'kysely'
import type { Database, RefusalGround } from '#db/schema.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { demoAccount } from '#app/staff/demo-seed.server.ts'
import { workCalendar, type WorkCalendar } from '#app/platform/calendar.server.ts'
import { publicNoticeEnd, publicNoticeRequiredFor } from '../public-notice.ts'
import { demoNoticePhoto } from './notice-photo.server.ts'
import { applicationSchema, type ApplicationInput } from '../schemas.ts'
import { checklistStatus, createApplication, loadApplication, markDocument, recordFindings, type Viewer } from '../applications.server.ts'
import {
  approveDecision, endPublicNotice, proposeDecision, receive, recordAssessmentReport, registerDissolution,
  returnDecision, revoke, startAssessment, startPublicNotice, withdraw,
} from '../decisions.server.ts'
import { decideReissue, issueReissue, requestReissue } from '../reissues.server.ts'
import { addDays, isRestDay } from '../deadlines.ts'
import { ageOn } from '../evaluation.ts'
import { citizenIdFor, fictionalPerson, seededRandom, type FictionalPerson } from './people.ts'
import { demoTownOf, seedDemoRetiredTown, seedDemoTowns } from '#app/residence/demo.server.ts'

export const DEMO_INSTITUTION = '重庆市大足区儿童福利院'

const registrySettings = {
  number_prefix: '渝大足',
  reconsideration_body: '重庆市大足区人民政府',
  court: '重庆市大足区人民法院',
} as const

type Sex = 'male' | 'female'
type Step = { on: string; run: () => Promise<void> }

type Env = {
  db: Kysely<Database>
  cipher: FieldCipher
  registrar: Viewer
  supervisor: Viewer
  today: string
  /** The town a household address names (the registry's demo list). */
  townOf: (address: string | undefined) => string | undefined
  nextSerial: (year: number) => string
  nextReference: (year: number) => string
}

export async function seedDemoApplications(
  db: Kysely<Database>,
  cipher: FieldCipher,
  options: { registryCode: string; today: string; seed?: number },
): Promise<{ created: number }> {
  const { count } = await db.selectFrom('applications').select((eb) => eb.fn.countAll<string>().as('count'))
    .where('registry_code', '=', options.registryCode).executeTakeFirstOrThrow()
  // Once anyone has recorded a case, demo data would mix with it: seed only an empty registry.
  if (Number(count) > 0) return { created: 0 }

  const registrar = await demoViewer(db, options.registryCode, 'registrar')
  const supervisor = await demoViewer(db, options.registryCode, 'supervisor')
  await configureRegistry(db, options.registryCode)
  // A registration names the adopters' town (migration 0021): the registry's list first.
  await seedDemoTowns(db, options.registryCode)
  const townOf = await demoTownOf(db, options.registryCode)

  const random = seededRandom(options.seed ?? 2026)
  // Blank certificates are numbered by the printer, not by us: start each year somewhere plausible.
  const serialBase = 100 + Math.floor(random() * 800)
  const serials = new Map<number, number>()
  const references = new Map<number, number>()
  const env: Env = {
    db, cipher, registrar, supervisor, today: options.today, townOf,
    nextSerial(year) {
      const n = (serials.get(year) ?? serialBase) + 1
      serials.set(year, n)
      return `A${String(year).slice(2)}-${String(n).padStart(6, '0')}`
    },
    nextReference(year) {
      const n = (references.get(year) ?? 0) + 1
      references.set(year, n)
      return `大足民收评〔${year}〕${n}号`
    },
  }
  const cases = planCases(env, random, await workCalendar(db, options.registryCode))

  // A stable sort keeps each case's own steps in order and ties between cases in plan order.
  const steps = cases.flatMap((c) => c.steps).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))
  for (const step of steps) await step.run()
  await seedDemoRetiredTown(db, options.registryCode)
  return { created: cases.length }
}

async function demoViewer(db: Kysely<Database>, registryCode: string, username: string): Promise<Viewer> {
  const viewer = await demoAccount(db, registryCode, username)
  // Without the demo accounts (seedDemo) there is nobody the cases could belong to.
  if (!viewer) throw new Error(`demo applications need the demo account "${username}" in registry ${registryCode} (seedDemo first)`)
  return viewer
}

// Certificates and refusal notices print these; an administrator's own values are kept.
async function configureRegistry(db: Kysely<Database>, registryCode: string) {
  for (const [column, value] of Object.entries(registrySettings) as [keyof typeof registrySettings, string][]) {
    await db.updateTable('registries').set({ [column]: value }).where('code', '=', registryCode).where(column, '=', '').execute()
  }
}

/** One case: its recorded facts and its dated steps, which run later in the global date order. */
class DemoCase {
  id = ''
  readonly steps: Step[] = []
  private last = ''

  constructor(private readonly env: Env, readonly label: string, readonly input: ApplicationInput) {}

  private at(on: string, run: () => Promise<void>) {
    // A plan that dates a step in the future or before the previous one is a bug in this file.
    if (on > this.env.today) throw new RangeError(`demo case ${this.label}: ${on} is after ${this.env.today}`)
    if (on < this.last) throw new RangeError(`demo case ${this.label}: ${on} is before the previous step (${this.last})`)
    this.last = on
    this.steps.push({ on, run })
    return this
  }

  private async version() {
    const row = await this.env.db.selectFrom('applications').select('version').where('id', '=', this.id).executeTakeFirstOrThrow()
    return row.version
  }

  private async checklist(on: string) {
    const loaded = await loadApplication(this.env.db, this.env.cipher, this.env.registrar, this.id)
    return { loaded, items: checklistStatus(loaded, on) }
  }

  create(on: string) {
    return this.at(on, async () => {
      this.id = await createApplication(this.env.db, this.env.cipher, this.env.registrar, this.input)
    })
  }

  receive(on: string) {
    const { db, registrar } = this.env
    return this.at(on, async () => receive(db, registrar, this.id, await this.version(), on, on))
  }

  startAssessment(on: string) {
    const { db, registrar } = this.env
    return this.at(on, async () => startAssessment(db, registrar, this.id, await this.version(), on, on))
  }

  assessmentReport(on: string) {
    const { db, registrar } = this.env
    const reference = this.env.nextReference(Number(on.slice(0, 4)))
    return this.at(on, async () =>
      recordAssessmentReport(db, registrar, this.id, await this.version(), { conclusion: 'recommended', reportOn: on, reference }, on),
    )
  }

  /** Health and record checks of every adopter came back clear. */
  findings(on: string) {
    const { db, cipher, registrar } = this.env
    return this.at(on, async () => {
      const { loaded } = await this.checklist(on)
      for (const adopter of loaded.parties.filter((p) => p.role === 'adopter')) {
        await recordFindings(db, cipher, registrar, this.id, adopter.position, { disqualifyingDisease: false, harmfulRecord: false })
      }
    })
  }

  /** Marks the first `share` of the checklist provided or verified (the rest is still missing). */
  documents(on: string, action: 'provide' | 'verify', share = 1) {
    const { db, registrar } = this.env
    return this.at(on, async () => {
      const { items } = await this.checklist(on)
      for (const item of items.slice(0, Math.ceil(items.length * share))) await markDocument(db, registrar, this.id, item.code, action)
    })
  }

  startNotice(on: string, medium: 'newspaper' | 'website' = 'newspaper') {
    const { db, cipher, registrar } = this.env
    return this.at(on, async () => startPublicNotice(db, cipher, registrar, this.id, await this.version(), {
      on, medium,
      outlet: medium === 'newspaper' ? '重庆日报' : '全国儿童福利信息管理系统寻亲公告栏',
      reference: medium === 'newspaper' ? `${on.slice(0, 4)}年${Number(on.slice(5, 7))}月${Number(on.slice(8, 10))}日 第7版` : `https://example.gov.cn/notice/${this.id}`,
      text: `该儿童经公安机关查找，未能找到其生父母。请其生父母或其他监护人自公告之日起六十日内与重庆市大足区民政局联系认领；逾期无人认领的，视为查找不到生父母的未成年人（《中华人民共和国民法典》第一千零九十三条）。`,
      photo: demoNoticePhoto(),
    }, on))
  }

  endNotice(on: string) {
    const { db, registrar } = this.env
    return this.at(on, async () => endPublicNotice(db, registrar, this.id, await this.version(), on, on))
  }

  propose(on: string, decision: { decision: 'register' } | { decision: 'refuse'; ground: RefusalGround; facts: string; basis: string } = { decision: 'register' }) {
    const { db, cipher, registrar } = this.env
    return this.at(on, async () => proposeDecision(db, cipher, registrar, this.id, await this.version(), decision, on))
  }

  returnDecision(on: string, reason: string) {
    const { db, supervisor } = this.env
    return this.at(on, async () => returnDecision(db, supervisor, this.id, await this.version(), reason))
  }

  approve(on: string) {
    const { db, cipher, supervisor } = this.env
    return this.at(on, async () => {
      // Taken when the step runs, so serials follow the order of registration.
      const decision = await db.selectFrom('applications').select('decision').where('id', '=', this.id).executeTakeFirstOrThrow()
      const serial = decision.decision === 'register' ? this.env.nextSerial(Number(on.slice(0, 4))) : undefined
      await approveDecision(db, cipher, supervisor, this.id, await this.version(), { serial, registeredOn: on }, on)
    })
  }

  withdraw(on: string, reason: string) {
    const { db, registrar } = this.env
    return this.at(on, async () => withdraw(db, registrar, this.id, await this.version(), reason, on))
  }

  /** 补发 as the office does it (decision 027): the registrar asks, the supervisor approves, the registrar issues the new blank. */
  reissue(on: string, reason: string) {
    const { db, registrar, supervisor } = this.env
    return this.at(on, async () => {
      const reissue = await requestReissue(db, registrar, this.id, { kind: 'lost', reason })
      await decideReissue(db, supervisor, reissue, { version: 1, decision: 'approve' })
      await issueReissue(db, registrar, reissue, { version: 2, serial: this.env.nextSerial(Number(on.slice(0, 4))) }, on)
    })
  }

  dissolve(on: string, input: { agreementOn: string; childConsents: boolean | null; certificateReturned: boolean; note: string }) {
    const { db, cipher, registrar } = this.env
    return this.at(on, async () => { await registerDissolution(db, cipher, registrar, this.id, await this.version(), input, on) })
  }

  revoke(on: string, input: { reason: string; certificateConfiscated: boolean; notRecoveredNote?: string }) {
    const { db, supervisor } = this.env
    return this.at(on, async () => revoke(db, supervisor, this.id, await this.version(), input, on))
  }
}

// Given names of children born in the 2010s and 2020s (people.ts has those of their parents).
const childGiven: Record<Sex, string[]> = {
  // None of them in people.ts's lists, so a child never shares the name of an adult in the case.
  male: ['梓睿', '一鸣', '沐阳', '嘉树', '俊熙', '博文', '景行', '睿泽', '天佑', '云帆', '书恒', '奕辰'],
  female: ['雨桐', '可馨', '语嫣', '若汐', '思彤', '一诺', '安然', '芷若', '知夏', '沐晴', '书瑶', '亦菲'],
}
// Children taken into the welfare institution without a known family are given its surname.
const INSTITUTION_SURNAME = '福'
const INSTITUTION_HUKOU = '重庆市大足区龙岗街道五星大道南段88号（儿童福利院集体户）'
// Most adults were born in Dazu; a few moved here from elsewhere in Chongqing or Sichuan.
const adultAreas = ['500111', '500111', '500111', '500111', '500106', '500112', '510107']

function planCases(env: Env, random: () => number, calendar: WorkCalendar): DemoCase[] {
  const { today } = env
  const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]

  // The office works on working days: a step dated on a rest day moves to the nearest working day
  // (the earlier on a tie, never after today), so a week-long holiday shifts the plan by a few days
  // at most; a period that must have passed (the notice) moves forward instead.
  const workday = (iso: string) => {
    for (let distance = 0; ; distance++) {
      const before = addDays(iso, -distance)
      if (!isRestDay(before, calendar)) return before
      const after = addDays(iso, distance)
      if (after <= today && !isRestDay(after, calendar)) return after
    }
  }
  const forward = (iso: string) => { while (isRestDay(iso, calendar)) iso = addDays(iso, 1); return iso }
  const ago = (days: number) => workday(addDays(today, -days))

  const shiftYears = (iso: string, years: number) => {
    const monthDay = iso.slice(5) === '02-29' ? '02-28' : iso.slice(5)
    return `${Number(iso.slice(0, 4)) + years}-${monthDay}`
  }
  // Born so as to be between minAge and maxAge full years old on `on`.
  const bornAged = (on: string, minAge: number, maxAge: number) => ({ from: addDays(shiftYears(on, -(maxAge + 1)), 1), to: shiftYears(on, -minAge) })

  const adult = (sex: Sex, on: string, minAge: number, maxAge: number, surname?: string) =>
    fictionalPerson(random, { sex, born: bornAged(on, minAge, maxAge), surname, area: pick(adultAreas) })
  const surnameOf = (p: { name: string }) => p.name.slice(0, 1)

  const adopter = (p: FictionalPerson, maritalStatus: 'unmarried' | 'married' | 'divorced' | 'widowed', more: { children?: number; hukouAddress?: string; overseasChinese?: boolean } = {}) => ({
    name: p.name, sex: p.sex, birthDate: p.birthDate, idNumber: p.idNumber, hukouAddress: more.hukouAddress ?? p.address,
    currentAddress: more.hukouAddress ?? p.address, phone: p.phone, maritalStatus,
    children: more.children ?? 0, adoptedChildren: 0, overseasChinese: more.overseasChinese ?? false,
  })
  /** A married couple, both well over 30 on `on`, sharing the husband's household. */
  const couple = (on: string, more: { children?: number } = {}) => {
    const husband = adult('male', on, 33, 46)
    const wife = adult('female', on, 31, 44)
    return {
      husband, wife,
      fields: {
        joint: true,
        adopter1: adopter(husband, 'married', { children: more.children }),
        adopter2: adopter(wife, 'married', { children: more.children, hukouAddress: husband.address }),
      },
    }
  }
  const placingPerson = (p: FictionalPerson) => ({ name: p.name, sex: p.sex, birthDate: p.birthDate, idNumber: p.idNumber, hukouAddress: p.address, phone: p.phone })

  type ChildOptions = {
    sex?: Sex; surname?: string; renameTo?: string; situation: 'orphan' | 'parents_not_found' | 'parents_in_difficulty' | 'parents_lack_capacity' | 'other'
    inInstitution?: boolean; disabled?: boolean; consents?: boolean; hukouAddress?: string; withoutId?: boolean
  }
  /** A child between minAge and maxAge full years old on `on`; renamed after the adoptive family. */
  const child = (on: string, minAge: number, maxAge: number, o: ChildOptions) => {
    const sex = o.sex ?? (random() < 0.5 ? 'male' : 'female')
    const born = fictionalPerson(random, { sex, born: bornAged(on, minAge, maxAge) })
    const given = pick(childGiven[sex])
    const surname = o.surname ?? (o.inInstitution ? INSTITUTION_SURNAME : pick(['王', '李', '张', '刘', '陈', '杨', '周', '吴']))
    return {
      name: surname + given, sex, birthDate: born.birthDate,
      idNumber: o.withoutId ? undefined : citizenIdFor('500111', born.birthDate, sex, Math.floor(random() * 500)),
      // Children in the institution's care are registered in its collective household.
      hukouAddress: o.inInstitution ? INSTITUTION_HUKOU : o.hukouAddress,
      nameAfterAdoption: o.renameTo ? o.renameTo + given : undefined,
      situation: o.situation, inWelfareInstitution: o.inInstitution ?? false, disabled: o.disabled ?? false,
      consents: o.consents === undefined ? 'unknown' : o.consents ? 'yes' : 'no',
    }
  }
  const institution = { relation: 'none', placingKind: 'welfare_institution', institutionName: DEMO_INSTITUTION }

  const cases: DemoCase[] = []
  const add = (label: string, raw: Record<string, unknown>) => {
    // Through the form's own schema: ID numbers agree with birth dates and sexes, as on the form;
    // the adopters' town as their household address names it.
    const address = (raw.adopter1 as { hukouAddress?: string } | undefined)?.hukouAddress
    const residence = raw.residesAbroad ? {} : { residenceTown: env.townOf(address) }
    const c = new DemoCase(env, label, applicationSchema.parse({ ...residence, ...raw }))
    cases.push(c)
    return c
  }

  type CaseOptions = { minAge?: number; maxAge?: number; child?: Partial<ChildOptions>; extra?: Record<string, unknown> }
  /**
   * A child whose parents cannot be found, adopted by a couple and placed by the institution: one in
   * its care, or a foundling (found and raised outside it, no ID number yet, named by the finders).
   */
  const institutionCouple = (on: string, label: string, o: CaseOptions & { foundling?: boolean; children?: number } = {}) => {
    const { husband, fields } = couple(on, { children: o.children })
    const kid = o.foundling
      ? child(on, o.minAge ?? 1, o.maxAge ?? 4, { situation: 'parents_not_found', surname: surnameOf(husband), withoutId: true, ...o.child })
      : child(on, o.minAge ?? 1, o.maxAge ?? 4, { situation: 'parents_not_found', inInstitution: true, renameTo: surnameOf(husband), ...o.child })
    return add(label, { ...institution, ...fields, foundling: o.foundling ?? false, ...o.extra, child: kid })
  }
  /** Birth parents in special difficulty (illness, no income) placing their child with a couple. */
  const difficultyCouple = (on: string, label: string, o: CaseOptions & { children?: number } = {}) => {
    const { husband, fields } = couple(on, { children: o.children })
    const [minAge, maxAge] = [o.minAge ?? 1, o.maxAge ?? 5]
    // The parents were grown-ups when the child was born.
    const father = adult('male', on, maxAge + 24, maxAge + 36)
    const mother = adult('female', on, maxAge + 22, maxAge + 32)
    return add(label, {
      relation: 'none', placingKind: 'birth_parents', ...fields, ...o.extra,
      child: child(on, minAge, maxAge, {
        situation: 'parents_in_difficulty', surname: surnameOf(father), renameTo: surnameOf(husband), hukouAddress: father.address, ...o.child,
      }),
      placing1: placingPerson(father), placing2: placingPerson({ ...mother, address: father.address }),
    })
  }
  /** An orphan placed by the guardian (a grandparent), the other supporters consenting (art. 1096). */
  const orphanCouple = (on: string, label: string, o: CaseOptions & { deFacto?: boolean } = {}) => {
    const { husband, fields } = couple(on)
    const guardian = adult(random() < 0.5 ? 'male' : 'female', on, 62, 74)
    const kid = child(on, o.minAge ?? 3, o.maxAge ?? 7, {
      situation: 'orphan', surname: surnameOf(guardian), renameTo: surnameOf(husband), hukouAddress: guardian.address, ...o.child,
    })
    // Living with the couple from about a year after birth (事实收养), now registered.
    const deFactoSince = o.deFacto ? addDays(kid.birthDate, 400) : undefined
    return add(label, {
      relation: 'none', placingKind: 'guardian', consentOfSupporters: 'yes', ...fields, deFactoSince, ...o.extra,
      child: kid, placing1: placingPerson(guardian),
    })
  }

  /** Received, assessed (recommended), findings clear, every document verified: ready to decide. */
  const prepared = (c: DemoCase, received: number, assessmentDays = 24) => {
    if (publicNoticeRequiredFor({ situation: c.input.child?.situation })) {
      // A child whose birth parents cannot be found: the registry received the application and
      // published the notice seeking them (art. 1105) just over sixty days earlier; the notice is
      // recorded as ended on the day the rest of the procedure starts.
      let lead = 61
      let published = ago(received + lead)
      while (forward(publicNoticeEnd(published, calendar).earliestRegistration) > ago(received)) published = ago(received + ++lead)
      c.create(published).receive(published).documents(published, 'provide').startNotice(published, lead % 2 ? 'newspaper' : 'website').endNotice(ago(received))
    } else {
      c.create(ago(received)).receive(ago(received)).documents(ago(received), 'provide')
    }
    if (c.input.relation !== 'stepchild') c.startAssessment(ago(received - 2)).assessmentReport(ago(received - 2 - assessmentDays))
    return c.findings(ago(received - 3 - assessmentDays)).documents(ago(received - 4 - assessmentDays), 'verify')
  }
  /** Registered `days` ago, approved a few days after the registrar proposed it. */
  const registered = (c: DemoCase, days: number, assessmentDays = 24) =>
    prepared(c, days + assessmentDays + 14, assessmentDays).propose(ago(days + 3)).approve(ago(days))

  // Registrations, spread back to January of last year: numbers of two yearly sequences.
  const span = Math.max(60, Math.min(700, Math.round((Date.parse(today) - Date.parse(`${Number(today.slice(0, 4)) - 1}-01-20`)) / 86_400_000)))
  const reg = (share: number) => Math.round(span * share)

  // Secrecy (收养秘密, art. 1110): the adoptive parents asked that the adoption not be disclosed.
  registered(institutionCouple(ago(reg(0.97) + 38), '登记·保密', { maxAge: 2, extra: { secrecy: true, secrecyRequestedBy: 'adopter' } }), reg(0.97))

  // Step-parent (art. 1103): the mother's husband adopts her son; the boy's father agrees. No
  // capability assessment, the short list of documents.
  {
    const on = ago(reg(0.8) + 14)
    const stepfather = adult('male', on, 34, 42)
    const mother = adult('female', on, 31, 38)
    const father = adult('male', on, 33, 42)
    registered(add('登记·继子女', {
      relation: 'stepchild', placingKind: 'birth_parents', joint: false,
      adopter1: adopter(stepfather, 'married'),
      child: child(on, 4, 6, { sex: 'male', situation: 'other', surname: surnameOf(father), renameTo: surnameOf(stepfather), hukouAddress: stepfather.address }),
      placing1: placingPerson({ ...mother, address: stepfather.address }), placing2: placingPerson(father),
    }), reg(0.8), 0)
  }

  // Relative (art. 1099(1)): the elder brother and his wife, childless, adopt the younger brother's
  // third child, whom the younger brother and his wife place.
  {
    const on = ago(reg(0.66) + 38)
    const { husband, fields } = couple(on)
    const brother = adult('male', on, 30, 33, surnameOf(husband))
    const sisterInLaw = adult('female', on, 28, 33)
    registered(add('登记·亲属', {
      relation: 'relative', placingKind: 'birth_parents', ...fields,
      child: child(on, 2, 5, { situation: 'other', surname: surnameOf(husband), hukouAddress: brother.address }),
      placing1: placingPerson(brother), placing2: placingPerson({ ...sisterInLaw, address: brother.address }),
    }), reg(0.66))
  }

  // De facto adoption: neighbours who have raised the orphan since the parents' death register it.
  registered(orphanCouple(ago(reg(0.53) + 38), '登记·事实收养', { minAge: 4, maxAge: 6, deFacto: true }), reg(0.53))

  // A single woman adopting a girl: no age gap is required between persons of the same sex.
  {
    const on = ago(reg(0.42) + 38)
    const woman = adult('female', on, 38, 44)
    registered(add('登记·单身收养', {
      ...institution, joint: false, adopter1: adopter(woman, 'unmarried'),
      child: child(on, 2, 4, { sex: 'female', situation: 'parents_not_found', inInstitution: true, renameTo: surnameOf(woman) }),
    }), reg(0.42))
  }

  // A disabled child: the couple's own child does not count against them (art. 1100(2)).
  registered(institutionCouple(ago(reg(0.3) + 38), '登记·残疾儿童', { children: 1, minAge: 4, maxAge: 6, child: { sex: 'male', disabled: true } }), reg(0.3))

  // A ten-year-old who agreed in writing to be adopted (art. 1104); the certificate was lost and
  // reissued on a new blank.
  registered(institutionCouple(ago(reg(0.17) + 38), '登记·八周岁以上', { minAge: 9, maxAge: 11, child: { consents: true } }), reg(0.17))
    .reissue(ago(Math.min(reg(0.17) - 1, 12)), '收养登记证遗失，收养人登报声明作废后申请补发')

  // A foundling: reported to the police, the 60-day notice, then the decision.
  {
    const received = reg(0.06) + 100
    const c = institutionCouple(ago(received), '登记·弃婴', { maxAge: 2, foundling: true })
    c.create(ago(received)).receive(ago(received)).documents(ago(received), 'provide')
      .startAssessment(ago(received - 2)).assessmentReport(ago(received - 24)).findings(ago(received - 24))
    const noticeOn = ago(received - 26)
    // The notice is complete from the day after its last day (arts. 201 and 203).
    const noticeEnd = forward(publicNoticeEnd(noticeOn, calendar).earliestRegistration)
    c.startNotice(noticeOn).endNotice(noticeEnd).documents(noticeEnd, 'verify')
      .propose(workday(addDays(noticeEnd, 1))).approve(workday(addDays(noticeEnd, 3)))
  }

  // Dissolved: birth parents in difficulty placed their daughter; their life has since improved and
  // all agreed to end the adoption, the girl (over 8) consenting (arts. 1114, 1104).
  {
    const days = reg(0.88)
    registered(difficultyCouple(ago(days + 38), '解除', { minAge: 8, maxAge: 9, child: { sex: 'female', consents: true } }), days)
      .dissolve(ago(Math.min(days - 1, 20)), {
        agreementOn: ago(Math.min(days - 1, 26)), childConsents: true, certificateReturned: true,
        note: '送养人生活状况好转，收养人与送养人协商一致解除收养关系，被收养人本人同意；收养登记证已交回',
      })
  }

  // Revoked: the adopters hid that they already had two children (art. 1098(1)) behind a false
  // declaration; a registration obtained by fraud is revoked (登记办法 art. 13).
  {
    const days = reg(0.36)
    const c = difficultyCouple(ago(days + 38), '撤销')
    const [husband, wife] = [c.input.adopter1.name, c.input.adopter2!.name]
    registered(c, days).revoke(ago(Math.min(days - 1, 35)), {
      reason: `经公安机关户籍核查，收养人${husband}、${wife}申请时已生育两名子女，所提交的《子女情况声明》不实，系弄虚作假骗取收养登记。依据《中国公民收养子女登记办法》第十三条，撤销该收养登记，收缴收养登记证`,
      certificateConfiscated: true,
    })
  }

  // Refused: the birth parents can raise their son; no special difficulty (arts. 1093, 1094).
  {
    const on = ago(92)
    const { husband, fields } = couple(on)
    const father = adult('male', on, 30, 38)
    const mother = adult('female', on, 28, 36)
    const boy = child(on, 2, 4, { sex: 'male', situation: 'other', surname: surnameOf(father), renameTo: surnameOf(husband), hukouAddress: father.address })
    add('不予登记·无特殊困难', {
      relation: 'none', placingKind: 'birth_parents', ...fields, child: boy,
      placing1: placingPerson(father), placing2: placingPerson({ ...mother, address: father.address }),
    }).create(on).receive(on).documents(on, 'provide').documents(ago(85), 'verify', 0.6).propose(ago(72), {
      decision: 'refuse', ground: 'child_not_eligible',
      facts: `被收养人${boy.name}（${chineseDate(boy.birthDate)}出生）的生父${father.name}、生母${mother.name}均健在，二人均有固定工作和稳定收入，经居民委员会核实，不属于有特殊困难无力抚养子女的情形，申请人亦未能提供相关证明。被收养人不属于可以被收养的未成年人，其生父母不具备送养人条件`,
      basis: '《中华人民共和国民法典》第一千零九十三条、第一千零九十四条，《中国公民收养子女登记办法》第八条',
    }).approve(ago(70))
  }

  // Refused: an unmarried man and a girl less than 40 years younger (art. 1102).
  {
    const on = ago(41)
    const man = adult('male', on, 44, 45)
    const girl = child(on, 6, 7, { sex: 'female', situation: 'parents_not_found', inInstitution: true })
    const gap = ageOn(man.birthDate, girl.birthDate)
    add('不予登记·年龄差', { ...institution, joint: false, adopter1: adopter(man, 'unmarried'), child: girl })
      .create(on).receive(on).documents(on, 'provide').propose(ago(22), {
        decision: 'refuse', ground: 'age_gap',
        facts: `收养人${man.name}（${chineseDate(man.birthDate)}出生）无配偶，申请收养的${girl.name}（${chineseDate(girl.birthDate)}出生）为女性，二人年龄相差${gap}周岁，不足四十周岁`,
        basis: '《中华人民共和国民法典》第一千一百零二条，《中国公民收养子女登记办法》第八条',
      }).approve(ago(20))
  }

  // Withdrawn before a decision (from 'received': withdraw() would close an open pause on the
  // server's date, not the day of the withdrawal).
  institutionCouple(ago(58), '撤回·迁居').create(ago(58)).receive(ago(58)).documents(ago(58), 'provide')
    .withdraw(ago(40), '收养人因工作调动迁居外省，申请撤回收养登记申请')
  difficultyCouple(ago(104), '撤回·自行抚养').create(ago(104)).receive(ago(104)).documents(ago(104), 'provide', 0.7)
    .withdraw(ago(90), '送养人家庭经济状况好转，决定自行抚养子女，经双方协商撤回申请')

  // Awaiting the supervisor's approval; one was sent back once to have a certificate checked.
  prepared(orphanCouple(ago(40), '待审批·孤儿'), 40, 22).propose(ago(3))
  prepared(difficultyCouple(ago(36), '待审批·特殊困难'), 36, 20).propose(ago(2))
  prepared(institutionCouple(ago(48), '待审批·退回'), 48, 28).propose(ago(12))
    .returnDecision(ago(10), '请核实收养人健康检查证明是否由县级以上医疗机构出具').propose(ago(4))

  // Foundlings in their 60-day notice.
  for (const [received, label] of [[62, '公告·弃婴甲'], [84, '公告·弃婴乙']] as const) {
    institutionCouple(ago(received), label, { maxAge: 1, foundling: true })
      .create(ago(received)).receive(ago(received)).documents(ago(received), 'provide').startAssessment(ago(received - 2))
      .assessmentReport(ago(received - 25)).findings(ago(received - 25)).documents(ago(received - 26), 'verify', 0.8)
      .startNotice(ago(received - 27))
  }

  // In the capability assessment.
  institutionCouple(ago(13), '评估·福利院').create(ago(13)).receive(ago(13)).documents(ago(13), 'provide')
    .startAssessment(ago(10)).findings(ago(8))
  {
    // A mother alone (the father unknown) in special difficulty places her daughter (art. 1097).
    const on = ago(22)
    const { husband, fields } = couple(on)
    const mother = adult('female', on, 22, 30)
    add('评估·生母单方送养', {
      relation: 'none', placingKind: 'birth_parent', otherParentUnknownOrMissing: true, ...fields,
      child: child(on, 1, 2, { sex: 'female', situation: 'parents_in_difficulty', surname: surnameOf(mother), renameTo: surnameOf(husband), hukouAddress: mother.address }),
      placing1: placingPerson(mother),
    }).create(on).receive(on).documents(on, 'provide').startAssessment(ago(19)).documents(ago(15), 'verify', 0.5)
  }
  {
    // Overseas Chinese with two children of their own adopt his cousin's son: art. 1099(2) lifts
    // the limit on own children for each spouse who is an overseas Chinese.
    const on = ago(34)
    const husband = adult('male', on, 40, 48)
    const wife = adult('female', on, 38, 46)
    const cousin = adult('male', on, 30, 38, surnameOf(husband))
    const cousinWife = adult('female', on, 28, 36)
    add('评估·华侨亲属', {
      relation: 'relative', placingKind: 'birth_parents', joint: true,
      adopter1: adopter(husband, 'married', { children: 2, overseasChinese: true }),
      adopter2: adopter(wife, 'married', { children: 2, overseasChinese: true, hukouAddress: husband.address }),
      child: child(on, 3, 6, { sex: 'male', situation: 'other', surname: surnameOf(husband), hukouAddress: cousin.address }),
      placing1: placingPerson(cousin), placing2: placingPerson({ ...cousinWife, address: cousin.address }),
    }).create(on).receive(on).documents(on, 'provide').startAssessment(ago(31)).findings(ago(25)).documents(ago(24), 'verify', 0.7)
  }
  {
    // A divorced woman of 50 adopting a boy: more than 40 years between them (art. 1102).
    const on = ago(57)
    const woman = adult('female', on, 50, 52)
    add('评估·离异女性收养男孩', {
      ...institution, joint: false, adopter1: adopter(woman, 'divorced'),
      child: child(on, 5, 7, { sex: 'male', situation: 'parents_not_found', inInstitution: true, renameTo: surnameOf(woman) }),
    }).create(on).receive(on).documents(on, 'provide').startAssessment(ago(53)).findings(ago(50))
  }

  // Received and running late: past the 30 days of the review period.
  institutionCouple(ago(66), '逾期·评估后未决').create(ago(66)).receive(ago(66)).documents(ago(66), 'provide')
    .startAssessment(ago(64)).assessmentReport(ago(40)).findings(ago(39)).documents(ago(38), 'verify', 0.9)
  difficultyCouple(ago(51), '逾期·材料不全').create(ago(51)).receive(ago(51)).documents(ago(51), 'provide', 0.6)
  orphanCouple(ago(38), '逾期·待评估').create(ago(38)).receive(ago(38)).documents(ago(38), 'provide').documents(ago(30), 'verify', 0.4)

  // Received, days left; the first two fall due within a week.
  institutionCouple(ago(27), '受理·临期').create(ago(27)).receive(ago(27)).documents(ago(27), 'provide').documents(ago(20), 'verify', 0.5)
  difficultyCouple(ago(25), '受理·临期·特殊困难').create(ago(25)).receive(ago(25)).documents(ago(25), 'provide')
  orphanCouple(ago(16), '受理·孤儿').create(ago(16)).receive(ago(16)).documents(ago(16), 'provide', 0.8)
  // The assessment paused the clock for three weeks: received over five weeks ago, yet days left.
  institutionCouple(ago(38), '受理·评估完成').create(ago(38)).receive(ago(38)).documents(ago(38), 'provide')
    .startAssessment(ago(36)).assessmentReport(ago(15)).findings(ago(14)).documents(ago(13), 'verify', 0.8)
  institutionCouple(ago(4), '受理·保密', { extra: { secrecy: true, secrecyRequestedBy: 'both' } })
    .create(ago(4)).receive(ago(4)).documents(ago(4), 'provide', 0.5)

  // Drafts still being recorded at the counter.
  institutionCouple(ago(6), '草稿·福利院').create(ago(6)).documents(ago(6), 'provide', 0.3)
  {
    // A stepmother adopting her husband's daughter; the girl's mother left and cannot be found.
    const on = ago(3)
    const stepmother = adult('female', on, 32, 38)
    const father = adult('male', on, 34, 40)
    add('草稿·继母', {
      relation: 'stepchild', placingKind: 'birth_parent', otherParentUnknownOrMissing: true, joint: false,
      adopter1: adopter(stepmother, 'married', { hukouAddress: father.address }),
      child: child(on, 5, 7, { sex: 'female', situation: 'other', surname: surnameOf(father), hukouAddress: father.address }),
      placing1: placingPerson(father),
    }).create(on).documents(on, 'provide', 0.5)
  }
  {
    // The maternal aunt and her husband adopt her sister's daughter (same generation, art. 1099).
    const on = ago(2)
    const { wife, fields } = couple(on)
    const sister = adult('female', on, 27, 33, surnameOf(wife))
    const sistersHusband = adult('male', on, 29, 35)
    add('草稿·亲属', {
      relation: 'relative', placingKind: 'birth_parents', ...fields,
      child: child(on, 1, 3, { sex: 'female', situation: 'other', surname: surnameOf(sistersHusband), hukouAddress: sistersHusband.address }),
      placing1: placingPerson(sistersHusband), placing2: placingPerson({ ...sister, address: sistersHusband.address }),
    }).create(on)
  }
  {
    const on = ago(0)
    const widow = adult('female', on, 45, 50)
    add('草稿·丧偶女性', {
      ...institution, joint: false, adopter1: adopter(widow, 'widowed'),
      child: child(on, 3, 5, { sex: 'female', situation: 'parents_not_found', inInstitution: true, renameTo: surnameOf(widow) }),
    }).create(on).documents(on, 'provide', 0.4)
  }

  return cases
}

function chineseDate(iso: string) {
  return `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`
}
