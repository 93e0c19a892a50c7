// The status of a root-seeking request, for the family: shown only when the reference and the
// e-mail given with it both match; one neutral answer otherwise. Rate-limited per address.
import { data, type ActionFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { getFormProps, useForm } from '@conform-to/react'
import { defaultLocale, isLocale, translate, type MessageKey } from '#app/platform/i18n/index.ts'
import { publicStatusLookup } from '#app/rootseeking/public.server.ts'
import { bothTimes, chinaInstant } from '#app/rootseeking/mail.ts'
import { FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export const meta: MetaFunction = ({ matches }) => {
  const rootData = matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined
  const locale = isLocale(rootData?.locale) ? rootData.locale : defaultLocale
  return [{ title: `${translate(locale, 'public.status.title')} — ${translate(locale, 'app.name')}` }]
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { result, status } = await publicStatusLookup(context, request)
  return data(result, { status })
}

export default function VisitRequestStatus() {
  const result = useActionData<typeof action>()
  const { t, date, locale } = useI18n()
  const [form, fields] = useForm<{ reference: string; email: string }>({ id: 'status', lastResult: result && 'reply' in result ? result.reply : null })
  const found = result && 'status' in result ? result.status : null
  return (
    <section className="public-page narrow">
      <p><Link to="/visit-request">← {t('public.title')}</Link></p>
      <h1>{t('public.status.title')}</h1>
      <p className="lead">{t('public.status.lead')}</p>
      <Form method="post" {...getFormProps(form)} className="step-form panel">
        <FormErrors errors={form.errors} />
        <TextField meta={fields.reference} label="public.status.reference" autoComplete="off" required />
        <TextField meta={fields.email} label="rootseeking.email" type="email" autoComplete="email" required />
        <SubmitButton>{t('public.status.check')}</SubmitButton>
      </Form>
      {result && 'refused' in result ? <Notice kind="error">{t('public.tooMany')}</Notice> : null}
      {result && 'noMatch' in result ? <Notice kind="warning">{t('public.status.noMatch')}</Notice> : null}
      {found ? (
        <div className="panel" role="status">
          <dl className="facts">
            <dt>{t('public.status.reference')}</dt><dd className="mono">{found.reference.match(/.{4}/g)?.join('-')}</dd>
            <dt>{t('public.status.state')}</dt><dd>{t(`rootseeking.state.${found.state}` as MessageKey)}</dd>
            <dt>{t('public.status.received')}</dt><dd>{date(found.receivedOn)}</dd>
            <dt>{t('public.status.due')}</dt><dd>{date(found.replyDueOn)}</dd>
            {found.repliedOn ? <><dt>{t('public.status.replied')}</dt><dd>{date(found.repliedOn)}</dd></> : null}
            {found.visitOn && found.startsAt && (found.state === 'accepted' || found.state === 'visited') ? (
              <>
                <dt>{t('public.status.visit')}</dt>
                <dd>
                  {bothTimes(locale, chinaInstant(found.visitOn, found.startsAt), found.timeZone).family}
                  <br />{bothTimes(locale, chinaInstant(found.visitOn, found.startsAt), found.timeZone).china}
                  {found.places ? <><br />{found.places}</> : null}
                </dd>
              </>
            ) : null}
          </dl>
        </div>
      ) : null}
    </section>
  )
}
