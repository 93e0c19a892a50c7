// Every migration, listed statically: a file-system loader does not survive bundling, and a list
// in code makes the order explicit. Names sort by their timestamp prefix.
import type { Migration } from 'kysely'
import * as foundation from './2026-11-28T0001_foundation.ts'
import * as registration from './2026-11-28T0002_registration.ts'
import * as assessment from './2026-11-28T0003_assessment.ts'
import * as archive from './2026-11-28T0004_archive.ts'
import * as archiveAccess from './2026-11-28T0005_archive_access.ts'
import * as blobChunks from './2026-11-28T0006_blob_chunks.ts'
import * as followup from './2026-11-28T0007_followup.ts'
import * as historicalImport from './2026-11-28T0011_import.ts'

export const migrations: Record<string, Migration> = {
  '2026-11-28T0001_foundation': foundation,
  '2026-11-28T0002_registration': registration,
  '2026-11-28T0003_assessment': assessment,
  '2026-11-28T0004_archive': archive,
  '2026-11-28T0005_archive_access': archiveAccess,
  '2026-11-28T0006_blob_chunks': blobChunks,
  '2026-11-28T0007_followup': followup,
  '2026-11-28T0011_import': historicalImport,
}
