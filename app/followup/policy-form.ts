// The policy form: text fields as posted, checked against policyRulesSchema with its messages next
// to the fields ("1, 3, 6, 12" months; an empty repeat interval means no repeat).
import { z } from 'zod'
import { policyRulesSchema, type PolicyRules } from './policy.ts'

const int = (min: number, max: number) => z.coerce.number({ error: 'validation.invalid' }).int('validation.invalid')
  .min(min, `followup.policy.range|min=${min}|max=${max}`).max(max, `followup.policy.range|min=${min}|max=${max}`)

export const policyFormSchema = z.object({
  visitsAfterMonths: z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(200)
    .refine((s) => s.split(/[,，、\s]+/).filter(Boolean).every((p) => /^\d{1,3}$/.test(p)), 'followup.policy.monthsFormat'),
  thenEveryMonths: int(1, 60).optional(),
  untilAge: int(1, 18),
  windowDays: int(0, 60),
  note: z.string().trim().max(200).optional(),
  basedOn: z.string().optional(),
}).superRefine((v, ctx) => {
  const parsed = policyRulesSchema.safeParse(rulesOfForm(v))
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [String(issue.path[0] ?? 'visitsAfterMonths')], message: issue.message.startsWith('followup.') ? issue.message : 'followup.policy.monthsRange' })
})

export function rulesOfForm(v: { visitsAfterMonths: string; thenEveryMonths?: number; untilAge: number; windowDays: number }): PolicyRules {
  return {
    visitsAfterMonths: v.visitsAfterMonths.split(/[,，、\s]+/).filter(Boolean).map(Number),
    thenEveryMonths: v.thenEveryMonths ?? null,
    untilAge: v.untilAge,
    windowDays: v.windowDays,
  }
}
