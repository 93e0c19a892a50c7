// The holiday calendar (节假日日历): the administrator lists a year, adds or removes days off and
// adjusted working days, or imports a year's JSON in the shipped format; a warning shows when the
// calendar does not reach 60 days ahead. The national arrangement is changed only with
// deployment.manage; a registry's administrator keeps only its own local days (decision 030).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { text } from '#app/platform/text.ts'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { ProcedureError } from '#app/platform/http.server.ts'
import { addCalendarDay, calendarCoverage, calendarYear, calendarYears, importCalendarYear, localScope, nationalScope, removeCalendarDay } from '#app/platform/calendar-admin.server.ts'
import { can } from '#app/platform/permissions.ts'
import { isoDate } from '#app/registration/schemas.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { FormErrors, Notice, SubmitButton } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const today = todayInShanghai()
  const years = await calendarYears(context.db)
  const asked = Number(new URL(request.url).searchParams.get('year'))
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : Number(today.slice(0, 4))
  return {
    year, years: [...new Set([...years, year, year + 1])].sort(), days: await calendarYear(context.db, user.registryCode, year),
    coverage: await calendarCoverage(context.db, today), national: can(user.roles, 'deployment.manage'),
  }
}

const addSchema = z.object({
  day: isoDate,
  kind: z.enum(['holiday', 'workday'], { error: 'validation.chooseOne' }),
  name: text(40),
})
const removeSchema = z.object({ day: isoDate, scope: z.enum(['national', 'local']).default('local') })
const scopeField = z.object({ scope: z.enum(['national', 'local'], { error: 'validation.chooseOne' }).default('local') })

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const actor = actorOf(user)
  // The local scope is always the user's own registry; the national one needs deployment.manage.
  const scopeOf = (scope: 'national' | 'local') => {
    if (scope === 'local') return localScope(user.registryCode)
    if (!can(user.roles, 'deployment.manage')) throw new ProcedureError('calendar.error.nationalOnly')
    return nationalScope
  }
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  let imported: { year: number; holidays: number; workdays: number } | null = null
  const result = intent === 'remove'
    ? await runForm(formData, intent, removeSchema, (v) => removeCalendarDay(context.db, actor, scopeOf(v.scope), v.day))
    : intent === 'import'
    ? await runForm(formData, intent, z.object({}), async () => {
        const file = formData.get('file')
        if (!file || typeof file === 'string' || file.size === 0) throw new ProcedureError('rootseeking.upload.required')
        scopeOf('national')
        if (file.size > 256 * 1024) throw new ProcedureError('calendar.error.format', { detail: '> 256 KB' })
        imported = await importCalendarYear(context.db, actor, await file.text())
      })
    : await runForm(formData, 'add', addSchema.extend(scopeField.shape), ({ scope, ...v }) => addCalendarDay(context.db, actor, scopeOf(scope), v))
  return data({ ...result, imported: imported as { year: number; holidays: number; workdays: number } | null }, { status: result.ok ? 200 : 400 })
}

export default function AdminCalendar() {
  const { year, years, days, coverage, national } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, tError, date, locale } = useI18n()
  const mine = (intent: string) => (result && !result.ok && result.intent === intent ? result.reply : null)
  const fieldError = (intent: string, field: string) => (mine(intent)?.error?.[field] ?? []).map((e) => tError(e)).join(' ')
  const weekdayOf = (iso: string) => new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`))
  return (
    <section>
      <h1>{t('calendar.title')}</h1>
      <p className="lead">{t('calendar.lead')}</p>
      <p className="hint">{t('calendar.scopeHint')}</p>
      {coverage.until === null ? <Notice kind="error">{t('calendar.empty')}</Notice>
        : coverage.short ? <Notice kind="warning">{t('calendar.short', { until: date(coverage.until) })}</Notice>
        : <p className="hint">{t('calendar.coverage', { until: date(coverage.until) })}</p>}
      {result?.ok && result.imported ? <Notice kind="success">{t('calendar.import.done', result.imported)}</Notice>
        : result?.ok ? <Notice kind="success">{t(result.intent === 'remove' ? 'calendar.removed' : 'common.saved')}</Notice> : null}
      <p className="filters">
        {t('calendar.year')}：{years.map((y, i) => <span key={y}>{i ? ' · ' : ''}<Link to={`?year=${y}`} aria-current={y === year ? 'page' : undefined}>{y}</Link></span>)}
      </p>
      <div className="case-grid">
      <div className="case-main">
      <FormErrors errors={mine('remove')?.error?.[''] ?? []} />
      <DataTable label={`${t('calendar.title')} ${year}`} empty={days.length === 0} columns={[t('calendar.day'), t('calendar.kind'), t('calendar.name'), t('calendar.scope'), '']}>
        {days.map((d) => (
          <tr key={`${d.local ? 'local' : 'national'}:${d.day}`}>
            <td className="nowrap">{date(d.day)} <span className="hint">{weekdayOf(d.day)}</span></td>
            <td><span className={`badge ${d.kind === 'holiday' ? 'ok' : 'warn'}`}>{t(`calendar.kind.${d.kind}` as MessageKey)}</span></td>
            <td>{d.name}</td>
            <td>{t(d.local ? 'calendar.scope.localShort' : 'calendar.scope.nationalShort')}</td>
            <td>
              {d.local || national ? (
                <Form method="post">
                  <input type="hidden" name="day" value={d.day} />
                  <input type="hidden" name="scope" value={d.local ? 'local' : 'national'} />
                  <button type="submit" name="intent" value="remove" className="link-button" aria-label={`${t('calendar.remove')} ${d.day} ${t(d.local ? 'calendar.scope.localShort' : 'calendar.scope.nationalShort')}`}>{t('calendar.remove')}</button>
                </Form>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      <p className="hint">{t('calendar.days', { count: days.length })}</p>
      </div>
      <aside className="case-side">
        <Form method="post" className="step-form panel">
          <h2>{t('calendar.add')}</h2>
          <FormErrors errors={mine('add')?.error?.[''] ?? []} />
          <div className="field">
            <label htmlFor="add-day">{t('calendar.day')}</label>
            <input id="add-day" name="day" type="date" aria-describedby="add-day-error" />
            <p className="field-error" id="add-day-error">{fieldError('add', 'day')}</p>
          </div>
          {national ? (
            <fieldset className="field radio-group">
              <legend>{t('calendar.scope')}</legend>
              <label className="checkbox"><input type="radio" name="scope" value="local" defaultChecked />{t('calendar.scope.local')}</label>
              <label className="checkbox"><input type="radio" name="scope" value="national" />{t('calendar.scope.national')}</label>
            </fieldset>
          ) : <input type="hidden" name="scope" value="local" />}
          <fieldset className="field radio-group">
            <legend>{t('calendar.kind')}</legend>
            <label className="checkbox"><input type="radio" name="kind" value="holiday" defaultChecked />{t('calendar.kind.holiday')}</label>
            <label className="checkbox"><input type="radio" name="kind" value="workday" />{t('calendar.kind.workday')}</label>
          </fieldset>
          <div className="field">
            <label htmlFor="add-name">{t('calendar.name')}</label>
            <input id="add-name" name="name" type="text" maxLength={40} aria-describedby="add-name-error" />
            <p className="field-error" id="add-name-error">{fieldError('add', 'name')}</p>
          </div>
          <SubmitButton name="intent" value="add">{t('calendar.add')}</SubmitButton>
        </Form>
        {national ? (
        <Form method="post" encType="multipart/form-data" className="step-form panel">
          <h2>{t('calendar.import')}</h2>
          <p className="hint">{t('calendar.import.hint')}</p>
          <FormErrors errors={mine('import')?.error?.[''] ?? []} />
          <div className="field">
            <label htmlFor="import-file">{t('calendar.import.file')}</label>
            <input id="import-file" name="file" type="file" accept="application/json,.json" />
          </div>
          <SubmitButton name="intent" value="import">{t('calendar.import')}</SubmitButton>
        </Form>
        ) : null}
      </aside>
      </div>
    </section>
  )
}
