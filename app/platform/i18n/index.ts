// The message catalogues. Every user-facing string comes from here, in Simplified Chinese
// (the default) and English. Each area keeps its own catalogue file under catalog/, exporting
// `zh` and `en`; `en` is typed against `zh`'s keys so a missing translation fails the type check,
// and i18n.test.ts checks the merged catalogues once more at run time.
//
// This module is pure (no I/O) so that pure domain modules (e.g. eligibility rules) and the
// browser bundle can use it.
import * as common from './catalog/common.ts'
import * as staff from './catalog/staff.ts'
import * as cases from './catalog/cases.ts'
import * as assessment from './catalog/assessment.ts'
import * as archive from './catalog/archive.ts'
import * as eligibility from './catalog/eligibility.ts'
import * as registration from './catalog/registration.ts'
import * as ledgers from './catalog/ledgers.ts'
import * as followup from './catalog/followup.ts'
import * as statistics from './catalog/statistics.ts'
import * as handover from './catalog/handover.ts'
import * as rootseeking from './catalog/rootseeking.ts'
import * as historicalImport from './catalog/import.ts'
import * as auditActions from './catalog/audit-actions.ts'
import * as registers from './catalog/registers.ts'
import * as ledgerSort from './catalog/ledger-sort.ts'
import * as residenceRequired from './catalog/residence-required.ts'
import * as auditPage from './catalog/audit.ts'
import * as formErrors from './catalog/form-errors.ts'
import * as secondFactor from './catalog/second-factor.ts'
import * as duties from './catalog/duties.ts'
import * as recordAccess from './catalog/record-access.ts'
import * as fourEyes from './catalog/four-eyes.ts'

const areas = [common, staff, cases, assessment, archive, eligibility, registration, ledgers, followup, statistics, handover, rootseeking, historicalImport, auditActions, registers, ledgerSort, residenceRequired, auditPage, formErrors, secondFactor, duties, recordAccess, fourEyes] as const

/** The catalogue modules, one per area; a key defined in two of them would silently shadow the other. */
export const catalogAreas: readonly { zh: Record<string, string>; en: Record<string, string> }[] = areas

type Merge<T extends readonly { zh: Record<string, string> }[]> = T[number]['zh']
type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never

export type MessageKey = keyof UnionToIntersection<Merge<typeof areas>> & string
export const locales = ['zh', 'en'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'zh'

export type Params = Record<string, string | number>

export const catalogs: Record<Locale, Record<string, string>> = {
  zh: Object.assign({}, ...areas.map((a) => a.zh)),
  en: Object.assign({}, ...areas.map((a) => a.en)),
}

export function isLocale(value: unknown): value is Locale {
  return value === 'zh' || value === 'en'
}

/** Looks a message up and fills its {placeholders}. An unknown key is returned as is, visibly. */
export function translate(locale: Locale, key: MessageKey | string, params?: Params): string {
  const template = catalogs[locale][key] ?? catalogs[defaultLocale][key] ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

export type Translate = (key: MessageKey, params?: Params) => string

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params)
}

/** Civil dates: 2026年11月28日 in Chinese, ISO 8601 in English (architecture.md). */
export function formatDate(locale: Locale, isoDate: string | null | undefined): string {
  if (!isoDate) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate)
  if (!m) return isoDate
  return locale === 'zh' ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : `${m[1]}-${m[2]}-${m[3]}`
}

const shanghaiMinute = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
})

/** Instants, shown in Asia/Shanghai whatever the server's zone. */
export function formatDateTime(locale: Locale, instant: Date | string | null | undefined): string {
  if (!instant) return ''
  const d = typeof instant === 'string' ? new Date(instant) : instant
  const parts = shanghaiMinute.formatToParts(d)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  const date = formatDate(locale, `${get('year')}-${get('month')}-${get('day')}`)
  return `${date} ${get('hour')}:${get('minute')}`
}

/** Chinese numerals as legal citations write them (1098 → 一千零九十八, 12 → 十二), below 10 000. */
export function chineseNumeral(n: number): string {
  const digits = '零一二三四五六七八九'
  const units = ['', '十', '百', '千']
  if (n < 10) return digits[n]
  if (n < 20) return `十${n % 10 ? digits[n % 10] : ''}`
  const s = String(n)
  let out = ''
  let pendingZero = false
  for (let i = 0; i < s.length; i++) {
    const d = Number(s[i])
    if (d === 0) { pendingZero = true; continue }
    if (pendingZero && out) out += '零'
    pendingZero = false
    out += digits[d] + units[s.length - 1 - i]
  }
  return out
}
