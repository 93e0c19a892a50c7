// The visit report register for exports (app/followup/report-ledger.server.ts holds its query).
// Levels and flags only: no text of the report (health, schooling, concerns) leaves in a file.
import { authorityKey, parseVisitReportFilter, visitReportSort, visitReportsQuery, type VisitReportFilter } from '#app/followup/report-ledger.server.ts'
import { withoutPaging } from '../filter-fields.ts'
import { cursorOf } from '../sorting.server.ts'
import type { Register } from '../registers.server.ts'
import { columnsOf, countRows, day, dayOfInstant, translatorFor, yesNo } from './kit.server.ts'

export const visitReportsRegister: Register = {
  key: 'visit_reports',
  title: 'export.ledger.visit_reports',
  permission: 'followup.supervise',
  parseFilter: (raw) => parseVisitReportFilter(withoutPaging(raw)),
  count: (db, _cipher, viewer, filter, today) => countRows(visitReportsQuery(db, viewer, filter as VisitReportFilter, today)),
  async rows(db, _cipher, viewer, filter, today, after, limit, locale) {
    const rows = await visitReportsQuery(db, viewer, { ...(filter as VisitReportFilter), after: after ?? undefined }, today).limit(limit).execute()
    const t = translatorFor(locale)
    return rows.map((r) => {
      const authority = authorityKey(r.reportedTo)
      return {
        cursor: cursorOf(visitReportSort, filter, r),
        cells: [
          Number(r.id), r.registrationNumber, r.sequence, r.version, day(r.visitedOn), yesNo(locale, r.visitedOn < r.windowFrom || r.visitedOn > r.windowTo),
          r.caseworkerName, dayOfInstant(r.signedAt), t(`followup.concern.${r.concernLevel}`), yesNo(locale, r.reportedTo !== null),
          authority ? t(authority) : null, dayOfInstant(r.reportedAt), t(r.status === 'reviewed' ? 'ledger.reg.report.reviewed' : 'ledger.reg.report.awaiting'),
          r.reviewerName, dayOfInstant(r.reviewedAt), r.town ?? (r.residesAbroad ? t('towns.residence.abroadShown') : null),
        ],
      }
    })
  },
  columns: (locale) => columnsOf(locale, [
    ['ledger.reg.report.id', 'number', 8],
    ['followup.registration', 'text', 26],
    ['export.col.sequence', 'number', 6],
    ['ledger.reg.report.version', 'number', 6],
    ['followup.report.visitedOn', 'date', 12],
    ['ledger.reg.report.outsideWindow', 'text', 10],
    ['followup.caseworker', 'text', 12],
    ['ledger.reg.report.signedOn', 'date', 12],
    ['followup.report.concern', 'text', 10],
    ['followup.report.mandatory', 'text', 10],
    ['followup.report.reportedTo', 'text', 12],
    ['ledger.reg.report.reportedOn', 'date', 12],
    ['ledger.reg.report.review', 'text', 10],
    ['ledger.reg.report.reviewer', 'text', 12],
    ['ledger.reg.report.reviewedOn', 'date', 12],
    ['towns.residence', 'text', 16],
  ]),
}
