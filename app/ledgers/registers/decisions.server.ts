// The register of refusals, dissolutions and revocations for exports
// (app/registration/decisions-ledger.server.ts holds its query). The first adopter's ID number is
// decrypted only to be masked, as in the registrations register.
import { maskCitizenId } from '#app/platform/citizen-id.ts'
import { decisionNumber, decisionSort, decisionsQuery, parseDecisionFilter, type DecisionFilter } from '#app/registration/decisions-ledger.server.ts'
import { withoutPaging } from '../filter-fields.ts'
import { cursorOf } from '../sorting.server.ts'
import type { Register } from '../registers.server.ts'
import { columnsOf, countRows, day, translatorFor, yesNo } from './kit.server.ts'

export const decisionsRegister: Register = {
  key: 'decisions',
  title: 'export.ledger.decisions',
  permission: 'case.read',
  parseFilter: (raw) => parseDecisionFilter(withoutPaging(raw)),
  count: (db, _cipher, viewer, filter, today) => countRows(decisionsQuery(db, viewer, filter as DecisionFilter, today)),
  async rows(db, cipher, viewer, filter, today, after, limit, locale) {
    const rows = await decisionsQuery(db, viewer, { ...(filter as DecisionFilter), after: after ?? undefined }, today).limit(limit).execute()
    if (!rows.length) return []
    const ids = await db.selectFrom('parties').select(['id', 'application_id', 'id_number_enc'])
      .where('application_id', 'in', rows.map((r) => r.id)).where('role', '=', 'adopter').where('position', '=', 1).execute()
    const idOf = new Map(ids.map((p) => [p.application_id, p.id_number_enc ? maskCitizenId(cipher.decrypt(p.id_number_enc, { table: 'parties', column: 'id_number_enc', row: p.id })) : null]))
    const t = translatorFor(locale)
    return rows.map((r) => ({
      cursor: cursorOf(decisionSort, filter, r),
      cells: [
        Number(r.id), t(`ledger.reg.decision.kind.${r.kind}`), day(r.decidedOn), decisionNumber(r), r.kind === 'refused' ? t(`refusalGround.${r.ground ?? 'other'}`) : null,
        r.kind === 'revoked' ? r.revocationReason : null, r.kind === 'refused' ? null : r.registrationNumber, r.kind === 'refused' ? null : day(r.registeredOn),
        r.kind === 'dissolved' ? yesNo(locale, r.certificateReturned) : r.kind === 'revoked' ? yesNo(locale, r.certificateConfiscated) : null,
        t(`relation.${r.relation}`), r.adopters, idOf.get(r.id) ?? null, r.child, r.registrarName, r.decidedBy, yesNo(locale, r.secrecy),
        r.town ?? (r.residesAbroad ? t('towns.residence.abroadShown') : null),
      ],
    }))
  },
  columns: (locale) => columnsOf(locale, [
    ['ledger.col.id', 'number', 8],
    ['ledger.reg.decision.kind', 'text', 12],
    ['ledger.reg.decision.on', 'date', 12],
    ['ledger.reg.decision.number', 'text', 28],
    ['ledger.reg.decision.ground', 'text', 30],
    ['ledger.reg.decision.reason', 'text', 30],
    ['ledger.col.number', 'text', 26],
    ['export.col.registeredOn', 'date', 12],
    ['ledger.reg.decision.certificate', 'text', 12],
    ['ledger.col.kind', 'text', 14],
    ['ledger.col.adopters', 'text', 18],
    ['export.col.idNumber', 'text', 22],
    ['ledger.col.child', 'text', 12],
    ['ledger.col.registrar', 'text', 12],
    ['ledger.reg.decision.decidedBy', 'text', 12],
    ['export.col.secrecy', 'text', 8],
    ['towns.residence', 'text', 16],
  ]),
}
