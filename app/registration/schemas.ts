// The application form (one zod schema, shared by the browser and the server). Messages are
// catalogue keys. Citizen ID numbers are checked (GB 11643) and cross-checked with the entered
// date of birth and sex, next to the field that is wrong.
import { z } from 'zod'
import { optionalText, text } from '#app/platform/text.ts'
import { parseCitizenId, normalizeCitizenId } from '#app/platform/citizen-id.ts'
import { refusalGrounds } from '#db/schema.ts'
import { residenceFields, withoutTownIfAbroad } from '#app/residence/schemas.ts'


export const isoDate = z
  .string({ error: 'validation.required' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && v >= '1900-01-01'
  }, 'validation.date')

const sex = z.enum(['male', 'female'], { error: 'validation.chooseOne' })
const triState = z.enum(['yes', 'no', 'unknown']).default('unknown')
const count = z.coerce.number({ error: 'validation.invalid' }).int('validation.invalid').min(0, 'validation.invalid').max(20, 'validation.invalid')

const idNumber = z
  .string()
  .trim()
  .max(30, 'validation.invalid')
  .transform((v) => normalizeCitizenId(v))

function checkId(person: { idNumber?: string; birthDate?: string; sex?: string }, ctx: z.RefinementCtx, required: boolean) {
  if (!person.idNumber) {
    if (required) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'validation.required' })
    return
  }
  const parsed = parseCitizenId(person.idNumber)
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', path: ['idNumber'], message: `citizenId.${parsed.reason}` })
    return
  }
  if (person.birthDate && parsed.birthDate !== person.birthDate) {
    ctx.addIssue({ code: 'custom', path: ['idNumber'], message: `registration.idMismatch.birthDate|date=${parsed.birthDate}` })
  }
  if (person.sex && parsed.sex !== person.sex) {
    ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'registration.idMismatch.sex' })
  }
}

const adopter = z
  .object({
    name: text(60),
    sex,
    birthDate: isoDate,
    idNumber: idNumber.optional(),
    hukouAddress: text(200),
    currentAddress: optionalText(200),
    phone: optionalText(30),
    maritalStatus: z.enum(['unmarried', 'married', 'divorced', 'widowed'], { error: 'validation.chooseOne' }),
    children: count.default(0),
    adoptedChildren: count.default(0),
    overseasChinese: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    checkId(p, ctx, true)
    if (p.adoptedChildren > p.children) ctx.addIssue({ code: 'custom', path: ['adoptedChildren'], message: 'registration.adoptedMoreThanChildren' })
  })

const child = z
  .object({
    name: text(60),
    sex,
    birthDate: isoDate,
    idNumber: idNumber.optional(),
    hukouAddress: optionalText(200),
    nameAfterAdoption: optionalText(60),
    situation: z.enum(['orphan', 'parents_not_found', 'parents_in_difficulty', 'parents_lack_capacity', 'other'], { error: 'validation.chooseOne' }),
    inWelfareInstitution: z.boolean().default(false),
    disabled: z.boolean().default(false),
    consents: triState,
  })
  .superRefine((p, ctx) => checkId(p, ctx, false))

const placingPerson = z
  .object({
    name: text(60),
    sex: sex.optional(),
    birthDate: isoDate.optional(),
    idNumber: idNumber.optional(),
    hukouAddress: optionalText(200),
    phone: optionalText(30),
  })
  .superRefine((p, ctx) => checkId(p, ctx, true))

export const applicationSchema = z
  .object({
    version: z.coerce.number().int().optional(),
    relation: z.enum(['none', 'relative', 'stepchild'], { error: 'validation.chooseOne' }),
    placingKind: z.enum(['guardian', 'welfare_institution', 'birth_parents', 'birth_parent'], { error: 'validation.chooseOne' }),
    otherParentUnknownOrMissing: z.boolean().default(false),
    // Art. 1108: the other birth parent has died and the survivor places the child alone; the
    // deceased parent's parents then have priority to raise the child (their waiver is needed).
    otherParentDeceased: z.boolean().default(false),
    deceasedParentsParents: z.enum(['unknown', 'none_living', 'waived', 'unable']).default('unknown'),
    consentOfSupporters: triState,
    foundling: z.boolean().default(false),
    secrecy: z.boolean().default(false),
    secrecyRequestedBy: z.enum(['adopter', 'placing_party', 'both']).optional(),
    deFactoSince: isoDate.optional(),
    institutionName: optionalText(100),
    institutionAddress: optionalText(200),
    adopter1: adopter,
    joint: z.boolean().default(false),
    adopter2: adopter.optional(),
    child,
    placing1: placingPerson.optional(),
    placing2: placingPerson.optional(),
    // The adopters' town of residence (乡镇、街道: app/residence), or that they live abroad; the
    // server checks the town against the registry's list (checkResidenceTown).
    ...residenceFields,
    // Set by the form when the registry keeps a list of towns (so the browser names a missing town
    // with the other fields); the server decides from the list itself either way.
    townRequired: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (v.joint && !v.adopter2) ctx.addIssue({ code: 'custom', path: ['adopter2', 'name'], message: 'registration.spouseRequired' })
    if (v.secrecy && !v.secrecyRequestedBy) ctx.addIssue({ code: 'custom', path: ['secrecyRequestedBy'], message: 'validation.chooseOne' })
    if (v.placingKind === 'welfare_institution' && !v.institutionName) {
      ctx.addIssue({ code: 'custom', path: ['institutionName'], message: 'validation.required' })
    }
    if (v.placingKind !== 'welfare_institution' && !v.placing1) {
      ctx.addIssue({ code: 'custom', path: ['placing1', 'name'], message: 'validation.required' })
    }
    if (v.placingKind === 'birth_parents' && !v.placing2) {
      ctx.addIssue({ code: 'custom', path: ['placing2', 'name'], message: 'registration.bothParentsRequired' })
    }
    if (v.joint && v.adopter2 && v.adopter1.idNumber && v.adopter1.idNumber === v.adopter2.idNumber) {
      ctx.addIssue({ code: 'custom', path: ['adopter2', 'idNumber'], message: 'registration.samePerson' })
    }
    if (v.townRequired && !v.residesAbroad && !v.residenceTown) {
      ctx.addIssue({ code: 'custom', path: ['residenceTown'], message: 'towns.residence.required' })
    }
    // A foundling (弃婴) is a child whose birth parents cannot be found (art. 1093(2); the 60-day
    // notice seeks them): any other situation contradicts the flag.
    if (v.foundling && v.child.situation !== 'parents_not_found') {
      ctx.addIssue({ code: 'custom', path: ['child', 'situation'], message: 'registration.foundlingSituation' })
      ctx.addIssue({ code: 'custom', path: ['foundling'], message: 'registration.foundlingSituation' })
    }
    if (v.otherParentDeceased && v.placingKind !== 'birth_parent') {
      ctx.addIssue({ code: 'custom', path: ['otherParentDeceased'], message: 'registration.deceasedOnlyAlone' })
    }
    if (v.otherParentDeceased && v.otherParentUnknownOrMissing) {
      ctx.addIssue({ code: 'custom', path: ['otherParentDeceased'], message: 'registration.deceasedOrMissing' })
    }
    if (v.deFactoSince && v.deFactoSince < v.child.birthDate) {
      ctx.addIssue({ code: 'custom', path: ['deFactoSince'], message: 'registration.deFactoBeforeBirth' })
    }
  })

export type ApplicationInput = z.infer<typeof applicationSchema>

export const findingsSchema = z.object({
  position: z.coerce.number().int().min(1).max(2),
  disqualifyingDisease: triState,
  harmfulRecord: triState,
  note: optionalText(500),
})

export const assessmentReportSchema = z.object({
  conclusion: z.enum(['recommended', 'not_recommended'], { error: 'validation.chooseOne' }),
  reportOn: isoDate,
  reference: text(100),
})

export const decisionSchema = z
  .object({
    decision: z.enum(['register', 'refuse'], { error: 'validation.chooseOne' }),
    facts: optionalText(4000),
    basis: optionalText(2000),
    ground: z.enum(refusalGrounds, { error: 'validation.chooseOne' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'refuse') {
      if (!v.ground) ctx.addIssue({ code: 'custom', path: ['ground'], message: 'validation.chooseOne' })
      if (!v.facts) ctx.addIssue({ code: 'custom', path: ['facts'], message: 'registration.refusal.factsRequired' })
      if (!v.basis) ctx.addIssue({ code: 'custom', path: ['basis'], message: 'registration.refusal.basisRequired' })
    }
  })

export const approvalSchema = z.object({
  serial: optionalText(40),
  registeredOn: isoDate.optional(),
})

export const reasonSchema = z.object({ reason: text(1000) })

/** The child's photo published with the notice seeking the birth parents. */
export const NOTICE_PHOTO_MAX_BYTES = 5 * 1024 * 1024

/**
 * The notice seeking the birth parents (Civil Code art. 1105 para. 2): the day, where it was
 * published and its text; the photo is checked by the action (its kind is read from its bytes).
 */
export const publicNoticeSchema = z.object({
  on: isoDate,
  medium: z.enum(['newspaper', 'website'], { error: 'validation.chooseOne' }),
  outlet: text(200),
  reference: text(500),
  text: text(5000),
})

export const dissolutionSchema = z.object({
  agreementOn: isoDate,
  childConsents: triState,
  certificateReturned: z.boolean().default(false),
  note: optionalText(1000),
})

export const revocationSchema = z.object({
  reason: text(2000),
  certificateConfiscated: z.boolean().default(false),
  notRecoveredNote: optionalText(1000),
})

export const reissueRequestSchema = z.object({
  kind: z.enum(['lost', 'damaged', 'corrected'], { error: 'validation.required' }),
  reason: text(500),
})
export const reissueDecisionSchema = z.object({
  reissue: z.string().regex(/^\d{1,18}$/),
  version: z.coerce.number().int(),
  decision: z.enum(['approve', 'refuse']),
  note: optionalText(500),
})
export const reissueIssueSchema = z.object({
  reissue: z.string().regex(/^\d{1,18}$/),
  version: z.coerce.number().int(),
  serial: text(40),
})

/**
 * Drops the form sections that do not apply (the spouse when not a joint adoption, the placing
 * persons when an institution places, the second parent unless both place), so that fields left
 * filled in a hidden or irrelevant section neither block nor pollute the application.
 */
export function pruneApplicationForm(formData: FormData): FormData {
  const out = new FormData()
  const joint = formData.get('joint') === 'on'
  const placingKind = formData.get('placingKind')
  for (const [key, value] of formData) {
    if (key.startsWith('adopter2.') && !joint) continue
    if (key.startsWith('placing1.') && placingKind === 'welfare_institution') continue
    if (key.startsWith('placing2.') && placingKind !== 'birth_parents') continue
    if ((key === 'institutionName' || key === 'institutionAddress') && placingKind !== 'welfare_institution') continue
    if (withoutTownIfAbroad(formData, key)) continue
    out.append(key, value)
  }
  return out
}

const numberPattern = text(80).refine((v) => v.includes('{year}') && /\{seq(:\d)?\}/.test(v), 'registry.pattern.invalid')

export const registrySettingsSchema = z.object({
  name: text(100),
  nameEn: optionalText(200).transform((v) => v ?? ''),
  numberPrefix: optionalText(20).transform((v) => v ?? ''),
  numberPattern,
  dissolutionNumberPattern: numberPattern,
  refusalNumberPattern: numberPattern,
  reconsiderationBody: optionalText(100).transform((v) => v ?? ''),
  court: optionalText(100).transform((v) => v ?? ''),
  archiveNumberPattern: text(80).refine((v) => v.includes('{year}') && v.includes('{type}') && /\{seq(:\d)?\}/.test(v), 'registry.archivePattern.invalid'),
  archiveFilingDays: z.coerce.number({ error: 'validation.invalid' }).int('validation.invalid').min(1, 'validation.invalid').max(3650, 'validation.invalid'),
  archiveUploadMaxMb: z.coerce.number({ error: 'validation.invalid' }).int('validation.invalid').min(1, 'validation.invalid').max(200, 'validation.invalid'),
  archiveAccessDays: z.coerce.number({ error: 'validation.invalid' }).int('validation.invalid').min(1, 'validation.invalid').max(90, 'validation.invalid'),
  archiveTransferYears: z.coerce.number({ error: 'validation.invalid' }).int('validation.invalid').min(1, 'validation.invalid').max(100, 'validation.invalid'),
  archivesBureau: optionalText(100).transform((v) => v ?? ''),
  followupEscalationDays: z.coerce.number({ error: 'validation.invalid' }).int('validation.invalid').min(1, 'validation.invalid').max(365, 'validation.invalid'),
  // The day the registry began registering in the system: imported registrations are dated before it (decision 027). Empty: not set, no import runs.
  goLiveOn: isoDate.optional().transform((v) => v ?? null),
})
export type RegistrySettings = z.infer<typeof registrySettingsSchema>
