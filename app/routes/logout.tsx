import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { audit } from '#app/platform/audit.server.ts'
import { revokeSession } from '#app/platform/auth/sessions.server.ts'
import { actorOf, cookieFor, findSessionUser } from '#app/platform/guard.server.ts'

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await findSessionUser(request, context)
  if (user) {
    await context.db.transaction().execute(async (trx) => {
      await revokeSession(trx, user.sessionId, 'logout')
      await audit(trx, { actor: actorOf(user), action: 'auth.logout', entityType: 'user', entityId: user.id, ip: context.ip })
    })
  }
  return redirect('/login', { headers: { 'Set-Cookie': await cookieFor(request, context).serialize('', { maxAge: 0 }) } })
}

export function loader() {
  return redirect('/')
}
