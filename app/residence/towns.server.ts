// The registry's towns and streets (乡镇、街道): kept by the administrator (add, rename, retire,
// restore), chosen on the application as the adopters' town of residence, looked up by name or
// code in the historical import, and a filter of the ledgers. A town is retired, never deleted: the
// applications recorded with it keep it and show it; it is no longer offered for new ones.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import { ConflictError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { townCode9, type TownKind } from './schemas.ts'

type Db = Kysely<Database> | Transaction<Database>

export type Town = { id: string; code: string; name: string; kind: TownKind; retiredOn: string | null; version: number }

/** A refusal that belongs next to one field of the form. */
export class TownFieldError extends ProcedureError {
  constructor(readonly field: string, messageKey: string, params: Record<string, string | number> = {}) { super(messageKey, params) }
}

const columns = ['id', 'code', 'name', 'kind', 'retired_on as retiredOn', 'version'] as const

/** Every town of the registry, in code order (the official order): those in use first. */
export async function listTowns(db: Db, registryCode: string): Promise<Town[]> {
  return db.selectFrom('towns').select(columns).where('registry_code', '=', registryCode)
    .orderBy(sql`retired_on is not null`).orderBy('code').execute()
}

/** The choices of a form or filter: the towns in use, and `keep` (e.g. the record's own, retired since). */
export async function townChoices(db: Db, registryCode: string, keep?: string | null): Promise<Town[]> {
  return db.selectFrom('towns').select(columns).where('registry_code', '=', registryCode)
    .where((eb) => (keep ? eb.or([eb('retired_on', 'is', null), eb('id', '=', keep)]) : eb('retired_on', 'is', null)))
    .orderBy('code').execute()
}

async function uniqueChecks(trx: Db, registryCode: string, input: { code?: string; name: string }, except?: string) {
  if (input.code) {
    const code9 = townCode9(input.code)!
    const taken = await trx.selectFrom('towns').select('id').where('registry_code', '=', registryCode)
      .where((eb) => eb.or([eb('code', '=', code9), eb('code', '=', `${code9}000`)])).executeTakeFirst()
    if (taken) throw new TownFieldError('code', 'towns.code.taken')
  }
  let named = trx.selectFrom('towns').select('id').where('registry_code', '=', registryCode).where('name', '=', input.name).where('retired_on', 'is', null)
  if (except) named = named.where('id', '<>', except)
  if (await named.executeTakeFirst()) throw new TownFieldError('name', 'towns.name.taken')
}

export async function addTown(db: Kysely<Database>, actor: NonNullable<Actor>, input: { code: string; name: string; kind: TownKind }): Promise<string> {
  // A 12-digit code must be a town's (the village part 000) and, like a 9-digit one, in this county.
  if (!townCode9(input.code)) throw new TownFieldError('code', 'towns.code.invalid')
  if (!input.code.startsWith(actor.registryCode)) throw new TownFieldError('code', 'towns.code.otherCounty', { county: actor.registryCode })
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('towns:' || ${actor.registryCode}))`.execute(trx)
    await uniqueChecks(trx, actor.registryCode, input)
    const { id } = await trx.insertInto('towns').values({ registry_code: actor.registryCode, code: input.code, name: input.name, kind: input.kind })
      .returning('id').executeTakeFirstOrThrow()
    await audit(trx, { actor, action: 'towns.added', entityType: 'town', entityId: id, summary: input })
    return id
  })
}

async function current(trx: Db, registryCode: string, id: string, version: number) {
  const town = await trx.selectFrom('towns').select(columns).where('id', '=', id).where('registry_code', '=', registryCode).forUpdate().executeTakeFirst()
  if (!town) throw new NotFoundError('town')
  if (town.version !== version) throw new ConflictError()
  return town
}

export async function renameTown(db: Kysely<Database>, actor: NonNullable<Actor>, id: string, version: number, name: string) {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('towns:' || ${actor.registryCode}))`.execute(trx)
    const town = await current(trx, actor.registryCode, id, version)
    if (town.retiredOn) throw new ProcedureError('towns.retired')
    await uniqueChecks(trx, actor.registryCode, { name }, id)
    await trx.updateTable('towns').set({ name, version: sql`version + 1` }).where('id', '=', id).execute()
    await audit(trx, { actor, action: 'towns.renamed', entityType: 'town', entityId: id, summary: { from: town.name, to: name } })
  })
}

/** Retires a town (no longer offered) or restores it (offered again, if its name is still free). */
export async function setTownRetired(db: Kysely<Database>, actor: NonNullable<Actor>, id: string, version: number, retiredOn: string | null) {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('towns:' || ${actor.registryCode}))`.execute(trx)
    const town = await current(trx, actor.registryCode, id, version)
    if (!retiredOn) await uniqueChecks(trx, actor.registryCode, { name: town.name }, id)
    await trx.updateTable('towns').set({ retired_on: retiredOn, version: sql`version + 1` }).where('id', '=', id).execute()
    await audit(trx, { actor, action: retiredOn ? 'towns.retired' : 'towns.restored', entityType: 'town', entityId: id, summary: { code: town.code, name: town.name } })
  })
}

/**
 * The town an application may be recorded with: one in use, or the one it already has (retired
 * since); none only when the adopters live abroad (the database's applications_residence_recorded,
 * migration 0021: a registry records applications once it keeps its list). Refusals are named for
 * the form's field `residenceTown`.
 */
export async function checkResidenceTown(trx: Db, registryCode: string, input: { townId?: string | null; abroad: boolean }, kept: string | null): Promise<string | null> {
  if (!input.townId) {
    if (input.abroad) return null
    const any = await trx.selectFrom('towns').select('id').where('registry_code', '=', registryCode).where('retired_on', 'is', null).limit(1).executeTakeFirst()
    throw new TownFieldError('residenceTown', any ? 'towns.residence.required' : 'towns.residence.noList')
  }
  const town = /^\d{1,18}$/.test(input.townId)
    ? await trx.selectFrom('towns').select(['id', 'retired_on']).where('id', '=', input.townId).where('registry_code', '=', registryCode).executeTakeFirst()
    : undefined
  if (!town) throw new TownFieldError('residenceTown', 'towns.residence.unknown')
  if (town.retired_on && town.id !== kept) throw new TownFieldError('residenceTown', 'towns.residence.retired')
  return town.id
}

/**
 * The historical import's lookup: a ledger's cell as a 9- or 12-digit code or a name (as in use,
 * else as retired: an old record may name a town since merged), to the town's id; null if none.
 */
export async function townLookup(db: Db, registryCode: string): Promise<(cell: string) => string | null> {
  const towns = await db.selectFrom('towns').select(['id', 'code', 'name', 'retired_on']).where('registry_code', '=', registryCode)
    .orderBy(sql`retired_on is not null`).orderBy('id').execute()
  const byCode = new Map<string, string>()
  const byName = new Map<string, string>()
  // Exact after trimming and full-width normalisation on both sides (（）, full-width digits, spaces).
  const key = (s: string) => s.normalize('NFKC').replace(/[\s\u00a0\u3000]+/g, '')
  for (const t of towns) {
    byCode.set(townCode9(t.code) ?? t.code, t.id)
    if (!byName.has(key(t.name))) byName.set(key(t.name), t.id)
  }
  return (cell) => {
    const v = key(cell)
    const code9 = townCode9(v)
    return (code9 ? byCode.get(code9) : undefined) ?? byName.get(v) ?? null
  }
}

/** A ledger's town filter against the registry's list: a town's id (retired ones too), 'abroad' or 'none'. */
export function townFilterValid(towns: readonly { id: string }[], value: string | undefined): boolean {
  return value === undefined || value === 'abroad' || value === 'none' || towns.some((t) => t.id === value)
}
