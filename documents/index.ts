// The documents the registry prints. Each is a pure function from plain data to PDF bytes:
// deterministic (same data, same bytes), A4 unless stated, well under 100 KB. A character the font
// cannot draw (a rare name character such as 𠮷) makes rendering throw MissingGlyphError, whose
// message names the characters and fields so the registrar can act on it.
export { renderCertificate, CERTIFICATE_BLANK, APPROVAL_SENTENCE } from './certificate.ts'
export type {
  CertificateData,
  CertificateOptions,
  CertificateChild,
  CertificateAdopter,
  CertificatePlacingParty,
  BlankField,
  Sex,
} from './certificate.ts'
export { renderRefusalNotice, refusalParagraphs } from './refusal-notice.ts'
export type { RefusalNoticeData } from './refusal-notice.ts'
export { renderDissolutionCertificate, dissolutionStatement } from './dissolution-certificate.ts'
export type { DissolutionCertificateData, DissolutionParty } from './dissolution-certificate.ts'
export { MissingGlyphError, missingGlyphs, warmUpFonts } from './fonts.ts'
export { formatDateZh } from './layout.ts'
export type { IsoDate } from './layout.ts'
export { renderAssessmentReport, sampleAssessmentReport, ASSESSMENT_TITLE } from './assessment-report.ts'
export type { AssessmentReportData, AssessmentAssessor, AssessmentActivity, AssessmentDimension } from './assessment-report.ts'
export { renderArchiveFile, sampleArchiveFile, ARCHIVE_COVER_TITLE, DOCUMENT_LIST_TITLE } from './archive-cover.ts'
export type { ArchiveFileData, ArchiveDocument } from './archive-cover.ts'
export { renderTransferList, sampleTransferList, TRANSFER_TITLE } from './transfer-list.ts'
export type { TransferListData, TransferFile } from './transfer-list.ts'
export { renderAccessSlip, sampleAccessSlip, ACCESS_SLIP_TITLE } from './access-slip.ts'
export type { AccessSlipData, AccessRequester, AccessRequesterKind, AccessApproval } from './access-slip.ts'
export { watermarkPdf, watermarkLine } from './watermark.ts'
export type { WatermarkOptions } from './watermark.ts'
export { renderVisitRecord, sampleVisitRecord, VISIT_RECORD_TITLE } from './visit-record.ts'
export type { VisitRecordData } from './visit-record.ts'
export { renderMonitoringReport, sampleMonitoringReport, monitoringTitle } from './monitoring-report.ts'
export type { MonitoringReportData, MonitoringChart } from './monitoring-report.ts'
export { renderReceptionRecord, sampleReceptionRecord, RECEPTION_TITLE } from './reception-record.ts'
export type { ReceptionRecordData } from './reception-record.ts'
