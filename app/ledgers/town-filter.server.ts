// The town-of-residence filter of the registers whose records belong to a domestic registration
// (decisions, visit reports, assessments): the same values and rule as the applications ledger's —
// a town's id (retired towns too, so old records are found), 'abroad' (the adopters live abroad;
// with `intercountry`, also a record of an intercountry adoption) or 'none' (no town recorded).
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '#db/schema.ts'
import { listTowns, townFilterValid } from '#app/residence/towns.server.ts'
import { notInList, type FilterErrors } from './filter-fields.ts'

/** The condition "the application `app` (an alias) is of this town", as SQL. */
export function townIs(app: string, town: string, intercountry?: string): RawBuilder<boolean> {
  const col = (name: string) => sql.ref(`${app}.${name}`)
  if (town === 'abroad') {
    return intercountry ? sql<boolean>`(${col('resides_abroad')} is true or ${sql.ref(intercountry)} is not null)` : sql<boolean>`${col('resides_abroad')} is true`
  }
  if (town === 'none') return sql<boolean>`(${col('residence_town_id')} is null and ${col('resides_abroad')} is false)`
  return sql<boolean>`${col('residence_town_id')} = ${town}::bigint`
}

/** The name of the application's town, for a register's row. */
export const townNameOf = (app: string) => sql<string | null>`(select name from towns where towns.id = ${sql.ref(`${app}.residence_town_id`)})`

/** The page's town choices; a filter naming a town not among them is named and dropped. */
export async function checkTownFilter(db: Kysely<Database>, registryCode: string, filter: { town?: string }, errors: FilterErrors) {
  const towns = await listTowns(db, registryCode)
  if (!townFilterValid(towns, filter.town)) {
    errors.town = notInList
    delete filter.town
  }
  return towns
}
