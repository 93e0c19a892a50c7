// The rules of a visit report, pure so the form (field messages) and the command (the backstop)
// apply the same ones: a visit is not dated in the future; outside the task's window only with a
// reason; a concern other than "none" has its details; a support need has its referral record;
// a serious concern (suspected abuse, neglect, abandonment) is not submitted without to whom and
// when the mandatory report was made (the DB constraint visit_reports_mandatory_report backs it).
import { z } from 'zod'
import { optionalText, text } from '#app/platform/text.ts'
import { isoDate } from '#app/registration/schemas.ts'

export const SUPPORT_NEEDS = ['school', 'medical', 'financial', 'psychological'] as const
export const CONCERN_LEVELS = ['none', 'minor', 'moderate', 'serious'] as const
export const MAX_PHOTOS = 12
export const AUTHORITIES = ['police', 'civil_affairs', 'education', 'procuratorate', 'other'] as const

export type ReportRuleContext = { today: string; windowFrom: string; windowTo: string; submit: boolean }

export type ReportFields = {
  visitedOn: string
  outsideWindowReason?: string
  met: string
  dailyCare: string
  health: string
  schooling: string
  bonding: string
  supportNeeds: (typeof SUPPORT_NEEDS)[number][]
  referral?: string
  concernLevel: (typeof CONCERN_LEVELS)[number]
  concernDetails?: string
  reportedTo?: (typeof AUTHORITIES)[number]
  reportedToOther?: string
  reportedAt?: string // YYYY-MM-DDTHH:mm, Asia/Shanghai
  correctionReason?: string
}

/** Every broken rule as [field, message key]; empty when the report may be saved (or submitted). */
export function reportRuleViolations(v: ReportFields, ctx: ReportRuleContext, isCorrection = false): [keyof ReportFields, string][] {
  const out: [keyof ReportFields, string][] = []
  if (v.visitedOn > ctx.today) out.push(['visitedOn', 'followup.report.futureDate'])
  else if ((v.visitedOn < ctx.windowFrom || v.visitedOn > ctx.windowTo) && !v.outsideWindowReason?.trim()) out.push(['outsideWindowReason', 'followup.report.outsideWindow'])
  if (v.supportNeeds.length > 0 && !v.referral?.trim()) out.push(['referral', 'followup.report.referralRequired'])
  if (v.concernLevel !== 'none' && !v.concernDetails?.trim()) out.push(['concernDetails', 'followup.report.concernDetails.required'])
  if (isCorrection && !v.correctionReason?.trim()) out.push(['correctionReason', 'followup.report.correctionReason.required'])
  if (v.reportedTo === 'other' && !v.reportedToOther?.trim()) out.push(['reportedToOther', 'validation.required'])
  if (v.reportedAt && v.reportedAt.slice(0, 10) > ctx.today) out.push(['reportedAt', 'followup.report.reportedAtFuture'])
  if (ctx.submit && v.concernLevel === 'serious') {
    if (!v.reportedTo) out.push(['reportedTo', 'followup.report.mandatoryTo'])
    if (!v.reportedAt) out.push(['reportedAt', 'followup.report.mandatoryAt'])
  }
  return out
}

/** The instant of a local Asia/Shanghai date-time (no daylight saving: always +08:00). */
export const reportedAtInstant = (local: string) => new Date(`${local.length === 16 ? `${local}:00` : local}+08:00`)

/** The stored authority: the code, or "other:<name>". */
export const authorityOf = (v: Pick<ReportFields, 'reportedTo' | 'reportedToOther'>) =>
  !v.reportedTo ? null : v.reportedTo === 'other' ? `other:${v.reportedToOther!.trim()}` : v.reportedTo

const optional = optionalText

/** The form's schema for one task: the rules become messages next to their fields. */
export function reportSchema(ctx: ReportRuleContext, isCorrection = false) {
  return z.object({
    visitedOn: isoDate,
    outsideWindowReason: optional(500),
    met: text(500),
    dailyCare: text(2000),
    health: text(2000),
    schooling: text(2000),
    bonding: text(2000),
    supportNeeds: z.array(z.enum(SUPPORT_NEEDS)).default([]),
    referral: optional(1000),
    concernLevel: z.enum(CONCERN_LEVELS, { error: 'validation.chooseOne' }),
    concernDetails: optional(2000),
    reportedTo: z.enum(AUTHORITIES, { error: 'validation.chooseOne' }).optional(),
    reportedToOther: optional(100),
    reportedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'validation.invalid').optional(),
    correctionReason: optional(500),
    rowVersion: z.coerce.number().int().optional(),
  }).superRefine((v, zc) => {
    for (const [field, message] of reportRuleViolations(v, ctx, isCorrection)) zc.addIssue({ code: 'custom', path: [field], message })
  })
}
