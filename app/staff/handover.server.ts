// Staff hand-over (人员更替衔接有序): when a caseworker leaves or changes post, a supervisor moves
// all their open work to others in one step (docs/decisions/011-followup-sweep.md).
//
// Open work is a short list of kinds, each able to count a user's open items and to move them to
// another user inside the hand-over's transaction. Another capability joins the hand-over by adding
// one entry to `openWorkKinds` (and its label `handover.kind.<kind>` to the catalogue); the pages,
// the deactivation gate, the record and the receivers' e-mail follow by themselves.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import { enqueueEmail } from '#app/platform/mail.server.ts'
import { NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { translate, type Locale, type MessageKey } from '#app/platform/i18n/index.ts'
import { countOpenRootSeekingWork, moveOpenRootSeekingWork } from '#app/rootseeking/handover.server.ts'
import { refuseOutsideRegistry } from '#app/platform/record-access.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export type OpenWorkKind = {
  kind: string
  /** How many open items of this kind `userId` holds. */
  count: (db: Db, userId: string) => Promise<number>
  /** Gives every open item of `fromUserId` to `toUserId`; returns how many moved. */
  move: (trx: Transaction<Database>, fromUserId: string, toUserId: string) => Promise<number>
}

async function countTasks(db: Db, userId: string, kind: 'visit' | 'post_placement_report') {
  const row = await db.selectFrom('followup_tasks').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('caseworker_id', '=', userId).where('status', '=', 'open').where('kind', '=', kind).executeTakeFirstOrThrow()
  return Number(row.n)
}

async function moveTasks(trx: Transaction<Database>, fromUserId: string, toUserId: string, kind: 'visit' | 'post_placement_report') {
  const result = await trx.updateTable('followup_tasks')
    .set((eb) => ({ caseworker_id: toUserId, version: eb('version', '+', 1) }))
    .where('caseworker_id', '=', fromUserId).where('status', '=', 'open').where('kind', '=', kind)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export const openWorkKinds: readonly OpenWorkKind[] = [
  { kind: 'followup_visit', count: (db, u) => countTasks(db, u, 'visit'), move: (trx, f, t) => moveTasks(trx, f, t, 'visit') },
  { kind: 'post_placement_report', count: (db, u) => countTasks(db, u, 'post_placement_report'), move: (trx, f, t) => moveTasks(trx, f, t, 'post_placement_report') },
  {
    // A visit report begun and not yet submitted: the receiver finishes and signs it.
    kind: 'visit_report_draft',
    count: async (db, userId) => {
      const row = await db.selectFrom('visit_reports').select((eb) => eb.fn.countAll<string>().as('n'))
        .where('created_by', '=', userId).where('status', '=', 'draft').executeTakeFirstOrThrow()
      return Number(row.n)
    },
    move: async (trx, fromUserId, toUserId) => {
      const result = await trx.updateTable('visit_reports')
        .set((eb) => ({ created_by: toUserId, row_version: eb('row_version', '+', 1), updated_at: sql`now()` }))
        .where('created_by', '=', fromUserId).where('status', '=', 'draft')
        .executeTakeFirst()
      return Number(result.numUpdatedRows)
    },
  },
  // Planned root-seeking receptions not yet recorded (app/rootseeking/handover.server.ts).
  { kind: 'rootseeking_reception', count: countOpenRootSeekingWork, move: moveOpenRootSeekingWork },
]

export const kindLabel = (kind: string) => `handover.kind.${kind}` as MessageKey

export type WorkCount = { kind: string; count: number }

/** A user's open work, kind by kind (every kind listed, zero included). */
export async function openWork(db: Db, userId: string): Promise<WorkCount[]> {
  const counts: WorkCount[] = []
  for (const k of openWorkKinds) counts.push({ kind: k.kind, count: await k.count(db, userId) })
  return counts
}

export const totalOf = (counts: WorkCount[]) => counts.reduce((sum, c) => sum + c.count, 0)

/** Refuses to deactivate a user who still holds open work (users.server.ts calls this). */
export async function assertNoOpenWork(db: Db, userId: string): Promise<void> {
  const total = totalOf(await openWork(db, userId))
  if (total > 0) throw new ProcedureError('handover.deactivateBlocked', { count: total, path: `/staff/handover/${userId}` })
}

export type StaffSummary = { id: string; username: string; name: string; active: boolean; roles: string[]; counts: WorkCount[]; total: number }

async function staffRows(db: Db, registryCode: string, id?: string) {
  let query = db.selectFrom('users as u')
    .select(['u.id', 'u.username', 'u.display_name as name', 'u.active'])
    .select((eb) => sql<string[]>`coalesce((select array_agg(r.role order by r.role) from user_roles r where r.user_id = ${eb.ref('u.id')}), '{}')`.as('roles'))
    .where('u.registry_code', '=', registryCode)
  if (id !== undefined) query = query.where('u.id', '=', id)
  return query.orderBy('u.display_name').orderBy('u.id').execute()
}

/** The staff of the registry who hold open work or are active caseworkers, with their open work. */
export async function handoverOverview(db: Db, registryCode: string): Promise<StaffSummary[]> {
  const out: StaffSummary[] = []
  for (const u of await staffRows(db, registryCode)) {
    const counts = await openWork(db, u.id)
    const total = totalOf(counts)
    if (total > 0 || (u.active && u.roles.includes('caseworker'))) out.push({ ...u, counts, total })
  }
  return out
}

export type Receiver = { id: string; name: string; username: string }

/** Who may receive work: active caseworkers of the same registry, other than `exceptId`. */
export async function eligibleReceivers(db: Db, registryCode: string, exceptId: string): Promise<Receiver[]> {
  return db.selectFrom('users as u')
    .innerJoin('user_roles as r', (j) => j.onRef('r.user_id', '=', 'u.id').on('r.role', '=', 'caseworker'))
    .select(['u.id', 'u.display_name as name', 'u.username'])
    .where('u.registry_code', '=', registryCode).where('u.active', '=', true).where('u.id', '!=', exceptId)
    .orderBy('u.display_name').orderBy('u.id').execute()
}

/** The page of one staff member: their open work and who may receive it. */
export async function handoverPage(db: Db, registryCode: string, userId: string, reader?: Actor) {
  if (!/^\d{1,18}$/.test(userId)) throw new NotFoundError('user')
  const [user] = await staffRows(db, registryCode, userId)
  // Hand-over is of the registry's own staff; another registry's account is refused and audited (decision 028).
  if (!user) return reader ? refuseOutsideRegistry(db, reader, 'user', 'users', userId) : Promise.reject(new NotFoundError('user'))
  const counts = await openWork(db, userId)
  const history = await db.selectFrom('staff_handovers as h').innerJoin('users as by', 'by.id', 'h.handed_over_by')
    .select(['h.id', 'h.reason', 'h.moved', 'h.created_at as at', 'by.display_name as byName'])
    .where('h.from_user_id', '=', userId).orderBy('h.id', 'desc').limit(20).execute()
  const ids = [...new Set(history.flatMap((h) => Object.values(h.moved as Record<string, Record<string, number>>).flatMap((to) => Object.keys(to))))]
  const names = ids.length === 0 ? [] : await db.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', ids).execute()
  return {
    user, counts, total: totalOf(counts), receivers: await eligibleReceivers(db, registryCode, userId),
    history: history.map((h) => ({ ...h, moved: h.moved as Record<string, Record<string, number>> })),
    names: Object.fromEntries(names.map((n) => [n.id, n.name])),
  }
}

export type HandoverInput = {
  fromUserId: string
  reason: string
  /** The receiver of each kind (one for all: the same id everywhere). */
  receivers: Record<string, string | undefined>
  /** The counts the supervisor saw: if the work changed since, nothing moves and the page is shown again. */
  expected: Record<string, number>
}

export type HandoverResult = { handoverId: string; moved: Record<string, Record<string, number>>; total: number; emailed: number }

/**
 * Moves every open item of a user, kind by kind, to the chosen receivers: one transaction with the
 * record (staff_handovers), the audit row and the receivers' e-mails. A receiver who is not an
 * active caseworker of the same registry refuses the whole hand-over, nothing moved.
 */
export async function handOver(
  db: Kysely<Database>,
  actor: NonNullable<Actor>,
  input: HandoverInput,
  options: { publicUrl?: string } = {},
): Promise<HandoverResult> {
  const reason = input.reason.trim()
  if (!reason) throw new ProcedureError('handover.reasonRequired')
  return db.transaction().execute(async (trx) => {
    // The leaving user's row is locked: two supervisors handing the same person over take turns.
    const from = await trx.selectFrom('users').select(['id', 'display_name', 'registry_code'])
      .where('id', '=', input.fromUserId).where('registry_code', '=', actor.registryCode).forUpdate().executeTakeFirst()
    if (!from) throw new NotFoundError('user')
    const receivers = new Map((await eligibleReceivers(trx, actor.registryCode, from.id)).map((r) => [r.id, r]))
    const moved: Record<string, Record<string, number>> = {}
    const perReceiver = new Map<string, Record<string, number>>()
    let total = 0
    for (const k of openWorkKinds) {
      const count = await k.count(trx, from.id)
      if (count !== (input.expected[k.kind] ?? 0)) throw new ProcedureError('handover.changed')
      if (count === 0) continue
      const to = input.receivers[k.kind]
      if (!to) throw new ProcedureError('handover.receiverRequired')
      if (!receivers.has(to)) {
        const who = await trx.selectFrom('users').select('display_name').where('id', '=', to).executeTakeFirst()
        throw new ProcedureError('handover.receiverInvalid', { name: who?.display_name ?? to })
      }
      const n = await k.move(trx, from.id, to)
      moved[k.kind] = { [to]: n }
      perReceiver.set(to, { ...perReceiver.get(to), [k.kind]: n })
      total += n
    }
    if (total === 0) throw new ProcedureError('handover.nothing')
    const { id } = await trx.insertInto('staff_handovers')
      .values({ from_user_id: from.id, reason, moved: JSON.stringify(moved), handed_over_by: actor.id })
      .returning('id').executeTakeFirstOrThrow()
    await audit(trx, { actor, action: 'staff.handover', entityType: 'user', entityId: from.id, summary: { handoverId: id, moved }, reason })
    let emailed = 0
    for (const [receiverId, kinds] of perReceiver) {
      const receiver = await trx.selectFrom('users').select(['email', 'locale', 'display_name']).where('id', '=', receiverId).executeTakeFirstOrThrow()
      if (!receiver.email) continue
      const locale = receiver.locale as Locale
      const lines = Object.entries(kinds).map(([kind, n]) => `- ${translate(locale, kindLabel(kind))}: ${n}`)
      await enqueueEmail(trx, {
        registryCode: actor.registryCode,
        to: receiver.email,
        subject: translate(locale, 'handover.mail.subject', { from: from.display_name }),
        text: translate(locale, 'handover.mail.body', {
          name: receiver.display_name, from: from.display_name, by: actor.username, items: lines.join('\n'),
          url: options.publicUrl ? `${options.publicUrl.replace(/\/$/, '')}/` : '',
        }),
      })
      emailed++
    }
    return { handoverId: id, moved, total, emailed }
  })
}
