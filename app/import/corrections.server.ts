// Corrections of imported registrations (issue 9; decision 012): a ledger typo fixed by a
// registrar with a reason. Only registrations imported from a ledger (source 'import'): one made in
// the system has its own legal route (revocation, certificate reissue). Each changed field is a
// record (old and new value — ID numbers encrypted like the originals —, reason, who, when), the
// change is audited, and what the registration derives from a corrected field follows it: the
// certificate's number and date, the intercountry adoption's row, the archive file's number, the
// follow-up plan (re-planned when a date it is computed from changes). The adopters' town of
// residence (or abroad), which a ledger rarely recorded, is set here too (decision 022), checked
// against the registry's list as on the application form. A registration made in the system
// before that became a rule (migration 0021 marked those without a town `recorded_before_town_rule`)
// may have its town recorded here as well, and nothing else.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { CorrectionField, Database } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { maskCitizenId, parseCitizenId } from '#app/platform/citizen-id.ts'
import { ConflictError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { refuseApplicationRead, sealedIdNumber, visibleApplications, type Viewer } from '#app/registration/applications.server.ts'
import { birthdayOfAge, planPostPlacementReports, planVisits } from '#app/followup/policy.ts'
import { currentPolicy } from '#app/followup/plans.server.ts'
import { checkResidenceTown, townChoices, TownFieldError } from '#app/residence/towns.server.ts'
import { normalizeIdNumber, normalizeNumber, normalizeText } from './normalize.ts'
import { nextIds } from '#app/platform/row-ids.server.ts'

type Db = Kysely<Database> | Transaction<Database>

// The fields the form corrects one by one. Migration 0020 writes the same list into the table's
// check as it stood then (a migration never imports the app: the app's list may grow, each growth
// with a migration of its own — 0021 added residenceTown, handled apart from these).
export const correctionFields = [
  'registrationNumber', 'registeredOn', 'archiveNumber',
  'adopter1Name', 'adopter1BirthDate', 'adopter1IdNumber',
  'adopter2Name', 'adopter2BirthDate', 'adopter2IdNumber',
  'childName', 'childBirthDate', 'childIdNumber', 'childNameAfter',
  'placingName',
] as const satisfies readonly CorrectionField[]

const idFields = new Set<CorrectionField>(['adopter1IdNumber', 'adopter2IdNumber', 'childIdNumber'])
const dateFields = new Set<CorrectionField>(['registeredOn', 'adopter1BirthDate', 'adopter2BirthDate', 'childBirthDate'])
const optionalFields = new Set<CorrectionField>(['childNameAfter', 'adopter1BirthDate', 'adopter2BirthDate'])

/** A refusal that belongs next to one field of the form. */
export class CorrectionFieldError extends ProcedureError {
  constructor(readonly field: CorrectionField, messageKey: string, params: Record<string, string | number> = {}) {
    super(messageKey, params)
  }
}

type Party = { id: string; role: 'adopter' | 'child' | 'placing'; position: number; name: string; sex: 'male' | 'female' | null; birth_date: string | null; id_number_enc: string | null; name_after_adoption: string | null; institution_name: string | null }

const partyOf = (field: CorrectionField): { role: Party['role']; position: number } | null =>
  field.startsWith('adopter1') ? { role: 'adopter', position: 1 } : field.startsWith('adopter2') ? { role: 'adopter', position: 2 }
    : field.startsWith('child') ? { role: 'child', position: 1 } : field === 'placingName' ? { role: 'placing', position: 1 } : null

async function load(db: Db, viewer: Viewer, id: string, lock = false) {
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('application')
  let query = visibleApplications(db, viewer).selectAll('applications').where('applications.id', '=', id)
  if (lock) query = query.forUpdate()
  const app = await query.executeTakeFirst()
  if (!app) {
    // Refused under visibleApplications, as the application page refuses it (decision 028).
    return refuseApplicationRead(db, viewer, id)
  }
  const [parties, archive, intercountry] = await Promise.all([
    db.selectFrom('parties').select(['id', 'role', 'position', 'name', 'sex', 'birth_date', 'id_number_enc', 'name_after_adoption', 'institution_name'])
      .where('application_id', '=', id).orderBy('role').orderBy('position').execute() as Promise<Party[]>,
    db.selectFrom('archive_files').select(['id', 'archive_number']).where('application_id', '=', id).where('type', '=', 'establishment').executeTakeFirst(),
    app.import_kind === 'intercountry' && app.registration_number
      ? db.selectFrom('intercountry_adoptions').select(['id', 'approved_on']).where('registry_code', '=', app.registry_code)
        .where('registration_number', '=', app.registration_number).where('source', '=', 'import').executeTakeFirst()
      : undefined,
  ])
  return { app, parties, archive: archive ?? null, intercountry: intercountry ?? null }
}

/** The current value of each field this registration has (ID numbers decrypted). */
function currentValues(cipher: FieldCipher, loaded: Awaited<ReturnType<typeof load>>): Partial<Record<CorrectionField, string | null>> {
  const { app, parties, archive } = loaded
  const values: Partial<Record<CorrectionField, string | null>> = {
    registrationNumber: app.registration_number, registeredOn: app.registered_on,
  }
  if (archive) values.archiveNumber = archive.archive_number
  const person = (prefix: 'adopter1' | 'adopter2' | 'child', p: Party | undefined) => {
    if (!p) return
    values[`${prefix}Name`] = p.name
    values[`${prefix}BirthDate`] = p.birth_date
    values[`${prefix}IdNumber`] = p.id_number_enc ? cipher.decrypt(p.id_number_enc, { table: 'parties', column: 'id_number_enc', row: p.id }) : null
  }
  person('adopter1', parties.find((p) => p.role === 'adopter' && p.position === 1))
  person('adopter2', parties.find((p) => p.role === 'adopter' && p.position === 2))
  const child = parties.find((p) => p.role === 'child')
  person('child', child)
  if (child) values.childNameAfter = child.name_after_adoption
  const placing = parties.find((p) => p.role === 'placing')
  if (placing) values.placingName = placing.name
  return values
}

/** The correction form: the fields the registration has, their values (ID numbers masked), its version. */
export async function correctionForm(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string) {
  const loaded = await load(db, viewer, id)
  const values = currentValues(cipher, loaded)
  const fields = correctionFields.filter((f) => f in values)
  const { app } = loaded
  return {
    id: app.id,
    imported: app.source === 'import',
    // A correction awaiting a second person: no other is proposed until it is decided (decision 027).
    pending: !!(await db.selectFrom('correction_proposals').select('id').where('application_id', '=', app.id).where('state', '=', 'proposed').executeTakeFirst()),
    residenceOnly: townMissingSinceBeforeRule(app),
    state: app.state,
    version: app.version,
    fields,
    // The towns in use, and the record's own if retired since (as on the application form).
    towns: await townChoices(db, app.registry_code, app.residence_town_id),
    residence: { townId: app.residence_town_id, abroad: app.resides_abroad },
    values: Object.fromEntries(fields.map((f) => [f, idFields.has(f) ? '' : values[f] ?? ''])) as Record<CorrectionField, string>,
    masked: Object.fromEntries(fields.filter((f) => idFields.has(f)).map((f) => [f, values[f] ? maskCitizenId(values[f]!) : null])) as Partial<Record<CorrectionField, string | null>>,
  }
}

/** The town of residence as the form sends it: a town's id (or none), or abroad. Absent: not on the form. */
export type ResidenceInput = { townId: string | null; abroad: boolean }
export type CorrectionInput = { version: number; reason: string; values: Partial<Record<CorrectionField, string>>; residence?: ResidenceInput }

const isoDate = /^\d{4}-\d{2}-\d{2}$/
const realDate = (s: string) => isoDate.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s

type Loaded = Awaited<ReturnType<typeof load>>
type Residence = Awaited<ReturnType<typeof residenceChange>>
type Values = Partial<Record<CorrectionField, string | null>>
type Checked = { before: Values; after: Values; changed: CorrectionField[]; residence: Residence }

/**
 * The fields whose correction changes who the registration is about or what its certificate says
 * (names, ID numbers, dates of birth, registration number and date): they take effect only when a
 * second person approves them (decision 027). The archive number and the town apply at once.
 */
export const identityFields: ReadonlySet<CorrectionField> = new Set<CorrectionField>([
  'registrationNumber', 'registeredOn',
  'adopter1Name', 'adopter1BirthDate', 'adopter1IdNumber', 'adopter2Name', 'adopter2BirthDate', 'adopter2IdNumber',
  'childName', 'childBirthDate', 'childIdNumber', 'childNameAfter', 'placingName',
])

const proposalPlace = (id: string) => ({ table: 'correction_proposals', column: 'payload_enc', row: id })

/** A proposal's content, kept encrypted (ID numbers): the changed fields' values before and after, the town. */
type ProposalPayload = {
  before: Values
  after: Values
  residence: { before: ResidenceInput; after: ResidenceInput } | null
}

/** The correction checked against the record as it stands: refusals name the field. */
async function check(trx: Transaction<Database>, cipher: FieldCipher, loaded: Loaded, input: Omit<CorrectionInput, 'version'>, today: string): Promise<Checked> {
  const { app, parties } = loaded
  const id = app.id
  const before = currentValues(cipher, loaded)
  const after: Partial<Record<CorrectionField, string | null>> = { ...before }
  const changed: CorrectionField[] = []
  for (const field of correctionFields) {
    if (!(field in before) || input.values[field] === undefined) continue
    const raw = input.values[field]!
    let value: string | null
    if (idFields.has(field)) {
      const normalized = normalizeIdNumber(raw)
      if (!normalized) continue // left empty: the number is kept
      const parsed = parseCitizenId(normalized, { today })
      if (!parsed.ok) throw new CorrectionFieldError(field, `citizenId.${parsed.reason}`)
      value = normalized
    } else if (field === 'registrationNumber' || field === 'archiveNumber') {
      value = normalizeNumber(raw).slice(0, 60) || null
    } else {
      value = normalizeText(raw).slice(0, 100) || null
    }
    if (value && dateFields.has(field)) {
      if (!realDate(value)) throw new CorrectionFieldError(field, 'import.correction.date')
      if (value > today) throw new CorrectionFieldError(field, 'import.error.future')
    }
    if (!value && !optionalFields.has(field) && before[field]) throw new CorrectionFieldError(field, 'import.correction.required')
    if ((value ?? null) !== (before[field] ?? null)) { after[field] = value; changed.push(field) }
  }
  const residence = input.residence ? await residenceChange(trx, app, input.residence) : null
  if (residence) changed.push('residenceTown')
  if (!changed.length) throw new ProcedureError('import.correction.nothing')

  // The record as corrected must still hold together, as the import's row checks demand.
  const child = after.childBirthDate!
  if (after.registeredOn! < child) throw new CorrectionFieldError(changed.includes('childBirthDate') ? 'childBirthDate' : 'registeredOn', 'import.error.bornAfterRegistration')
  for (const p of ['adopter1', 'adopter2'] as const) {
    const b = after[`${p}BirthDate`]
    if (b && b >= child) throw new CorrectionFieldError(changed.includes(`${p}BirthDate`) ? `${p}BirthDate` : 'childBirthDate', 'import.error.adopterYounger')
  }
  for (const p of ['adopter1', 'adopter2', 'child'] as const) {
    const idNumber = after[`${p}IdNumber`]
    const birth = after[`${p}BirthDate`]
    if (!idNumber || !birth) continue
    const parsed = parseCitizenId(idNumber, { today })
    if (parsed.ok && parsed.birthDate !== birth) {
      throw new CorrectionFieldError(changed.includes(`${p}IdNumber`) ? `${p}IdNumber` : `${p}BirthDate`, 'import.error.idBirthDate', { date: parsed.birthDate })
    }
  }
  const ended = [
    (await trx.selectFrom('dissolutions').select('dissolved_on as on').where('application_id', '=', id).executeTakeFirst())?.on,
    (await trx.selectFrom('revocations').select('revoked_on as on').where('application_id', '=', id).executeTakeFirst())?.on,
  ].filter((d): d is string => !!d)
  if (changed.includes('registeredOn') && ended.some((d) => d < after.registeredOn!)) throw new CorrectionFieldError('registeredOn', 'import.correction.afterEnd')
  for (const field of changed) {
    const who = partyOf(field)
    const value = after[field]
    if (!who || !field.endsWith('IdNumber') || !value) continue
    const party = parties.find((p) => p.role === who.role && p.position === who.position)
    const parsed = parseCitizenId(value, { today })
    if (party && parsed.ok && party.sex && parsed.sex !== party.sex) throw new CorrectionFieldError(field, 'import.error.idSex')
  }
  // The registration date stays before the registry's go-live day (decision 027): on or after it a
  // registration is made in the system by two persons, never by correcting an imported one.
  if (changed.includes('registeredOn')) {
    const goLive = (await trx.selectFrom('registries').select('go_live_on').where('code', '=', app.registry_code).executeTakeFirst())?.go_live_on ?? null
    if (!goLive) throw new CorrectionFieldError('registeredOn', 'import.error.goLiveUnset')
    if (after.registeredOn! >= goLive) throw new CorrectionFieldError('registeredOn', 'import.error.afterGoLive', { date: goLive })
  }
  if (changed.includes('registrationNumber')) {
    const taken = await trx.selectFrom('applications').select('id').where('registry_code', '=', app.registry_code)
      .where('registration_number', '=', after.registrationNumber!).where('id', '!=', id).executeTakeFirst()
    if (taken) throw new CorrectionFieldError('registrationNumber', 'import.correction.numberTaken')
  }
  if (changed.includes('archiveNumber')) {
    const taken = await trx.selectFrom('archive_files').select('id').where('registry_code', '=', app.registry_code)
      .where('archive_number', '=', after.archiveNumber!).where('application_id', '!=', id).executeTakeFirst()
    if (taken) throw new CorrectionFieldError('archiveNumber', 'import.correction.archiveTaken')
  }

  return { before, after, changed, residence }
}

/** Writes a checked correction and what derives from it. `correctedBy` asked for it; `approval` says who approved it, when a second person had to. */
async function apply(
  trx: Transaction<Database>, cipher: FieldCipher, viewer: Viewer, loaded: Loaded, checked: Checked, reason: string, today: string,
  correctedBy: string, approval: { proposal_id?: string; approved_by?: string },
) {
  const { app, parties } = loaded
  const id = app.id
  const { before, after, changed, residence } = checked
  // The record, then what is derived from it.
  await trx.updateTable('applications').set({
    registration_number: after.registrationNumber, registered_on: after.registeredOn, registration_year: Number(after.registeredOn!.slice(0, 4)),
    received_on: after.registeredOn, version: sql`version + 1`, updated_at: sql`now()`,
    ...(residence ? { residence_town_id: residence.to.townId, resides_abroad: residence.to.abroad } : {}),
  }).where('id', '=', id).execute()
  // The certificate of an imported registration carries its number and date (app/import).
  if (changed.includes('registrationNumber') || changed.includes('registeredOn')) {
    await trx.updateTable('certificates').set({ number: after.registrationNumber!, issued_on: after.registeredOn! })
      .where('application_id', '=', id).where('kind', '=', 'adoption').where('number', '=', before.registrationNumber!).execute()
  }
  if (changed.includes('archiveNumber')) {
    await trx.updateTable('archive_files').set({ archive_number: after.archiveNumber!, version: sql`version + 1` }).where('id', '=', loaded.archive!.id).execute()
  }
  for (const field of changed) {
    const who = partyOf(field)
    if (!who) continue
    const party = parties.find((p) => p.role === who.role && p.position === who.position)!
    const value = after[field] ?? null
    const set = field.endsWith('IdNumber') ? sealedIdNumber(cipher, party.id, value)
      : field.endsWith('BirthDate') ? { birth_date: value }
      : field === 'childNameAfter' ? { name_after_adoption: value }
      : field === 'placingName' ? { name: value!, ...(party.institution_name ? { institution_name: value } : {}) }
      : { name: value! }
    await trx.updateTable('parties').set(set).where('id', '=', party.id).execute()
  }
  if (loaded.intercountry) {
    await trx.updateTable('intercountry_adoptions').set({
      registration_number: after.registrationNumber!, registered_on: after.registeredOn!, child_name: after.childName!, child_birth_date: after.childBirthDate!,
      adopters: [after.adopter1Name, after.adopter2Name].filter(Boolean).join('、'),
    }).where('id', '=', loaded.intercountry.id).execute()
  }
  // Visits follow the registration date and the child's age; post-placement reports only the date.
  const replanned = (changed.includes('registeredOn') || (!loaded.intercountry && changed.includes('childBirthDate'))) && app.state === 'registered'
    ? await replan(trx, app.registry_code, id, loaded.intercountry, after.registeredOn!, after.childBirthDate!, today)
    : 0

  const correctionIds = await nextIds(trx, 'application_corrections', changed.length)
  await trx.insertInto('application_corrections').values(changed.map((field, i) => {
    const rowId = correctionIds[i]
    if (field === 'residenceTown') {
      return { id: rowId, application_id: id, field, old_value: residence!.oldValue, new_value: residence!.newValue, encrypted: false, reason, corrected_by: correctedBy, ...approval }
    }
    const secret = idFields.has(field)
    const enc = (column: 'old_value' | 'new_value', v: string | null | undefined) => (v ? (secret ? cipher.encrypt(v, { table: 'application_corrections', column, row: rowId }) : v) : null)
    return { id: rowId, application_id: id, field, old_value: enc('old_value', before[field]), new_value: enc('new_value', after[field]), encrypted: secret, reason, corrected_by: correctedBy, ...approval }
  })).execute()
  await trx.insertInto('application_events').values({
    application_id: id, actor_id: viewer.id, kind: 'corrected', from_state: app.state, to_state: app.state,
    note: changed.map((f) => translate('zh', `import.field.${f}`)).join('、'),
  }).execute()
  await audit(trx, {
    actor: viewer, action: 'application.corrected', entityType: 'application', entityId: id, reason,
    summary: { fields: changed, replannedTasks: replanned, ...(approval.proposal_id ? { proposal: approval.proposal_id, proposedBy: correctedBy } : {}) },
  })
}

export type CorrectionOutcome = { fields: CorrectionField[]; proposal: string | null }

/**
 * A correction: every field whose submitted value differs from the record's (an ID number field
 * left empty keeps the number). Refusals name the field. One that touches an identity field is not
 * applied: it is kept as a proposal (values encrypted), the record unchanged, until another person
 * approves it (decideCorrection). The others apply at once.
 */
export async function correctImported(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string, input: CorrectionInput, today: string): Promise<CorrectionOutcome> {
  const reason = input.reason.trim().slice(0, 500) // as written (no NFKC: a reason is prose)
  if (reason.length < 2) throw new ProcedureError('import.correction.reasonRequired')
  try {
    return await db.transaction().execute(async (trx) => {
      const loaded = await load(trx, viewer, id, true)
      const { app } = loaded
      if (app.source !== 'import' && !townMissingSinceBeforeRule(app)) throw new ProcedureError('import.correction.notImported')
      if (app.version !== input.version) throw new ConflictError()
      if (app.source !== 'import') return { fields: await recordMissingTown(trx, viewer, app, input.residence, reason), proposal: null }
      const pending = await trx.selectFrom('correction_proposals').select('id').where('application_id', '=', id).where('state', '=', 'proposed').executeTakeFirst()
      if (pending) throw new ProcedureError('import.correction.pending')
      const checked = await check(trx, cipher, loaded, input, today)
      if (!checked.changed.some((f) => identityFields.has(f))) {
        await apply(trx, cipher, viewer, loaded, checked, reason, today, viewer.id, {})
        return { fields: checked.changed, proposal: null }
      }
      const pick = (values: Values) => Object.fromEntries(checked.changed.filter((f) => f !== 'residenceTown').map((f) => [f, values[f] ?? null])) as Values
      const payload: ProposalPayload = {
        before: pick(checked.before), after: pick(checked.after),
        residence: checked.residence ? { before: { townId: app.residence_town_id, abroad: app.resides_abroad }, after: checked.residence.to } : null,
      }
      // The payload is sealed to its own row (AES-GCM additional data, decision 030): inserted, then written.
      const { id: proposal } = await trx.insertInto('correction_proposals').values({
        application_id: id, fields: checked.changed, payload_enc: '', reason, proposed_by: viewer.id,
      }).returning('id').executeTakeFirstOrThrow()
      await trx.updateTable('correction_proposals').set({ payload_enc: cipher.encrypt(JSON.stringify(payload), proposalPlace(proposal)) }).where('id', '=', proposal).execute()
      await trx.insertInto('application_events').values({
        application_id: id, actor_id: viewer.id, kind: 'correction_proposed', from_state: app.state, to_state: app.state,
        note: checked.changed.map((f) => translate('zh', `import.field.${f}`)).join('、'),
      }).execute()
      await audit(trx, { actor: viewer, action: 'application.correction_proposed', entityType: 'application', entityId: id, reason, summary: { fields: checked.changed, proposal } })
      return { fields: checked.changed, proposal }
    })
  } catch (error) {
    // Someone else took the number between the check and the write: the database's unique rule.
    const constraint = String((error as { constraint?: unknown })?.constraint ?? '')
    if ((error as { code?: string })?.code === '23505') {
      if (constraint === 'correction_proposals_one_open') throw new ProcedureError('import.correction.pending')
      if (constraint.startsWith('archive_files')) throw new CorrectionFieldError('archiveNumber', 'import.correction.archiveTaken')
      throw new CorrectionFieldError('registrationNumber', 'import.correction.numberTaken')
    }
    throw error
  }
}


/**
 * The second person's decision on a proposed correction. The proposer may not decide it (refused,
 * audited in its own transaction; the database refuses it too). Approved: checked again against
 * the record as it stands now — a field changed since the proposal makes it stale — and applied,
 * recorded as the proposer's correction approved by the decider. Two deciders at once: the
 * conditional update on the proposal's version lets one through.
 */
export async function decideCorrection(
  db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, proposalId: string,
  input: { version: number; decision: 'approve' | 'refuse'; note?: string }, today: string,
): Promise<void> {
  if (!/^\d{1,18}$/.test(proposalId)) throw new NotFoundError('correction')
  const proposal = await db.selectFrom('correction_proposals').selectAll().where('id', '=', proposalId)
    .where('application_id', 'in', visibleApplications(db, viewer).select('applications.id')).executeTakeFirst()
  if (!proposal) throw new NotFoundError('correction')
  if (proposal.proposed_by === viewer.id) {
    await audit(db, { actor: viewer, action: 'application.correction_self_approval_refused', entityType: 'application', entityId: proposal.application_id, summary: { proposal: proposalId } })
    throw new ProcedureError('import.correction.self')
  }
  const note = (input.note ?? '').trim().slice(0, 500)
  if (input.decision === 'refuse' && note.length < 2) throw new ProcedureError('import.correction.refusalReasonRequired')
  try {
    await db.transaction().execute(async (trx) => {
      const loaded = await load(trx, viewer, proposal.application_id, true)
      const updated = await trx.updateTable('correction_proposals').set({
        state: input.decision === 'approve' ? 'approved' : 'refused', decided_by: viewer.id, decided_at: new Date(), decision_note: note || null, version: sql`version + 1`,
      }).where('id', '=', proposalId).where('state', '=', 'proposed').where('version', '=', input.version).executeTakeFirst()
      if (!updated.numUpdatedRows) throw new ConflictError()
      const { app } = loaded
      if (input.decision === 'refuse') {
        await trx.insertInto('application_events').values({
          application_id: app.id, actor_id: viewer.id, kind: 'correction_refused', from_state: app.state, to_state: app.state, note,
        }).execute()
        await audit(trx, { actor: viewer, action: 'application.correction_refused', entityType: 'application', entityId: app.id, reason: note, summary: { proposal: proposalId, proposedBy: proposal.proposed_by } })
        return
      }
      const payload = JSON.parse(cipher.decrypt(proposal.payload_enc, proposalPlace(proposalId))) as ProposalPayload
      const now = currentValues(cipher, loaded)
      const stale = Object.entries(payload.before).some(([f, v]) => (now[f as CorrectionField] ?? null) !== (v ?? null))
        || (payload.residence && (payload.residence.before.townId !== app.residence_town_id || payload.residence.before.abroad !== app.resides_abroad))
      if (stale) throw new ProcedureError('import.correction.stale')
      const values = Object.fromEntries(Object.entries(payload.after).map(([f, v]) => [f, v ?? ''])) as Partial<Record<CorrectionField, string>>
      const checked = await check(trx, cipher, loaded, { reason: proposal.reason, values, residence: payload.residence?.after }, today)
      await apply(trx, cipher, viewer, loaded, checked, proposal.reason, today, proposal.proposed_by, { proposal_id: proposalId, approved_by: viewer.id })
      await audit(trx, { actor: viewer, action: 'application.correction_approved', entityType: 'application', entityId: app.id, summary: { proposal: proposalId, proposedBy: proposal.proposed_by, fields: checked.changed } })
    })
  } catch (error) {
    if ((error as { code?: string })?.code === '23514') throw new ProcedureError('import.correction.self')
    if ((error as { code?: string })?.code === '23505') throw new ProcedureError('import.correction.stale')
    throw error
  }
}

/** The correction awaiting a second person on a registration, if any, for its page (ID numbers masked). */
export async function pendingCorrection(db: Db, cipher: FieldCipher, applicationId: string) {
  const row = await db.selectFrom('correction_proposals as p').innerJoin('users as u', 'u.id', 'p.proposed_by')
    .select(['p.id', 'p.fields', 'p.payload_enc', 'p.reason', 'p.proposed_at', 'p.proposed_by', 'p.version', 'u.display_name'])
    .where('p.application_id', '=', applicationId).where('p.state', '=', 'proposed').executeTakeFirst()
  if (!row) return null
  const payload = JSON.parse(cipher.decrypt(row.payload_enc, proposalPlace(row.id))) as ProposalPayload
  const show = (f: string, v: string | null | undefined) => (v == null ? null : idFields.has(f as CorrectionField) ? maskCitizenId(v) : v)
  return {
    id: row.id, version: row.version, reason: row.reason, at: row.proposed_at, by: row.display_name, byId: row.proposed_by,
    changes: Object.keys(payload.after).map((f) => ({ field: f, oldValue: show(f, payload.before[f as CorrectionField]), newValue: show(f, payload.after[f as CorrectionField]) })),
    residence: !!payload.residence,
  }
}
export type PendingCorrection = Awaited<ReturnType<typeof pendingCorrection>>

/** Corrections awaiting a second person, for the approvals page. */
export async function correctionsAwaitingApproval(db: Db, viewer: Viewer) {
  return db.selectFrom('correction_proposals as p').innerJoin('users as u', 'u.id', 'p.proposed_by').innerJoin('applications as a', 'a.id', 'p.application_id')
    .select(['p.id', 'p.application_id as applicationId', 'a.registration_number as registrationNumber', 'p.fields', 'p.reason', 'p.proposed_at as proposedAt', 'u.display_name as proposedBy', 'p.proposed_by as proposedById'])
    .where('p.state', '=', 'proposed').where('p.application_id', 'in', visibleApplications(db, viewer).select('applications.id'))
    .orderBy('p.id').limit(100).execute()
}

/** Made in the system before every registration had to name its town, and none recorded since. */
export function townMissingSinceBeforeRule(app: { source: string; recorded_before_town_rule: boolean; residence_town_id: string | null; resides_abroad: boolean }) {
  return app.source !== 'import' && app.recorded_before_town_rule && !app.residence_town_id && !app.resides_abroad
}

/**
 * The town (or abroad) of a registration made before the rule: recorded with its reason like a
 * correction (history, timeline, audit) and the record's mark cleared. Its other fields have their
 * legal route (revocation, reissue) and are not touched, whatever the request holds.
 */
async function recordMissingTown(trx: Transaction<Database>, viewer: Viewer, app: Awaited<ReturnType<typeof load>>['app'], input: ResidenceInput | undefined, reason: string): Promise<CorrectionField[]> {
  const residence = input ? await residenceChange(trx, app, input) : null
  if (!residence) throw new CorrectionFieldError('residenceTown', 'towns.residence.required')
  await trx.updateTable('applications').set({
    residence_town_id: residence.to.townId, resides_abroad: residence.to.abroad, recorded_before_town_rule: false, version: sql`version + 1`, updated_at: sql`now()`,
  }).where('id', '=', app.id).execute()
  await trx.insertInto('application_corrections').values({
    application_id: app.id, field: 'residenceTown', old_value: residence.oldValue, new_value: residence.newValue, encrypted: false, reason, corrected_by: viewer.id,
  }).execute()
  await trx.insertInto('application_events').values({
    application_id: app.id, actor_id: viewer.id, kind: 'corrected', from_state: app.state, to_state: app.state, note: translate('zh', 'import.field.residenceTown'),
  }).execute()
  await audit(trx, { actor: viewer, action: 'application.corrected', entityType: 'application', entityId: app.id, reason, summary: { fields: ['residenceTown'], replannedTasks: 0 } })
  return ['residenceTown']
}

/**
 * The town of residence asked for, if it differs from the record's: checked as on the application
 * form (a town of this registry's list in use, or the record's own retired since; abroad), and
 * never back to "not recorded" once recorded. The correction's values are the town's code (the
 * official, stable identifier; the history shows its name) or 'abroad'. Null when unchanged.
 */
async function residenceChange(trx: Transaction<Database>, app: { registry_code: string; residence_town_id: string | null; resides_abroad: boolean }, input: ResidenceInput) {
  const to = input.abroad ? { townId: null, abroad: true } : { townId: input.townId || null, abroad: false }
  if (to.townId === app.residence_town_id && to.abroad === app.resides_abroad) return null
  if (!to.townId && !to.abroad) throw new CorrectionFieldError('residenceTown', 'towns.residence.required')
  try {
    await checkResidenceTown(trx, app.registry_code, to, app.residence_town_id)
  } catch (error) {
    if (error instanceof TownFieldError) throw new CorrectionFieldError('residenceTown', error.messageKey, error.params)
    throw error
  }
  const ids = [app.residence_town_id, to.townId].filter((x): x is string => !!x)
  const codes = new Map((await trx.selectFrom('towns').select(['id', 'code']).where('id', 'in', ids).execute()).map((t) => [t.id, t.code]))
  const valueOf = (r: { townId: string | null; abroad: boolean }) => (r.abroad ? 'abroad' : r.townId ? codes.get(r.townId)! : null)
  return { to, oldValue: valueOf({ townId: app.residence_town_id, abroad: app.resides_abroad }), newValue: valueOf(to) }
}

/**
 * The follow-up plan after a corrected registration or birth date: open tasks move to the dates of
 * the plan's same step, or are cancelled ('plan_corrected') when the plan no longer has it (the
 * child turns 18 sooner); steps the plan now has and no task covers are added. Tasks done or
 * cancelled stay as they are. Refused when an open visit already has a report begun.
 */
async function replan(trx: Transaction<Database>, registry: string, applicationId: string, intercountry: { id: string; approved_on: string } | null, registeredOn: string, birthDate: string, today: string): Promise<number> {
  const kind = intercountry ? 'post_placement_report' as const : 'visit' as const
  const tasks = await trx.selectFrom('followup_tasks').select(['id', 'sequence', 'status', 'window_to'])
    .where(intercountry ? 'intercountry_id' : 'application_id', '=', intercountry ? intercountry.id : applicationId).where('kind', '=', kind).execute()
  const open = tasks.filter((t) => t.status === 'open')
  if (!intercountry && open.length) {
    const begun = await trx.selectFrom('visit_reports').select('id').where('task_id', 'in', open.map((t) => t.id)).executeTakeFirst()
    if (begun) throw new CorrectionFieldError('childBirthDate', 'import.correction.visitBegun')
  }
  if (intercountry && open.length) {
    const received = await trx.selectFrom('post_placement_receipts').select('id').where('task_id', 'in', open.map((t) => t.id)).executeTakeFirst()
    if (received) throw new CorrectionFieldError('registeredOn', 'import.correction.reportReceived')
  }
  let policyVersion: number | null = null
  let plan: { sequence: number; dueOn: string; windowFrom: string; windowTo: string }[]
  if (intercountry) {
    plan = planPostPlacementReports(registeredOn, intercountry.approved_on)
  } else {
    const policy = await currentPolicy(trx, registry)
    policyVersion = policy.version
    plan = birthdayOfAge(birthDate, 18) > today ? planVisits(registeredOn, birthDate, policy.rules).filter((v) => v.windowTo >= today) : []
  }
  let n = 0
  for (const task of open) {
    const step = plan.find((p) => p.sequence === task.sequence)
    if (step) await trx.updateTable('followup_tasks').set({ due_on: step.dueOn, window_from: step.windowFrom, window_to: step.windowTo, version: sql`version + 1` }).where('id', '=', task.id).execute()
    else await trx.updateTable('followup_tasks').set({ status: 'cancelled', cancel_reason: 'plan_corrected', closed_at: new Date(), version: sql`version + 1` }).where('id', '=', task.id).execute()
    n++
  }
  const missing = plan.filter((p) => !tasks.some((t) => t.sequence === p.sequence))
  if (missing.length) {
    await trx.insertInto('followup_tasks').values(missing.map((p) => ({
      registry_code: registry, kind, sequence: p.sequence, policy_version: policyVersion, due_on: p.dueOn, window_from: p.windowFrom, window_to: p.windowTo,
      ...(intercountry ? { intercountry_id: intercountry.id, application_id: null } : { application_id: applicationId, intercountry_id: null }),
    }))).execute()
    n += missing.length
  }
  return n
}

/** The corrections of a registration, newest first, for its page (ID numbers masked). */
export async function correctionHistory(db: Db, cipher: FieldCipher, applicationId: string) {
  const rows = await db.selectFrom('application_corrections as c').innerJoin('users as u', 'u.id', 'c.corrected_by').leftJoin('users as a', 'a.id', 'c.approved_by')
    .select(['c.id', 'c.field', 'c.old_value', 'c.new_value', 'c.encrypted', 'c.reason', 'c.corrected_at', 'u.display_name', 'a.display_name as approver'])
    .where('c.application_id', '=', applicationId).orderBy('c.id', 'desc').execute()
  // A town is recorded by its code and shown by its name (the one it has now: a renamed town is the same town).
  const codes = rows.filter((r) => r.field === 'residenceTown').flatMap((r) => [r.old_value, r.new_value]).filter((v): v is string => !!v && v !== 'abroad')
  const names = new Map(codes.length
    ? (await db.selectFrom('towns').innerJoin('applications as a', 'a.registry_code', 'towns.registry_code').select(['towns.code', 'towns.name'])
      .where('a.id', '=', applicationId).where('towns.code', 'in', codes).execute()).map((t) => [t.code, t.name])
    : [])
  const show = (id: string, column: 'old_value' | 'new_value', v: string | null, encrypted: boolean, field: string) => (v === null ? null : encrypted ? maskCitizenId(cipher.decrypt(v, { table: 'application_corrections', column, row: id }))
    : field === 'residenceTown' && v !== 'abroad' ? `${names.get(v) ?? ''}（${v}）` : v)
  return rows.map((r) => ({
    id: r.id, field: r.field, oldValue: show(r.id, 'old_value', r.old_value, r.encrypted, r.field), newValue: show(r.id, 'new_value', r.new_value, r.encrypted, r.field), reason: r.reason, at: r.corrected_at, by: r.display_name, approvedBy: r.approver,
  }))
}
export type CorrectionHistory = Awaited<ReturnType<typeof correctionHistory>>
