// Citizen ID numbers (公民身份号码), GB 11643-1999: a 6-digit address code, an 8-digit birth date
// (YYYYMMDD), a 3-digit sequence code whose last digit is odd for men and even for women, and a
// check character computed with ISO 7064 MOD 11-2. Pure: the UI turns `reason` into a message
// through the catalogue keys `citizenId.<reason>`.

export const citizenIdReasons = ['length', 'characters', 'area', 'birthDate', 'checksum'] as const
export type CitizenIdReason = (typeof citizenIdReasons)[number]

export type CitizenIdParseResult =
  | { ok: true; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; reason: CitizenIdReason }

// The first two digits of the address code (GB/T 2260 provinces), plus 71 Taiwan, 81 Hong Kong,
// 82 Macao, 83 (residence permits of Taiwan residents) and 91 (the 2023 permanent-residence ID of
// foreigners, which shares the 18-character format). Deliberately coarse: the full list of county
// codes changes every year, and a retired code stays on the IDs issued under it.
const provincePrefixes = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83', '91',
])

// ISO 7064 MOD 11-2 as tabulated in GB 11643: weight of position i is 2^(17-i) mod 11.
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const checkChars = '10X98765432'

// People enter IDs with stray spaces and a lowercase x; both are the same number.
export function normalizeCitizenId(value: string): string {
  return value.trim().toUpperCase()
}

/** The check character for the first 17 digits. Throws on anything but 17 digits. */
export function checkCharFor(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('checkCharFor expects exactly 17 digits')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]
  return checkChars[sum % 11]
}

export function parseCitizenId(value: string, options?: { today?: string }): CitizenIdParseResult {
  const id = normalizeCitizenId(value)
  if (id.length !== 18) return { ok: false, reason: 'length' }
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: 'characters' }
  if (!provincePrefixes.has(id.slice(0, 2))) return { ok: false, reason: 'area' }

  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
  const today = options?.today ?? todayInShanghai()
  if (!isCalendarDate(today)) throw new RangeError(`today must be a YYYY-MM-DD date, got ${today}`)
  // ISO dates compare correctly as strings.
  if (!isCalendarDate(birthDate) || birthDate < '1900-01-01' || birthDate > today) {
    return { ok: false, reason: 'birthDate' }
  }

  // Checked last: the structural reasons above say more precisely what is wrong, while a checksum
  // mismatch on an otherwise plausible number usually means one mistyped digit.
  if (checkCharFor(id.slice(0, 17)) !== id[17]) return { ok: false, reason: 'checksum' }

  return { ok: true, birthDate, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' }
}

/**
 * For display: the address code and the last four characters stay visible, the birth date and the
 * rest are hidden ('500111********123X'). Anything too short to keep something hidden that way is
 * hidden entirely, so a malformed value never leaks in full.
 */
export function maskCitizenId(value: string): string {
  const id = normalizeCitizenId(value)
  if (id.length <= 10) return '*'.repeat(id.length)
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4)
}

function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

// IDs are issued in China, so "the future" is judged on the calendar of Asia/Shanghai, whatever the
// server's time zone.
function todayInShanghai(): string {
  return shanghaiDay.format(new Date())
}
const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
