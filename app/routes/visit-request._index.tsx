// The public page where a family abroad asks for a root-seeking visit (no login; English and
// Chinese through the language switch). Limits: body size, submissions per address per hour.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { requestLocale } from '#app/platform/i18n/locale.server.ts'
import { defaultLocale, isLocale, translate } from '#app/platform/i18n/index.ts'
import { publicSubmit } from '#app/rootseeking/public.server.ts'
import { PUBLIC_MAX_BYTES } from '#app/rootseeking/schemas.ts'
import { RequestForm } from '#app/rootseeking/components/request-form.tsx'
import { Notice } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export const meta: MetaFunction = ({ matches }) => {
  const rootData = matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined
  const locale = isLocale(rootData?.locale) ? rootData.locale : defaultLocale
  return [{ title: `${translate(locale, 'public.title')} — ${translate(locale, 'app.name')}` }, { name: 'description', content: translate(locale, 'public.lead') }]
}

export async function loader({ request }: LoaderFunctionArgs) {
  return { locale: await requestLocale(request) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { result, status } = await publicSubmit(context, request)
  return data(result, { status })
}

export default function VisitRequest() {
  const { locale } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useI18n()
  const done = result && 'done' in result ? result.done : null
  return (
    <section className="public-page">
      <h1>{t('public.title')}</h1>
      {done ? (
        <div className="panel">
          <h2>{t('public.submitted.title')}</h2>
          <Notice kind="success">{t('public.submitted.body', { reference: done.reference, email: done.email })}</Notice>
          <p className="mono reference">{done.reference}</p>
          <p><Link to="/visit-request/status">{t('public.statusLink')}</Link></p>
        </div>
      ) : (
        <>
          <p className="lead">{t('public.lead')}</p>
          <p className="hint">{t('public.privacy')} <Link to="/visit-request/status">{t('public.statusLink')}</Link></p>
          {result && 'refused' in result ? (
            <Notice kind="error">{result.refused === 'tooMany' ? t('public.tooMany') : t('public.tooLarge', { max: PUBLIC_MAX_BYTES / 1024 / 1024 })}</Notice>
          ) : null}
          {result && 'reply' in result ? <Notice kind="error">{t('public.form.error')}</Notice> : null}
          <RequestForm key={locale} mode="public" lastResult={result && 'reply' in result ? result.reply : null} defaultLanguage={locale} />
        </>
      )}
    </section>
  )
}
