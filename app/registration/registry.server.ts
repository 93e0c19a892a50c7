// The registry's own configuration: its names, the patterns of its numbers (local practice,
// domain.md), and the bodies named in a refusal's appeal routes.
import { type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import type { RegistrySettings } from './schemas.ts'

/** The registry's name in a language (the English one when it has one). */
export async function registryName(db: Kysely<Database>, code: string, locale: 'en' | 'zh'): Promise<string> {
  const r = await db.selectFrom('registries').select(['name', 'name_en']).where('code', '=', code).executeTakeFirstOrThrow()
  return locale === 'en' && r.name_en ? r.name_en : r.name
}

export async function registrySettings(db: Kysely<Database>, code: string): Promise<RegistrySettings> {
  const r = await db.selectFrom('registries').selectAll().where('code', '=', code).executeTakeFirstOrThrow()
  return {
    name: r.name, nameEn: r.name_en, numberPrefix: r.number_prefix, numberPattern: r.number_pattern,
    dissolutionNumberPattern: r.dissolution_number_pattern, refusalNumberPattern: r.refusal_number_pattern,
    reconsiderationBody: r.reconsideration_body, court: r.court,
    archiveNumberPattern: r.archive_number_pattern, archiveFilingDays: r.archive_filing_days, archiveUploadMaxMb: r.archive_upload_max_mb,
    archiveAccessDays: r.archive_access_days, archiveTransferYears: r.archive_transfer_years, archivesBureau: r.archives_bureau,
    followupEscalationDays: r.followup_escalation_days, goLiveOn: r.go_live_on,
  }
}

export async function updateRegistrySettings(db: Kysely<Database>, actor: NonNullable<Actor>, settings: RegistrySettings) {
  await db.transaction().execute(async (trx) => {
    const before = await registrySettings(trx, actor.registryCode)
    await trx.updateTable('registries').set({
      name: settings.name, name_en: settings.nameEn, number_prefix: settings.numberPrefix, number_pattern: settings.numberPattern,
      dissolution_number_pattern: settings.dissolutionNumberPattern, refusal_number_pattern: settings.refusalNumberPattern,
      reconsideration_body: settings.reconsiderationBody, court: settings.court,
      archive_number_pattern: settings.archiveNumberPattern, archive_filing_days: settings.archiveFilingDays, archive_upload_max_mb: settings.archiveUploadMaxMb,
      archive_access_days: settings.archiveAccessDays, archive_transfer_years: settings.archiveTransferYears, archives_bureau: settings.archivesBureau,
      followup_escalation_days: settings.followupEscalationDays, go_live_on: settings.goLiveOn,
    }).where('code', '=', actor.registryCode).execute()
    const changed = Object.fromEntries(
      (Object.keys(settings) as (keyof RegistrySettings)[]).filter((k) => before[k] !== settings[k]).map((k) => [k, [before[k], settings[k]]]),
    )
    await audit(trx, { actor, action: 'registry.settings_changed', entityType: 'registry', entityId: actor.registryCode, summary: changed })
  })
}
