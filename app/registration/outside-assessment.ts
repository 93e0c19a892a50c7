// The assessment made outside the system (采用系统外评估). domain.md: local rules (e.g. Jiangxi)
// accept, for overseas Chinese (华侨) and residents of Hong Kong, Macao and Taiwan, an assessment
// report already made by a competent authority where they live. For everyone else the assessment is
// the system's own: a team of at least two, or an entrusted agency, signed by all (app/assessment),
// so one registrar can never record a conclusion alone. Pure: the page and the command both ask it.

/** Residence permits of Hong Kong, Macao and Taiwan residents carry 18-digit numbers starting 81, 82, 83. */
const HK_MACAO_TAIWAN_PERMIT = /^8[123]\d{15}[\dX]$/

export type OutsideAssessmentRefusal = 'registration.assessment.outsideNotAllowed' | 'registration.assessment.outsideOverRunning'

/**
 * Why this step of an outside assessment may not be taken, or null when it may. Never while an
 * assessment runs in the system (its conclusion comes from its team's signatures, not from this
 * form). To start one, an adopter must be overseas Chinese or hold a Hong Kong, Macao or Taiwan
 * residence permit. Its report is then recorded without asking again: the start was the gate, and a
 * case whose outside assessment began before this rule (2026-11-29) can still be finished.
 */
export function outsideAssessmentRefusal(
  step: 'start' | 'report',
  adopters: ReadonlyArray<{ overseasChinese: boolean; idNumber: string | null }>,
  assessmentRunningInSystem: boolean,
): OutsideAssessmentRefusal | null {
  if (assessmentRunningInSystem) return 'registration.assessment.outsideOverRunning'
  if (step === 'report') return null
  const livesOutside = adopters.some((a) => a.overseasChinese || (a.idNumber !== null && HK_MACAO_TAIWAN_PERMIT.test(a.idNumber)))
  return livesOutside ? null : 'registration.assessment.outsideNotAllowed'
}
