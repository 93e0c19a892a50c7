// The saved column mappings of the registry: what an administrator manages (no case content — the
// headers of a ledger and which field each maps to). A deleted mapping is proposed afresh from the
// usual header names on the next upload of that layout.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import { NotFoundError } from '#app/platform/http.server.ts'
import { importFields } from './fields.ts'

export async function listMappings(db: Kysely<Database>, registryCode: string) {
  const rows = await db.selectFrom('import_mappings as m').leftJoin('users as u', 'u.id', 'm.updated_by')
    .select(['m.id', 'm.headers', 'm.mapping', 'm.updated_at as updatedAt', 'u.display_name as updatedBy'])
    .where('m.registry_code', '=', registryCode).orderBy('m.updated_at', 'desc').execute()
  return rows.map((r) => ({
    id: r.id, headers: r.headers, updatedAt: r.updatedAt, updatedBy: r.updatedBy,
    fields: importFields.filter((f) => typeof r.mapping[f] === 'string').map((f) => ({ field: f, header: r.mapping[f] })),
  }))
}

export async function deleteMapping(db: Kysely<Database>, actor: NonNullable<Actor>, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('mapping')
  await db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom('import_mappings').where('id', '=', id).where('registry_code', '=', actor.registryCode).returning('headers').executeTakeFirst()
    if (!deleted) throw new NotFoundError('mapping')
    await audit(trx, { actor, action: 'import.mapping_deleted', entityType: 'import_mapping', entityId: id, summary: { columns: deleted.headers.length } })
  })
}
