// Historical ledgers (decision 012): upload (the file is kept as an encrypted blob, streamed in),
// the column mapping (saved per header layout, reused for the next file of that layout), the dry
// run and the import (both jobs reading the file as a stream, in chunks), the row-by-row report,
// and the .xlsx of the rows that were not imported with their errors.
//
// Idempotent: an imported application carries its registration number and a stable key of its row
// (a keyed hash of kind, registration date, first adopter, child and birth date); a row whose
// number or key is already imported is recognised and not created twice — also when a job is
// retried after a crash half-way (its own rows count as created).
import { PassThrough, type Readable } from 'node:stream'
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import type { Database, PartiesTable } from '#db/schema.ts'
import { audit, auditMany } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ConflictError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { enqueue } from '#app/platform/jobs.server.ts'
import { translate, type Locale } from '#app/platform/i18n/index.ts'
import { postgresBlobStore } from '#app/platform/storage.server.ts'
import type { StagedUpload } from '#app/platform/uploads.server.ts'
import { idNumberHash, sealedIdNumber, type Viewer } from '#app/registration/applications.server.ts'
import { nextIds } from '#app/platform/row-ids.server.ts'
import { normalizeCitizenId } from '#app/platform/citizen-id.ts'
import { planPostPlacementReports } from '#app/followup/policy.ts'
import { currentPolicy } from '#app/followup/plans.server.ts'
import { cleanMapping, guessMapping, importFields, layoutOf, missingRequired, type ImportField, type Mapping } from './fields.ts'
import { isCompoundFile, LedgerError, sniffLedger, type LedgerFormat } from './reader.server.ts'
import { openLedger } from './ledger-thread.server.ts'
import { checkRow, type ImportRecord, type RowMessage } from './rows.ts'
import { townLookup } from '#app/residence/towns.server.ts'
import { describe, type ReportFilter } from './report.ts'
import { insertUnnest } from './bulk.server.ts'
import { visitPlanQuery } from './plan.server.ts'
import { normalizeNumber, type Cell } from './normalize.ts'
import { refuseOutsideRegistry } from '#app/platform/record-access.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export const CHUNK_ROWS = 1000
/** Chunks written at once, each in its own transaction (and connection). */
export const WRITERS = 2
/** The largest ledger accepted (a 50,000-row .xlsx is about 5 MB; a CSV of it about 10 MB). */
export const IMPORT_MAX_BYTES = 100 * 1024 * 1024
export const REPORT_PAGE_SIZE = 100
/** The column the error file adds; a corrected error file uploaded again has the same layout as the original. */
export const ERROR_HEADERS = ['错误', 'Errors'] as const

const store = (cipher: FieldCipher) => postgresBlobStore(cipher)

async function headOf(db: Db, cipher: FieldCipher, blobId: string): Promise<Buffer> {
  for await (const chunk of store(cipher).read(db, blobId)) return chunk
  return Buffer.alloc(0)
}

const dataHeaders = (headers: readonly string[]) => headers.filter((h) => !(ERROR_HEADERS as readonly string[]).includes(h))

/**
 * Keeps an uploaded ledger as a new batch: its type by content, its header read, the mapping saved
 * for its layout (or a proposal from the usual header names). Nothing else is read yet.
 */
export async function uploadLedger(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, upload: StagedUpload): Promise<string> {
  const head = await headOf(db, cipher, upload.blob.id)
  if (isCompoundFile(head)) throw new ProcedureError('import.file.encrypted')
  const format = sniffLedger(head)
  if (!format) throw new ProcedureError('import.file.notSpreadsheet')
  let headers: string[]
  let encoding: string | null
  try {
    const ledger = await openLedger(() => store(cipher).read(db, upload.blob.id), format)
    headers = ledger.headers
    encoding = ledger.encoding
    await ledger.rows.return(undefined)
  } catch (error) {
    if (error instanceof LedgerError) throw new ProcedureError(`import.file.${error.reason}`)
    throw error
  }
  const layout = layoutOf(dataHeaders(headers))
  return db.transaction().execute(async (trx) => {
    const saved = await trx.selectFrom('import_mappings').select('mapping').where('registry_code', '=', viewer.registryCode).where('layout', '=', layout).executeTakeFirst()
    const mapping = saved ? cleanMapping(saved.mapping, headers) : guessMapping(headers)
    await store(cipher).claim(trx, upload.blob.id)
    const { id } = await trx.insertInto('import_batches').values({
      registry_code: viewer.registryCode, blob_id: upload.blob.id, filename: upload.filename.slice(0, 200), sha256: upload.blob.sha256, size: upload.blob.size,
      format, encoding, headers, layout, mapping: JSON.stringify(mapping) as never, created_by: viewer.id,
    }).returning('id').executeTakeFirstOrThrow()
    await audit(trx, { actor: viewer, action: 'import.uploaded', entityType: 'import_batch', entityId: id, summary: { format, size: upload.blob.size, savedMapping: !!saved } })
    return id
  })
}

async function batchFor(db: Db, viewer: Viewer, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('import batch')
  const batch = await db.selectFrom('import_batches').selectAll().where('id', '=', id).where('registry_code', '=', viewer.registryCode).executeTakeFirst()
  // The registry's batches are open to its importers and approvers; another registry's is refused (decision 028).
  if (!batch) return refuseOutsideRegistry(db, viewer, 'import_batch', 'import_batches', id)
  return batch
}

export type MappingInput = { version: number; mapping: Mapping; pastVisits: 'skip' | 'not_done' }

/** Saves the mapping (for this batch and for the layout) and starts the dry run. */
export async function startDryRun(db: Kysely<Database>, viewer: Viewer, id: string, input: MappingInput): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const batch = await batchFor(trx, viewer, id)
    if (batch.version !== input.version) throw new ConflictError()
    // A dry run again (a changed mapping, a re-run) voids an approval asked for or given: the
    // approval is of one dry run's report (decision 027).
    if (!['mapping', 'checked', 'failed', 'approval_requested', 'approved'].includes(batch.state)) throw new ProcedureError('import.state.busy')
    if (!(await goLiveOf(trx, batch.registry_code))) throw new ProcedureError('import.goLive.unset')
    const voided = batch.state === 'approval_requested' || batch.state === 'approved'
    const mapping = cleanMapping(input.mapping, batch.headers)
    const missing = missingRequired(mapping)
    if (missing.length) throw new ProcedureError('import.mapping.missing', { fields: missing.map((f) => translate('zh', `import.field.${f}`)).join('、') })
    const used = Object.values(mapping)
    if (new Set(used).size !== used.length) throw new ProcedureError('import.mapping.twice')
    await trx.insertInto('import_mappings').values({
      registry_code: viewer.registryCode, layout: batch.layout, headers: dataHeaders(batch.headers), mapping: JSON.stringify(mapping) as never, updated_by: viewer.id,
    }).onConflict((oc) => oc.columns(['registry_code', 'layout']).doUpdateSet({ mapping: JSON.stringify(mapping) as never, updated_by: viewer.id, updated_at: sql`now()` })).execute()
    await trx.deleteFrom('import_rows').where('batch_id', '=', id).execute()
    await trx.updateTable('import_batches').set({
      mapping: JSON.stringify(mapping) as never, past_visits: input.pastVisits, state: 'checking', failure: null, failure_row: null,
      total_rows: 0, processed_rows: 0, valid_rows: 0, invalid_rows: 0, duplicate_rows: 0, existing_rows: 0, created_rows: 0,
      check_run: sql`check_run + 1`, ...noApproval, version: sql`version + 1`,
    }).where('id', '=', id).execute()
    await enqueue(trx, 'import_check', { batchId: id }, { jobKey: `import-check-${id}` })
    await audit(trx, { actor: viewer, action: 'import.dry_run', entityType: 'import_batch', entityId: id, summary: { mapped: Object.keys(mapping).length, voidedApproval: voided } })
  })
}

const noApproval = {
  approval_requested_by: null, approval_requested_at: null, approval_requested_run: null, approved_by: null, approved_at: null, approved_run: null,
} as const

/** The day the registry began registering in the system (registry setting); null while unset. */
export async function goLiveOf(db: Db, registryCode: string): Promise<string | null> {
  const r = await db.selectFrom('registries').select('go_live_on').where('code', '=', registryCode).executeTakeFirst()
  return r?.go_live_on ?? null
}

/**
 * The importer asks for the dry run's report to be approved by a second person (decision 027): a
 * batch creates registrations with legal force, which no one makes alone.
 */
export async function requestApproval(db: Kysely<Database>, viewer: Viewer, id: string, version: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const batch = await batchFor(trx, viewer, id)
    if (batch.version !== version) throw new ConflictError()
    if (batch.state !== 'checked' || batch.failure) throw new ProcedureError('import.state.notChecked')
    if (batch.valid_rows === 0) throw new ProcedureError('import.state.nothingToImport')
    const updated = await trx.updateTable('import_batches').set({
      state: 'approval_requested', approval_requested_by: viewer.id, approval_requested_at: new Date(), approval_requested_run: sql`check_run`,
      approval_refused_by: null, approval_refused_at: null, approval_refusal_reason: null, version: sql`version + 1`,
    }).where('id', '=', id).where('version', '=', version).where('state', '=', 'checked').executeTakeFirst()
    if (!updated.numUpdatedRows) throw new ConflictError()
    await audit(trx, { actor: viewer, action: 'import.approval_requested', entityType: 'import_batch', entityId: id, summary: { run: batch.check_run, valid: batch.valid_rows } })
  })
}

/**
 * A second person (case.approve; never the uploader nor the one who asked) approves or refuses the
 * dry run's report. Bound to that dry run: a dry run run again meanwhile voids the request. Two
 * approvers at once: the conditional update on the version lets one through; the other is told
 * the batch changed. Refused self-approval is audited in its own transaction (it survives the refusal).
 */
export async function decideApproval(
  db: Kysely<Database>, viewer: Viewer, id: string, input: { version: number; decision: 'approve' | 'refuse'; reason?: string },
): Promise<void> {
  const batch = await batchFor(db, viewer, id)
  if (batch.created_by === viewer.id || batch.approval_requested_by === viewer.id) {
    await audit(db, { actor: viewer, action: 'import.self_approval_refused', entityType: 'import_batch', entityId: id, summary: { decision: input.decision } })
    throw new ProcedureError('import.approval.self')
  }
  const reason = (input.reason ?? '').trim().slice(0, 500)
  if (input.decision === 'refuse' && reason.length < 2) throw new ProcedureError('import.approval.reasonRequired')
  await db.transaction().execute(async (trx) => {
    const current = await batchFor(trx, viewer, id)
    if (current.version !== input.version) throw new ConflictError()
    if (current.state !== 'approval_requested') throw new ProcedureError('import.approval.notRequested')
    if (current.approval_requested_run !== current.check_run) throw new ProcedureError('import.approval.stale')
    const set = input.decision === 'approve'
      ? { state: 'approved' as const, approved_by: viewer.id, approved_at: new Date(), approved_run: sql<number>`check_run` }
      : { state: 'checked' as const, approved_by: null, approved_at: null, approved_run: null, approval_refused_by: viewer.id, approval_refused_at: new Date(), approval_refusal_reason: reason }
    const updated = await trx.updateTable('import_batches').set({ ...set, version: sql`version + 1` })
      .where('id', '=', id).where('version', '=', input.version).where('state', '=', 'approval_requested').executeTakeFirst()
    if (!updated.numUpdatedRows) throw new ConflictError()
    await audit(trx, {
      actor: viewer, action: input.decision === 'approve' ? 'import.approved' : 'import.approval_refused', entityType: 'import_batch', entityId: id,
      reason: input.decision === 'refuse' ? reason : undefined, summary: { run: current.check_run, valid: current.valid_rows, requestedBy: current.approval_requested_by },
    })
  }).catch((error) => {
    // The database's own rule (import_batches_second_person), should a path above be missed.
    if ((error as { code?: string })?.code === '23514') throw new ProcedureError('import.approval.self')
    throw error
  })
}

/** The batches awaiting a second person's approval, with their dry run's figures. */
export async function batchesAwaitingApproval(db: Db, viewer: Viewer) {
  return db.selectFrom('import_batches as b').innerJoin('users as u', 'u.id', 'b.approval_requested_by')
    .select(['b.id', 'b.filename', 'b.total_rows as totalRows', 'b.valid_rows as validRows', 'b.invalid_rows as invalidRows', 'b.duplicate_rows as duplicateRows',
      'b.existing_rows as existingRows', 'b.approval_requested_at as requestedAt', 'u.display_name as requestedBy', 'b.approval_requested_by as requestedById', 'b.created_by as createdById'])
    .where('b.registry_code', '=', viewer.registryCode).where('b.state', '=', 'approval_requested').orderBy('b.id').limit(100).execute()
}

/** Starts the import of a batch whose dry run a second person approved. */
export async function startImport(db: Kysely<Database>, viewer: Viewer, id: string, version: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const batch = await batchFor(trx, viewer, id)
    if (batch.version !== version) throw new ConflictError()
    if (batch.state === 'checked' || batch.state === 'approval_requested') throw new ProcedureError('import.state.notApproved')
    if (batch.state !== 'approved' || batch.approved_run !== batch.check_run || !batch.approved_by) throw new ProcedureError('import.state.notApproved')
    if (batch.valid_rows === 0) throw new ProcedureError('import.state.nothingToImport')
    if (!(await goLiveOf(trx, batch.registry_code))) throw new ProcedureError('import.goLive.unset')
    await trx.updateTable('import_batches').set({ state: 'importing', processed_rows: 0, failure: null, failure_row: null, imported_by: viewer.id, version: sql`version + 1` }).where('id', '=', id).execute()
    await enqueue(trx, 'import_run', { batchId: id }, { jobKey: `import-run-${id}` })
    await audit(trx, { actor: viewer, action: 'import.started', entityType: 'import_batch', entityId: id, summary: { valid: batch.valid_rows } })
  })
}

type Entry = {
  row: number
  record: ImportRecord | null
  errors: RowMessage[]
  notes: RowMessage[]
  key: string | null
  childHash: string | null
  status?: 'valid' | 'invalid' | 'duplicate' | 'existing' | 'created'
  applicationId?: string | null
  registrationNumber: string | null
  /** Import: the dry run's verdict (invalid, duplicate) stands; the report row is left as it is. */
  unchanged?: boolean
}

/** The stable key of a row: the same person's adoption on the same day, whatever its number says. */
function rowKey(cipher: FieldCipher, r: ImportRecord): string {
  return cipher.blindIndex('import_row', JSON.stringify([r.kind, r.registeredOn, r.adopters[0].name, r.child.name, r.child.birthDate]))
}

/** Reads the batch's file and checks (mode 'check') or imports (mode 'import') it. Run by the jobs. */
export async function processBatch(
  db: Kysely<Database>, cipher: FieldCipher, batchId: string, mode: 'check' | 'import', today: string,
  { chunkRows = CHUNK_ROWS, writers = WRITERS }: { chunkRows?: number; writers?: number } = {},
): Promise<void> {
  const batch = await db.selectFrom('import_batches').selectAll().where('id', '=', batchId).executeTakeFirst()
  if (!batch || batch.state !== (mode === 'check' ? 'checking' : 'importing')) return
  const mapping = cleanMapping(batch.mapping ?? {}, batch.headers)
  const columns = importFields.filter((f) => mapping[f]).map((f) => [f, batch.headers.indexOf(mapping[f]!)] as const)
  // The checks across rows of the file (a number or a child twice...) are made by the dry run; the
  // import keeps its verdicts for those rows, so it holds nothing per row between chunks.
  // The dry run's own memory of the file (which row first had a number, a key, a child...) is kept
  // in the database (import_seen, keyed hashes), read and extended chunk by chunk: memory stays flat
  // whatever the file's size. It starts empty (a retried dry run starts again).
  if (mode === 'check') await db.deleteFrom('import_seen').where('batch_id', '=', batchId).execute()
  let processed = 0
  let failedAt: number | null = null
  let failure: unknown = null
  // A chunk is checked against the database while earlier ones are being written; up to `writers`
  // chunks are written at once, each in its own transaction on its own connection (PostgreSQL's
  // work per row is most of an import's: two backends use both cores). The chunks' rows cannot
  // collide: the dry run found the file's repeated numbers, keys, archive numbers and children,
  // and the import keeps those verdicts; a record made meanwhile by someone else is refused by
  // the unique constraints and fails that chunk alone (resumable, decision 012).
  const writing = new Set<Promise<void>>()
  const step = async (full: Entry[]) => {
    await classifyChunk(db, cipher, batch, full, mode)
    while (writing.size >= writers) await Promise.race(writing)
    if (failure) throw failure
    const write: Promise<void> = writeChunk(db, cipher, batch, full, mode, today).then(async () => {
      processed += full.length
      await db.updateTable('import_batches').set({ processed_rows: processed }).where('id', '=', batchId).execute()
    }).catch((error) => {
      if (failedAt === null || full[0].row < failedAt) failedAt = full[0].row
      failure ??= error
    }).finally(() => { writing.delete(write) })
    writing.add(write)
  }
  const drain = async () => {
    await Promise.all([...writing])
    if (failure) throw failure
  }
  // The town column, if mapped: each cell a town of the registry's list, by name or code. A name not
  // in the list is a warning, not an error (decision 022): the registration is imported without a
  // town (found by the ledgers' town=none, set on its correction page), not left out of the system.
  const townOf = mapping.residenceTown ? await townLookup(db, batch.registry_code) : null
  const goLive = await goLiveOf(db, batch.registry_code)
  try {
    const ledger = await openLedger(() => store(cipher).read(db, batch.blob_id), batch.format as LedgerFormat)
    let chunk: Entry[] = []
    for await (const raw of ledger.rows) {
      const values: Partial<Record<ImportField, Cell>> = {}
      for (const [field, index] of columns) values[field] = raw.cells[index] ?? null
      const checked = checkRow(values, today, goLive)
      if (townOf && checked.record?.residenceTown) {
        checked.record.residenceTownId = townOf(checked.record.residenceTown)
        if (!checked.record.residenceTownId) checked.notes.push({ key: 'import.note.townUnknown', field: 'residenceTown', params: { value: checked.record.residenceTown } })
      }
      for (const index of raw.formulaWithoutValue) {
        const field = columns.find(([, i]) => i === index)?.[0]
        if (field) checked.errors.push({ key: 'import.error.formula', field })
      }
      // A cell over Excel's own length was cut by the reader: the row is refused rather than imported cut.
      for (const index of raw.tooLong) {
        const field = columns.find(([, i]) => i === index)?.[0]
        if (field) checked.errors.push({ key: 'import.error.cellTooLong', field })
      }
      const record = checked.errors.length ? null : checked.record
      chunk.push({
        row: raw.number, record, errors: checked.errors, notes: checked.notes,
        key: record ? rowKey(cipher, record) : null,
        childHash: record?.child.idNumber ? idNumberHash(cipher, record.child.idNumber) : null,
        registrationNumber: record?.registrationNumber ?? (normalizeNumber(values.registrationNumber ?? null).slice(0, 60) || null),
      })
      if (chunk.length >= chunkRows) {
        await step(chunk)
        chunk = []
      }
    }
    if (chunk.length) await step(chunk)
    await drain()
    await finish(db, batchId, mode, processed)
  } catch (error) {
    await Promise.all([...writing])
    // What stopped it, for the page in the reader's language: the file, or the database. A chunk is
    // one transaction: the failed one left nothing; the ones before it are imported and recognised
    // by the next run (decision 012).
    const reason = failureReason(error)
    // A file refused at a row (too many columns, a line too long, too many rows): the row is shown.
    if (error instanceof LedgerError && error.row !== null && mode === 'check') failedAt = error.row
    if (reason === 'unexpected' || reason === 'constraint') console.error('import failed', error)
    await db.updateTable('import_batches').set({
      // A stopped import goes back to its approved dry run: pressing Import again resumes it.
      state: mode === 'check' ? 'failed' : 'approved', failure: reason, failure_row: failedAt, processed_rows: processed, ...(mode === 'check' ? { total_rows: processed } : {}),
    }).where('id', '=', batchId).execute()
    if (mode === 'check') await db.deleteFrom('import_seen').where('batch_id', '=', batchId).execute()
    await audit(db, { actor: null, registryCode: batch.registry_code, action: 'import.failed', entityType: 'import_batch', entityId: batchId, summary: { mode, reason, processed, row: failedAt } })
  }
}

/** The reason a dry run or an import stopped: a catalogue key suffix (import.file.* or import.failure.*). */
export function failureReason(error: unknown): string {
  if (error instanceof LedgerError) return error.reason
  const code = String((error as { code?: unknown })?.code ?? '')
  const message = String((error as { message?: unknown })?.message ?? '')
  if (code === '23505') return 'taken'
  if (code.startsWith('23')) return 'constraint'
  if (code === '40001' || code === '40P01' || code === '55P03') return 'busy'
  if (code === 'ENOSPC' || code === '53100') return 'disk'
  if (code.startsWith('08') || code.startsWith('57P') || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)
    || /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)) return 'database'
  return 'unexpected'
}

async function finish(db: Kysely<Database>, batchId: string, mode: 'check' | 'import', processed: number) {
  await db.transaction().execute(async (trx) => {
    if (mode === 'check') await trx.deleteFrom('import_seen').where('batch_id', '=', batchId).execute()
    const counts = await trx.selectFrom('import_rows').select(['status', sql<string>`count(*)`.as('n')]).where('batch_id', '=', batchId).groupBy('status').execute()
    const n = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0)
    const batch = await trx.updateTable('import_batches').set({
      state: mode === 'check' ? 'checked' : 'imported', total_rows: processed, processed_rows: processed,
      valid_rows: n('valid') + (mode === 'import' ? n('created') : 0), invalid_rows: n('invalid'), duplicate_rows: n('duplicate'), existing_rows: n('existing'), created_rows: n('created'),
      ...(mode === 'check' ? { checked_at: new Date() } : { imported_at: new Date() }), version: sql`version + 1`,
    }).where('id', '=', batchId).returning(['registry_code', 'imported_by']).executeTakeFirstOrThrow()
    await audit(trx, {
      actor: null, registryCode: batch.registry_code, action: mode === 'check' ? 'import.checked' : 'import.imported', entityType: 'import_batch', entityId: batchId,
      summary: { rows: processed, valid: n('valid'), invalid: n('invalid'), duplicate: n('duplicate'), existing: n('existing'), created: n('created') },
    })
  })
}

/** `= any($1)`: one array parameter rather than a list of a thousand (parsed and planned far faster). */
const anyText = (values: string[]) => sql<string>`any(${values}::text[])`

type SeenKind = 'n' | 'k' | 'a' | 'd' | 'c'

/**
 * The dry run's memory of the rows before this chunk (which row first had a registration number
 * 'n', a row key 'k', an archive number 'a', a dissolution number 'd', a child 'c'), for one chunk:
 * what the earlier chunks left in import_seen for this chunk's values, plus what this chunk adds
 * in file order. Bounded by the chunk; `save` hands the additions to the database.
 */
class ChunkSeen {
  private rows = new Map<string, number>()
  private hashes = new Map<string, string>()
  private added: { kind: SeenKind; key: string; row: number }[] = []
  constructor(private cipher: FieldCipher, private batchId: string) {}
  private hash(kind: SeenKind, value: string): string {
    const id = `${kind}\u0000${value}`
    let h = this.hashes.get(id)
    if (h === undefined) this.hashes.set(id, (h = kind === 'k' ? value : this.cipher.blindIndex('import_seen', id)))
    return h
  }
  async load(db: Db, wanted: [SeenKind, string][]) {
    if (!wanted.length) return
    const kinds = wanted.map(([k]) => k)
    const keys = wanted.map(([k, v]) => this.hash(k, v))
    const found = await sql<{ kind: SeenKind; key: string; row_number: number }>`select kind, key, row_number from import_seen
      where batch_id = ${this.batchId} and (kind, key) in (select * from unnest(${kinds}::"char"[], ${keys}::text[]))`.execute(db)
    for (const f of found.rows) this.rows.set(`${f.kind}\u0000${f.key}`, f.row_number)
  }
  get(kind: SeenKind, value: string): number | undefined {
    return this.rows.get(`${kind}\u0000${this.hash(kind, value)}`)
  }
  set(kind: SeenKind, value: string, row: number) {
    const key = this.hash(kind, value)
    this.rows.set(`${kind}\u0000${key}`, row)
    this.added.push({ kind, key, row })
  }
  async save(db: Db) {
    if (!this.added.length) return
    await insertUnnest(db, 'import_seen', [
      { name: 'batch_id', type: 'bigint' }, { name: 'kind', type: '"char"' }, { name: 'key', type: 'text' }, { name: 'row_number', type: 'integer' },
    ], this.added.map((a) => ({ batch_id: this.batchId, kind: a.kind, key: a.key, row_number: a.row })))
  }
}

const childKeyOf = (e: Entry) => e.childHash ?? `${e.record!.child.name}|${e.record!.child.birthDate}`
type Batch = Awaited<ReturnType<typeof batchFor>>

async function classifyChunk(db: Kysely<Database>, cipher: FieldCipher, batch: Batch, chunk: Entry[], mode: 'check' | 'import') {
  if (mode === 'import') {
    // The dry run's verdicts on the rows it did not find importable stand (the file is the same).
    const earlier = await db.selectFrom('import_rows').select(['row_number', 'status']).where('batch_id', '=', batch.id)
      .where('row_number', '>=', chunk[0].row).where('row_number', '<=', chunk[chunk.length - 1].row).execute()
    const verdict = new Map(earlier.map((r) => [r.row_number, r.status]))
    for (const e of chunk) {
      const status = verdict.get(e.row)
      if (status === 'invalid' || status === 'duplicate') { e.status = status; e.unchanged = true; e.record = null }
    }
  }
  const records = chunk.filter((e) => e.record && !e.unchanged)
  const numbers = records.map((e) => e.record!.registrationNumber)
  const keys = records.map((e) => e.key!)
  const archiveNumbers = records.flatMap((e) => (e.record!.archiveNumber ? [e.record!.archiveNumber] : []))
  const dissolutionNumbers = records.flatMap((e) => (e.record!.dissolution ? [e.record!.dissolution.number] : []))
  const childHashes = records.flatMap((e) => (e.childHash ? [e.childHash] : []))
  // While rows may still carry the v1 blind index (decision 030), a child is also looked up by it.
  const legacyByCurrent = new Map(cipher.acceptsLegacy()
    ? records.flatMap((e) => (e.childHash && e.record?.child.idNumber ? [[e.childHash, cipher.legacyBlindIndex(normalizeCitizenId(e.record.child.idNumber))] as const] : []))
    : [])
  const legacyOf = (h: string) => legacyByCurrent.get(h)
  const childPairs = records.map((e) => [e.record!.child.name, e.record!.child.birthDate!] as const)
  const registry = batch.registry_code
  const intercountryNumbers = records.flatMap((e) => (e.record!.intercountry ? [e.record!.registrationNumber] : []))
  // The checks across the file's rows (the dry run only; the import keeps its verdicts).
  const seen = mode === 'check' ? new ChunkSeen(cipher, batch.id) : null
  const wanted: [SeenKind, string][] = []
  if (seen) {
    for (const e of chunk) {
      if (e.registrationNumber) wanted.push(['n', e.registrationNumber])
      if (!e.record) continue
      wanted.push(['k', e.key!], ['c', childKeyOf(e)])
      if (e.record.archiveNumber) wanted.push(['a', e.record.archiveNumber])
      if (e.record.dissolution) wanted.push(['d', e.record.dissolution.number])
    }
  }
  const seenLoaded = seen?.load(db, wanted)
  seenLoaded?.catch(() => {}) // awaited below; not an unhandled rejection meanwhile
  // In one snapshot: lookups made at different moments could see a record of a concurrent import
  // by one key and not by another (e.g. its child but not its number) and give a wrong verdict.
  const [byNumber, byKey, archiveUsed, dissolutionUsed, childById, childByName, intercountryUsed] = await db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute((q) => Promise.all([
    numbers.length ? q.selectFrom('applications').select(['id', 'registration_number', 'source', 'import_batch_id']).where('registry_code', '=', registry).where('registration_number', '=', anyText(numbers)).execute() : [],
    keys.length ? q.selectFrom('applications').select(['id', 'registration_number', 'import_batch_id', 'import_key']).where('registry_code', '=', registry).where('import_key', '=', anyText(keys)).execute() : [],
    archiveNumbers.length ? q.selectFrom('archive_files').select('archive_number').where('registry_code', '=', registry).where('archive_number', '=', anyText(archiveNumbers)).execute() : [],
    dissolutionNumbers.length ? q.selectFrom('dissolutions').select('number').where('number', '=', anyText(dissolutionNumbers)).execute() : [],
    childHashes.length ? q.selectFrom('parties as p').innerJoin('applications as a', 'a.id', 'p.application_id')
      .select(['p.id_hash', 'a.registration_number', 'a.id']).where('a.registry_code', '=', registry).where('p.role', '=', 'child').where('p.id_hash', '=', anyText([...childHashes, ...childHashes.map(legacyOf).filter((h): h is string => !!h)]))
      .where('a.state', 'in', ['registered', 'dissolved', 'revoked', 'pending_approval', 'received', 'assessment', 'public_notice']).execute() : [],
    childPairs.length ? q.selectFrom('parties as p').innerJoin('applications as a', 'a.id', 'p.application_id')
      .select(['p.name', 'p.birth_date', 'a.registration_number', 'a.id']).where('a.registry_code', '=', registry).where('p.role', '=', 'child')
      .where('p.name', '=', anyText([...new Set(childPairs.map(([n]) => n))]))
      .where('a.state', 'in', ['registered', 'dissolved', 'revoked', 'pending_approval', 'received', 'assessment', 'public_notice']).execute() : [],
    intercountryNumbers.length ? q.selectFrom('intercountry_adoptions').select('registration_number').where('registry_code', '=', registry).where('registration_number', '=', anyText(intercountryNumbers)).execute() : [],
  ]))
  await seenLoaded
  const intercountrySet = new Set(intercountryUsed.map((x) => x.registration_number))
  const numberMap = new Map(byNumber.map((a) => [a.registration_number!, a]))
  const keyMap = new Map(byKey.map((a) => [a.import_key!, a]))
  const archiveSet = new Set(archiveUsed.map((a) => a.archive_number))
  const dissolutionSet = new Set(dissolutionUsed.map((d) => d.number))
  // A child found by the v1 hash (a row not yet re-encrypted, decision 030) counts as found by the current one.
  const currentOf = new Map(childHashes.map((h) => [legacyOf(h), h]))
  const childIdMap = new Map(childById.map((c) => [currentOf.get(c.id_hash!) ?? c.id_hash!, c]))
  const childNameMap = new Map(childByName.map((c) => [`${c.name}|${c.birth_date}`, c]))

  for (const e of chunk) {
    if (e.unchanged) continue
    const number = e.registrationNumber
    const firstWithNumber = number && seen ? seen.get('n', number) : undefined
    if (number && seen && firstWithNumber === undefined) seen.set('n', number, e.row)
    if (!e.record) { e.status = 'invalid'; continue }
    const r = e.record
    const mine = (a: { import_batch_id: string | null; id: string }) => {
      // Already imported: by this batch (a retried job) it counts as created, else as existing.
      e.status = a.import_batch_id === batch.id ? 'created' : 'existing'
      e.applicationId = a.id
    }
    if (firstWithNumber !== undefined) { e.errors.push({ key: 'import.error.numberRepeated', field: 'registrationNumber', params: { row: firstWithNumber } }); e.status = 'invalid'; continue }
    const sameNumber = numberMap.get(r.registrationNumber)
    if (sameNumber) {
      if (sameNumber.source === 'import') {
        // Recognised by its number; if the row now says something else, the report says so.
        mine(sameNumber)
        if (!byKey.some((a) => a.id === sameNumber.id)) e.notes.push({ key: 'import.note.differs' })
        continue
      }
      e.errors.push({ key: 'import.error.numberUsed', field: 'registrationNumber' }); e.status = 'invalid'; continue
    }
    if (r.intercountry && intercountrySet.has(r.registrationNumber)) { e.errors.push({ key: 'import.error.numberUsed', field: 'registrationNumber' }); e.status = 'invalid'; continue }
    const sameKey = keyMap.get(e.key!)
    if (sameKey) { mine(sameKey); continue }
    const keyRow = seen?.get('k', e.key!)
    if (keyRow !== undefined) { e.errors.push({ key: 'import.error.rowRepeated', params: { row: keyRow } }); e.status = 'duplicate'; continue }
    seen?.set('k', e.key!, e.row)
    if (r.archiveNumber) {
      const inFile = seen?.get('a', r.archiveNumber)
      if (archiveSet.has(r.archiveNumber) || inFile !== undefined) {
        e.errors.push(inFile !== undefined ? { key: 'import.error.archiveRepeated', field: 'archiveNumber', params: { row: inFile } } : { key: 'import.error.archiveUsed', field: 'archiveNumber' })
        e.status = 'invalid'; continue
      }
      seen?.set('a', r.archiveNumber, e.row)
    }
    if (r.dissolution) {
      const inFile = seen?.get('d', r.dissolution.number)
      if (dissolutionSet.has(r.dissolution.number) || inFile !== undefined) {
        e.errors.push({ key: 'import.error.dissolutionUsed', field: 'dissolutionNumber' }); e.status = 'invalid'; continue
      }
      seen?.set('d', r.dissolution.number, e.row)
    }
    const childKey = childKeyOf(e)
    const existingChild = (e.childHash ? childIdMap.get(e.childHash) : undefined) ?? childNameMap.get(`${r.child.name}|${r.child.birthDate}`)
    const childRow = seen?.get('c', childKey)
    if (existingChild) { e.errors.push({ key: 'import.error.duplicateRecord', params: { number: existingChild.registration_number ?? `#${existingChild.id}` } }); e.status = 'duplicate'; continue }
    if (childRow !== undefined) { e.errors.push({ key: 'import.error.duplicateRow', params: { row: childRow } }); e.status = 'duplicate'; continue }
    seen?.set('c', childKey, e.row)
    e.status = 'valid'
  }
  // Saved before the next chunk is classified (the caller awaits this), so it sees these rows.
  await seen?.save(db)
}

async function writeChunk(db: Kysely<Database>, cipher: FieldCipher, batch: Batch, chunk: Entry[], mode: 'check' | 'import', today: string) {
  if (mode === 'check') {
    await writeRows(db, batch.id, chunk)
    return
  }
  await db.transaction().execute(async (trx) => {
    // A chunk lost to a crash of the machine is imported again by the next run (idempotent), so
    // this transaction need not wait for its WAL flush.
    await sql`set local synchronous_commit = off`.execute(trx)
    const toCreate = chunk.filter((e) => e.status === 'valid')
    if (toCreate.length) await createRecords(trx, cipher, batch, toCreate, today)
    await writeRows(trx, batch.id, chunk.filter((e) => !e.unchanged))
  })
}

async function writeRows(db: Db, batchId: string, chunk: Entry[]) {
  if (!chunk.length) return
  await insertUnnest(db, 'import_rows', [
    { name: 'batch_id', type: 'bigint' }, { name: 'row_number', type: 'integer' }, { name: 'status', type: 'text' }, { name: 'registration_number', type: 'text' },
    { name: 'kind', type: 'text' }, { name: 'messages', type: 'jsonb' }, { name: 'application_id', type: 'bigint' },
  ], chunk.map((e) => ({
    batch_id: batchId, row_number: e.row, status: e.status!, registration_number: e.registrationNumber, kind: e.record?.kind ?? null,
    messages: JSON.stringify([...e.errors, ...e.notes]), application_id: e.applicationId ?? null,
  })), sql`on conflict (batch_id, row_number) do update set status = excluded.status, registration_number = excluded.registration_number,
    kind = excluded.kind, messages = excluded.messages, application_id = excluded.application_id`)
}

const relationOf = (kind: ImportRecord['kind']) => (kind === 'relative' ? 'relative' : kind === 'stepchild' ? 'stepchild' : 'none') as 'none' | 'relative' | 'stepchild'

/** Creates the applications of a chunk's valid rows, in their final state, with what follows from them. */
async function createRecords(trx: Transaction<Database>, cipher: FieldCipher, batch: Batch, entries: Entry[], today: string) {
  const importer = batch.imported_by!
  const registry = batch.registry_code
  const T = (name: string, type: string) => ({ name, type })
  const inserted = await insertUnnest<{ id: string; import_row: number }>(trx, 'applications', [
    T('registry_code', 'text'), T('state', 'text'), T('relation', 'text'), T('placing_kind', 'text'), T('secrecy', 'boolean'), T('received_on', 'date'),
    T('assessment', 'text'), T('registrar_id', 'bigint'), T('created_by', 'bigint'), T('decision', 'text'), T('registration_number', 'text'),
    T('registration_year', 'integer'), T('registered_on', 'date'), T('closed_reason', 'text'), T('source', 'text'), T('import_batch_id', 'bigint'),
    T('import_row', 'integer'), T('imported_by', 'bigint'), T('import_key', 'text'), T('import_kind', 'text'), T('residence_town_id', 'bigint'),
  ], entries.map((e) => {
    const r = e.record!
    return {
      registry_code: registry, state: r.state, relation: relationOf(r.kind), placing_kind: r.placingKind, secrecy: r.secrecy,
      received_on: r.registeredOn, assessment: 'not_required', registrar_id: importer, created_by: importer, decision: 'register',
      registration_number: r.registrationNumber, registration_year: Number(r.registeredOn.slice(0, 4)), registered_on: r.registeredOn,
      closed_reason: r.revocation ? r.revocation.reason || null : null,
      source: 'import', import_batch_id: batch.id, import_row: e.row, imported_by: importer, import_key: e.key!, import_kind: r.kind,
      residence_town_id: r.residenceTownId ?? null,
    }
  }), sql`returning id, import_row`)
  const idOf = new Map(inserted.map((a) => [a.import_row!, a.id]))
  for (const e of entries) e.applicationId = idOf.get(e.row)!, e.status = 'created'

  // Each party's id is taken first so that its ID number is bound to its row (decision 030).
  const partyCount = entries.reduce((n, e) => n + e.record!.adopters.length + 1 + (e.record!.placing ? 1 : 0), 0)
  const partyIdList = await nextIds(trx, 'parties', partyCount)
  let nextParty = 0
  const parties: Insertable<PartiesTable>[] = []
  const party = (row: Omit<Insertable<PartiesTable>, 'id' | 'id_number_enc' | 'id_hash'>, idNumber: string | null) => {
    const id = partyIdList[nextParty++]
    parties.push({ id, ...row, ...sealedIdNumber(cipher, id, idNumber) })
  }
  for (const e of entries) {
    const r = e.record!
    const application_id = e.applicationId!
    r.adopters.forEach((a, i) => party({ application_id, role: 'adopter', position: i + 1, name: a.name, sex: a.sex, birth_date: a.birthDate }, a.idNumber))
    party({ application_id, role: 'child', position: 1, name: r.child.name, sex: r.child.sex, birth_date: r.child.birthDate, name_after_adoption: r.child.nameAfter }, r.child.idNumber)
    if (r.placing) {
      const institution = r.placingKind === 'welfare_institution'
      party({ application_id, role: 'placing', position: 1, name: r.placing.name, institution_name: institution ? r.placing.name : null }, institution ? null : r.placing.idNumber)
    }
  }
  await insertUnnest(trx, 'parties', [
    { name: 'id', type: 'bigint' }, { name: 'application_id', type: 'bigint' }, { name: 'role', type: 'text' }, { name: 'position', type: 'smallint' }, { name: 'name', type: 'text' },
    { name: 'sex', type: 'text' }, { name: 'birth_date', type: 'date' }, { name: 'id_number_enc', type: 'text' }, { name: 'id_hash', type: 'text' },
    { name: 'name_after_adoption', type: 'text' }, { name: 'institution_name', type: 'text' },
  ], parties as Record<string, unknown>[])

  const unknown = translate('zh', 'import.unknownInLedger')
  await insertUnnest(trx, 'certificates', [
    T('application_id', 'bigint'), T('kind', 'text'), T('number', 'text'), T('issued_on', 'date'), T('issued_by', 'bigint'), T('status', 'text'), T('status_reason', 'text'),
  ], entries.map((e) => ({
    application_id: e.applicationId!, kind: 'adoption', number: e.record!.registrationNumber, issued_on: e.record!.registeredOn, issued_by: importer,
    status: e.record!.state === 'registered' ? 'valid' : 'void',
    status_reason: e.record!.state === 'registered' ? null : translate('zh', `import.certificateEnded.${e.record!.state}`),
  })))
  const dissolved = entries.filter((e) => e.record!.dissolution)
  if (dissolved.length) {
    await trx.insertInto('dissolutions').values(dissolved.map((e) => ({
      application_id: e.applicationId!, agreement_on: e.record!.dissolution!.on, certificate_returned: false, number: e.record!.dissolution!.number,
      dissolved_on: e.record!.dissolution!.on, note: translate('zh', 'import.note.historical'), registered_by: importer,
    }))).execute()
    await trx.insertInto('certificates').values(dissolved.map((e) => ({
      application_id: e.applicationId!, kind: 'dissolution' as const, number: e.record!.dissolution!.number, issued_on: e.record!.dissolution!.on, issued_by: importer,
    }))).execute()
  }
  const revoked = entries.filter((e) => e.record!.revocation)
  if (revoked.length) {
    await trx.insertInto('revocations').values(revoked.map((e) => ({
      application_id: e.applicationId!, revoked_on: e.record!.revocation!.on, reason: e.record!.revocation!.reason || unknown, certificate_confiscated: false,
      revoked_by: importer,
    }))).execute()
  }
  await insertUnnest(trx, 'application_events', [
    { name: 'application_id', type: 'bigint' }, { name: 'actor_id', type: 'bigint' }, { name: 'kind', type: 'text' }, { name: 'from_state', type: 'text' },
    { name: 'to_state', type: 'text' }, { name: 'note', type: 'text' },
  ], entries.map((e) => ({
    application_id: e.applicationId!, actor_id: importer, kind: 'imported', from_state: null, to_state: e.record!.state,
    note: translate('zh', 'import.event', { batch: batch.id, row: e.row, file: batch.filename }),
  })))
  const actor = await trx.selectFrom('users').select('username').where('id', '=', importer).executeTakeFirstOrThrow()
  await auditMany(trx, entries.map((e) => ({
    actor: { id: String(importer), username: actor.username, registryCode: registry }, registryCode: registry, action: 'application.imported',
    entityType: 'application', entityId: e.applicationId!,
    summary: { batch: batch.id, row: e.row, kind: e.record!.kind, state: e.record!.state, secrecy: e.record!.secrecy },
  })))

  await planFollowUp(trx, batch, entries.filter((e) => e.record!.state === 'registered'), today)

  // Archive files: opened by a job after this transaction commits, keeping the ledger's number.
  const files = entries.flatMap((e) => {
    const r = e.record!
    const items = [{ applicationId: e.applicationId!, type: 'establishment', archiveNumber: r.archiveNumber }]
    if (r.state === 'dissolved') items.push({ applicationId: e.applicationId!, type: 'dissolution', archiveNumber: null })
    if (r.state === 'revoked') items.push({ applicationId: e.applicationId!, type: 'revocation', archiveNumber: null })
    return items
  })
  await enqueue(trx, 'import_open_archives', { batchId: batch.id, actorId: importer, files }, { jobKey: `import-archives-${batch.id}-${entries[0].row}` })
}

/**
 * Domestic adoptions: the visits of the registry's policy that are still ahead (window not yet
 * closed) while the child is under 18; those already past are left out, or recorded as not done
 * when the bureau chose so. Intercountry adoptions: their six post-placement reports.
 */
async function planFollowUp(trx: Transaction<Database>, batch: Batch, entries: Entry[], today: string) {
  if (!entries.length) return
  const policy = await currentPolicy(trx, batch.registry_code)
  // Intercountry adoptions in one insert, their six reports each in another (the schedule of
  // app/followup/policy.ts, as createPostPlacementPlan makes it, batched for large ledgers).
  const intercountry = entries.filter((e) => e.record!.intercountry)
  if (intercountry.length) {
    const rows = await trx.insertInto('intercountry_adoptions').values(intercountry.map((e) => {
      const r = e.record!
      return {
        registry_code: batch.registry_code, registration_number: r.registrationNumber, registered_on: r.registeredOn, approved_on: r.intercountry!.approvedOn,
        child_name: r.child.name, child_birth_date: r.child.birthDate!, adopters: r.adopters.map((a) => a.name).join('、'), country: r.intercountry!.country,
        agency: r.intercountry!.agency, source: 'import' as const, created_by: batch.imported_by,
      }
    })).returning(['id', 'registration_number']).execute()
    const idOf = new Map(rows.map((x) => [x.registration_number, x.id]))
    const reports = intercountry.flatMap((e) => planPostPlacementReports(e.record!.registeredOn, e.record!.intercountry!.approvedOn).map((p) => ({
      registry_code: batch.registry_code, intercountry_id: idOf.get(e.record!.registrationNumber)!, kind: 'post_placement_report' as const,
      sequence: p.sequence, policy_version: null, due_on: p.dueOn, window_from: p.windowFrom, window_to: p.windowTo,
    })))
    for (let i = 0; i < reports.length; i += 2000) await trx.insertInto('followup_tasks').values(reports.slice(i, i + 2000)).execute()
  }
  // Domestic visits: planned by PostgreSQL from the policy's rules (app/import/plan.server.ts, the
  // same plan as planVisits), inserted in the same statement.
  const domestic = entries.filter((e) => !e.record!.intercountry)
  if (domestic.length) {
    const plan = visitPlanQuery(domestic.map((e) => ({ id: e.applicationId!, registeredOn: e.record!.registeredOn, birthDate: e.record!.child.birthDate! })), policy.rules, today, batch.past_visits === 'not_done')
    await sql`insert into followup_tasks (registry_code, application_id, kind, sequence, policy_version, due_on, window_from, window_to, status, cancel_reason, closed_at)
      select ${batch.registry_code}, v.application_id, 'visit', v.sequence, ${policy.version}::int, v.due_on, v.window_from, v.window_to,
        case when v.past then 'cancelled' else 'open' end, case when v.past then 'not_done_before_import' end, case when v.past then now() end
      from (${plan}) v`.execute(trx)
  }
}

// ——— Reading batches for the pages ———

export async function listBatches(db: Db, viewer: Viewer) {
  return db.selectFrom('import_batches as b').leftJoin('users as u', 'u.id', 'b.created_by')
    .select(['b.id', 'b.filename', 'b.state', 'b.total_rows as totalRows', 'b.created_rows as createdRows', 'b.invalid_rows as invalidRows', 'b.created_at as createdAt', 'u.display_name as createdBy'])
    .where('b.registry_code', '=', viewer.registryCode).orderBy('b.id', 'desc').limit(50).execute()
}


export async function loadBatch(db: Db, viewer: Viewer, id: string, filter: ReportFilter, after: number | null) {
  const batch = await batchFor(db, viewer, id)
  let rows = db.selectFrom('import_rows').select(['row_number as row', 'status', 'registration_number as registrationNumber', 'kind', 'messages', 'application_id as applicationId'])
    .where('batch_id', '=', id)
  if (filter === 'problems') rows = rows.where('status', 'in', ['invalid', 'duplicate'])
  else if (filter === 'townUnknown') rows = rows.where(sql<boolean>`messages @> '[{"key":"import.note.townUnknown"}]'`)
  else if (filter !== 'all') rows = rows.where('status', '=', filter)
  if (after !== null) rows = rows.where('row_number', '>', after)
  const page = await rows.orderBy('row_number').limit(REPORT_PAGE_SIZE + 1).execute()
  // After a failed import: how many records the batches before the failure imported (kept).
  const kept = batch.failure && batch.state === 'approved'
    ? Number((await db.selectFrom('import_rows').select(sql<string>`count(*)`.as('n')).where('batch_id', '=', id).where('status', '=', 'created').executeTakeFirstOrThrow()).n)
    : 0
  const noted = (key: string) => db.selectFrom('import_rows').select(sql<string>`count(*)`.as('n')).where('batch_id', '=', id)
    .where(sql<boolean>`messages @> ${JSON.stringify([{ key }])}::jsonb`).executeTakeFirstOrThrow()
  const [mdy, townUnknown] = await Promise.all([noted('import.note.mdy'), noted('import.note.townUnknown')])
  const who = [batch.created_by, batch.approval_requested_by, batch.approved_by, batch.approval_refused_by].filter((x): x is string => !!x)
  const names = new Map((await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', who).execute()).map((u) => [u.id, u.display_name]))
  return {
    people: {
      uploadedBy: names.get(batch.created_by) ?? '', requestedBy: batch.approval_requested_by ? names.get(batch.approval_requested_by) ?? '' : null,
      approvedBy: batch.approved_by ? names.get(batch.approved_by) ?? '' : null, refusedBy: batch.approval_refused_by ? names.get(batch.approval_refused_by) ?? '' : null,
    },
    goLive: await goLiveOf(db, batch.registry_code),
    batch: { ...batch, mapping: cleanMapping(batch.mapping ?? {}, batch.headers) as Mapping, size: Number(batch.size) },
    rows: page.slice(0, REPORT_PAGE_SIZE).map((r) => ({ ...r, messages: r.messages as RowMessage[] })),
    next: page.length > REPORT_PAGE_SIZE ? page[REPORT_PAGE_SIZE - 1].row : null,
    mdyRows: Number(mdy.n),
    townUnknownRows: Number(townUnknown.n),
    kept,
  }
}

/**
 * The rows that were not imported (invalid, duplicate), with the file's own columns and an error
 * column, as an .xlsx written as a stream: the file is read again alongside the report, in order.
 */
export async function errorWorkbook(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string, locale: Locale): Promise<Readable> {
  const batch = await batchFor(db, viewer, id)
  if (!['checked', 'approval_requested', 'approved', 'imported'].includes(batch.state)) throw new ProcedureError('import.state.notChecked')
  await audit(db, { actor: viewer, action: 'import.errors_downloaded', entityType: 'import_batch', entityId: id })
  const mapping = cleanMapping(batch.mapping ?? {}, batch.headers)
  const headers = dataHeaders(batch.headers)
  const keep = headers.map((h) => batch.headers.indexOf(h))
  // exceljs (~20 MB once loaded) only when an error file is asked for, not in every import job.
  const { default: ExcelJS } = await import('exceljs')
  const out = new PassThrough()
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  const sheet = writer.addWorksheet(translate(locale, 'import.errors.sheet'))
  const errorHeader = locale === 'zh' ? ERROR_HEADERS[0] : ERROR_HEADERS[1]
  void (async () => {
    try {
      const header = sheet.addRow([...headers, errorHeader])
      header.font = { bold: true }
      header.commit()
      const ledger = await openLedger(() => store(cipher).read(db, batch.blob_id), batch.format as LedgerFormat)
      let pending: { row: number; messages: RowMessage[] }[] = []
      let after = 0
      let exhausted = false
      const nextProblem = async () => {
        if (!pending.length && !exhausted) {
          const page = await db.selectFrom('import_rows').select(['row_number as row', 'messages']).where('batch_id', '=', id)
            .where('status', 'in', ['invalid', 'duplicate']).where('row_number', '>', after).orderBy('row_number').limit(1000).execute()
          pending = page.map((p) => ({ row: p.row, messages: p.messages as RowMessage[] }))
          if (page.length < 1000) exhausted = true
          if (page.length) after = page[page.length - 1].row
        }
        return pending[0]
      }
      for await (const raw of ledger.rows) {
        const problem = await nextProblem()
        if (!problem) break
        if (raw.number !== problem.row) continue
        pending.shift()
        const errors = problem.messages.filter((m) => !m.key.startsWith('import.note.')).map((m) => describe(locale, m, mapping)).join('；')
        const row = sheet.addRow([...keep.map((i) => raw.cells[i] ?? null), errors])
        row.getCell(headers.length + 1).font = { color: { argb: 'FFC00000' } }
        row.commit()
      }
      await ledger.rows.return(undefined)
      sheet.commit()
      await writer.commit()
    } catch (error) {
      out.destroy(error as Error)
    }
  })()
  return out
}
