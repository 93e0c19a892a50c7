// The policy form: text fields as posted, checked against policyRulesSchema with its messages next
// to the fields ("1, 3, 6, 12" months; an empty repeat interval means no repeat).
import { z } from 'zod'
import { optionalText, text } from '#app/platform/text.ts'
import { policyRulesSchema, type PolicyRules } from './policy.ts'

const int = (min: number, max: number) => z.coerce.number({ error: 'validation.invalid' }).int('validation.invalid')
  .min(min, `followup.policy.range|min=${min}|max=${max}`).max(max, `followup.policy.range|min=${min}|max=${max}`)

export const policyFormSchema = z.object({
  visitsAfterMonths: text(200)
    .refine((s) => s.split(/[,，、\s]+/).filter(Boolean).every((p) => /^\d{1,3}$/.test(p)), 'followup.policy.monthsFormat'),
  thenEveryMonths: int(1, 60).optional(),
  untilAge: int(1, 18),
  windowDays: int(0, 60),
  note: optionalText(200),
  basedOn: z.string().optional(),
}).superRefine((v, ctx) => {
  const parsed = policyRulesSchema.safeParse(rulesOfForm(v))
  // The other fields have their own messages above; here the months as a whole (order, range, count).
  const months = parsed.success ? [] : parsed.error.issues.filter((i) => i.path[0] === 'visitsAfterMonths')
  if (months.length) ctx.addIssue({ code: 'custom', path: ['visitsAfterMonths'], message: months[0].message.startsWith('followup.') ? months[0].message : 'followup.policy.monthsRange' })
})

export function rulesOfForm(v: { visitsAfterMonths: string; thenEveryMonths?: number; untilAge: number; windowDays: number }): PolicyRules {
  return {
    visitsAfterMonths: v.visitsAfterMonths.split(/[,，、\s]+/).filter(Boolean).map(Number),
    thenEveryMonths: v.thenEveryMonths ?? null,
    untilAge: v.untilAge,
    windowDays: v.windowDays,
  }
}
