// Demo towns and streets: a made-up but well-formed list for the demo county (codes are the
// county's six digits and a three-digit town part: 0xx streets, 1xx towns, 2xx townships, as in the
// statistical division codes), one of them retired (merged into a neighbour); the demo
// applications are given the town their first adopter's address names (seedDemoApplications,
// through demoTownOf) — so the ledgers' town filter has something to find — and the two earliest
// the retired one, so a retired town shows on old records.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { TownKind } from './schemas.ts'

const demoTowns: Array<[string, string, TownKind, string | null]> = [
  ['001', '龙岗街道', 'subdistrict', null],
  ['002', '棠香街道', 'subdistrict', null],
  ['003', '龙滩子街道', 'subdistrict', null],
  ['004', '智凤街道', 'subdistrict', null],
  ['101', '龙水镇', 'town', null],
  ['102', '宝顶镇', 'town', null],
  ['103', '中敖镇', 'town', null],
  ['104', '三驱镇', 'town', null],
  ['105', '邮亭镇', 'town', null],
  ['106', '石马镇', 'town', null],
  ['107', '玉龙镇', 'town', null],
  ['108', '万古镇', 'town', '2025-06-30'],
  ['201', '季家乡', 'township', null],
]

export async function seedDemoTowns(db: Kysely<Database>, registryCode: string): Promise<number> {
  const existing = await db.selectFrom('towns').select('id').where('registry_code', '=', registryCode).limit(1).executeTakeFirst()
  if (existing || !/^\d{6}$/.test(registryCode)) return 0
  await db.insertInto('towns').values(demoTowns.map(([suffix, name, kind, retiredOn]) => ({
    registry_code: registryCode, code: `${registryCode}${suffix}`, name, kind, retired_on: retiredOn,
  }))).execute()
  return demoTowns.length
}

/**
 * The demo applications' towns (seedDemoApplications gives each the town its first adopter's
 * household address names, as the application form would): the town a household address names,
 * among those in use, else the first in use.
 */
export async function demoTownOf(db: Kysely<Database>, registryCode: string): Promise<(address: string | undefined) => string | undefined> {
  const towns = await db.selectFrom('towns').select(['id', 'name']).where('registry_code', '=', registryCode).where('retired_on', 'is', null).orderBy('code').execute()
  // An address naming none (a registry with a list of its own): its first town, not a refusal.
  return (address) => (towns.find((t) => address?.includes(t.name)) ?? towns[0])?.id
}

/** The two earliest registrations: recorded when 万古镇 still existed (a retired town on old records). */
export async function seedDemoRetiredTown(db: Kysely<Database>, registryCode: string) {
  await sql`
    update applications set residence_town_id = (select id from towns where registry_code = ${registryCode} and code = ${`${registryCode}108`})
    where id in (select id from applications where registry_code = ${registryCode} and registered_on is not null order by registered_on, id limit 2)
      and exists (select 1 from towns where registry_code = ${registryCode} and code = ${`${registryCode}108`})`.execute(db)
}
