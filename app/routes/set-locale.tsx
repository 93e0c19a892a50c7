// The language switch in the header: a plain form post (works without JavaScript). Kept on the
// user's account when signed in, in a cookie otherwise.
import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { isLocale } from '#app/platform/i18n/index.ts'
import { langCookie } from '#app/platform/i18n/locale.server.ts'
import { findSessionUser } from '#app/platform/guard.server.ts'
import { safeRedirectPath } from '#app/platform/http.server.ts'
import { setLocale } from '#app/staff/users.server.ts'

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const locale = form.get('locale')
  const to = safeRedirectPath(form.get('redirectTo'))
  if (!isLocale(locale)) return redirect(to)
  const user = await findSessionUser(request, context)
  if (user) await setLocale(context.db, user.id, locale)
  return redirect(to, { headers: { 'Set-Cookie': await langCookie.serialize(locale) } })
}

export function loader() {
  return redirect('/')
}
