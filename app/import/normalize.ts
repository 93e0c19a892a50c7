// Normalising what ledgers hold (decision 012). Pure: cells in, plain values or a reason out.
//
// Text: Unicode NFKC (full-width digits and letters become ASCII: ５００１１１ → 500111, ｘ → x),
// spaces trimmed and runs of white space collapsed.
// Dates: real Excel dates (the reader gives a Date at UTC midnight, or a serial number), and text
// in the forms 2001-03-05, 2001/3/5, 2001.3.5, 2001年3月5日, 20010305 and 3/5/2001. A slash date
// with the year last is read month first (M/D/YYYY): Chinese ledgers exported from US-locale Excel
// write dates that way, and the report says so. A date that does not exist (2001-02-30) is refused.

export type Cell = string | number | boolean | Date | null

export function normalizeText(value: Cell): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return isoOf(value) ?? ''
  const s = typeof value === 'string' ? value : String(value)
  return s.normalize('NFKC').replace(/[\s\u00a0\u3000]+/g, ' ').trim()
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

function isoOf(date: Date): string | null {
  if (Number.isNaN(date.getTime())) return null
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
}

export function calendarDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null
  if (year < 1900 || year > 2100) return null
  const d = new Date(Date.UTC(year, month - 1, day))
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** Excel's 1900 date system: serial 1 is 1900-01-01, with the fictitious 1900-02-29 (serial 60). */
export function excelSerialDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 80000) return null
  const days = Math.floor(serial) - (serial > 60 ? 1 : 0)
  return isoOf(new Date(Date.UTC(1899, 11, 31) + days * 86400000))
}

export type DateResult = { ok: true; value: string | null; format?: 'mdy' } | { ok: false }

/** A date cell as YYYY-MM-DD; empty is { ok: true, value: null }. */
export function parseDate(value: Cell): DateResult {
  if (value === null || value === undefined || value === '') return { ok: true, value: null }
  if (value instanceof Date) {
    const iso = isoOf(value)
    return iso && iso >= '1900-01-01' ? { ok: true, value: iso } : { ok: false }
  }
  if (typeof value === 'number') {
    const iso = excelSerialDate(value)
    return iso ? { ok: true, value: iso } : { ok: false }
  }
  const s = normalizeText(value)
  if (s === '') return { ok: true, value: null }
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(s)
  if (m) return result(calendarDate(Number(m[1]), Number(m[2]), Number(m[3])))
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  if (m) return result(calendarDate(Number(m[1]), Number(m[2]), Number(m[3])))
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s)
  if (m) {
    const r = result(calendarDate(Number(m[3]), Number(m[1]), Number(m[2])))
    return r.ok ? { ...r, format: 'mdy' } : r
  }
  // A date-formatted number that arrived as text (CSV of an unformatted column).
  if (/^\d{5}(\.\d+)?$/.test(s)) return result(excelSerialDate(Number(s)))
  return { ok: false }
}

const result = (iso: string | null): DateResult => (iso ? { ok: true, value: iso } : { ok: false })

const yes = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '✓', '保密', '需保密'])
const no = new Set(['否', '无', '不', 'n', 'no', 'false', '0', '×', '', '不保密'])

/** Yes/no cells: 是/否, Y/N, √, 1/0 (an empty cell is no). */
export function parseYesNo(value: Cell): boolean | undefined {
  if (typeof value === 'boolean') return value
  const s = normalizeText(value).toLowerCase()
  if (yes.has(s)) return true
  if (no.has(s)) return false
  return undefined
}

export function parseSex(value: Cell): 'male' | 'female' | null | undefined {
  const s = normalizeText(value).toLowerCase()
  if (s === '') return null
  if (['男', 'm', 'male', '男性'].includes(s)) return 'male'
  if (['女', 'f', 'female', '女性'].includes(s)) return 'female'
  return undefined
}

export const importKinds = ['ordinary', 'relative', 'stepchild', 'intercountry'] as const
export type ImportKindValue = (typeof importKinds)[number]

/** The kind of adoption as ledgers write it. */
export function parseKind(value: Cell): ImportKindValue | null | undefined {
  const s = normalizeText(value).toLowerCase()
  if (s === '') return null
  if (/涉外|外国|intercountry|foreign/.test(s)) return 'intercountry'
  if (/继子女|继父|继母|stepchild|step/.test(s)) return 'stepchild'
  if (/亲属|三代|旁系|relative/.test(s)) return 'relative'
  if (/一般|普通|社会|孤儿|弃婴|福利|ordinary|domestic|国内/.test(s)) return 'ordinary'
  return undefined
}

export type LedgerState = 'registered' | 'dissolved' | 'revoked'

export function parseState(value: Cell): LedgerState | null | undefined {
  const s = normalizeText(value).toLowerCase()
  if (s === '') return null
  if (/解除|dissolved/.test(s)) return 'dissolved'
  if (/撤销|无效|revoked/.test(s)) return 'revoked'
  if (/有效|登记|正常|成立|registered|valid/.test(s)) return 'registered'
  return undefined
}

/**
 * Registration, archive and dissolution numbers: full-width digits and Latin letters become ASCII,
 * the rest (（2016）渝大收字第0001号 has full-width brackets by custom) stays as written.
 */
export function normalizeNumber(value: Cell): string {
  const s = value instanceof Date ? normalizeText(value) : String(value ?? '')
  return s.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\u00a0\u3000]+/g, ' ').trim()
}

/** Citizen ID numbers: NFKC (full-width digits), no inner spaces, upper-case X. */
export function normalizeIdNumber(value: Cell): string {
  return normalizeText(value).replace(/\s+/g, '').toUpperCase()
}
