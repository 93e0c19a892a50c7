import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { currentInstrument, listInstruments, publishInstrument } from '#app/assessment/instruments.server.ts'
import { instrumentSchema, type InstrumentDefinition } from '#app/assessment/instrument.ts'
import { Notice, SubmitButton } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

const MAX_DEFINITION_CHARS = 500_000

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const current = await currentInstrument(context.db, user.registryCode)
  const versions = await listInstruments(context.db, user.registryCode)
  // The database (jsonb) keeps keys in its own order; parsing again restores the schema's order.
  const parsed = instrumentSchema.safeParse(current.definition)
  const definition = parsed.success ? parsed.data : current.definition
  return {
    versions,
    current: { version: current.version, definition },
    json: JSON.stringify(definition, null, 2),
  }
}

/** "dimensions[2].maxScore" from ['dimensions', 2, 'maxScore']. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '')
}

type Checked =
  | { ok: true; definition: InstrumentDefinition }
  | { ok: false; message: MessageKey; params?: Record<string, string | number> }

/** A submitted definition, parsed and validated; otherwise the first problem, where it is and what is wrong. */
function check(text: string): Checked {
  if (!text.trim()) return { ok: false, message: 'validation.required' }
  if (text.length > MAX_DEFINITION_CHARS) return { ok: false, message: 'validation.tooLong', params: { max: MAX_DEFINITION_CHARS } }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return { ok: false, message: 'instruments.invalid', params: { problem: `JSON: ${(error as Error).message}` } }
  }
  const result = instrumentSchema.safeParse(parsed)
  if (result.success) return { ok: true, definition: result.data }
  const issue = result.error.issues[0]
  const where = formatPath(issue.path)
  return { ok: false, message: 'instruments.invalid', params: { problem: where ? `${where}: ${issue.message}` : issue.message } }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const formData = await request.formData()
  const text = String(formData.get('definition') ?? '')
  const checked = check(text)
  if (!checked.ok) return data({ message: checked.message, params: checked.params, definition: text }, { status: 400 })
  const version = await publishInstrument(context.db, actorOf(user), checked.definition)
  return redirect(`/admin/instruments?published=${version}`)
}

export default function Instruments() {
  const { versions, current, json } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, dateTime, locale } = useI18n()
  const def = current.definition
  const published = params.get('published')
  const scored = def.dimensions.reduce((sum, d) => sum + (d.maxScore ?? 0), 0)
  return (
    <section className="instruments-page">
      <h1>{t('instruments.title')}</h1>
      {published ? <Notice kind="success">{t('instruments.published', { version: published })}</Notice> : null}
      <p className="lead">{t('instruments.lead')}</p>

      <h2>
        {t('instruments.currentTitle', { title: def.title[locale] })} <span className="badge ok">{t('instruments.currentVersion', { version: current.version })}</span>
      </h2>
      <p className="instrument-scale">
        {def.scale ? t('instruments.scale', { max: def.scale.max, pass: def.scale.pass }) : t('instruments.noScale')}
      </p>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('instruments.current')}>
        <table className="data-table dimensions-table">
          <thead>
            <tr>
              <th scope="col" className="num">#</th>
              <th scope="col">{t('instruments.dim.title')}</th>
              <th scope="col">{t('instruments.dim.code')}</th>
              <th scope="col" className="num">{t('instruments.dim.maxScore')}</th>
              <th scope="col" className="num">{t('instruments.dim.questions')}</th>
              <th scope="col">{t('instruments.dim.vetoes')}</th>
            </tr>
          </thead>
          <tbody>
            {def.dimensions.map((d, i) => (
              <tr key={d.code}>
                <td className="num">{i + 1}</td>
                <td>{d.title[locale]}</td>
                <td className="mono hint">{d.code}</td>
                <td className="num">{d.maxScore ?? '—'}</td>
                <td className="num">{d.questions.length}</td>
                <td>
                  {d.vetoItems.length ? (
                    <ul className="veto-list">
                      {d.vetoItems.map((v) => <li key={v.code}>{v[locale]}</li>)}
                    </ul>
                  ) : <span className="hint">{t('common.none')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
          {def.scale ? (
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>{t('instruments.dim.total')}</th>
                <td className="num">{scored}</td>
                <td className="num">{def.dimensions.reduce((n, d) => n + d.questions.length, 0)}</td>
                <td>{def.dimensions.reduce((n, d) => n + d.vetoItems.length, 0)}</td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
      <details className="must-report">
        <summary>{t('instruments.mustReport', { count: def.mustReport.length })}</summary>
        <ul>
          {def.mustReport.map((m) => (
            <li key={m.code}>
              {m[locale]}
              {m.police ? <> <span className="badge danger">{t('instruments.police')}</span></> : null}
            </li>
          ))}
        </ul>
      </details>

      <h2>{t('instruments.versions')}</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('instruments.versions')}>
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">{t('instruments.col.version')}</th>
              <th scope="col">{t('instruments.col.title')}</th>
              <th scope="col">{t('instruments.col.published')}</th>
              <th scope="col">{t('instruments.col.by')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td className="nowrap">
                  {v.version}
                  {v.version === current.version ? <> <span className="badge ok">{t('instruments.currentBadge')}</span></> : null}
                </td>
                <td>{v.title}</td>
                <td className="nowrap">{dateTime(v.publishedAt)}</td>
                <td>{v.publishedBy ?? <span className="hint">{t('instruments.bySystem')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="publish">{t('instruments.publish')}</h2>
      <Form method="post" key={current.version} aria-labelledby="publish" noValidate>
        <div className="field">
          <label htmlFor="definition">{t('instruments.definition')}</label>
          <p className="hint" id="definition-hint">{t('instruments.hint')}</p>
          <textarea
            id="definition"
            name="definition"
            className="json-editor mono"
            rows={24}
            spellCheck={false}
            defaultValue={result?.definition ?? json}
            aria-invalid={result ? true : undefined}
            aria-describedby={result ? 'definition-hint definition-error' : 'definition-hint'}
          />
          <p className="field-error" id="definition-error" aria-live="polite">
            {result ? t(result.message, result.params) : ''}
          </p>
        </div>
        <SubmitButton pendingLabel="action.saving">{t('instruments.publish')}</SubmitButton>
      </Form>
    </section>
  )
}
