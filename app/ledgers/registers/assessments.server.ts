// The assessments register for exports (app/assessment/ledger.server.ts holds its query).
import { assessmentSort, assessmentsQuery, daysLeft, parseAssessmentFilter, withAgency, type AssessmentFilter } from '#app/assessment/ledger.server.ts'
import { withoutPaging } from '../filter-fields.ts'
import { cursorOf } from '../sorting.server.ts'
import type { Register } from '../registers.server.ts'
import { columnsOf, countRows, day, translatorFor } from './kit.server.ts'

export const assessmentsRegister: Register = {
  key: 'assessments',
  title: 'export.ledger.assessments',
  permission: 'assessment.read',
  parseFilter: (raw) => parseAssessmentFilter(withoutPaging(raw)),
  async count(db, _cipher, viewer, filter, today) {
    return countRows(assessmentsQuery(db, await withAgency(db, viewer), filter as AssessmentFilter, today))
  },
  async rows(db, _cipher, viewer, filter, today, after, limit, locale) {
    const rows = await assessmentsQuery(db, await withAgency(db, viewer), { ...(filter as AssessmentFilter), after: after ?? undefined }, today).limit(limit).execute()
    const t = translatorFor(locale)
    return rows.map((r) => ({
      cursor: cursorOf(assessmentSort, filter, r),
      cells: [
        Number(r.id), r.registrationNumber, r.adopters, t(`assessment.state.${r.state}`), r.mode === 'agency' ? r.agency : t('assessment.mode.in_house'), r.team,
        day(r.commissionedOn), day(r.consentOn), day(r.dueOn), daysLeft(r, today), r.conclusion ? t(`ledger.reg.conclusion.${r.conclusion}`) : null,
        r.reportNumber, day(r.reportOn), r.total, r.town ?? (r.residesAbroad ? t('towns.residence.abroadShown') : null),
      ],
    }))
  },
  columns: (locale) => columnsOf(locale, [
    ['assessment.col.id', 'number', 8],
    ['ledger.col.number', 'text', 26],
    ['assessment.col.adopters', 'text', 18],
    ['assessment.col.state', 'text', 10],
    ['ledger.reg.assessment.agency', 'text', 24],
    ['assessment.col.team', 'text', 18],
    ['ledger.reg.assessment.commissionedOn', 'date', 12],
    ['assessment.col.consent', 'date', 12],
    ['assessment.col.due', 'date', 12],
    ['ledger.reg.assessment.daysLeft', 'number', 8],
    ['ledger.reg.assessment.conclusion', 'text', 12],
    ['ledger.reg.assessment.reportNumber', 'text', 22],
    ['ledger.reg.assessment.reportOn', 'date', 12],
    ['ledger.reg.assessment.total', 'number', 8],
    ['towns.residence', 'text', 16],
  ]),
}
