// The towns and streets (乡镇、街道) of the county as the administrator enters them: the official
// administrative-division code (9 digits, or the 12-digit statistical form) and the name.
import { z } from 'zod'
import { text } from '#app/platform/text.ts'

export const TOWN_KINDS = ['subdistrict', 'town', 'township'] as const
export type TownKind = (typeof TOWN_KINDS)[number]

const code = z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').regex(/^(\d{9}|\d{12})$/, 'towns.code.invalid')
const name = text(40)
const id = z.string().regex(/^\d{1,18}$/)
const version = z.coerce.number().int().min(1)

export const addTownSchema = z.object({ code, name, kind: z.enum(TOWN_KINDS, { error: 'validation.chooseOne' }) })
export const renameTownSchema = z.object({ id, version, name })
export const retireTownSchema = z.object({ id, version })

/** The 9-digit town code of a 9- or 12-digit one (the statistical form appends the village's 000). */
export function townCode9(value: string): string | null {
  const v = value.trim()
  if (/^\d{9}$/.test(v)) return v
  if (/^\d{9}000$/.test(v)) return v.slice(0, 9)
  return null
}

/**
 * The adopters' town of residence as a form sends it (a town's id from the registry's list), or
 * that they live abroad: the application form and the correction of an imported registration
 * share these fields; the server checks the town against the list (checkResidenceTown).
 */
export const residenceFields = {
  residenceTown: z.string().regex(/^\d{1,18}$/, 'towns.residence.unknown').optional(),
  residesAbroad: z.boolean().default(false),
}

/** Abroad ticked: a town chosen as well is ignored (the database holds one or the other). */
export function withoutTownIfAbroad(formData: FormData, key: string): boolean {
  return key === 'residenceTown' && formData.get('residesAbroad') === 'on'
}
