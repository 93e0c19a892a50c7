// The administrator's list of the county's towns and streets (乡镇、街道): add one with its official
// division code, rename one, retire one (no longer offered; the records that have it keep it) or
// restore it. Plain forms: works without JavaScript.
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { addTown, listTowns, renameTown, setTownRetired, TownFieldError } from '#app/residence/towns.server.ts'
import { addTownSchema, renameTownSchema, retireTownSchema, TOWN_KINDS } from '#app/residence/schemas.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { FormErrors, Notice, SelectField, SubmitButton, TextField } from '#app/components/forms.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  return { towns: await listTowns(context.db, user.registryCode), county: user.registryCode }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const actor = actorOf(user)
  if (intent === 'add') {
    const submission = parseWithZod(formData, { schema: addTownSchema })
    if (submission.status !== 'success') return data({ intent, id: null, ok: false as const, reply: submission.reply() }, { status: 400 })
    try {
      await addTown(context.db, actor, submission.value)
    } catch (error) {
      if (error instanceof TownFieldError) {
        const params = Object.entries(error.params).map(([k, v]) => `|${k}=${v}`).join('')
        return data({ intent, id: null, ok: false as const, reply: submission.reply({ fieldErrors: { [error.field]: [`${error.messageKey}${params}`] } }) }, { status: 400 })
      }
      throw error
    }
    return redirect('/admin/towns?done=added')
  }
  const id = String(formData.get('id') ?? '')
  const result = intent === 'rename'
    ? await runForm(formData, intent, renameTownSchema, (v) => renameTown(context.db, actor, v.id, v.version, v.name))
    : intent === 'retire' || intent === 'restore'
      ? await runForm(formData, intent, retireTownSchema, (v) => setTownRetired(context.db, actor, v.id, v.version, intent === 'retire' ? todayInShanghai() : null))
      : null
  if (!result) return data({ intent, id, ok: false as const, reply: { status: 'error' as const, error: { '': ['validation.invalid'] } } }, { status: 400 })
  if (result.ok) return redirect(`/admin/towns?done=${intent === 'rename' ? 'renamed' : intent === 'retire' ? 'retired' : 'restored'}`)
  return data({ ...result, id }, { status: 400 })
}

const doneKeys: Record<string, MessageKey> = { added: 'towns.added', renamed: 'towns.renamed', retired: 'towns.retiredDone', restored: 'towns.restored' }

export default function Towns() {
  const { towns, county } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, tError, date } = useI18n()
  const formId = `town-new-${towns.length}`
  const [form, fields] = useForm({
    id: formId,
    lastResult: result?.intent === 'add' ? result.reply : undefined,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addTownSchema }),
  })
  const done = doneKeys[params.get('done') ?? '']
  const rowErrors = (id: string) => (result && !result.ok && result.intent !== 'add' && result.id === id
    ? Object.values((result.reply as { error?: Record<string, string[] | null> }).error ?? {}).flat().filter((e): e is string => Boolean(e))
    : [])
  return (
    <section className="towns-page">
      <h1>{t('towns.title')} <span className="mono hint">{county}</span></h1>
      {done ? <Notice kind="success">{t(done)}</Notice> : null}
      <p className="lead">{t('towns.lead')}</p>
      <DataTable label={t('towns.title')} empty={towns.length === 0}
        columns={[t('towns.col.code'), t('towns.col.name'), t('towns.col.kind'), t('towns.col.state'), t('towns.col.actions')]}>
        {towns.map((town) => {
          const errors = rowErrors(town.id)
          return (
            <tr key={town.id} className={town.retiredOn ? 'inactive' : undefined}>
              <td className="mono nowrap">{town.code}</td>
              <td>{town.name}</td>
              <td>{t(`towns.kind.${town.kind}` as MessageKey)}</td>
              <td>{town.retiredOn ? <span className="badge muted">{t('towns.retiredOn', { date: date(town.retiredOn) })}</span> : <span className="badge ok">{t('towns.inUse')}</span>}</td>
              <td>
                <div className="row-actions">
                  {town.retiredOn ? null : (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="id" value={town.id} />
                      <input type="hidden" name="version" value={town.version} />
                      <label className="sr-only" htmlFor={`rename-${town.id}`}>{t('towns.newName')}（{town.name}）</label>
                      <input id={`rename-${town.id}`} name="name" defaultValue={town.name} maxLength={40} aria-invalid={errors.length ? true : undefined}
                        aria-describedby={errors.length ? `town-${town.id}-error` : undefined} className="small-input" />
                      <SubmitButton name="intent" value="rename" variant="secondary">{t('towns.rename')}</SubmitButton>
                    </Form>
                  )}
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="id" value={town.id} />
                    <input type="hidden" name="version" value={town.version} />
                    <SubmitButton name="intent" value={town.retiredOn ? 'restore' : 'retire'} variant="secondary">
                      {t(town.retiredOn ? 'towns.restore' : 'towns.retire')}<span className="sr-only"> {town.name}</span>
                    </SubmitButton>
                  </Form>
                </div>
                {errors.length ? <p className="field-error" id={`town-${town.id}-error`} role="alert">{errors.map((e) => tError(e)).join(' ')}</p> : null}
              </td>
            </tr>
          )
        })}
      </DataTable>

      <h2 id="new-town">{t('towns.add')}</h2>
      <Form method="post" key={formId} className="town-form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="add" />
        <div className="form-grid">
          <TextField meta={fields.code} label="towns.col.code" autoComplete="off" />
          <TextField meta={fields.name} label="towns.col.name" />
          <SelectField meta={fields.kind} label="towns.col.kind" options={[{ value: '', label: t('form.choose') }, ...TOWN_KINDS.map((k) => ({ value: k, label: t(`towns.kind.${k}` as MessageKey) }))]} />
        </div>
        <SubmitButton>{t('towns.add')}</SubmitButton>
      </Form>
    </section>
  )
}
