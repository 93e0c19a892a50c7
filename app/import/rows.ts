// One ledger row checked on its own (decision 012): required fields, citizen IDs (GB 11643, with
// full-width digits normalised) against the entered birth date and sex, dates that exist and are in
// order, the kind, the state and what it needs. Pure; what depends on the database (numbers
// already used, duplicates of existing records) is decided by batches.server.ts.
import { parseCitizenId } from '#app/platform/citizen-id.ts'
import type { ImportField } from './fields.ts'
import {
  normalizeIdNumber, normalizeNumber, normalizeText, parseDate, parseKind, parseSex, parseState, parseYesNo, type Cell, type ImportKindValue, type LedgerState,
} from './normalize.ts'

export type RowMessage = { key: string; field?: ImportField; params?: Record<string, string | number> }

export type Person = { name: string; sex: 'male' | 'female' | null; birthDate: string | null; idNumber: string | null }

export type ImportRecord = {
  registrationNumber: string
  registeredOn: string
  kind: ImportKindValue
  state: LedgerState
  adopters: Person[]
  child: Person & { nameAfter: string | null }
  placing: { name: string; idNumber: string | null } | null
  placingKind: 'guardian' | 'welfare_institution' | 'birth_parents' | 'birth_parent'
  secrecy: boolean
  archiveNumber: string | null
  dissolution: { on: string; number: string } | null
  revocation: { on: string; reason: string } | null
  intercountry: { country: string; agency: string; approvedOn: string } | null
  /** The town of residence as written (a name or a division code); its id is looked up by the batch. */
  residenceTown: string | null
  residenceTownId?: string | null
}

export type CheckedRow = { record: ImportRecord | null; errors: RowMessage[]; notes: RowMessage[] }

type Values = Partial<Record<ImportField, Cell>>

const MAX_TEXT = 100

/**
 * `goLive`: the day the registry began registering in this system. A registration dated on or after
 * it was made in the system, by two persons, or not at all: a ledger row dated so is refused, and
 * so is every row while the day is not set (decision 027).
 */
export function checkRow(values: Values, today: string, goLive: string | null): CheckedRow {
  const errors: RowMessage[] = []
  const notes: RowMessage[] = []
  let mdy = false
  const numberFields: readonly ImportField[] = ['registrationNumber', 'archiveNumber', 'dissolutionNumber']
  const text = (field: ImportField, required = false, max = MAX_TEXT): string | null => {
    const v = numberFields.includes(field) ? normalizeNumber(values[field] ?? null) : normalizeText(values[field] ?? null)
    if (v === '') { if (required) errors.push({ key: 'import.error.required', field }); return null }
    if (v.length > max) { errors.push({ key: 'import.error.tooLong', field, params: { max } }); return null }
    return v
  }
  const date = (field: ImportField, required = false): string | null => {
    const parsed = parseDate(values[field] ?? null)
    if (!parsed.ok) { errors.push({ key: 'import.error.date', field, params: { value: normalizeText(values[field] ?? null) } }); return null }
    if (parsed.value === null) { if (required) errors.push({ key: 'import.error.required', field }); return null }
    if (parsed.format === 'mdy') mdy = true
    if (parsed.value > today) { errors.push({ key: 'import.error.future', field }); return null }
    return parsed.value
  }
  const person = (prefix: 'adopter1' | 'adopter2' | 'child', required: boolean): Person | null => {
    const name = text(`${prefix}Name`, required, 60)
    const sexCell = values[`${prefix}Sex`] ?? null
    let sex = parseSex(sexCell)
    if (sex === undefined) { errors.push({ key: 'import.error.sex', field: `${prefix}Sex`, params: { value: normalizeText(sexCell) } }); sex = null }
    let birthDate = date(`${prefix}BirthDate`)
    const idRaw = normalizeIdNumber(values[`${prefix}IdNumber`] ?? null)
    let idNumber: string | null = null
    if (idRaw) {
      const parsed = parseCitizenId(idRaw, { today })
      if (!parsed.ok) errors.push({ key: `citizenId.${parsed.reason}`, field: `${prefix}IdNumber` })
      else {
        idNumber = idRaw
        if (birthDate && birthDate !== parsed.birthDate) errors.push({ key: 'import.error.idBirthDate', field: `${prefix}IdNumber`, params: { date: parsed.birthDate } })
        if (sex && sex !== parsed.sex) errors.push({ key: 'import.error.idSex', field: `${prefix}IdNumber` })
        birthDate ??= parsed.birthDate
        sex ??= parsed.sex
      }
    }
    if (!name) {
      if (!required && (idRaw || birthDate)) errors.push({ key: 'import.error.required', field: `${prefix}Name` })
      return null
    }
    return { name, sex, birthDate, idNumber }
  }

  const registrationNumber = text('registrationNumber', true, 60)
  const registeredOn = date('registeredOn', true)
  const kindCell = values.kind ?? null
  let kind = parseKind(kindCell)
  if (kind === undefined) { errors.push({ key: 'import.error.kind', field: 'kind', params: { value: normalizeText(kindCell) } }); kind = null }
  const stateCell = values.state ?? null
  const explicitState = parseState(stateCell)
  if (explicitState === undefined) errors.push({ key: 'import.error.state', field: 'state', params: { value: normalizeText(stateCell) } })

  const adopter1 = person('adopter1', true)
  const adopter2 = person('adopter2', false)
  const child = person('child', true)
  if (child && !child.birthDate) errors.push({ key: 'import.error.required', field: 'childBirthDate' })
  if (registeredOn && !goLive) errors.push({ key: 'import.error.goLiveUnset', field: 'registeredOn' })
  else if (registeredOn && goLive && registeredOn >= goLive) errors.push({ key: 'import.error.afterGoLive', field: 'registeredOn', params: { date: goLive } })
  if (child?.birthDate && registeredOn && child.birthDate > registeredOn) errors.push({ key: 'import.error.bornAfterRegistration', field: 'childBirthDate' })
  for (const [a, field] of [[adopter1, 'adopter1BirthDate'], [adopter2, 'adopter2BirthDate']] as const) {
    if (a?.birthDate && child?.birthDate && a.birthDate >= child.birthDate) errors.push({ key: 'import.error.adopterYounger', field })
  }
  const nameAfter = text('childNameAfter', false, 60)
  const placingName = text('placingName')
  const placingIdRaw = normalizeIdNumber(values.placingIdNumber ?? null)
  let placingId: string | null = null
  if (placingIdRaw) {
    const parsed = parseCitizenId(placingIdRaw, { today })
    if (!parsed.ok) errors.push({ key: `citizenId.${parsed.reason}`, field: 'placingIdNumber' })
    else placingId = placingIdRaw
  }
  const secrecyCell = values.secrecy ?? null
  const secrecy = parseYesNo(secrecyCell)
  if (secrecy === undefined) errors.push({ key: 'import.error.yesNo', field: 'secrecy', params: { value: normalizeText(secrecyCell) } })
  const archiveNumber = text('archiveNumber', false, 60)

  const dissolvedOn = date('dissolvedOn')
  const dissolutionNumber = text('dissolutionNumber', false, 60)
  const revokedOn = date('revokedOn')
  const revocationReason = text('revocationReason', false, 500)
  const state: LedgerState = explicitState ?? (dissolvedOn || dissolutionNumber ? 'dissolved' : revokedOn ? 'revoked' : 'registered')
  if (state === 'dissolved') {
    if (!dissolvedOn) errors.push({ key: 'import.error.required', field: 'dissolvedOn' })
    if (!dissolutionNumber) errors.push({ key: 'import.error.required', field: 'dissolutionNumber' })
  }
  if (state === 'revoked' && !revokedOn) errors.push({ key: 'import.error.required', field: 'revokedOn' })
  if (state !== 'dissolved' && (dissolvedOn || dissolutionNumber)) errors.push({ key: 'import.error.stateConflict', field: 'dissolvedOn' })
  if (state !== 'revoked' && revokedOn) errors.push({ key: 'import.error.stateConflict', field: 'revokedOn' })
  for (const [on, field] of [[dissolvedOn, 'dissolvedOn'], [revokedOn, 'revokedOn']] as const) {
    if (on && registeredOn && on < registeredOn) errors.push({ key: 'import.error.beforeRegistration', field })
    // A dissolution or revocation on or after the go-live day is registered in the system (two persons).
    if (on && goLive && on >= goLive) errors.push({ key: 'import.error.afterGoLive', field, params: { date: goLive } })
  }

  let intercountry: ImportRecord['intercountry'] = null
  if (kind === 'intercountry') {
    const country = text('country', true)
    const agency = text('agency') ?? ''
    const approvedOn = date('approvedOn') ?? registeredOn
    if (approvedOn && registeredOn && approvedOn > registeredOn) errors.push({ key: 'import.error.approvedAfterRegistration', field: 'approvedOn' })
    if (country && approvedOn) intercountry = { country, agency, approvedOn }
  }
  const residenceTown = text('residenceTown', false, 40)
  if (mdy) notes.push({ key: 'import.note.mdy' })

  if (errors.length || !registrationNumber || !registeredOn || !adopter1 || !child?.birthDate) return { record: null, errors, notes }
  const effectiveKind = kind ?? 'ordinary'
  const placingKind: ImportRecord['placingKind'] = effectiveKind === 'stepchild' ? 'birth_parent'
    : placingName && /福利院|儿童院|福利中心|救助|welfare|institution/i.test(placingName) ? 'welfare_institution'
    : placingName ? 'birth_parents' : 'guardian'
  return {
    record: {
      registrationNumber, registeredOn, kind: effectiveKind, state,
      adopters: adopter2 ? [adopter1, adopter2] : [adopter1],
      child: { ...child, nameAfter },
      placing: placingName ? { name: placingName, idNumber: placingId } : null,
      placingKind,
      secrecy: secrecy ?? false,
      archiveNumber,
      dissolution: state === 'dissolved' ? { on: dissolvedOn!, number: dissolutionNumber! } : null,
      revocation: state === 'revoked' ? { on: revokedOn!, reason: revocationReason ?? '' } : null,
      intercountry,
      residenceTown,
    },
    errors,
    notes,
  }
}
