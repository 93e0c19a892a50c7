// The archive's own documents: the file's cover and document list (封面、卷内目录) and the access
// approval slip (利用审批单), from the stored records. documents/ takes plain data only.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { loadDocuments } from '#app/platform/documents.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { loadFile } from './files.server.ts'
import { loadRequest } from './access.server.ts'

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
const day = (at: Date | string | null | undefined) => (at ? dayFormat.format(new Date(at)) : '')

export async function archiveFilePdf(db: Kysely<Database>, viewer: Viewer, fileId: string): Promise<Uint8Array> {
  const { file, documents } = await loadFile(db, viewer, fileId)
  const registry = await db.selectFrom('registries').select('name').where('code', '=', viewer.registryCode).executeTakeFirstOrThrow()
  const dates = documents.map((d) => d.docDate).sort()
  const { renderArchiveFile } = await loadDocuments()
  return renderArchiveFile({
    registry: registry.name,
    archiveNumber: file.archive_number,
    title: file.title,
    kind: translate('zh', `archive.type.${file.type}`),
    year: file.year,
    dateFrom: dates[0] ?? day(file.opened_at),
    dateTo: dates[dates.length - 1] ?? day(file.opened_at),
    retention: file.retention === 'permanent' ? '永久' : file.retention,
    secrecy: file.confidential,
    filedBy: file.filedByName ?? '',
    filedOn: day(file.filed_at) || day(file.opened_at),
    documents: documents.map((d, i) => ({
      seq: i + 1, title: d.title, author: d.author, date: d.docDate, pages: { from: d.from, to: d.to },
      note: d.addedReason ? translate('zh', 'archive.docs.added', { reason: d.addedReason }) : undefined,
    })),
  })
}

const kinds = { party: '当事人', court: '法院', police: '公安', other: '其他' } as const

/** What the approval of a secrecy file let through, and which documents it withheld (by category). */
export function approvedSecrecyNote(archiveNumber: string, withheld: boolean, titles: string[]): string {
  const tail = '利用人不得泄露、对外提供。'
  if (!withheld) return `${archiveNumber}为收养秘密案卷，经审批同意提供载有生父母等送养方身份信息的材料；${tail}`
  const list = titles
  return `${archiveNumber}为收养秘密案卷，审批未同意披露生父母等送养方身份信息，` +
    (list.length ? `载有其身份信息的下列材料不予提供：${list.join('、')}；` : '本案卷中没有载有其身份信息的材料；') + tail
}

export async function accessSlipPdf(db: Kysely<Database>, viewer: Viewer, requestId: string): Promise<Uint8Array> {
  const { request: r, file, withheld, withheldCategories } = await loadRequest(db, viewer, requestId)
  const registry = await db.selectFrom('registries').select('name').where('code', '=', viewer.registryCode).executeTakeFirstOrThrow()
  const { renderAccessSlip } = await loadDocuments()
  return renderAccessSlip({
    registry: registry.name,
    requestNumber: `档利〔${day(r.created_at).slice(0, 4)}〕${r.id}号`,
    requestedOn: day(r.created_at),
    requester: {
      name: r.requester_name, unit: r.requester_unit ?? undefined, kind: kinds[r.requester_kind],
      idChecked: r.requester_kind === 'party' ? '居民身份证（已核验）' : undefined, letterReference: r.letter_reference ?? undefined,
    },
    purpose: r.purpose,
    method: '查阅、复制（带水印）',
    files: [{ archiveNumber: file.archive_number, title: file.title, secrecy: file.confidential }],
    secrecyNote: file.confidential && r.state === 'approved' ? approvedSecrecyNote(file.archive_number, withheld, withheldCategories.map((c) => `${translate('zh', `archive.category.${c.category}`)}（${c.count}件）`)) : undefined,
    approval: r.state === 'approved' || r.state === 'refused'
      ? { approver: r.decidedByName ?? '', decision: r.state === 'approved' ? '同意' : '不同意', reason: r.decision_reason ?? '', date: day(r.decided_at), validUntil: r.valid_until ? day(r.valid_until) : null }
      : null,
    consultedBy: r.staffName,
  })
}
