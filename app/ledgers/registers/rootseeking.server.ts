// The root-seeking request register for exports (app/rootseeking/ledger.server.ts holds its
// query). Passport numbers, e-mail addresses and the families' messages are never exported.
import { parseRootseekingFilter, rootseekingQuery, rootseekingSort, type RootseekingFilter } from '#app/rootseeking/ledger.server.ts'
import { formatReference } from '#app/rootseeking/reference.ts'
import { withoutPaging } from '../filter-fields.ts'
import { cursorOf } from '../sorting.server.ts'
import type { Register } from '../registers.server.ts'
import { columnsOf, countRows, day, translatorFor } from './kit.server.ts'

export const rootseekingRegister: Register = {
  key: 'rootseeking',
  title: 'export.ledger.rootseeking',
  permission: 'rootseeking.read',
  parseFilter: (raw) => parseRootseekingFilter(withoutPaging(raw)),
  count: (db, _cipher, viewer, filter, today) => countRows(rootseekingQuery(db, viewer, filter as RootseekingFilter, today)),
  async rows(db, _cipher, viewer, filter, today, after, limit, locale) {
    const rows = await rootseekingQuery(db, viewer, { ...(filter as RootseekingFilter), after: after ?? undefined }, today).limit(limit).execute()
    const t = translatorFor(locale)
    return rows.map((r) => ({
      cursor: cursorOf(rootseekingSort, filter, r),
      cells: [
        formatReference(r.reference), t(`rootseeking.channel.${r.channel}`), t(`rootseeking.state.${r.state}`), r.applicantName, r.nationality, r.country,
        r.adopteeName, r.adopteeNameThen, r.registrationNumber, day(r.registrationDate), r.institution, day(r.receivedOn), day(r.replyDueOn), day(r.repliedOn),
        Number(r.visitors ?? 0), day(r.visitOn), day(r.visitedOn), r.caseworkerName,
      ],
    }))
  },
  columns: (locale) => columnsOf(locale, [
    ['rootseeking.col.reference', 'text', 16],
    ['rootseeking.channel', 'text', 10],
    ['rootseeking.col.state', 'text', 14],
    ['rootseeking.col.family', 'text', 20],
    ['rootseeking.nationality', 'text', 10],
    ['rootseeking.col.country', 'text', 10],
    ['rootseeking.adopteeNameNow', 'text', 18],
    ['rootseeking.adopteeNameThen', 'text', 12],
    ['rootseeking.registrationNumber', 'text', 24],
    ['rootseeking.registrationDate', 'date', 12],
    ['rootseeking.institution', 'text', 20],
    ['rootseeking.col.received', 'date', 12],
    ['rootseeking.col.due', 'date', 12],
    ['ledger.reg.rootseeking.repliedOn', 'date', 12],
    ['ledger.reg.rootseeking.visitors', 'number', 8],
    ['rootseeking.col.visit', 'date', 12],
    ['ledger.reg.rootseeking.visitedOn', 'date', 12],
    ['rootseeking.col.caseworker', 'text', 12],
  ]),
}
