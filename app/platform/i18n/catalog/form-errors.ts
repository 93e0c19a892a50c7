// The error summary at the top of a refused form (app/components/forms.tsx FormErrors), the note
// on required fields, and the empty states of panels that have nothing to show yet.
export const zh = {
  'form.summary.title': '有 {count} 处需要更正：',
  'form.summary.item': '{field}：{error}',
  'form.summary.inSection': '{section} · {field}',
  'form.requiredNote': '带 * 的为必填项。',
  'assessment.alerts.none': '尚无须立即报告的情况。',
  'assessment.report.none': '尚无评估报告。',
}

export const en: Record<keyof typeof zh, string> = {
  'form.summary.title': 'Please correct the following ({count}):',
  'form.summary.item': '{field}: {error}',
  'form.summary.inSection': '{section} · {field}',
  'form.requiredNote': 'Fields marked * are required.',
  'assessment.alerts.none': 'No situation requiring an immediate report yet.',
  'assessment.report.none': 'No assessment report yet.',
}
