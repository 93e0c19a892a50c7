// The saved column mappings of historical imports: an administrator reviews and removes them.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { deleteMapping, listMappings } from '#app/import/mappings.server.ts'
import { FormErrors, Notice, SubmitButton } from '#app/components/forms.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'import.mappings')
  return { mappings: await listMappings(context.db, user.registryCode) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'import.mappings')
  const result = await runForm(await request.formData(), 'delete', z.object({ id: z.string().regex(/^\d{1,18}$/) }), (v) => deleteMapping(context.db, viewerOf(user), v.id))
  return data(result, { status: result.ok ? 200 : 400 })
}

export default function ImportMappings() {
  const { mappings } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, dateTime } = useI18n()
  return (
    <section>
      <h1>{t('import.mappings.title')}</h1>
      <p className="lead">{t('import.mappings.intro')}</p>
      {result?.ok ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <FormErrors errors={result && !result.ok ? result.reply.error?.[''] ?? [] : []} />
      <DataTable label={t('import.mappings.title')} empty={mappings.length === 0}
        columns={[t('import.mappings.headers'), t('import.mappings.fields'), t('import.mappings.updated'), '']}>
        {mappings.map((m) => (
          <tr key={m.id}>
            <td>{m.headers.join(' | ')}</td>
            <td>{m.fields.map((f) => `${t(`import.field.${f.field}` as MessageKey)} ← ${f.header}`).join('；')}</td>
            <td className="nowrap">{dateTime(m.updatedAt)}<div className="hint">{m.updatedBy}</div></td>
            <td>
              <Form method="post">
                <input type="hidden" name="id" value={m.id} />
                <SubmitButton variant="danger">{t('import.mappings.delete')}</SubmitButton>
              </Form>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}
