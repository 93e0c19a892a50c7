// Entrusted assessment agencies (受委托评估机构) of a registry: their contract, the data processing
// agreement the bureau must sign before entrusting personal data (PIPL art. 21), and the assessor
// accounts tied to each (an agency's assessors see only the assessments entrusted to it).
// Every command is scoped to the actor's registry and audited in its own transaction.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import { DomainError, NotFoundError } from '#app/platform/http.server.ts'
import type { agencySchema } from './schemas.ts'
import { refuseOutsideRegistry } from '#app/platform/record-access.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export type AgencyInput = z.output<typeof agencySchema>

/** Another agency of the registry already has this unified social credit code. */
export class CreditCodeTakenError extends DomainError {
  constructor() { super(409, 'agencies.creditCodeTaken') }
}
/** Only assessor accounts can be tied to an agency. */
export class NotAssessorError extends DomainError {
  constructor() { super(422, 'agencies.notAssessor') }
}
/** The assessor is on a team of an unfinished assessment: moving them would cut them off from it. */
export class AssessorBusyError extends DomainError {
  constructor(readonly count: number) { super(409, 'agencies.assessorBusy') }
}

export type AgencyRow = {
  id: string
  legalName: string
  creditCode: string
  businessScope: string
  contractFrom: string
  contractTo: string
  dpaSignedOn: string | null
  active: boolean
  assessors: number
}

const isId = (id: string) => /^\d{1,18}$/.test(id)

function agencyColumns() {
  return [
    'a.id', 'a.legal_name as legalName', 'a.credit_code as creditCode', 'a.business_scope as businessScope',
    'a.contract_from as contractFrom', 'a.contract_to as contractTo', 'a.dpa_signed_on as dpaSignedOn', 'a.active',
    sql<number>`(select count(*) from users u join user_roles r on r.user_id = u.id
                 where u.agency_id = a.id and u.active and r.role = 'assessor')::int`.as('assessors'),
  ] as const
}

/** The registry's agencies, active ones first, each with the number of its active assessor accounts. */
export async function listAgencies(db: Db, registryCode: string): Promise<AgencyRow[]> {
  return db.selectFrom('assessment_agencies as a').select(agencyColumns())
    .where('a.registry_code', '=', registryCode)
    .orderBy('a.active', 'desc').orderBy('a.legal_name').orderBy('a.id')
    .execute()
}

/** `reader`: who opens the agency's page; their request for another registry's agency is refused and audited (decision 028). */
export async function getAgency(db: Db, registryCode: string, id: string, reader?: Actor): Promise<AgencyRow> {
  if (!isId(id)) throw new NotFoundError('agency')
  const row = await db.selectFrom('assessment_agencies as a').select(agencyColumns())
    .where('a.id', '=', id).where('a.registry_code', '=', registryCode)
    .executeTakeFirst()
  if (!row) return reader ? refuseOutsideRegistry(db, reader, 'assessment_agency', 'assessment_agencies', id) : Promise.reject(new NotFoundError('agency'))
  return row
}

const isCreditCodeTaken = (error: unknown) =>
  (error as { code?: string; constraint?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === 'assessment_agencies_credit_unique'

export async function createAgency(db: Kysely<Database>, actor: NonNullable<Actor>, input: AgencyInput): Promise<string> {
  try {
    return await db.transaction().execute(async (trx) => {
      const { id } = await trx.insertInto('assessment_agencies').values({
        registry_code: actor.registryCode,
        legal_name: input.legalName,
        credit_code: input.creditCode,
        business_scope: input.businessScope,
        contract_from: input.contractFrom,
        contract_to: input.contractTo,
        dpa_signed_on: input.dpaSignedOn ?? null,
      }).returning('id').executeTakeFirstOrThrow()
      await audit(trx, {
        actor, action: 'assessment.agency_created', entityType: 'agency', entityId: id,
        summary: { legalName: input.legalName, creditCode: input.creditCode, contract: [input.contractFrom, input.contractTo], dpaSignedOn: input.dpaSignedOn ?? null },
      })
      return id
    })
  } catch (error) {
    if (isCreditCodeTaken(error)) throw new CreditCodeTakenError()
    throw error
  }
}

export async function updateAgency(
  db: Kysely<Database>,
  actor: NonNullable<Actor>,
  id: string,
  input: AgencyInput & { active: boolean },
): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      const before = await getAgency(trx, actor.registryCode, id)
      await trx.updateTable('assessment_agencies').set({
        legal_name: input.legalName,
        credit_code: input.creditCode,
        business_scope: input.businessScope,
        contract_from: input.contractFrom,
        contract_to: input.contractTo,
        dpa_signed_on: input.dpaSignedOn ?? null,
        active: input.active,
      }).where('id', '=', id).where('registry_code', '=', actor.registryCode).execute()
      const after = { ...input, dpaSignedOn: input.dpaSignedOn ?? null }
      const keys = ['legalName', 'creditCode', 'businessScope', 'contractFrom', 'contractTo', 'dpaSignedOn', 'active'] as const
      const changed = Object.fromEntries(keys.filter((k) => before[k] !== after[k]).map((k) => [k, [before[k], after[k]]]))
      await audit(trx, { actor, action: 'assessment.agency_updated', entityType: 'agency', entityId: id, summary: changed })
    })
  } catch (error) {
    if (isCreditCodeTaken(error)) throw new CreditCodeTakenError()
    throw error
  }
}

export type AssessorAccount = {
  id: string
  username: string
  displayName: string
  active: boolean
  agencyId: string | null
  agencyName: string | null
}

/** Every account of the registry holding the assessor role, with the agency it is tied to (if any). */
export async function listAssessorAccounts(db: Db, registryCode: string): Promise<AssessorAccount[]> {
  return db.selectFrom('users as u')
    .innerJoin('user_roles as r', (j) => j.onRef('r.user_id', '=', 'u.id').on('r.role', '=', 'assessor'))
    .leftJoin('assessment_agencies as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.username', 'u.display_name as displayName', 'u.active', 'u.agency_id as agencyId', 'a.legal_name as agencyName'])
    .where('u.registry_code', '=', registryCode)
    .orderBy('u.active', 'desc').orderBy('u.display_name').orderBy('u.username')
    .execute()
}

/**
 * Ties an assessor account to an agency of the registry, or (agencyId null) makes it one of the
 * bureau's own assessors again. Refused for accounts without the assessor role, and while the
 * assessor is on the team of an unfinished assessment of the other side (they would lose sight of it).
 */
export async function setUserAgency(db: Kysely<Database>, actor: NonNullable<Actor>, userId: string, agencyId: string | null): Promise<void> {
  if (!isId(userId)) throw new NotFoundError('user')
  await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select(['id', 'agency_id'])
      .where('id', '=', userId).where('registry_code', '=', actor.registryCode)
      .forUpdate().executeTakeFirst()
    if (!user) throw new NotFoundError('user')
    const role = await trx.selectFrom('user_roles').select('role').where('user_id', '=', userId).where('role', '=', 'assessor').executeTakeFirst()
    if (!role) throw new NotAssessorError()
    if (agencyId !== null) await getAgency(trx, actor.registryCode, agencyId)
    if (user.agency_id === agencyId) return

    const { count } = await trx.selectFrom('assessment_members as m')
      .innerJoin('assessments as s', 's.id', 'm.assessment_id')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('m.user_id', '=', userId).where('m.removed_at', 'is', null)
      .where('s.state', 'in', ['open', 'signing'])
      .executeTakeFirstOrThrow()
    if (Number(count) > 0) throw new AssessorBusyError(Number(count))

    await trx.updateTable('users')
      .set({ agency_id: agencyId, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', userId).execute()
    await audit(trx, {
      actor, action: 'assessment.assessor_agency_changed', entityType: 'user', entityId: userId,
      summary: { from: user.agency_id, to: agencyId },
    })
  })
}
