// Staff record a root-seeking request received by letter or e-mail.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { ProcedureError } from '#app/platform/http.server.ts'
import { readRequestForm } from '#app/rootseeking/intake.server.ts'
import { submitRequest } from '#app/rootseeking/requests.server.ts'
import { RequestForm } from '#app/rootseeking/components/request-form.tsx'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { useI18n } from '#app/components/i18n.tsx'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, 'rootseeking.write')
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'rootseeking.write')
  const today = todayInShanghai()
  const intake = await readRequestForm(await request.formData(), today, 'mail')
  if (!intake.ok) return data(intake.reply, { status: 400 })
  try {
    const { id } = await submitRequest(context.db, context.cipher, viewerOf(user), user.registryCode, intake.submission, { today, publicUrl: context.env.PUBLIC_URL, ip: context.ip })
    return redirect(`/rootseeking/${id}`)
  } catch (error) {
    if (error instanceof ProcedureError) {
      const params = Object.entries(error.params).map(([k, v]) => `|${k}=${v}`).join('')
      return data(intake.reply([`${error.messageKey}${params}`]), { status: 400 })
    }
    throw error
  }
}

export default function NewRootSeekingRequest() {
  const lastResult = useActionData<typeof action>()
  const { t } = useI18n()
  return (
    <section>
      <h1>{t('rootseeking.new')}</h1>
      <p className="lead">{t('rootseeking.new.lead')}</p>
      <RequestForm mode="staff" lastResult={lastResult} defaultLanguage="en" />
    </section>
  )
}
