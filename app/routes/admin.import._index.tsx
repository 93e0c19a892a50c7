// Historical imports: upload a ledger (streamed into a staged blob), and the imports so far.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { ProcedureError } from '#app/platform/http.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { withUploadForm } from '#app/platform/uploads.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { IMPORT_MAX_BYTES, listBatches, uploadLedger } from '#app/import/batches.server.ts'
import { FormErrors, SubmitButton } from '#app/components/forms.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'import.run')
  return { batches: await listBatches(context.db, viewerOf(user)) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'import.run')
  let created: string | null = null
  const result = await withUploadForm(request, context.db, context.cipher, { fileFields: ['ledger'], maxBytes: IMPORT_MAX_BYTES }, ({ formData, uploads, tooLarge }) =>
    runForm(formData, 'upload', z.object({}), async () => {
      if (tooLarge.has('ledger')) throw new ProcedureError('import.file.tooLarge', { mb: IMPORT_MAX_BYTES / 1024 / 1024 })
      const staged = uploads.get('ledger')
      if (!staged || staged.blob.size === 0) throw new ProcedureError('import.file.required')
      created = await uploadLedger(context.db, context.cipher, viewerOf(user), staged)
    }))
  if (result.ok && created) return redirect(`/admin/import/${created}`)
  return data(result, { status: 400 })
}

export default function Imports() {
  const { batches } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, dateTime } = useI18n()
  const errors = result && !result.ok ? result.reply.error?.[''] ?? [] : []
  return (
    <section>
      <h1>{t('import.title')}</h1>
      <p className="lead">{t('import.intro')}</p>
      <section className="panel">
        <h2>{t('import.upload.title')}</h2>
        <Form method="post" encType="multipart/form-data" className="step-form">
          <FormErrors errors={errors} />
          <div className="field">
            <label htmlFor="ledger">{t('import.upload.file')}</label>
            <input id="ledger" name="ledger" type="file" accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" required aria-describedby="ledger-hint" />
            <p className="hint" id="ledger-hint">{t('import.upload.hint')}</p>
          </div>
          <SubmitButton>{t('import.upload.submit')}</SubmitButton>
        </Form>
      </section>
      <section className="panel">
        <h2>{t('import.batches.title')}</h2>
        <DataTable
          label={t('import.batches.title')}
          empty={batches.length === 0}
          columns={[t('import.batches.file'), t('import.batches.state'), t('import.batches.rows'), t('import.batches.created'), t('import.batches.invalid'), t('import.batches.by'), t('import.batches.at')]}
        >
          {batches.map((b) => (
            <tr key={b.id}>
              <td><Link to={`/admin/import/${b.id}`}>{b.filename}</Link></td>
              <td>{t(`import.state.${b.state}` as MessageKey)}</td>
              <td className="num">{b.totalRows}</td>
              <td className="num">{b.createdRows}</td>
              <td className="num">{b.invalidRows}</td>
              <td>{b.createdBy}</td>
              <td className="nowrap">{dateTime(b.createdAt)}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </section>
  )
}
