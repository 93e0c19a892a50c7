import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { isDemo } from '#app/platform/env.server.ts'
import { defaultTotpRequiredRoles, getTotpRequiredRoles, setTotpRequiredRoles } from '#app/platform/settings.server.ts'
import { blockedSecondFactors, HALF_SESSION_MINUTES, recentSecurityEvents, SECOND_FACTOR_BLOCK_MINUTES, SECOND_FACTOR_MAX_FAILURES, unblockSecondFactor } from '#app/platform/auth/second-factor.server.ts'
import { roles } from '#app/platform/permissions.ts'
import { securitySettingsSchema } from '#app/staff/schemas.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { CheckboxGroup, FormErrors, Notice, SubmitButton } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

const unblockSchema = z.object({ userId: z.string().regex(/^\d{1,18}$/) })

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'security.manage')
  const [totpRequiredRoles, blocked, events] = await Promise.all([
    getTotpRequiredRoles(context.db, isDemo(context.env)),
    blockedSecondFactors(context.db, user.registryCode),
    recentSecurityEvents(context.db, user.registryCode),
  ])
  return {
    totpRequiredRoles,
    defaultRoles: defaultTotpRequiredRoles,
    demo: isDemo(context.env),
    idleMinutes: context.env.SESSION_IDLE_MINUTES,
    maxHours: context.env.SESSION_MAX_HOURS,
    limit: { failures: SECOND_FACTOR_MAX_FAILURES, minutes: SECOND_FACTOR_BLOCK_MINUTES, half: HALF_SESSION_MINUTES },
    blocked,
    events: events.map((e) => {
      const summary = (e.summary ?? {}) as Record<string, unknown>
      return { id: e.id, at: e.at, action: e.action, who: e.actorName ?? (typeof summary.username === 'string' ? summary.username : ''), ip: e.ip }
    }),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'security.manage')
  const formData = await request.formData()
  if (formData.get('intent') === 'unblock') {
    const parsed = unblockSchema.safeParse({ userId: formData.get('userId') })
    if (!parsed.success) return data({ status: 'error' as const, error: { '': ['validation.invalid'] } }, { status: 400 })
    const blocked = await blockedSecondFactors(context.db, user.registryCode)
    // Only an account of this registry that is blocked now.
    if (blocked.some((b) => b.id === parsed.data.userId)) await unblockSecondFactor(context.db, actorOf(user), parsed.data.userId)
    return redirect('/admin/security?saved=1')
  }
  const submission = parseWithZod(formData, { schema: securitySettingsSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  await setTotpRequiredRoles(context.db, actorOf(user), submission.value.totpRequiredRoles)
  return redirect('/admin/security?saved=1')
}

export default function SecuritySettings() {
  const page = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, dateTime } = useI18n()
  const [form, fields] = useForm({
    lastResult: lastResult && 'initialValue' in lastResult ? lastResult : undefined,
    defaultValue: { totpRequiredRoles: page.totpRequiredRoles },
  })
  return (
    <section className="narrow">
      <h1>{t('security.title')}</h1>
      {params.get('saved') ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <dl className="facts">
        <dt>{t('security.passwordPolicy')}</dt><dd>{t('auth.password.policy')}</dd>
        <dt>{t('security.lockout')}</dt><dd>{t('security.lockoutText')}</dd>
        <dt>{t('security.secondFactorLimit')}</dt>
        <dd>{t('security.secondFactorLimitText', page.limit)}</dd>
        <dt>{t('security.idle')}</dt><dd>{t('security.idleText', { minutes: page.idleMinutes, hours: page.maxHours })}</dd>
      </dl>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <CheckboxGroup meta={fields.totpRequiredRoles} legend="security.totpRequired" options={roles.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
        <p className="hint">{t('security.totpRequiredHint')}</p>
        <p className="hint">
          {t('security.totpDefault', { roles: page.defaultRoles.map((r) => t(`role.${r}` as MessageKey)).join('、') })}
          {page.demo ? ` ${t('security.totpDemoRelaxed')}` : ''}
        </p>
        <SubmitButton>{t('action.save')}</SubmitButton>
      </Form>

      <h2>{t('security.blockedTitle')}</h2>
      <DataTable label={t('security.blockedTitle')} empty={page.blocked.length === 0} columns={[t('users.username'), t('users.displayName'), t('security.blockedUntil'), t('security.blockedAction')]}>
        {page.blocked.map((b) => (
          <tr key={b.id}>
            <td>{b.username}</td>
            <td>{b.displayName}</td>
            <td>{dateTime(b.blockedUntil)}</td>
            <td>
              <Form method="post">
                <input type="hidden" name="intent" value="unblock" />
                <input type="hidden" name="userId" value={b.id} />
                <button type="submit" className="button secondary">{t('security.unblock')}</button>
              </Form>
            </td>
          </tr>
        ))}
      </DataTable>

      <h2>{t('security.eventsTitle')}</h2>
      <p className="hint">{t('security.eventsHint')}</p>
      <DataTable label={t('security.eventsTitle')} empty={page.events.length === 0} columns={[t('security.eventAt'), t('security.eventWhat'), t('security.eventWho'), t('security.eventAddress')]}>
        {page.events.map((e) => (
          <tr key={e.id}>
            <td>{dateTime(e.at)}</td>
            <td>{t(`audit.action.${e.action}` as MessageKey)}</td>
            <td>{e.who}</td>
            <td className="mono">{e.ip ?? ''}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}
