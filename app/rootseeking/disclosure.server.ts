// Birth-family information and root-seeking (收养秘密, Civil Code art. 1110; PIPL): whether anything
// of the original file's birth-family details may be disclosed to the family is a supervisor's
// decision with its basis recorded (the law, secrecy requests on the original file). Until such a
// decision says "disclose", nothing of those details appears on the request's pages or e-mails,
// and text written to the family that would carry them is refused.
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ForbiddenError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { can } from '#app/platform/permissions.ts'
import type { Viewer } from '#app/registration/applications.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export type BirthFamilyPerson = { name: string; address: string | null; phone: string | null }

/** The placing birth family of the original registration (none when a welfare institution placed the child). */
export async function birthFamilyDetails(db: Db, _cipher: FieldCipher, applicationId: string): Promise<BirthFamilyPerson[]> {
  const app = await db.selectFrom('applications').select('placing_kind').where('id', '=', applicationId).executeTakeFirst()
  if (!app || app.placing_kind === 'welfare_institution') return []
  const rows = await db.selectFrom('parties').select(['name', 'hukou_address', 'current_address', 'phone'])
    .where('application_id', '=', applicationId).where('role', '=', 'placing').orderBy('position').execute()
  return rows.map((r) => ({ name: r.name, address: r.current_address ?? r.hukou_address, phone: r.phone }))
}

/** Whether any of the texts carries a birth-family name, address or phone number. */
export function mentionsBirthFamily(texts: string[], people: BirthFamilyPerson[]): boolean {
  const squash = (s: string) => s.replace(/\s/g, '').toLowerCase()
  const haystack = squash(texts.join('\n'))
  return people.some((p) =>
    [p.name, p.address, p.phone].some((value) => value !== null && squash(value).length >= 2 && haystack.includes(squash(value))),
  )
}

export async function disclosureState(db: Db, requestId: string) {
  const decisions = await db.selectFrom('rootseeking_disclosures as d').innerJoin('users as u', 'u.id', 'd.decided_by')
    .select(['d.id', 'd.disclose', 'd.basis', 'd.paper_file_reference as paperFileReference', 'd.decided_at as decidedAt', 'u.display_name as decidedByName'])
    .where('d.request_id', '=', requestId).orderBy('d.id', 'desc').execute()
  return { current: decisions[0] ?? null, history: decisions }
}

export function mayDecideDisclosure(viewer: Pick<Viewer, 'roles'>): boolean {
  return can(viewer.roles, 'case.approve') && can(viewer.roles, 'rootseeking.read')
}

export type DisclosureInput = {
  disclose: boolean
  basis: string
  /** The paper file was checked and shows the placing party did not ask for secrecy (with its reference). */
  paperFileChecked?: boolean
  paperFileReference?: string
}

/**
 * The supervisor's decision. Disclosing needs a verified request (so the original file is known),
 * and is refused outright when the placing party asked for secrecy on the original file. When the
 * registration carries secrecy but who asked for it is unknown (imported records), disclosing is
 * refused too, unless the decision records that the paper file was checked and the placing party
 * did not ask: the paper file's reference is kept with the decision.
 */
export async function decideDisclosure(db: Kysely<Database>, viewer: Viewer, requestId: string, input: DisclosureInput) {
  if (!mayDecideDisclosure(viewer)) throw new ForbiddenError()
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('rootseeking_requests').select(['id', 'application_id', 'verified_at']).where('id', '=', requestId).where('registry_code', '=', viewer.registryCode).forUpdate().executeTakeFirst()
    if (!row) throw new NotFoundError('request')
    if (input.disclose) {
      if (!row.verified_at) throw new ProcedureError('rootseeking.disclosure.notVerified')
    }
    const reference = input.paperFileChecked ? input.paperFileReference?.trim() || null : null
    if (input.paperFileChecked && !reference) throw new ProcedureError('rootseeking.disclosure.paperFileReferenceRequired')
    if (input.disclose && row.application_id) {
      const app = await trx.selectFrom('applications').select(['secrecy', 'secrecy_requested_by']).where('id', '=', row.application_id).executeTakeFirstOrThrow()
      if (app.secrecy && (app.secrecy_requested_by === 'placing_party' || app.secrecy_requested_by === 'both')) throw new ProcedureError('rootseeking.disclosure.secrecy')
      // Who asked is unknown (an imported record): only the paper file can say it was not the placing party.
      if (app.secrecy && app.secrecy_requested_by === null && !reference) throw new ProcedureError('rootseeking.disclosure.secrecyUnknown')
    }
    await trx.insertInto('rootseeking_disclosures').values({
      request_id: requestId, disclose: input.disclose, basis: input.basis, decided_by: viewer.id,
      paper_file_checked: reference !== null, paper_file_reference: reference,
    }).execute()
    await audit(trx, { actor: viewer, action: input.disclose ? 'rootseeking.disclosure_granted' : 'rootseeking.disclosure_refused', entityType: 'rootseeking_request', entityId: requestId, reason: input.basis, ...(reference ? { summary: { paperFile: reference } } : {}) })
  })
}
