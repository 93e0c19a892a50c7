// What an archive file holds, in the order of the archive measures (收养登记档案管理暂行办法;
// domain.md "Archives"): an establishment file — application, interview record, approval form, both
// parties' documents, the assessment report, the certificate copy, the agreement, other; a
// dissolution file — its documents, the dissolution certificate copy, other; a revocation file —
// the decision and the confiscated certificate or a note why it could not be recovered. Pure.
import type { ArchiveType } from '#db/schema.ts'

export type ArchiveCategory = {
  code: string
  /** Needed before the file can be filed (closed). */
  required: boolean
  /** Produced by the system from the case (the rest are scans of paper). */
  generated?: boolean
}

/** The longest reason an archivist gives for reading a document of a secrecy file. */
export const READ_REASON_MAX = 500

/**
 * Categories whose documents name the placing party (the birth family) or may do so: the
 * application, interview record and approval form list the placing party; their own documents;
 * the certificate prints 送养人 姓名或名称 and 住址 (documents/certificate.ts); the agreement and
 * the dissolution agreement are signed by them; the confiscated certificate is the certificate;
 * a refusal notice's facts, a revocation decision and "other" are free text that may name them.
 * A secrecy file consulted with the birth family withheld (app/archive/access.server.ts) serves
 * none of these. Only the adopters' documents, the assessment report (on the adopters) and the
 * dissolution certificate copy (adopters and child only) stay open.
 */
export const BIRTH_FAMILY_CATEGORIES: ReadonlySet<string> = new Set([
  'application', 'interview_record', 'approval_form', 'placing_documents', 'certificate_copy', 'agreement',
  'refusal_notice', 'dissolution_documents', 'revocation_decision', 'confiscated_certificate', 'other',
])

const establishment: ArchiveCategory[] = [
  { code: 'application', required: true },
  { code: 'interview_record', required: true },
  { code: 'approval_form', required: true },
  { code: 'adopter_documents', required: true },
  { code: 'placing_documents', required: true },
  { code: 'assessment_report', required: false, generated: true },
  { code: 'certificate_copy', required: true, generated: true },
  { code: 'agreement', required: false },
  { code: 'other', required: false },
]

export const contents: Record<ArchiveType, ArchiveCategory[]> = {
  establishment,
  // A refusal's file keeps what the decision was made on, and the notice issued.
  refusal: [
    { code: 'application', required: true },
    { code: 'interview_record', required: false },
    { code: 'approval_form', required: true },
    { code: 'adopter_documents', required: false },
    { code: 'placing_documents', required: false },
    { code: 'refusal_notice', required: true, generated: true },
    { code: 'other', required: false },
  ],
  dissolution: [
    { code: 'dissolution_documents', required: true },
    { code: 'dissolution_certificate_copy', required: true, generated: true },
    { code: 'other', required: false },
  ],
  revocation: [
    { code: 'revocation_decision', required: true },
    { code: 'confiscated_certificate', required: true },
    { code: 'other', required: false },
  ],
}

export const typeCodes: Record<ArchiveType, string> = { establishment: 'SY', refusal: 'BY', dissolution: 'JC', revocation: 'CX' }

export function categoryOrder(type: ArchiveType, code: string): number {
  const i = contents[type].findIndex((c) => c.code === code)
  return i < 0 ? contents[type].length : i
}

export function missingCategories(type: ArchiveType, present: readonly string[]): string[] {
  return contents[type].filter((c) => c.required && !present.includes(c.code)).map((c) => c.code)
}

/** Page ranges of the document list (卷内目录): documents numbered in file order, pages running on. */
export function pageRanges<T extends { pages: number }>(documents: readonly T[]): Array<T & { from: number; to: number }> {
  let next = 1
  return documents.map((d) => {
    const range = { ...d, from: next, to: next + d.pages - 1 }
    next += d.pages
    return range
  })
}

export function formatArchiveNumber(pattern: string, values: { code: string; year: number; type: ArchiveType; seq: number }): string {
  return pattern.replace(/\{(code|year|type|seq)(?::(\d))?\}/g, (_w, name: string, width?: string) => {
    if (name === 'code') return values.code
    if (name === 'year') return String(values.year)
    if (name === 'type') return typeCodes[values.type]
    return width ? String(values.seq).padStart(Number(width), '0') : String(values.seq)
  })
}
