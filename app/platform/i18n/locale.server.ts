// Which language a request is served in: the signed-in user's choice, else the `lang` cookie an
// anonymous visitor set with the switch, else Simplified Chinese. The browser's Accept-Language is
// deliberately not followed: the bureau's interface is Chinese unless a person chooses otherwise.
import { createCookie } from '@remix-run/node'
import { defaultLocale, isLocale, translator, type Locale } from './index.ts'

export const langCookie = createCookie('lang', { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 })

export async function requestLocale(request: Request, userLocale?: Locale | null): Promise<Locale> {
  if (userLocale) return userLocale
  const fromCookie = await langCookie.parse(request.headers.get('Cookie'))
  if (isLocale(fromCookie)) return fromCookie
  return defaultLocale
}

export async function requestTranslator(request: Request, userLocale?: Locale | null) {
  const locale = await requestLocale(request, userLocale)
  return { locale, t: translator(locale) }
}
