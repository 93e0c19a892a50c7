// The bureau's assessment instruments: versions held in the database, the newest one used for new
// assessments; an assessment keeps the version it started with. The default ships as version 1.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import { defaultInstrument, instrumentSchema, type InstrumentDefinition } from './instrument.ts'

type Db = Kysely<Database> | Transaction<Database>

export type InstrumentVersion = { id: string; version: number; definition: InstrumentDefinition; publishedAt: Date }

/** The newest published version; publishes the shipped default first if the registry has none. */
export async function currentInstrument(db: Db, registryCode: string): Promise<InstrumentVersion> {
  let row = await db.selectFrom('assessment_instruments').selectAll().where('registry_code', '=', registryCode).orderBy('version', 'desc').limit(1).executeTakeFirst()
  if (!row) {
    await db.insertInto('assessment_instruments')
      .values({ registry_code: registryCode, version: 1, definition: JSON.stringify(defaultInstrument) })
      .onConflict((oc) => oc.columns(['registry_code', 'version']).doNothing())
      .execute()
    row = await db.selectFrom('assessment_instruments').selectAll().where('registry_code', '=', registryCode).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow()
  }
  return { id: row.id, version: row.version, definition: row.definition as InstrumentDefinition, publishedAt: row.published_at }
}

export async function instrumentById(db: Db, id: string): Promise<InstrumentVersion> {
  const row = await db.selectFrom('assessment_instruments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return { id: row.id, version: row.version, definition: row.definition as InstrumentDefinition, publishedAt: row.published_at }
}

export async function listInstruments(db: Db, registryCode: string) {
  await currentInstrument(db, registryCode)
  return db.selectFrom('assessment_instruments as i').leftJoin('users as u', 'u.id', 'i.published_by')
    .select(['i.id', 'i.version', 'i.published_at as publishedAt', 'u.display_name as publishedBy', sql<string>`i.definition->'title'->>'zh'`.as('title')])
    .where('i.registry_code', '=', registryCode).orderBy('i.version', 'desc').execute()
}

/** Publishes a new version (validated); assessments under way keep theirs. */
export async function publishInstrument(db: Kysely<Database>, actor: NonNullable<Actor>, definition: unknown): Promise<number> {
  const parsed = instrumentSchema.parse(definition)
  return db.transaction().execute(async (trx) => {
    const current = await currentInstrument(trx, actor.registryCode)
    const version = current.version + 1
    await trx.insertInto('assessment_instruments').values({ registry_code: actor.registryCode, version, definition: JSON.stringify(parsed), published_by: actor.id }).execute()
    await audit(trx, { actor, action: 'assessment.instrument_published', entityType: 'instrument', entityId: version, summary: { title: parsed.title.zh } })
    return version
  })
}
