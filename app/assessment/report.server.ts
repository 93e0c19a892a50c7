// From a loaded assessment to the report PDF (评估报告). Documents take plain data only.
import { loadDocuments, missingGlyphsOf } from '#app/platform/documents.server.ts'
import { ProcedureError } from '#app/registration/applications.server.ts'
import { NotFoundError } from '#app/platform/http.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import type { LoadedAssessment } from './assessments.server.ts'

export async function assessmentReportPdf(loaded: LoadedAssessment, registryName: string, version?: number): Promise<Uint8Array> {
  const report = version ? loaded.reports.find((r) => r.version === version) : loaded.reports.find((r) => !r.supersededAt)
  if (!report) throw new NotFoundError('report')
  const { header } = loaded
  const def = header.instrument.definition
  const kind = (k: string) => translate('zh', `assessment.kind.${k}`)
  const active = loaded.members.filter((m) => !m.removedAt)
  const days = header.integrationFrom && header.integrationTo ? Math.round((Date.parse(header.integrationTo) - Date.parse(header.integrationFrom)) / 86_400_000) : 0
  try {
    const { renderAssessmentReport } = await loadDocuments()
    return await renderAssessmentReport({
      registry: registryName,
      reportNumber: report.number,
      version: report.version,
      correctionReason: report.reason ?? undefined,
      applicants: header.adopters,
      child: header.child,
      assessor: header.mode === 'agency' && header.agencyName
        ? { kind: 'agency', name: header.agencyName, creditCode: header.agencyCreditCode ?? '' }
        : { kind: 'in_house', name: registryName },
      instrument: { title: def.title.zh, version: header.instrument.version },
      noticeOn: header.noticeOn ?? report.reportOn,
      consentOn: header.consentOn ?? report.reportOn,
      reportOn: report.reportOn,
      integration: header.integrationFrom && header.integrationTo ? { from: header.integrationFrom, to: header.integrationTo, days } : null,
      activities: loaded.activities.filter((a) => a.kind !== 'preparation').map((a) => ({ on: a.on, kind: kind(a.kind), place: a.place, assessors: a.present, summary: a.notes })),
      preparation: loaded.activities.filter((a) => a.kind === 'preparation').map((a) => ({ on: a.on, topic: a.topic ?? a.notes })),
      dimensions: def.dimensions.map((d) => {
        const s = loaded.scores.find((x) => x.dimension === d.code)
        return {
          title: d.title.zh,
          score: s?.score ?? null,
          maxScore: d.maxScore,
          findings: s?.findings ?? '',
          vetoes: (s?.vetoes ?? []).map((code) => d.vetoItems.find((v) => v.code === code)?.zh ?? code),
        }
      }),
      total: def.scale && report.total !== null ? { score: report.total, max: def.scale.max, pass: def.scale.pass } : null,
      conclusion: report.conclusion === 'recommended' ? def.conclusions.recommended.zh : def.conclusions.notRecommended.zh,
      facts: report.facts,
      annexes: [
        translate('zh', 'assessment.report.annex.activities', { count: loaded.activities.length }),
        translate('zh', 'assessment.report.annex.scores', { count: loaded.scores.length }),
      ],
      signatures: active.map((m) => ({ name: m.name, signedAt: signedAt(report.signatures.find((s) => s.userId === m.userId)?.signedAt) })),
    })
  } catch (error) {
    const missing = await missingGlyphsOf(error)
    if (missing) throw new ProcedureError('registration.missingGlyph', { chars: missing.join(' ') })
    throw error
  }
}

const signedAt = (at: Date | string | undefined) => (at ? new Date(at).toISOString() : null)
