// The export action of a register page: the page's filter (posted as hidden fields) and the
// chosen format go to the export job; a refused filter comes back to be shown next to its fields.
import { data, redirect } from '@remix-run/node'
import type { AppContext } from '#app/platform/context.server.ts'
import type { CurrentUser } from '#app/platform/guard.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { exportOrErrors, limitsOf } from './exports.server.ts'

export async function exportFromPage(context: AppContext, user: CurrentUser, ledger: string, form: FormData) {
  const { format, intent: _intent, ...params } = Object.fromEntries(form)
  const result = await exportOrErrors(context.db, viewerOf(user), { ledger, params, format: format === 'csv' ? 'csv' : 'xlsx', locale: user.locale }, limitsOf(context.env))
  return 'id' in result ? redirect(`/ledgers/exports/${result.id}`) : data(result, { status: 400 })
}
