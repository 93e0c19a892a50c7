// The visit record PDF (回访记录) of a task's latest submitted or reviewed report (or a given version).
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { loadDocuments } from '#app/platform/documents.server.ts'
import { NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { loadTask } from './reports.server.ts'

const CONCERN = { none: '无', minor: '轻微', moderate: '中等', serious: '严重' } as const
const SUPPORT = { school: '入学', medical: '医疗', financial: '经济', psychological: '心理' } as const
const AUTHORITY: Record<string, string> = { police: '公安机关', civil_affairs: '民政部门', education: '教育部门', procuratorate: '检察机关' }
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
const minuteFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
const day = (at: Date | string) => dayFormat.format(new Date(at))
const minute = (at: Date | string) => minuteFormat.format(new Date(at))

export async function visitRecordPdf(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, taskId: string, version?: number): Promise<Uint8Array> {
  const { task, family, reports } = await loadTask(db, cipher, viewer, taskId)
  if (task.kind !== 'visit') throw new NotFoundError('task')
  const signed = reports.filter((r) => r.status !== 'draft')
  const r = version ? signed.find((x) => x.version === version) : signed.at(-1)
  if (!r) throw new ProcedureError('followup.record.notSigned')
  const registry = await db.selectFrom('registries').select('name').where('code', '=', viewer.registryCode).executeTakeFirstOrThrow()
  const { renderVisitRecord } = await loadDocuments()
  return renderVisitRecord({
    registry: registry.name,
    recordNumber: `回访〔${task.due_on.slice(0, 4)}〕第${task.id}-${r.version}号`,
    registrationNumber: family.registrationNumber ?? '',
    registeredOn: family.registeredOn ?? task.due_on,
    child: family.child,
    childBirthDate: family.childBirthDate,
    adopters: family.adopters.map((a) => a.name).join('、'),
    address: family.adopters.find((a) => a.address)?.address ?? '',
    sequence: task.sequence,
    dueOn: task.due_on,
    visitedOn: r.visitedOn,
    outsideWindowReason: r.outsideWindowReason,
    caseworker: r.signedByName ?? '',
    met: r.met, dailyCare: r.dailyCare, health: r.health, schooling: r.schooling, bonding: r.bonding,
    support: r.supportNeeds.map((s) => SUPPORT[s]),
    referral: r.referral,
    concern: CONCERN[r.concernLevel],
    concernDetails: r.concernDetails,
    mandatoryReport: r.reportedTo && r.reportedAt ? { to: r.reportedTo.startsWith('other:') ? r.reportedTo.slice(6) : AUTHORITY[r.reportedTo] ?? r.reportedTo, at: minute(r.reportedAt) } : null,
    version: r.version,
    correctionReason: r.correctionReason,
    signedOn: day(r.signedAt!),
    review: r.reviewedAt ? { reviewer: r.reviewedByName ?? '', on: day(r.reviewedAt), note: r.reviewNote } : null,
  })
}
