// Reading one record: the refusal and the read are both in the audit log
// (docs/decisions/028-scoped-and-logged-reads.md). Each capability decides who may read its
// records with one access rule (a condition joined into every read, like followup's readableTask,
// decision 023); what is not readable under that rule is "not found" (404, never 403: ids are
// sequential and a 403 would confirm that the record exists). These helpers keep the two halves
// alike everywhere: the refusal of an existing record of the viewer's registry is audited, and a
// granted read of a sensitive record is audited like an application page read (logRead).
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from './audit.server.ts'
import { NotFoundError } from './http.server.ts'

type Db = Kysely<Database> | Transaction<Database>

/**
 * A read refused under the capability's access rule: audited when the record exists in the
 * viewer's registry (`exists`), then "not found". A wrong or foreign id is only "not found": its
 * refusal says nothing about a record of this registry.
 */
export async function refuseRecord(db: Db, actor: Actor, entityType: string, entityId: string, exists: boolean, ip?: string | null): Promise<never> {
  if (exists && actor) await audit(db, { actor, action: 'record.access_refused', entityType, entityId, ip: ip ?? null })
  throw new NotFoundError(entityType)
}

/**
 * A register page was read (the list of cases with names): which register and with what filter,
 * in the audit log like a read of one record. The filter is kept as given, cut to 500 characters.
 */
export async function logRegisterView(db: Db, actor: Actor, register: string, url: string, ip: string | null) {
  const search = new URL(url).search.slice(1, 501)
  await audit(db, { actor, action: 'register.viewed', entityType: 'register', entityId: register, summary: search ? { filter: search } : {}, ip })
}

export const validRecordId = (id: string) => /^\d{1,18}$/.test(id)

/** The tables whose records a registry-wide rule opens to every holder of the permission in the registry. */
type RegistryTable = 'users' | 'assessment_agencies' | 'archive_files' | 'archive_transfers' | 'import_batches' | 'rootseeking_requests' | 'ledger_exports'

/**
 * A record not found in the viewer's registry under a rule that opens the whole registry to the
 * permission's holders: if the id is a record of another registry, the attempt is a refusal and is
 * audited (in the viewer's registry, where its auditor reads it: probing another registry's ids is
 * what the audit should show, GB/T 22239-2019 8.1.4.3), then "not found". An id that matches
 * nothing, or is not a number, is only "not found" (never a 500 from the database's cast).
 */
export async function refuseOutsideRegistry(db: Db, actor: Actor, entityType: string, table: RegistryTable, id: string, ip?: string | null): Promise<never> {
  const exists = actor !== null && validRecordId(id)
    && (await db.selectFrom(table as 'users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  return refuseRecord(db, actor, entityType, id, exists, ip)
}
