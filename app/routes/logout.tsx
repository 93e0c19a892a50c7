import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { logOut } from '#app/platform/auth/sessions.server.ts'
import { actorOf, cookieFor, findSessionUser } from '#app/platform/guard.server.ts'

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await findSessionUser(request, context)
  if (user) {
    await logOut(context.db, actorOf(user), user.sessionId, context.ip)
  }
  return redirect('/login', { headers: { 'Set-Cookie': await cookieFor(request, context).serialize('', { maxAge: 0 }) } })
}

export function loader() {
  return redirect('/')
}
