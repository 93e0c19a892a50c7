// The reception (接待): a caseworker's task. After the visit the caseworker records who came (only
// the people named and verified may take part), where they went, what was shown and the family's
// follow-up wishes; the record prints as a PDF and the request is closed. Statistics count visits
// per year and country of residence.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import { ConflictError, ForbiddenError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { can } from '#app/platform/permissions.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { formatReference } from './reference.ts'
import { refuseOutsideRegistry } from '#app/platform/record-access.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export type RecordInput = { version: number; visitedOn: string; attendees: string[]; placesVisited: string; shown: string; followUp?: string }

export async function recordReception(db: Kysely<Database>, viewer: Viewer, requestId: string, input: RecordInput, today: string) {
  if (!can(viewer.roles, 'rootseeking.write')) throw new ForbiddenError()
  if (input.visitedOn > today) throw new ProcedureError('rootseeking.date.future')
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('rootseeking_requests as r').innerJoin('rootseeking_receptions as p', 'p.request_id', 'r.id')
      .select(['r.id', 'r.state', 'p.version', 'p.state as receptionState', 'p.caseworker_id'])
      .where('r.id', '=', requestId).where('r.registry_code', '=', viewer.registryCode).forUpdate().executeTakeFirst()
    if (!row) throw new NotFoundError('reception')
    if (row.version !== input.version) throw new ConflictError()
    if (row.state !== 'accepted' || row.receptionState !== 'planned') throw new ProcedureError('rootseeking.record.notPlanned')
    const visitors = await trx.selectFrom('rootseeking_visitors').select(['id', 'name']).where('request_id', '=', requestId).orderBy('position').execute()
    const named = new Set(visitors.map((v) => v.id))
    if (input.attendees.length === 0) throw new ProcedureError('rootseeking.record.attendees')
    // Only the people named in the verified request may take part.
    if (input.attendees.some((id) => !named.has(id))) throw new ProcedureError('rootseeking.record.notNamed')
    const attendees = visitors.filter((v) => input.attendees.includes(v.id)).map((v) => v.name).join('\n')
    await trx.updateTable('rootseeking_receptions').set({
      state: 'recorded', visited_on: input.visitedOn, attendees, places_visited: input.placesVisited, shown: input.shown, follow_up: input.followUp ?? null,
      recorded_by: viewer.id, recorded_at: sql`now()` as never, version: sql`version + 1` as never,
    }).where('request_id', '=', requestId).execute()
    await trx.updateTable('rootseeking_requests').set({ state: 'visited', version: sql`version + 1` as never }).where('id', '=', requestId).execute()
    await audit(trx, { actor: viewer, action: 'rootseeking.reception_recorded', entityType: 'rootseeking_request', entityId: requestId, summary: { attendees: input.attendees.length } })
  })
}

export async function closeRequest(db: Kysely<Database>, viewer: Viewer, requestId: string, version: number) {
  if (!can(viewer.roles, 'rootseeking.write')) throw new ForbiddenError()
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('rootseeking_requests').select(['state', 'version']).where('id', '=', requestId).where('registry_code', '=', viewer.registryCode).forUpdate().executeTakeFirst()
    if (!row) throw new NotFoundError('request')
    if (row.version !== version) throw new ConflictError()
    if (row.state !== 'visited' && row.state !== 'declined') throw new ProcedureError('rootseeking.close.notYet')
    await trx.updateTable('rootseeking_requests').set({ state: 'closed', closed_at: sql`now()` as never, version: sql`version + 1` as never }).where('id', '=', requestId).execute()
    await audit(trx, { actor: viewer, action: 'rootseeking.closed', entityType: 'rootseeking_request', entityId: requestId })
  })
}

/** The data of the reception record PDF (documents/reception-record.ts). */
export async function receptionRecordData(db: Db, viewer: Viewer, requestId: string) {
  if (!/^\d{1,18}$/.test(requestId)) throw new NotFoundError('request')
  const row = await db.selectFrom('rootseeking_requests as r').innerJoin('rootseeking_receptions as p', 'p.request_id', 'r.id')
    .innerJoin('users as c', 'c.id', 'p.caseworker_id').leftJoin('users as w', 'w.id', 'p.recorded_by').innerJoin('registries as g', 'g.code', 'r.registry_code')
    .select(['r.id', 'r.reference', 'r.applicant_name', 'r.nationality', 'r.residence_country', 'r.adoptee_name_then', 'r.adoptee_name_now', 'r.registration_number', 'r.institution',
      'p.state', 'p.visit_on', 'p.starts_at', 'p.ends_at', 'p.places', 'p.receiving_staff', 'p.interpreter', 'p.institution_contact', 'p.may_show', 'p.no_fee',
      'p.visited_on', 'p.attendees', 'p.places_visited', 'p.shown', 'p.follow_up', 'c.display_name as caseworker', 'w.display_name as recordedBy', 'g.name as registry'])
    .where('r.id', '=', requestId).where('r.registry_code', '=', viewer.registryCode).executeTakeFirst()
  if (!row) {
    // Another registry's request is refused and audited (decision 028); one of this registry without a reception is only not found.
    const own = await db.selectFrom('rootseeking_requests').select('id').where('id', '=', requestId).where('registry_code', '=', viewer.registryCode).executeTakeFirst()
    if (own) throw new NotFoundError('request')
    return refuseOutsideRegistry(db, viewer, 'rootseeking_request', 'rootseeking_requests', requestId)
  }
  if (row.state !== 'recorded' || !row.visited_on) throw new ProcedureError('rootseeking.record.notRecorded')
  await audit(db, { actor: viewer, action: 'rootseeking.record_printed', entityType: 'rootseeking_request', entityId: requestId })
  return {
    registry: row.registry,
    reference: formatReference(row.reference),
    family: row.applicant_name,
    nationality: row.nationality,
    residence: row.residence_country,
    adoptee: `${row.adoptee_name_now}（原名 ${row.adoptee_name_then}）`,
    registrationNumber: row.registration_number,
    institution: row.institution,
    plannedOn: row.visit_on,
    time: `${row.starts_at}–${row.ends_at}`,
    visitedOn: row.visited_on,
    attendees: (row.attendees ?? '').split('\n').filter(Boolean),
    receivingStaff: row.receiving_staff,
    interpreter: row.interpreter,
    institutionContact: row.institution_contact,
    placesVisited: row.places_visited ?? '',
    shown: row.shown ?? '',
    followUp: row.follow_up ?? '',
    caseworker: row.caseworker,
    recordedBy: row.recordedBy ?? row.caseworker,
    noFee: row.no_fee,
  }
}

/** Visits received (recorded receptions) per year and country of residence. */
export async function visitStatistics(db: Db, registryCode: string) {
  const rows = await db.selectFrom('rootseeking_receptions as p').innerJoin('rootseeking_requests as r', 'r.id', 'p.request_id')
    .select([sql<number>`extract(year from p.visited_on)::int`.as('year'), 'r.residence_country as country', sql<number>`count(*)::int`.as('visits'),
      sql<number>`sum(array_length(string_to_array(p.attendees, E'\\n'), 1))::int`.as('visitors')])
    .where('r.registry_code', '=', registryCode).where('p.state', '=', 'recorded')
    .groupBy([sql`extract(year from p.visited_on)`, 'r.residence_country'])
    .orderBy(sql`extract(year from p.visited_on)`, 'desc').orderBy('r.residence_country')
    .execute()
  return rows
}
