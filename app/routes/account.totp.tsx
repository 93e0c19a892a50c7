import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import QRCode from 'qrcode'
import { z } from 'zod'
import { actorOf, cookieFor, requireUser, type CurrentUser } from '#app/platform/guard.server.ts'
import type { AppContext } from '#app/platform/context.server.ts'
import { generateTotpSecret, matchTotpStep, otpauthUri } from '#app/platform/auth/totp.server.ts'
import { checkSecondFactor, unusedRecoveryCodes } from '#app/platform/auth/second-factor.server.ts'
import { revokeSession } from '#app/platform/auth/sessions.server.ts'
import { isDemo } from '#app/platform/env.server.ts'
import { getTotpRequiredRoles } from '#app/platform/settings.server.ts'
import { disableTotp, enableTotp, regenerateRecoveryCodes } from '#app/staff/users.server.ts'
import { FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

const stages = ['full', 'totp-enrolment'] as const
// Replacing the authenticator, turning it off and renewing the recovery codes all need proof of
// the current factor (a code) or the password: a session left open on a shared PC must not be
// enough to take over the second factor (decision 031).
const schema = z
  .object({
    intent: z.enum(['enable', 'disable', 'recovery']),
    pending: z.string().max(1000).optional(),
    code: z.string().trim().max(20).optional(),
    proof: z.string().max(200).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.intent === 'enable') {
      if (!value.code) ctx.addIssue({ code: 'custom', path: ['code'], message: 'validation.required' })
      else if (!/^\d{6}$/.test(value.code)) ctx.addIssue({ code: 'custom', path: ['code'], message: 'auth.totp.codeFormat' })
    } else if (!value.proof?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['proof'], message: 'validation.required' })
    }
  })

async function requiredFor(context: AppContext, user: CurrentUser) {
  return (await getTotpRequiredRoles(context.db, isDemo(context.env))).some((r) => user.roles.includes(r))
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, null, [...stages])
  const required = await requiredFor(context, user)
  // The secret being enrolled travels in the form, encrypted and bound to this user, so the page
  // needs no server-side state and works without JavaScript. Offered also when a factor is on, to
  // move to a new phone (with proof of the current one).
  const secret = generateTotpSecret()
  const uri = otpauthUri(secret, user.username, 'Adoption Registry')
  const qr = await QRCode.toString(uri, { type: 'svg', margin: 1, width: 200 })
  const pending = context.cipher.encrypt(`${user.id}:${secret}`)
  const recoveryLeft = user.totpEnabled ? await unusedRecoveryCodes(context.db, user.id) : 0
  return { enabled: user.totpEnabled, required, secret, qr, pending, recoveryLeft }
}

type Reply = SubmissionResult<string[]> & { recoveryCodes?: undefined }
type Codes = { recoveryCodes: string[]; intent: 'enable' | 'recovery' }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, null, [...stages])
  const submission = parseWithZod(await request.formData(), { schema })
  if (submission.status !== 'success') return data(submission.reply() as Reply, { status: 400 })
  const { intent, code, pending, proof } = submission.value
  const actor = actorOf(user)

  /** Checks the current factor (or the password); at the failure limit this session ends too. */
  const proven = async (allowPassword: boolean) => {
    if (!user.totpEnabled) return { ok: true as const }
    const result = await checkSecondFactor(context.db, context.cipher, actor, proof ?? '', { allowPassword, ip: context.ip })
    if (result.ok) return { ok: true as const }
    if (result.reason === 'blocked' || result.limitReached) {
      await revokeSession(context.db, user.sessionId, 'second_factor_limit')
      throw redirect('/login?secondFactor=blocked', { headers: { 'Set-Cookie': await cookieFor(request, context).serialize('', { maxAge: 0 }) } })
    }
    return { ok: false as const }
  }
  const wrongProof = () =>
    data(submission.reply({ fieldErrors: { proof: [allowPasswordMessage(intent)] }, hideFields: ['proof'] }) as Reply, { status: 400 })

  if (intent === 'enable') {
    let secret = ''
    try {
      const [owner, value] = context.cipher.decrypt(pending ?? '').split(':')
      if (owner === user.id) secret = value
    } catch {
      // a tampered or stale form: treated as a wrong code
    }
    // The new code first: it costs nothing, and a typo in it must not use up the proof.
    if (!secret || matchTotpStep(secret, code ?? '') === null) {
      return data(submission.reply({ fieldErrors: { code: ['auth.totp.wrong'] }, hideFields: ['proof'] }) as Reply, { status: 400 })
    }
    if (user.totpEnabled && !proof?.trim()) {
      return data(submission.reply({ fieldErrors: { proof: ['validation.required'] } }) as Reply, { status: 400 })
    }
    if (!(await proven(true)).ok) return wrongProof()
    const codes = await enableTotp(context.db, context.cipher, actor, secret, code ?? '')
    if (!codes) return data(submission.reply({ fieldErrors: { code: ['auth.totp.wrong'] } }) as Reply, { status: 400 })
    return data({ recoveryCodes: codes, intent: 'enable' } satisfies Codes)
  }
  if (!user.totpEnabled) return redirect('/account/totp')
  if (intent === 'recovery') {
    // New recovery codes with a current code only: the password alone must not mint them.
    if (!(await proven(false)).ok) return wrongProof()
    return data({ recoveryCodes: await regenerateRecoveryCodes(context.db, context.cipher, actor), intent: 'recovery' } satisfies Codes)
  }
  if (await requiredFor(context, user)) {
    return data(submission.reply({ formErrors: ['account.totp.requiredCannotDisable'], hideFields: ['proof'] }) as Reply, { status: 400 })
  }
  if (!(await proven(true)).ok) return wrongProof()
  await disableTotp(context.db, actor, user.id)
  return redirect('/account')
}

function allowPasswordMessage(intent: 'enable' | 'disable' | 'recovery') {
  return intent === 'recovery' ? 'auth.totp.wrong' : 'account.totp.proofWrong'
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useI18n()
  return (
    <section aria-labelledby="recovery-codes-title" className="recovery-codes">
      <h2 id="recovery-codes-title">{t('account.totp.recoveryTitle')}</h2>
      <Notice kind="warning">{t('account.totp.recoveryOnce')}</Notice>
      <ol className="mono">
        {codes.map((c) => <li key={c}>{c}</li>)}
      </ol>
      <p><Link className="button" to="/">{t('account.totp.recoveryDone')}</Link></p>
    </section>
  )
}

export default function TotpSettings() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as Reply | Codes | undefined
  const { t } = useI18n()
  const codes = result && 'recoveryCodes' in result && result.recoveryCodes ? result.recoveryCodes : null
  const reply = result && !codes ? (result as Reply) : undefined
  const replyFor = (intent: string) => (reply?.initialValue?.intent === intent ? reply : undefined)
  const [enableForm, enableFields] = useForm({ id: 'totp-enable', lastResult: replyFor('enable'), onValidate: ({ formData }) => parseWithZod(formData, { schema }) })
  const [disableForm, disableFields] = useForm({ id: 'totp-disable', lastResult: replyFor('disable'), onValidate: ({ formData }) => parseWithZod(formData, { schema }) })
  const [recoveryForm, recoveryFields] = useForm({ id: 'totp-recovery', lastResult: replyFor('recovery'), onValidate: ({ formData }) => parseWithZod(formData, { schema }) })
  if (codes) {
    return (
      <section className="narrow">
        <h1>{t('account.manageTotp')}</h1>
        <RecoveryCodes codes={codes} />
      </section>
    )
  }
  return (
    <section className="narrow">
      <h1>{t('account.manageTotp')}</h1>
      {page.required && !page.enabled ? <Notice kind="warning">{t('account.totp.requiredNotice')}</Notice> : null}
      {page.enabled ? (
        <>
          <p>{t('account.totp.enabledText')}</p>
          <p>{t('account.totp.recoveryLeft', { count: page.recoveryLeft })}</p>
          <Form method="post" {...getFormProps(recoveryForm)}>
            <h2>{t('account.totp.recoveryRenew')}</h2>
            <FormErrors errors={recoveryForm.errors} />
            <input type="hidden" name="intent" value="recovery" />
            <TextField meta={recoveryFields.proof} label="account.totp.currentCode" autoComplete="one-time-code" />
            <SubmitButton variant="secondary">{t('account.totp.recoveryRenew')}</SubmitButton>
          </Form>
          {page.required ? null : (
            <Form method="post" {...getFormProps(disableForm)}>
              <h2>{t('account.totp.disable')}</h2>
              <FormErrors errors={disableForm.errors} />
              <input type="hidden" name="intent" value="disable" />
              <TextField meta={disableFields.proof} label="account.totp.proof" type="password" autoComplete="off" />
              <SubmitButton variant="danger">{t('account.totp.disable')}</SubmitButton>
            </Form>
          )}
        </>
      ) : null}
      <Form method="post" {...getFormProps(enableForm)}>
        {page.enabled ? <h2>{t('account.totp.replace')}</h2> : null}
        <FormErrors errors={enableForm.errors} />
        <ol className="steps">
          <li>{t('account.totp.step1')}</li>
          <li>{t('account.totp.step2')}</li>
        </ol>
        <div className="qr" dangerouslySetInnerHTML={{ __html: page.qr }} role="img" aria-label={t('account.totp.qr')} />
        <p>{t('account.totp.secret')}: <code className="mono">{page.secret}</code></p>
        <input type="hidden" name="intent" value="enable" />
        <input type="hidden" name="pending" value={page.pending} />
        <TextField meta={enableFields.code} label="auth.totp.code" autoComplete="one-time-code" />
        {page.enabled ? <TextField meta={enableFields.proof} label="account.totp.proof" type="password" autoComplete="off" /> : null}
        <SubmitButton>{page.enabled ? t('account.totp.replace') : t('account.totp.enable')}</SubmitButton>
      </Form>
    </section>
  )
}
