// Applications: intake (record, edit), the checklist of documents, the adopters' health and record
// findings, reading one application, and the ledger. Every query is scoped to the viewer's
// registry and, for secrecy cases (收养秘密, art. 1110), to the registrars on the case,
// supervisors and archivists (visibleApplications: the one place this is decided).
import { sql, type Insertable, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely'
import type { ApplicationState, AssessmentCancelReason, Database, PartiesTable } from '#db/schema.ts'
import { inTransaction } from '#db/connection.ts'
import { audit } from '#app/platform/audit.server.ts'
import { refuseRecord } from '#app/platform/record-access.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { nextIds } from '#app/platform/row-ids.server.ts'
import { ConflictError, DomainError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { maskCitizenId, normalizeCitizenId } from '#app/platform/citizen-id.ts'
import { can, type Role } from '#app/platform/permissions.ts'
import type { ApplicationInput } from './schemas.ts'
import { isStepParentAdoption, requiredDocuments, type ChecklistContext } from './checklist.ts'
import type { AdopterFacts, ApplicationFacts } from './evaluation.ts'
import { ageOn } from './evaluation.ts'
import { todayInShanghai } from './deadlines.ts'
import { refreshDueDate } from './due-date.server.ts'
import { checkResidenceTown } from '#app/residence/towns.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export type Viewer = { id: string; username: string; registryCode: string; roles: readonly Role[] }

/** A transition or edit that the application's state does not allow. */
export class InvalidStateError extends DomainError {
  constructor(readonly state: ApplicationState) {
    super(409, 'registration.invalidState', `not allowed in state ${state}`)
  }
}

export { ProcedureError }

const seesAllSecrecyCases = (viewer: Viewer) => viewer.roles.includes('supervisor') || viewer.roles.includes('archivist')

/** The applications a viewer may see at all. Every read of applications starts here. */
export function visibleApplications(db: Db, viewer: Viewer): SelectQueryBuilder<Database, 'applications', {}> {
  let query = db.selectFrom('applications').where('applications.registry_code', '=', viewer.registryCode)
  // Defence in depth: the routes already demand case.read, but a command called for anyone else
  // (e.g. an assessor of an entrusted agency) finds nothing.
  if (!can(viewer.roles, 'case.read')) query = query.where(sql<boolean>`false`)
  if (!seesAllSecrecyCases(viewer)) {
    query = query.where((eb) =>
      eb.or([
        eb('applications.secrecy', '=', false),
        eb('applications.registrar_id', '=', viewer.id),
        eb('applications.created_by', '=', viewer.id),
      ]),
    )
  }
  return query
}

export function idNumberHash(cipher: FieldCipher, idNumber: string): string {
  return cipher.blindIndex('citizen_id', normalizeCitizenId(idNumber))
}

/** The hashes a look-up by ID number must match (the v1 one too while old rows may remain). */
export function idNumberHashes(cipher: FieldCipher, idNumber: string): string[] {
  return cipher.blindIndexCandidates('citizen_id', normalizeCitizenId(idNumber))
}

/** The most parties an application has: two adopters, the child, two placing parents. */
const MAX_PARTIES = 5
export const partyIds = (db: Kysely<Database>) => nextIds(db, 'parties', MAX_PARTIES)

/** An ID number sealed to its party row (decision 030), with its blind index. */
export function sealedIdNumber(cipher: FieldCipher, partyId: string, value: string | null | undefined) {
  return value
    ? { id_number_enc: cipher.encrypt(value, { table: 'parties', column: 'id_number_enc', row: partyId }), id_hash: idNumberHash(cipher, value) }
    : { id_number_enc: null, id_hash: null }
}

type Findings = { disqualifyingDisease: boolean | null; harmfulRecord: boolean | null; note?: string }

/** The parties' rows, each with its id taken first (rowIds, from partyIds) so its fields are bound to it. */
function partyRows(cipher: FieldCipher, applicationId: string, input: ApplicationInput, keptFindings: Map<string, string>, rowIds: string[]) {
  let next = 0
  const rowId = () => {
    if (next >= rowIds.length) throw new Error('more parties than ids taken')
    return rowIds[next++]
  }
  const adopters = [input.adopter1, ...(input.joint && input.adopter2 ? [input.adopter2] : [])]
  const out: Insertable<PartiesTable>[] = []
  adopters.forEach((a, i) => {
    const partyId = rowId()
    const ids = sealedIdNumber(cipher, partyId, a.idNumber)
    const findings = ids.id_hash ? keptFindings.get(`${i + 1}:${ids.id_hash}`) : undefined
    out.push({
      id: partyId, application_id: applicationId, role: 'adopter', position: i + 1, name: a.name, sex: a.sex, birth_date: a.birthDate, ...ids,
      hukou_address: a.hukouAddress, current_address: a.currentAddress ?? null, phone: a.phone ?? null,
      marital_status: a.maritalStatus, children: a.children, adopted_children: a.adoptedChildren, overseas_chinese: a.overseasChinese,
      // Findings belong to the person: kept while the same ID number stays in that position.
      findings_enc: findings === undefined ? null : cipher.encrypt(findings, { table: 'parties', column: 'findings_enc', row: partyId }),
    })
  })
  const c = input.child
  const childId = rowId()
  out.push({
    id: childId, application_id: applicationId, role: 'child', position: 1, name: c.name, sex: c.sex, birth_date: c.birthDate, ...sealedIdNumber(cipher, childId, c.idNumber),
    hukou_address: c.hukouAddress ?? null, name_after_adoption: c.nameAfterAdoption ?? null, situation: c.situation,
    in_welfare_institution: c.inWelfareInstitution, disabled: c.disabled, consents: triStateValue(c.consents),
  })
  if (input.placingKind === 'welfare_institution') {
    // The institution itself is the placing party: its name and address, no person.
    out.push({
      id: rowId(), application_id: applicationId, role: 'placing', position: 1, name: input.institutionName ?? '',
      institution_name: input.institutionName ?? null, hukou_address: input.institutionAddress ?? null,
    })
    return out
  }
  const placing = [input.placing1, ...(input.placingKind === 'birth_parents' && input.placing2 ? [input.placing2] : [])]
  placing.forEach((p, i) => {
    if (!p) return
    const partyId = rowId()
    out.push({
      id: partyId, application_id: applicationId, role: 'placing', position: i + 1, name: p.name, sex: p.sex ?? null, birth_date: p.birthDate ?? null,
      ...sealedIdNumber(cipher, partyId, p.idNumber), hukou_address: p.hukouAddress ?? null, phone: p.phone ?? null,
    })
  })
  return out
}

export const triStateValue = (v: 'yes' | 'no' | 'unknown' | undefined) => (v === 'yes' ? true : v === 'no' ? false : null)
export const triStateOf = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : 'unknown')

function applicationColumns(input: ApplicationInput) {
  return {
    relation: input.relation,
    placing_kind: input.placingKind,
    other_parent_unknown_or_missing: input.placingKind === 'birth_parent' ? input.otherParentUnknownOrMissing : false,
    other_parent_deceased: input.placingKind === 'birth_parent' ? input.otherParentDeceased : false,
    deceased_parents_parents: input.placingKind === 'birth_parent' && input.otherParentDeceased ? input.deceasedParentsParents : null,
    consent_of_supporters: triStateValue(input.consentOfSupporters),
    foundling: input.foundling,
    secrecy: input.secrecy,
    secrecy_requested_by: input.secrecy ? input.secrecyRequestedBy ?? null : null,
    de_facto_since: input.deFactoSince ?? null,
  }
}

/**
 * Whether the case needs a capability assessment: every adoption does except a step-parent
 * adoption with the birth parent's consent (domain.md; art. 1103). A stepchild placed by a guardian
 * or an institution is an ordinary adoption and is assessed — the same reading as eligibility.ts
 * and checklist.ts (isStepParentAdoption).
 */
export function assessmentRequirement(input: Pick<ApplicationInput, 'relation' | 'placingKind'>): 'not_required' | 'pending' {
  return isStepParentAdoption({ relation: input.relation, placingKind: input.placingKind }) ? 'not_required' : 'pending'
}

async function event(trx: Db, applicationId: string, actorId: string | null, kind: string, fromState: string | null, toState: string | null, note?: string | null) {
  await trx.insertInto('application_events').values({ application_id: applicationId, actor_id: actorId, kind, from_state: fromState, to_state: toState, note: note ?? null }).execute()
}
export { event as recordEvent }

export async function createApplication(db: Kysely<Database>, cipher: FieldCipher, actor: Viewer, input: ApplicationInput): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const town = await checkResidenceTown(trx, actor.registryCode, { townId: input.residenceTown, abroad: input.residesAbroad }, null)
    const { id } = await trx
      .insertInto('applications')
      .values({
        registry_code: actor.registryCode,
        ...applicationColumns(input),
        residence_town_id: town, resides_abroad: input.residesAbroad,
        assessment: assessmentRequirement(input),
        registrar_id: actor.id,
        created_by: actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.insertInto('parties').values(partyRows(cipher, id, input, new Map(), await partyIds(trx))).execute()
    await event(trx, id, actor.id, 'created', null, 'draft')
    await audit(trx, { actor, action: 'application.created', entityType: 'application', entityId: id, summary: { relation: input.relation, secrecy: input.secrecy } })
    return id
  })
}

const editableStates: ApplicationState[] = ['draft', 'received', 'assessment', 'public_notice']

/**
 * Edits the recorded facts while the case is open and no decision is pending.
 *
 * The assessment rests on the case as it was assessed. When the adopters change (the set of their
 * ID numbers), or the relation or the placing party (whether an assessment is needed at all is
 * decided again, art. 1103), the conclusion is cleared back to what the case now requires, a live
 * assessment (open, signing or signed) is cancelled with the reason, and an application waiting in
 * `assessment` returns to `received` with its assessment pause ended `today`: the registrar
 * commissions a new assessment of the people who now apply.
 */
export async function updateApplication(
  db: Kysely<Database>, cipher: FieldCipher, actor: Viewer, id: string, version: number, input: ApplicationInput, today = todayInShanghai(),
) {
  await db.transaction().execute(async (trx) => {
    const current = await visibleApplications(trx, actor).select(['state', 'version', 'relation', 'placing_kind', 'assessment', 'residence_town_id']).where('id', '=', id).forUpdate().executeTakeFirst()
    if (!current) throw new NotFoundError('application')
    if (current.version !== version) throw new ConflictError()
    if (!editableStates.includes(current.state)) throw new InvalidStateError(current.state)
    const town = await checkResidenceTown(trx, actor.registryCode, { townId: input.residenceTown, abroad: input.residesAbroad }, current.residence_town_id)
    const stored = await trx.selectFrom('parties').select(['id', 'position', 'id_number_enc', 'findings_enc', 'name', 'birth_date']).where('application_id', '=', id).where('role', '=', 'adopter').execute()
    // Compared by the current blind index of the decrypted number: a row not yet re-encrypted
    // (decision 030) may still carry the v1 hash.
    const old = stored.map((p) => ({
      ...p,
      id_hash: p.id_number_enc ? idNumberHash(cipher, cipher.decrypt(p.id_number_enc, { table: 'parties', column: 'id_number_enc', row: p.id })) : null,
    }))
    const kept = new Map<string, string>()
    for (const p of old) if (p.id_hash && p.findings_enc) kept.set(`${p.position}:${p.id_hash}`, cipher.decrypt(p.findings_enc, { table: 'parties', column: 'findings_enc', row: p.id }))
    const rows = partyRows(cipher, id, input, kept, await partyIds(trx))
    // The people, by ID number (by name and birth date for a record that has none).
    const person = (p: { id_hash?: string | null; name: string; birth_date?: string | null }) => p.id_hash ?? `${p.name}|${p.birth_date ?? ''}`
    const before = new Set(old.map(person))
    const after = new Set(rows.filter((p) => p.role === 'adopter').map(person))
    const adoptersChanged = before.size !== after.size || [...after].some((k) => !before.has(k))
    // The requirement is decided again whenever what it depends on changes.
    const caseChanged = current.relation !== input.relation || current.placing_kind !== input.placingKind
    const reset = adoptersChanged || caseChanged
    const reason: AssessmentCancelReason = adoptersChanged ? 'adopters_changed' : 'case_changed'
    const returnsFromAssessment = reset && current.state === 'assessment'
    await trx
      .updateTable('applications')
      .set({
        ...applicationColumns(input),
        ...(reset ? { assessment: assessmentRequirement(input), assessment_report_on: null, assessment_reference: null } : {}),
        ...(returnsFromAssessment ? { state: 'received' as const } : {}),
        residence_town_id: town, resides_abroad: input.residesAbroad,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .execute()
    await trx.deleteFrom('parties').where('application_id', '=', id).execute()
    await trx.insertInto('parties').values(rows).execute()
    await event(trx, id, actor.id, 'edited', current.state, current.state)
    await audit(trx, { actor, action: 'application.edited', entityType: 'application', entityId: id })
    if (!reset) return
    const cancelled = await trx.updateTable('assessments')
      .set({ state: 'cancelled', cancel_reason: reason, cancelled_at: sql`now()`, cancelled_by: actor.id, version: sql`version + 1` } as never)
      .where('application_id', '=', id).where('state', '<>', 'cancelled')
      .returning('id').executeTakeFirst()
    if (cancelled) {
      await audit(trx, { actor, action: 'assessment.cancelled', entityType: 'assessment', entityId: cancelled.id, summary: { application: id, reason } })
    }
    if (returnsFromAssessment) {
      const pause = await trx.selectFrom('clock_pauses').select(['id', 'started_on']).where('application_id', '=', id).where('kind', '=', 'assessment').where('ended_on', 'is', null).executeTakeFirst()
      if (pause) await trx.updateTable('clock_pauses').set({ ended_on: pause.started_on > today ? pause.started_on : today }).where('id', '=', pause.id).execute()
      await refreshDueDate(trx, id)
    }
    if (cancelled || current.assessment !== assessmentRequirement(input) || returnsFromAssessment) {
      await event(trx, id, actor.id, `assessment_reset_${reason}`, current.state, returnsFromAssessment ? 'received' : current.state)
    }
  })
}

export type PartyView = {
  role: 'adopter' | 'child' | 'placing'
  position: number
  name: string
  sex: 'male' | 'female' | null
  birthDate: string | null
  idNumber: string | null
  idNumberMasked: string | null
  hukouAddress: string | null
  currentAddress: string | null
  phone: string | null
  maritalStatus: string | null
  children: number | null
  adoptedChildren: number | null
  overseasChinese: boolean
  findings: Findings | null
  situation: string | null
  inWelfareInstitution: boolean | null
  disabled: boolean | null
  consents: boolean | null
  nameAfterAdoption: string | null
  institutionName: string | null
}

/**
 * An application the viewer may not read under visibleApplications (a secrecy case, or no
 * case.read): the refusal is audited when the application exists in the viewer's registry, and the
 * answer is "not found" either way (decision 028). Every read of an application refuses through here.
 */
export async function refuseApplicationRead(db: Db, viewer: Viewer, id: string, ip?: string | null): Promise<never> {
  const exists = await db.selectFrom('applications').select('id').where('id', '=', id).where('registry_code', '=', viewer.registryCode).executeTakeFirst()
  return refuseRecord(db, viewer, 'application', id, !!exists, ip)
}

export async function loadApplication(db: Db, cipher: FieldCipher, viewer: Viewer, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('application')
  const app = await visibleApplications(db, viewer)
    .leftJoin('users as registrar', 'registrar.id', 'applications.registrar_id')
    .leftJoin('users as proposer', 'proposer.id', 'applications.decision_proposed_by')
    .leftJoin('users as approver', 'approver.id', 'applications.approved_by')
    .leftJoin('towns as town', 'town.id', 'applications.residence_town_id')
    .selectAll('applications')
    .select(['registrar.display_name as registrarName', 'proposer.display_name as proposerName', 'approver.display_name as approverName',
      'town.name as residenceTownName', 'town.code as residenceTownCode', 'town.retired_on as residenceTownRetiredOn'])
    .where('applications.id', '=', id)
    .executeTakeFirst()
  if (!app) {
    // Refused under visibleApplications (a secrecy case, or no case.read): audited when the
    // application exists in the viewer's registry, "not found" either way (decision 028).
    return refuseApplicationRead(db, viewer, id)
  }
  const rows = await db.selectFrom('parties').selectAll().where('application_id', '=', id).orderBy('role').orderBy('position').execute()
  const parties: PartyView[] = rows.map((p) => {
    const idNumber = p.id_number_enc ? cipher.decrypt(p.id_number_enc, { table: 'parties', column: 'id_number_enc', row: p.id }) : null
    return {
      role: p.role, position: p.position, name: p.name, sex: p.sex, birthDate: p.birth_date, idNumber,
      idNumberMasked: idNumber ? maskCitizenId(idNumber) : null, hukouAddress: p.hukou_address, currentAddress: p.current_address,
      phone: p.phone, maritalStatus: p.marital_status, children: p.children, adoptedChildren: p.adopted_children,
      overseasChinese: p.overseas_chinese, findings: p.findings_enc ? (JSON.parse(cipher.decrypt(p.findings_enc, { table: 'parties', column: 'findings_enc', row: p.id })) as Findings) : null,
      situation: p.situation, inWelfareInstitution: p.in_welfare_institution, disabled: p.disabled, consents: p.consents,
      nameAfterAdoption: p.name_after_adoption, institutionName: p.institution_name,
    }
  })
  const [documents, pauses, events, certificates, dissolution, revocation] = await Promise.all([
    db.selectFrom('application_documents as d').leftJoin('users as pv', 'pv.id', 'd.provided_by').leftJoin('users as vv', 'vv.id', 'd.verified_by')
      .select(['d.code', 'd.provided_at as providedAt', 'd.verified_at as verifiedAt', 'pv.display_name as providedBy', 'vv.display_name as verifiedBy', 'd.note'])
      .where('d.application_id', '=', id).execute(),
    db.selectFrom('clock_pauses').select(['kind', 'started_on as startedOn', 'ended_on as endedOn']).where('application_id', '=', id).orderBy('id').execute(),
    db.selectFrom('application_events as e').leftJoin('users as u', 'u.id', 'e.actor_id')
      .select(['e.id', 'e.at', 'e.kind', 'e.from_state as fromState', 'e.to_state as toState', 'e.note', 'u.display_name as actorName'])
      .where('e.application_id', '=', id).orderBy('e.id').execute(),
    db.selectFrom('certificates').selectAll().where('application_id', '=', id).orderBy('id').execute(),
    db.selectFrom('dissolutions').selectAll().where('application_id', '=', id).executeTakeFirst(),
    db.selectFrom('revocations').selectAll().where('application_id', '=', id).executeTakeFirst(),
  ])
  return { app, parties, documents, pauses, events, certificates, dissolution: dissolution ?? null, revocation: revocation ?? null }
}
export type LoadedApplication = Awaited<ReturnType<typeof loadApplication>>

export function checklistContext(loaded: Pick<LoadedApplication, 'app' | 'parties'>, asOf: string): ChecklistContext {
  const child = loaded.parties.find((p) => p.role === 'child')
  const adopters = loaded.parties.filter((p) => p.role === 'adopter').length
  return {
    relation: loaded.app.relation,
    placingKind: loaded.app.placing_kind,
    childSituation: (child?.situation ?? 'other') as ChecklistContext['childSituation'],
    foundling: loaded.app.foundling,
    childDisabled: child?.disabled ?? false,
    adopters: adopters >= 2 ? 2 : 1,
    childAge8OrOver: child?.birthDate ? ageOn(child.birthDate, asOf) >= 8 : false,
    otherParentDeceased: loaded.app.other_parent_deceased,
    deceasedParentsParents: loaded.app.deceased_parents_parents,
  }
}

export function checklistStatus(loaded: Pick<LoadedApplication, 'app' | 'parties' | 'documents'>, asOf: string) {
  const byCode = new Map(loaded.documents.map((d) => [d.code, d]))
  return requiredDocuments(checklistContext(loaded, asOf)).map((item) => ({ ...item, status: byCode.get(item.code) ?? null }))
}

export function factsOf(loaded: Pick<LoadedApplication, 'app' | 'parties'>): ApplicationFacts {
  const child = loaded.parties.find((p) => p.role === 'child')!
  const adopters: AdopterFacts[] = loaded.parties
    .filter((p) => p.role === 'adopter')
    .map((p) => ({
      birthDate: p.birthDate!, sex: p.sex!, maritalStatus: (p.maritalStatus ?? 'unmarried') as AdopterFacts['maritalStatus'],
      children: p.children ?? 0, adoptedChildren: p.adoptedChildren ?? 0, overseasChinese: p.overseasChinese,
      disqualifyingDisease: p.findings?.disqualifyingDisease ?? null, harmfulRecord: p.findings?.harmfulRecord ?? null,
    }))
  return {
    relation: loaded.app.relation,
    placingKind: loaded.app.placing_kind,
    otherParentUnknownOrMissing: loaded.app.other_parent_unknown_or_missing,
    otherParentDeceased: loaded.app.other_parent_deceased,
    consentOfSupporters: loaded.app.consent_of_supporters,
    assessment: loaded.app.assessment,
    child: {
      birthDate: child.birthDate!, sex: child.sex!, situation: (child.situation ?? 'other') as ApplicationFacts['child']['situation'],
      inWelfareInstitution: child.inWelfareInstitution ?? false, disabled: child.disabled ?? false, consents: child.consents,
    },
    adopters,
  }
}

/** Marks a checklist item provided, verified, or not provided (a second registrar may verify). */
export async function markDocument(db: Kysely<Database>, actor: Viewer, id: string, code: string, action: 'provide' | 'verify' | 'unprovide') {
  await db.transaction().execute(async (trx) => {
    const app = await visibleApplications(trx, actor).select(['state']).where('id', '=', id).forUpdate().executeTakeFirst()
    if (!app) throw new NotFoundError('application')
    if (!editableStates.includes(app.state)) throw new InvalidStateError(app.state)
    if (action === 'unprovide') {
      await trx.deleteFrom('application_documents').where('application_id', '=', id).where('code', '=', code).execute()
    } else if (action === 'provide') {
      await trx.insertInto('application_documents').values({ application_id: id, code, provided_at: sql`now()` as never, provided_by: actor.id })
        .onConflict((oc) => oc.columns(['application_id', 'code']).doNothing()).execute()
    } else {
      await trx.insertInto('application_documents').values({ application_id: id, code, provided_at: sql`now()` as never, provided_by: actor.id, verified_at: sql`now()` as never, verified_by: actor.id })
        .onConflict((oc) => oc.columns(['application_id', 'code']).doUpdateSet({ verified_at: sql`now()` as never, verified_by: actor.id })).execute()
    }
    await audit(trx, { actor, action: `application.document_${action}`, entityType: 'application', entityId: id, summary: { code } })
  })
}

/** Records an adopter's health and record findings (encrypted: sensitive personal information). */
export async function recordFindings(db: Db, cipher: FieldCipher, actor: Viewer, id: string, position: number, findings: Findings) {
  await inTransaction(db, async (trx) => {
    const app = await visibleApplications(trx, actor).select(['state']).where('id', '=', id).forUpdate().executeTakeFirst()
    if (!app) throw new NotFoundError('application')
    if (!editableStates.includes(app.state)) throw new InvalidStateError(app.state)
    const party = await trx.selectFrom('parties').select('id').where('application_id', '=', id).where('role', '=', 'adopter').where('position', '=', position).executeTakeFirst()
    if (!party) throw new NotFoundError('adopter')
    await trx.updateTable('parties').set({ findings_enc: cipher.encrypt(JSON.stringify(findings), { table: 'parties', column: 'findings_enc', row: party.id }) })
      .where('id', '=', party.id).execute()
    // The audit says that findings were recorded, not what they are.
    await audit(trx, { actor, action: 'application.findings_recorded', entityType: 'application', entityId: id, summary: { adopter: position } })
  })
}

/** Logs that someone read an application, and why when they revealed full ID numbers. */
export async function logRead(db: Db, viewer: Viewer, id: string, reveal: string | null, ip: string | null) {
  await audit(db, {
    actor: viewer,
    action: reveal ? 'application.ids_revealed' : 'application.viewed',
    entityType: 'application',
    entityId: id,
    reason: reveal ?? undefined,
    ip,
  })
}
