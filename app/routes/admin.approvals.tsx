// The security administrator's desk (decision 026): proposed role grants to approve or refuse,
// password resets waiting for a code, locked accounts. Each refusal is shown with its reason.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { DomainError, errorResponse, ForbiddenError, ProcedureError } from '#app/platform/http.server.ts'
import { can } from '#app/platform/permissions.ts'
import { decideGrant, pendingGrants } from '#app/staff/roles.server.ts'
import { issueResetCode, openCodeResets } from '#app/staff/password-resets.server.ts'
import { lockedUsers, unlockUser } from '#app/staff/users.server.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { FormErrors, Notice, SubmitButton } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'roles.approve')
  const [grants, resets, locked] = await Promise.all([
    pendingGrants(context.db, user.registryCode),
    openCodeResets(context.db, user.registryCode),
    lockedUsers(context.db, user.registryCode),
  ])
  return { grants, resets, locked, me: user.id }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'roles.approve')
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const id = String(form.get('id') ?? '')
  const actor = actorOf(user)
  try {
    if (intent === 'approve' || intent === 'refuse') {
      await decideGrant(context.db, actor, id, intent)
      return redirect(`/admin/approvals?done=${intent}`)
    }
    if (!can(user.roles, 'security.manage')) throw new ForbiddenError()
    if (intent === 'code') {
      const { code, minutes } = await issueResetCode(context.db, actor, id)
      return { ok: true, code, minutes, resetId: id } as const
    }
    if (intent === 'unlock') {
      await unlockUser(context.db, actor, id)
      return redirect('/admin/approvals?done=unlock')
    }
  } catch (error) {
    if (error instanceof ProcedureError) return data({ ok: false, error: error.messageKey } as const, { status: 422 })
    if (error instanceof DomainError) throw errorResponse(error)
    throw error
  }
  return data({ ok: false, error: 'validation.invalid' } as const, { status: 400 })
}

export default function Approvals() {
  const { grants, resets, locked, me } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, dateTime } = useI18n()
  const done = params.get('done')
  const role = (r: string) => t(`role.${r}` as MessageKey)
  return (
    <section>
      <h1>{t('approvals.title')}</h1>
      <p className="lead">{t('approvals.intro')}</p>
      {done === 'approve' ? <Notice kind="success">{t('approvals.approved')}</Notice> : null}
      {done === 'refuse' ? <Notice kind="success">{t('approvals.refused')}</Notice> : null}
      {done === 'unlock' ? <Notice kind="success">{t('approvals.unlocked')}</Notice> : null}
      {result && !result.ok ? <FormErrors errors={[result.error]} /> : null}
      {result?.ok ? (
        <Notice kind="success">
          {t('approvals.code.shown', { minutes: result.minutes })} <code className="mono reset-code">{result.code}</code>
        </Notice>
      ) : null}

      <h2>{t('approvals.grants')}</h2>
      <DataTable label={t('approvals.grants')} empty={grants.length === 0}
        columns={[t('users.username'), t('users.roles'), t('approvals.proposedBy'), t('approvals.at'), '']}>
        {grants.map((g) => (
          <tr key={g.id}>
            <td><span className="mono">{g.username}</span> {g.displayName}</td>
            <td>{role(g.role)}</td>
            <td>{g.origin === 'migration' ? t('approvals.origin.migration') : g.origin === 'console' ? t('approvals.origin.console') : g.proposedByName}</td>
            <td className="nowrap">{dateTime(g.proposedAt)}</td>
            <td>
              {g.userId === me || g.proposedBy === me ? <span className="hint">{t('approvals.notYours')}</span> : (
                <div className="actions">
                  <Form method="post">
                    <input type="hidden" name="id" value={g.id} />
                    <SubmitButton name="intent" value="approve">{t('approvals.approve')}</SubmitButton>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="id" value={g.id} />
                    <SubmitButton name="intent" value="refuse" variant="secondary">{t('approvals.refuse')}</SubmitButton>
                  </Form>
                </div>
              )}
            </td>
          </tr>
        ))}
      </DataTable>

      <h2>{t('approvals.resets')}</h2>
      <p className="hint">{t('approvals.resets.hint')}</p>
      <DataTable label={t('approvals.resets')} empty={resets.length === 0}
        columns={[t('users.username'), t('approvals.requestedBy'), t('approvals.at'), t('users.status'), '']}>
        {resets.map((r) => (
          <tr key={r.id}>
            <td><span className="mono">{r.username}</span> {r.displayName}</td>
            <td>{r.requestedByName}</td>
            <td className="nowrap">{dateTime(r.requestedAt)}</td>
            <td>{r.state === 'issued' && r.expiresAt ? t('approvals.code.until', { time: dateTime(r.expiresAt) }) : t('approvals.code.waiting')}</td>
            <td>
              {r.requestedBy === me || r.userId === me ? <span className="hint">{t('approvals.notYours')}</span> : (
                <Form method="post">
                  <input type="hidden" name="id" value={r.id} />
                  <SubmitButton name="intent" value="code" variant="secondary">{t('approvals.code.issue')}</SubmitButton>
                </Form>
              )}
            </td>
          </tr>
        ))}
      </DataTable>

      <h2>{t('approvals.locked')}</h2>
      <DataTable label={t('approvals.locked')} empty={locked.length === 0} columns={[t('users.username'), t('approvals.lockedUntil'), '']}>
        {locked.map((u) => (
          <tr key={u.id}>
            <td><span className="mono">{u.username}</span> {u.displayName}</td>
            <td className="nowrap">{dateTime(u.lockedUntil)}</td>
            <td>
              <Form method="post">
                <input type="hidden" name="id" value={u.id} />
                <SubmitButton name="intent" value="unlock" variant="secondary">{t('approvals.unlock')}</SubmitButton>
              </Form>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}
