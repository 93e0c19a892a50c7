// Every migration, listed statically: a file-system loader does not survive bundling, and a list
// in code makes the order explicit. Names sort by their timestamp prefix.
import type { Migration } from 'kysely'
import * as foundation from './2026-11-28T0001_foundation.ts'
import * as registration from './2026-11-28T0002_registration.ts'
import * as fourEyes from './2026-12-07T0201_four_eyes.ts'
import * as assessment from './2026-11-28T0003_assessment.ts'
import * as archive from './2026-11-28T0004_archive.ts'
import * as archiveAccess from './2026-11-28T0005_archive_access.ts'
import * as blobChunks from './2026-11-28T0006_blob_chunks.ts'
import * as followup from './2026-11-28T0007_followup.ts'
import * as followupMore from './2026-11-28T0009_followup_more.ts'
import * as followupJobs from './2026-11-28T0010_followup_jobs.ts'
import * as ledgerExports from './2026-11-28T0012_ledger_exports.ts'
import * as refusalGround from './2026-11-28T0013_refusal_ground.ts'
import * as numbersPerRegistry from './2026-11-28T0014_numbers_per_registry.ts'
import * as mailBounces from './2026-11-28T0015_mail_bounces.ts'
import * as nameSearch from './2026-11-28T0016_name_search.ts'
import * as residenceTowns from './2026-11-28T0017_residence_towns.ts'
import * as rootSeeking from './2026-11-28T0008_root_seeking.ts'
import * as historicalImport from './2026-11-28T0011_import.ts'
import * as importSeenCorrections from './2026-11-28T0020_import_seen_corrections.ts'
import * as importFailureRow from './2026-11-28T0019_import_failure_row.ts'
import * as residenceRequired from './2026-11-28T0021_residence_required.ts'
import * as pinyinSort from './2026-11-28T0022_pinyin_sort.ts'
import * as rateLimitSliding from './2026-11-29T0023_rate_limit_sliding.ts'
import * as archivePrivacy from './2026-11-29T0025_archive_privacy.ts'
import * as assessmentCancelReason from './2026-11-29T0026_assessment_cancel_reason.ts'
import * as secondFactorAndThrottle from './2026-12-07T0601_second_factor_and_throttle.ts'
import * as demoAccounts from './2026-12-07T0801_demo_accounts.ts'
import * as publicNoticeDetails from './2026-12-07T0901_public_notice_details.ts'
import * as childSituation1095 from './2026-12-07T0902_child_situation_1095.ts'
import * as deceasedParent1108 from './2026-12-07T0903_deceased_parent_1108.ts'
import * as separationOfDuties from './2026-12-07T0101_separation_of_duties.ts'
import * as auditChain from './2026-12-07T0401_audit_chain.ts'
import * as fieldEncryptionV2 from './2026-12-07T0501_field_encryption_v2.ts'
import * as registrySettings from './2026-12-07T0502_registry_settings.ts'

export const migrations: Record<string, Migration> = {
  '2026-11-28T0001_foundation': foundation,
  '2026-11-28T0002_registration': registration,
  '2026-11-28T0003_assessment': assessment,
  '2026-11-28T0004_archive': archive,
  '2026-11-28T0005_archive_access': archiveAccess,
  '2026-11-28T0006_blob_chunks': blobChunks,
  '2026-11-28T0007_followup': followup,
  '2026-11-28T0009_followup_more': followupMore,
  '2026-11-28T0010_followup_jobs': followupJobs,
  '2026-11-28T0012_ledger_exports': ledgerExports,
  '2026-11-28T0013_refusal_ground': refusalGround,
  '2026-11-28T0014_numbers_per_registry': numbersPerRegistry,
  '2026-11-28T0015_mail_bounces': mailBounces,
  '2026-11-28T0016_name_search': nameSearch,
  '2026-11-28T0017_residence_towns': residenceTowns,
  '2026-11-28T0008_root_seeking': rootSeeking,
  '2026-11-28T0011_import': historicalImport,
  '2026-11-28T0019_import_failure_row': importFailureRow,
  '2026-11-28T0020_import_seen_corrections': importSeenCorrections,
  '2026-11-28T0021_residence_required': residenceRequired,
  '2026-11-28T0022_pinyin_sort': pinyinSort,
  '2026-11-29T0023_rate_limit_sliding': rateLimitSliding,
  '2026-11-29T0025_archive_privacy': archivePrivacy,
  '2026-11-29T0026_assessment_cancel_reason': assessmentCancelReason,
  '2026-12-07T0601_second_factor_and_throttle': secondFactorAndThrottle,
  '2026-12-07T0801_demo_accounts': demoAccounts,
  '2026-12-07T0901_public_notice_details': publicNoticeDetails,
  '2026-12-07T0902_child_situation_1095': childSituation1095,
  '2026-12-07T0903_deceased_parent_1108': deceasedParent1108,
  '2026-12-07T0101_separation_of_duties': separationOfDuties,
  '2026-12-07T0401_audit_chain': auditChain,
  '2026-12-07T0501_field_encryption_v2': fieldEncryptionV2,
  '2026-12-07T0502_registry_settings': registrySettings,
  '2026-12-07T0201_four_eyes': fourEyes,
}
