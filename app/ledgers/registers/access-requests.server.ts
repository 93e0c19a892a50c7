// The archive access requests register for exports (app/archive/access-ledger.server.ts holds its query).
import { accessRequestsQuery, accessSort, parseAccessFilter, shownState, type AccessFilter } from '#app/archive/access-ledger.server.ts'
import { withoutPaging } from '../filter-fields.ts'
import { cursorOf } from '../sorting.server.ts'
import type { Register } from '../registers.server.ts'
import { columnsOf, countRows, dayOfInstant, translatorFor, yesNo } from './kit.server.ts'

export const accessRequestsRegister: Register = {
  key: 'access_requests',
  title: 'export.ledger.access_requests',
  permission: 'archive.read',
  parseFilter: (raw) => parseAccessFilter(withoutPaging(raw)),
  count: (db, _cipher, viewer, filter, today) => countRows(accessRequestsQuery(db, viewer, filter as AccessFilter, today)),
  async rows(db, _cipher, viewer, filter, today, after, limit, locale) {
    const rows = await accessRequestsQuery(db, viewer, { ...(filter as AccessFilter), after: after ?? undefined }, today).limit(limit).execute()
    const t = translatorFor(locale)
    return rows.map((r) => ({
      cursor: cursorOf(accessSort, filter, r),
      cells: [
        Number(r.id), r.archiveNumber, yesNo(locale, r.confidential), t(`access.kind.${r.kind}`), r.requester, r.unit, r.letterReference, r.purpose, r.staffName,
        dayOfInstant(r.createdAt), t(`ledger.reg.access.state.${shownState(r)}`), r.approverName, dayOfInstant(r.decidedAt), dayOfInstant(r.validUntil),
        r.state === 'approved' ? yesNo(locale, r.revealBirthFamily) : null,
      ],
    }))
  },
  columns: (locale) => columnsOf(locale, [
    ['access.log.request', 'number', 8],
    ['archive.col.number', 'text', 26],
    ['ledger.secrecy', 'text', 8],
    ['access.kind', 'text', 12],
    ['access.name', 'text', 16],
    ['access.unit', 'text', 20],
    ['access.letterReference', 'text', 18],
    ['access.purpose', 'text', 30],
    ['access.staff', 'text', 12],
    ['ledger.reg.access.requestedOn', 'date', 12],
    ['archive.col.state', 'text', 10],
    ['ledger.reg.access.approver', 'text', 12],
    ['ledger.reg.access.decidedOn', 'date', 12],
    ['ledger.reg.access.validUntil', 'date', 12],
    ['access.revealBirthFamily', 'text', 14],
  ]),
}
