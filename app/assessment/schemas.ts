// Forms of the assessment. Messages are catalogue keys.
import { z } from 'zod'
import { optionalText, text } from '#app/platform/text.ts'
import { isoDate } from '#app/registration/schemas.ts'
import { isValidCreditCode } from './credit-code.ts'

const id = z.string().regex(/^\d{1,18}$/, 'validation.invalid')

export const agencySchema = z
  .object({
    legalName: text(120),
    creditCode: z.string({ error: 'validation.required' }).trim().toUpperCase().refine(isValidCreditCode, 'assessment.agency.creditCode'),
    businessScope: text(500),
    contractFrom: isoDate,
    contractTo: isoDate,
    dpaSignedOn: isoDate.optional(),
  })
  .refine((v) => v.contractTo >= v.contractFrom, { path: ['contractTo'], message: 'assessment.agency.contractOrder' })

export const commissionSchema = z
  .object({
    mode: z.enum(['in_house', 'agency'], { error: 'validation.chooseOne' }),
    agencyId: id.optional(),
    members: z.array(id, { error: 'assessment.team.tooSmall' }).min(2, 'assessment.team.tooSmall'),
    on: isoDate,
  })
  .refine((v) => v.mode === 'in_house' || v.agencyId, { path: ['agencyId'], message: 'validation.chooseOne' })

export const declarationSchema = z.object({
  conflict: z.enum(['no', 'yes'], { error: 'validation.chooseOne' }),
  note: optionalText(500),
}).refine((v) => v.conflict === 'no' || v.note, { path: ['note'], message: 'assessment.declaration.noteRequired' })

export const datesSchema = z
  .object({ noticeOn: isoDate, consentOn: isoDate.optional() })
  .refine((v) => !v.consentOn || v.consentOn >= v.noticeOn, { path: ['consentOn'], message: 'assessment.dates.consentBeforeNotice' })

export const integrationSchema = z
  .object({ from: isoDate, to: isoDate })
  .refine((v) => (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 >= 30, { path: ['to'], message: 'assessment.integration.tooShort' })

export const activityKinds = ['interview', 'document_review', 'information_check', 'home_visit', 'field_visit', 'integration_observation', 'preparation'] as const

export const activitySchema = z.object({
  kind: z.enum(activityKinds, { error: 'validation.chooseOne' }),
  on: isoDate,
  place: text(200),
  present: z.array(id, { error: 'assessment.activity.presentRequired' }).min(1, 'assessment.activity.presentRequired'),
  topic: optionalText(200),
  notes: text(5000),
})

export const scoreSchema = z.object({
  dimension: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/),
  score: z.coerce.number({ error: 'validation.invalid' }).optional(),
  vetoes: z.array(z.string().max(60)).default([]),
  findings: text(5000),
})

export const alertSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, 'validation.chooseOne'),
  note: text(2000),
})

export const concludeSchema = z.object({
  reportOn: isoDate,
  facts: text(8000),
  conclusion: z.enum(['recommended', 'not_recommended']).optional(),
  reason: optionalText(1000),
})
