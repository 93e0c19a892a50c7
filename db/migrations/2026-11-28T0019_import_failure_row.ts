// Historical import (issue 9): where a failed import stopped — the first ledger row of the chunk
// whose transaction failed, shown on the batch's page. Decision: docs/decisions/012-historical-import.md.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The first ledger row of the chunk whose transaction failed (nothing of that chunk was written).
  await db.schema.alterTable('import_batches').addColumn('failure_row', 'integer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_batches').dropColumn('failure_row').execute()
}
