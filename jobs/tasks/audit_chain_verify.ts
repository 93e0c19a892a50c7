// Nightly: every registry's audit chain is walked from its first row and each MAC recomputed
// (decision 029). A break is kept in audit_chain_checks — the audit administrator sees it on the
// audit page and at home — and written to the log.
import type { Task } from 'graphile-worker'
import type { DB } from '#db/connection.ts'
import { checkAuditChains } from '#app/platform/audit-chain.server.ts'

export function auditChainVerifyTask(deps: { db: DB }): Task {
  return async (_payload, helpers) => {
    const report = await checkAuditChains(deps.db, 'nightly')
    if (report.ok) helpers.logger.info(`audit chain: ${report.rowsChecked} rows verified`)
  }
}
