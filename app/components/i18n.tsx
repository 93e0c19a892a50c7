// The interface's access to the message catalogue: the root loader sends the current locale's
// messages once; components translate with useT(). Form errors carry catalogue keys (set in the
// zod schemas, which are shared by server and browser), translated here at render time.
import { createContext, useContext, useMemo } from 'react'
import { formatDate, formatDateTime, type Locale, type MessageKey, type Params } from '#app/platform/i18n/index.ts'

type I18n = { locale: Locale; messages: Record<string, string> }
const I18nContext = createContext<I18n>({ locale: 'zh', messages: {} })
export const I18nProvider = I18nContext.Provider

function fill(template: string, params?: Params) {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export function useI18n() {
  const { locale, messages } = useContext(I18nContext)
  return useMemo(() => {
    const t = (key: MessageKey, params?: Params) => fill(messages[key] ?? key, params)
    /** A validation message: a catalogue key, optionally with parameters as "key|name=value|…". */
    const tError = (message: string) => {
      const [key, ...pairs] = message.split('|')
      const params = Object.fromEntries(pairs.map((p) => p.split('=') as [string, string]))
      return key in messages ? fill(messages[key], params) : message
    }
    return {
      locale,
      t,
      tError,
      date: (iso: string | null | undefined) => formatDate(locale, iso),
      dateTime: (instant: Date | string | null | undefined) => formatDateTime(locale, instant),
    }
  }, [locale, messages])
}

export function useT() {
  return useI18n().t
}
