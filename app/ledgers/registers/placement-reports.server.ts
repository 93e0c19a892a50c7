// The post-placement report register for exports (app/followup/placement-ledger.server.ts holds its query).
import { parsePlacementFilter, placementReportsQuery, placementSort, type PlacementFilter } from '#app/followup/placement-ledger.server.ts'
import { withoutPaging } from '../filter-fields.ts'
import { cursorOf } from '../sorting.server.ts'
import type { Register } from '../registers.server.ts'
import { columnsOf, countRows, day, translatorFor } from './kit.server.ts'

export const placementReportsRegister: Register = {
  key: 'placement_reports',
  title: 'export.ledger.placement_reports',
  permission: 'followup.read',
  parseFilter: (raw) => parsePlacementFilter(withoutPaging(raw)),
  count: (db, _cipher, viewer, filter, today) => countRows(placementReportsQuery(db, viewer, filter as PlacementFilter, today)),
  async rows(db, _cipher, viewer, filter, today, after, limit, locale) {
    const rows = await placementReportsQuery(db, viewer, { ...(filter as PlacementFilter), after: after ?? undefined }, today).limit(limit).execute()
    const t = translatorFor(locale)
    return rows.map((r) => ({
      cursor: cursorOf(placementSort, filter, r),
      cells: [
        Number(r.id), r.registrationNumber, day(r.registeredOn), r.childName, r.adopters, r.country, r.agency, r.sequence,
        day(r.dueOn), day(r.windowFrom), day(r.windowTo), t(`followup.ic.status.${r.state}`), day(r.receivedOn), r.caseworkerName,
      ],
    }))
  },
  columns: (locale) => columnsOf(locale, [
    ['export.col.task', 'number', 8],
    ['followup.ic.registrationNumber', 'text', 24],
    ['followup.ic.registeredOn', 'date', 12],
    ['followup.ic.childName', 'text', 12],
    ['followup.ic.adopters', 'text', 24],
    ['followup.ic.country', 'text', 12],
    ['followup.ic.agency', 'text', 30],
    ['export.col.sequence', 'number', 6],
    ['ledger.reg.placement.dueOn', 'date', 12],
    ['export.col.windowFrom', 'date', 12],
    ['export.col.windowTo', 'date', 12],
    ['ledger.reg.placement.state', 'text', 14],
    ['ledger.reg.placement.receivedOn', 'date', 12],
    ['followup.caseworker', 'text', 12],
  ]),
}
