// The supervisor's view of every follow-up task: filter by caseworker, due month and status, and
// assign or reassign the ticked tasks to a caseworker in one step (a plain form: works without JS).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { logRegisterView } from '#app/platform/record-access.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { assignTasks, caseworkers, listTasks, taskSort, type TaskFilter } from '#app/followup/assign.server.ts'
import { effectiveSort, parseSortParams } from '#app/ledgers/sorting.ts'
import { SortError, SortFields, useSortHeadings } from '#app/components/sort-header.tsx'
import { listTowns, townFilterValid } from '#app/residence/towns.server.ts'
import { TownFilter } from '#app/residence/components/town-filter.tsx'
import { FormErrors, Notice, SubmitButton } from '#app/components/forms.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { Pager } from '#app/components/pager.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { TaskBadge } from '#app/followup/components/labels.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { ExportForm } from '#app/ledgers/components/export-form.tsx'
import { exportOrErrors, limitsOf } from '#app/ledgers/exports.server.ts'

const STATUSES = ['open', 'overdue', 'done', 'cancelled'] as const

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'followup.supervise')
  await logRegisterView(context.db, viewerOf(user), 'followup_tasks', request.url, context.ip)
  const p = new URL(request.url).searchParams
  const today = todayInShanghai()
  const filter: TaskFilter = {
    caseworker: p.get('caseworker') || undefined,
    month: p.get('month') || undefined,
    status: (STATUSES as readonly string[]).includes(p.get('status') ?? '') ? p.get('status') as TaskFilter['status'] : 'open',
    kind: p.get('kind') === 'visit' || p.get('kind') === 'post_placement_report' ? p.get('kind') as TaskFilter['kind'] : undefined,
  }
  const sorting = parseSortParams(taskSort, Object.fromEntries(p))
  Object.assign(filter, sorting.params)
  const towns = await listTowns(context.db, user.registryCode)
  const errors: Partial<Record<string, 'ledger.filter.notInList'>> = { ...sorting.errors }
  const town = p.get('town') || undefined
  if (townFilterValid(towns, town)) filter.town = town
  else errors.town = 'ledger.filter.notInList'
  const [list, staff] = await Promise.all([listTasks(context.db, viewerOf(user), filter, today), caseworkers(context.db, user.registryCode)])
  return { ...list, staff, towns, filter, today, sortErrors: errors, sort: effectiveSort(taskSort, filter), sortColumns: taskSort.columns }
}

const assignSchema = z.object({
  task: z.array(z.string().regex(/^\d{1,18}:\d{1,9}$/), { error: 'followup.assign.noneSelected' }).min(1, 'followup.assign.noneSelected'),
  caseworkerId: z.string({ error: 'validation.chooseOne' }).min(1, 'validation.chooseOne'),
})

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'followup.supervise')
  const formData = await request.formData()
  if (formData.get('intent') === 'export') {
    const { intent: _intent, format, ...params } = Object.fromEntries(formData)
    const exported = await exportOrErrors(context.db, viewerOf(user), { ledger: 'followup_tasks', params, format: format === 'csv' ? 'csv' : 'xlsx', locale: user.locale }, limitsOf(context.env))
    if ('id' in exported) return redirect(`/ledgers/exports/${exported.id}`)
    return data({ intent: 'export', ok: false as const, reply: { error: { '': Object.values(exported.errors) } as Record<string, string[] | null> } }, { status: 400 })
  }
  const result = await runForm(formData, 'assign', assignSchema, (v) => assignTasks(context.db, viewerOf(user),
    v.task.map((t) => { const [id, version] = t.split(':'); return { id, version: Number(version) } }),
    v.caseworkerId === 'none' ? null : v.caseworkerId))
  return data(result, { status: result.ok ? 200 : 400 })
}

export default function FollowupTasks() {
  const { rows, next, staff, towns, filter, today, sortErrors, sort, sortColumns } = useLoaderData<typeof loader>()
  const heading = useSortHeadings(sort, sortColumns)
  const result = useActionData<typeof action>()
  const { t, tError, date } = useI18n()
  const errors = result && !result.ok ? result.reply.error ?? {} : {}
  return (
    <section>
      <div className="page-head">
        <h1>{t('followup.assign.title')}</h1>
        <div className="actions">
          <Link className="button secondary" to="/followup/reviews">{t('followup.reviews.title')}</Link>
          <Link className="button secondary" to="/followup/intercountry">{t('followup.ic.title')}</Link>
        </div>
      </div>
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="f-caseworker">{t('followup.caseworker')}</label>
          <select id="f-caseworker" name="caseworker" defaultValue={filter.caseworker ?? ''}>
            <option value="">{t('common.all')}</option>
            <option value="none">{t('followup.unassigned')}</option>
            {staff.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-month">{t('followup.filter.month')}</label>
          <input id="f-month" name="month" type="month" defaultValue={filter.month ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="f-status">{t('followup.filter.status')}</label>
          <select id="f-status" name="status" defaultValue={filter.status}>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`followup.status.${s}` as MessageKey)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-kind">{t('followup.filter.kind')}</label>
          <select id="f-kind" name="kind" defaultValue={filter.kind ?? ''}>
            <option value="">{t('common.all')}</option>
            <option value="visit">{t('followup.kind.visit')}</option>
            <option value="post_placement_report">{t('followup.kind.post_placement_report')}</option>
          </select>
        </div>
        <TownFilter towns={towns} value={filter.town} error={sortErrors.town && t(sortErrors.town)} />
        <SortFields sort={filter.sort} dir={filter.dir} />
        <div className="filter-actions"><button type="submit" className="button primary">{t('action.filter')}</button></div>
      </Form>
      <ExportForm filter={{ caseworker: filter.caseworker, month: filter.month, status: filter.status, kind: filter.kind, town: filter.town, sort: filter.sort, dir: filter.dir }} />
      <SortError errors={sortErrors} />
      {result?.ok ? <Notice kind="success">{t('followup.assign.done')}</Notice> : null}
      <Form method="post">
        <FormErrors errors={result && !result.ok ? [...(errors[''] ?? []), ...(errors.task ?? [])] : []} />
        <div className="inline-form bulk-assign">
          <div className="field">
            <label htmlFor="bulk-to">{t('followup.assign.to')}</label>
            <select id="bulk-to" name="caseworkerId" defaultValue="" aria-describedby="bulk-to-error">
              <option value="">{t('form.choose')}</option>
              <option value="none">{t('followup.unassign')}</option>
              {staff.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
            <p className="field-error" id="bulk-to-error">{errors.caseworkerId?.length ? tError(errors.caseworkerId[0]) : ''}</p>
          </div>
          <SubmitButton>{t('followup.assign.selected')}</SubmitButton>
        </div>
        <DataTable label={t('followup.assign.title')} empty={rows.length === 0} columns={[t('followup.col.select'), heading('due', t('followup.col.due')), heading('case', t('followup.col.case')), t('followup.col.kind'), heading('caseworker', t('followup.caseworker')), t('followup.col.status')]}>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.status === 'open' ? <input type="checkbox" name="task" value={`${r.id}:${r.version}`} aria-label={t('followup.col.selectOne', { id: r.id })} className="tap-check" /> : null}</td>
              <td className="nowrap">{date(r.dueOn)}<div className="hint">{date(r.windowFrom)} – {date(r.windowTo)}</div></td>
              <td><Link to={`/followup/tasks/${r.id}`} className="mono">{r.registrationNumber ?? `#${r.id}`}</Link>{r.town ? <div className="hint">{r.town}</div> : null}</td>
              <td>{t(`followup.kind.${r.kind}` as MessageKey)} {t('followup.sequence', { n: r.sequence })}</td>
              <td>{r.caseworkerName ?? <span className="badge warn">{t('followup.unassigned')}</span>}</td>
              <td><TaskBadge status={r.status} windowTo={r.windowTo} today={today} />{r.cancelReason ? <div className="hint">{t(`followup.cancel.${r.cancelReason}` as MessageKey)}</div> : null}</td>
            </tr>
          ))}
        </DataTable>
      </Form>
      <Pager param="after" next={next} />
    </section>
  )
}
