// What the application page shows of the notice seeking the birth parents, and its photo. The end
// is computed from the day of publication with today's calendar (public-notice.ts), so a holiday
// entered after publication moves it.
import { validRecordId } from '#app/platform/record-access.server.ts'
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { NotFoundError } from '#app/platform/http.server.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import { refuseApplicationRead, visibleApplications, type Viewer } from './applications.server.ts'
import type { Calendar } from './deadlines.ts'
import { publicNoticeEnd } from './public-notice.ts'

export type PublicNoticeView = {
  publishedOn: string
  endedOn: string | null
  lastDay: string
  earliestRegistration: string
  provisional: boolean
  /** Null for a notice recorded before its details were kept (migration public_notice_details). */
  details: { medium: 'newspaper' | 'website'; outlet: string; reference: string; text: string } | null
}

/** The notice of an application already loaded for the viewer (its pauses say whether there is one). */
export async function publicNoticeView(db: Kysely<Database>, calendar: Calendar, applicationId: string, pause: { startedOn: string; endedOn: string | null } | undefined): Promise<PublicNoticeView | null> {
  if (!pause) return null
  const row = await db.selectFrom('public_notices').select(['published_on', 'medium', 'outlet', 'reference', 'notice_text']).where('application_id', '=', applicationId).executeTakeFirst()
  const end = publicNoticeEnd(pause.startedOn, calendar)
  return {
    publishedOn: pause.startedOn, endedOn: pause.endedOn, ...end,
    details: row ? { medium: row.medium, outlet: row.outlet, reference: row.reference, text: row.notice_text } : null,
  }
}

/** The child's photo as published with the notice, for whoever may read the application; audited. */
export async function publicNoticePhoto(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, applicationId: string, ip: string | null) {
  if (!validRecordId(applicationId)) throw new NotFoundError('application')
  const row = await visibleApplications(db, viewer).innerJoin('public_notices as n', 'n.application_id', 'applications.id')
    .select(['n.photo_blob_id', 'n.photo_content_type']).where('applications.id', '=', applicationId).executeTakeFirst()
  if (!row) {
    // A readable application without a notice photo is only "not found"; an application the viewer
    // may not read is refused, and the refusal audited (decision 028).
    const visible = await visibleApplications(db, viewer).select('applications.id').where('applications.id', '=', applicationId).executeTakeFirst()
    if (visible) throw new NotFoundError('application')
    return refuseApplicationRead(db, viewer, applicationId, ip)
  }
  const bytes = await postgresBlobStore(cipher).get(db, row.photo_blob_id)
  if (!bytes) throw new NotFoundError('application')
  await audit(db, { actor: viewer, action: 'application.notice_photo_viewed', entityType: 'application', entityId: applicationId, ip })
  return { bytes, contentType: row.photo_content_type }
}
