// The root-seeking forms (zod; messages are catalogue keys). The request form is shared by the
// public page and the staff's "record a request received by mail": built for a given day so that
// dates in the past are refused next to their field.
import { z } from 'zod'
import { optionalText, text } from '#app/platform/text.ts'
import { isoDate } from '#app/registration/schemas.ts'


/** The public page's whole submission, documents included. */
export const PUBLIC_MAX_BYTES = 8 * 1024 * 1024
export const MAX_VISITORS = 6
export const VISITOR_SLOTS = 4

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return zone.includes('/') || zone === 'UTC'
  } catch {
    return false
  }
}

/** Passport numbers: letters and digits, 5 to 20, stored upper case without spaces. */
export const passportNumber = z
  .string({ error: 'validation.required' })
  .transform((v) => v.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().min(1, 'validation.required').regex(/^[A-Z0-9]{5,20}$/, 'rootseeking.passport.format'))

export const visitorSchema = z.object({
  name: text(100),
  relation: text(60),
  nationality: text(60),
  birthDate: isoDate,
  passportNumber,
  passportExpiry: isoDate,
})
export type VisitorInput = z.infer<typeof visitorSchema>

export function requestSchema(today: string) {
  return z
    .object({
      applicantName: text(100),
      nationality: text(60),
      residenceCountry: text(60),
      email: z.string({ error: 'validation.required' }).trim().toLowerCase().email('validation.email').max(200),
      language: z.enum(['en', 'zh'], { error: 'validation.chooseOne' }),
      timeZone: text(60).refine(validTimeZone, 'rootseeking.timeZone.invalid'),
      adopteeNameThen: text(100),
      adopteeNameNow: text(100),
      adopteeBirthDate: isoDate,
      registrationNumber: text(60),
      registrationDate: isoDate,
      institution: text(100),
      wishedFrom: isoDate,
      wishedTo: isoDate,
      wishedPlaces: text(500),
      message: optionalText(2000),
      // The form offers a fixed number of rows: the rows left empty are not visitors.
      visitors: z.preprocess(
        (rows) => (Array.isArray(rows) ? rows.filter((r) => r && typeof r === 'object' && Object.values(r).some((v) => v !== undefined && v !== '')) : rows ?? []),
        z.array(visitorSchema, { error: 'rootseeking.visitors.required' }).min(1, 'rootseeking.visitors.required').max(MAX_VISITORS, 'rootseeking.visitors.tooMany'),
      ),
    })
    .superRefine((v, ctx) => {
      if (v.adopteeBirthDate >= today) ctx.addIssue({ code: 'custom', path: ['adopteeBirthDate'], message: 'rootseeking.date.notPast' })
      if (v.registrationDate > today) ctx.addIssue({ code: 'custom', path: ['registrationDate'], message: 'rootseeking.date.notPast' })
      if (v.registrationDate < v.adopteeBirthDate) ctx.addIssue({ code: 'custom', path: ['registrationDate'], message: 'rootseeking.registrationBeforeBirth' })
      if (v.wishedFrom <= today) ctx.addIssue({ code: 'custom', path: ['wishedFrom'], message: 'rootseeking.date.inPast' })
      if (v.wishedTo < v.wishedFrom) ctx.addIssue({ code: 'custom', path: ['wishedTo'], message: 'rootseeking.date.order' })
      const seen = new Set<string>()
      v.visitors.forEach((visitor, i) => {
        if (visitor.birthDate >= today) ctx.addIssue({ code: 'custom', path: ['visitors', i, 'birthDate'], message: 'rootseeking.date.notPast' })
        // A passport must be valid on the last day of the visit.
        if (visitor.passportExpiry < v.wishedTo) ctx.addIssue({ code: 'custom', path: ['visitors', i, 'passportExpiry'], message: 'rootseeking.passport.expires' })
        if (seen.has(visitor.passportNumber)) ctx.addIssue({ code: 'custom', path: ['visitors', i, 'passportNumber'], message: 'rootseeking.passport.duplicate' })
        seen.add(visitor.passportNumber)
      })
    })
}
export type RequestInput = z.infer<ReturnType<typeof requestSchema>>

const visitorFields = ['name', 'relation', 'nationality', 'birthDate', 'passportNumber', 'passportExpiry'] as const

/** Which form rows the kept visitors came from, to pair each with its passport copy upload. */
export function keptVisitorRows(formData: FormData): number[] {
  const kept: number[] = []
  for (let i = 0; i < MAX_VISITORS; i++) {
    if (visitorFields.some((f) => String(formData.get(`visitors[${i}].${f}`) ?? '').trim() !== '')) kept.push(i)
  }
  return kept
}

const time = z.string({ error: 'validation.required' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'rootseeking.time.invalid')

export const verifySchema = z.object({
  version: z.coerce.number().int(),
  visitorsMatch: z.boolean({ error: 'rootseeking.verify.visitorsMatch' }).refine((v) => v, 'rootseeking.verify.visitorsMatch'),
  paperArchive: optionalText(200),
  note: optionalText(1000),
})

export function acceptSchema(today: string) {
  return z
    .object({
      version: z.coerce.number().int(),
      caseworkerId: z.string({ error: 'validation.chooseOne' }).regex(/^\d{1,18}$/, 'validation.chooseOne'),
      visitOn: isoDate,
      startsAt: time,
      endsAt: time,
      places: text(500),
      receivingStaff: text(200),
      interpreter: text(100),
      institutionContact: text(200),
      mayShow: text(1000),
      noFee: z.boolean({ error: 'rootseeking.plan.noFee' }).refine((v) => v, 'rootseeking.plan.noFee'),
    })
    .superRefine((v, ctx) => {
      if (v.visitOn <= today) ctx.addIssue({ code: 'custom', path: ['visitOn'], message: 'rootseeking.date.inPast' })
      if (v.endsAt <= v.startsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'rootseeking.time.order' })
    })
}
export type PlanInput = z.infer<ReturnType<typeof acceptSchema>>

export const declineSchema = z.object({
  version: z.coerce.number().int(),
  reasons: text(2000),
})

export const disclosureSchema = z
  .object({
    disclose: z.enum(['yes', 'no'], { error: 'validation.chooseOne' }),
    basis: text(2000),
    // An imported registration with secrecy does not record who asked for it: disclosing needs
    // the paper file checked (app/rootseeking/disclosure.server.ts).
    paperFileChecked: z.boolean().default(false),
    paperFileReference: optionalText(100),
  })
  .superRefine((v, ctx) => {
    if (v.paperFileChecked && !v.paperFileReference) ctx.addIssue({ code: 'custom', path: ['paperFileReference'], message: 'rootseeking.disclosure.paperFileReferenceRequired' })
  })

export function recordSchema(today: string) {
  return z
    .object({
      version: z.coerce.number().int(),
      visitedOn: isoDate,
      attendees: z.array(z.string().regex(/^\d{1,18}$/), { error: 'rootseeking.record.attendees' }).min(1, 'rootseeking.record.attendees'),
      placesVisited: text(1000),
      shown: text(2000),
      followUp: optionalText(2000),
    })
    .superRefine((v, ctx) => {
      if (v.visitedOn > today) ctx.addIssue({ code: 'custom', path: ['visitedOn'], message: 'rootseeking.date.future' })
    })
}

export const statusSchema = z.object({
  reference: z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(40),
  email: z.string({ error: 'validation.required' }).trim().toLowerCase().email('validation.email').max(200),
})
