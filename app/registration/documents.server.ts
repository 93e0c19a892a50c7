// From a loaded application to the PDFs the bureau issues (documents/ takes plain data only).
// A name with a character the font lacks is refused with the character named, never dropped.
import type { CertificateAdopter, CertificateData } from '#documents/index.ts'
import { loadDocuments, missingGlyphsOf } from '#app/platform/documents.server.ts'
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { NotFoundError } from '#app/platform/http.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { ProcedureError, type LoadedApplication, type PartyView } from './applications.server.ts'
import { issuedByReissue } from './reissues.server.ts'

function adopterData(p: PartyView | undefined): CertificateAdopter | undefined {
  if (!p) return undefined
  return { name: p.name, dateOfBirth: p.birthDate!, idNumber: p.idNumber ?? '', address: p.hukouAddress ?? '' }
}

function child(loaded: LoadedApplication) {
  const c = loaded.parties.find((p) => p.role === 'child')!
  return {
    name: c.name,
    nameAfterAdoption: c.nameAfterAdoption && c.nameAfterAdoption !== c.name ? c.nameAfterAdoption : undefined,
    sex: c.sex!,
    dateOfBirth: c.birthDate!,
    idNumber: c.idNumber ?? undefined,
  }
}

const adopters = (loaded: LoadedApplication) => loaded.parties.filter((p) => p.role === 'adopter')

async function people(db: Kysely<Database>, ids: (string | null)[]) {
  if (!ids.some((x) => !!x)) return new Map<string, string>() // an imported record has no proposer
  const found = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids.filter((x): x is string => !!x)).execute()
  return new Map(found.map((u) => [u.id, u.display_name]))
}

async function registryOf(db: Kysely<Database>, code: string) {
  return db.selectFrom('registries').selectAll().where('code', '=', code).executeTakeFirstOrThrow()
}

async function guarded(render: (d: Awaited<ReturnType<typeof loadDocuments>>) => Promise<Uint8Array>): Promise<Uint8Array> {
  try {
    return await render(await loadDocuments())
  } catch (error) {
    const missing = await missingGlyphsOf(error)
    if (missing) throw new ProcedureError('registration.missingGlyph', { chars: missing.join(' ') })
    throw error
  }
}

export async function certificatePdf(
  db: Kysely<Database>,
  loaded: LoadedApplication,
  options: { mode: 'copy' | 'blank'; offsetMm?: { x: number; y: number }; certificateId?: string },
): Promise<Uint8Array> {
  const certificate = options.certificateId
    ? loaded.certificates.find((c) => c.id === options.certificateId && c.kind === 'adoption')
    : loaded.certificates.filter((c) => c.kind === 'adoption').at(-1)
  if (!certificate || !loaded.app.registered_on) throw new NotFoundError('certificate')
  // The preprinted blank becomes a certificate with legal force: it is printed only for an
  // adoption in force and its valid certificate. A revoked registration is void and its certificate
  // confiscated; a dissolved one's certificate is taken back; a reissue voids the earlier one
  // (domain.md, registration procedure 6-7). The full-page copy for the file stays available.
  if (options.mode === 'blank') {
    const { state } = loaded.app
    if (state === 'revoked') throw new ProcedureError('registration.certificate.blank.revoked')
    if (state === 'dissolved') throw new ProcedureError('registration.certificate.blank.dissolved')
    if (state !== 'registered') throw new ProcedureError('registration.certificate.blank.notRegistered')
    if (certificate.status !== 'valid') throw new ProcedureError('registration.certificate.blank.notValid')
    // Four eyes (decision 027): an imported registration's certificate was issued on paper outside
    // the system; a blank is printed for it only through a reissue a second person approved.
    if (loaded.app.source === 'import' && !(await issuedByReissue(db, certificate.id))) {
      throw new ProcedureError('registration.certificate.blank.importedNeedsReissue')
    }
    if (!certificate.serial) throw new ProcedureError('registration.certificate.blank.noSerial')
  }
  const registry = await registryOf(db, loaded.app.registry_code)
  // The registrar named: who proposed the registration; for an imported one, who issued the reissued certificate.
  const registrarId = loaded.app.decision_proposed_by ?? certificate.issued_by
  const names = await people(db, [registrarId])
  const list = adopters(loaded)
  const placing = loaded.parties.filter((p) => p.role === 'placing')
  const data: CertificateData = {
    registrationNumber: certificate.number,
    serialNumber: certificate.serial ?? '',
    child: child(loaded),
    placingParty: { name: placing.map((p) => p.name).join('、'), address: placing[0]?.hukouAddress ?? '' },
    adoptiveFather: adopterData(list.find((p) => p.sex === 'male')),
    adoptiveMother: adopterData(list.find((p) => p.sex === 'female')),
    registrationDate: loaded.app.registered_on,
    registrar: names.get(registrarId ?? '') ?? '',
    registry: registry.name,
  }
  return guarded((d) => d.renderCertificate(data, { mode: options.mode, offsetMm: options.offsetMm }))
}

export async function refusalNoticePdf(db: Kysely<Database>, loaded: LoadedApplication): Promise<Uint8Array> {
  const { app } = loaded
  if (app.state !== 'refused' || !app.refusal_number || !app.refused_on) throw new NotFoundError('refusal')
  const registry = await registryOf(db, app.registry_code)
  const names = await people(db, [app.decision_proposed_by])
  return guarded((d) =>
    d.renderRefusalNotice({
      registry: registry.name,
      noticeNumber: app.refusal_number!,
      addressees: [...adopters(loaded), ...loaded.parties.filter((p) => p.role === 'placing' && !p.institutionName)].map((p) => p.name),
      applicationDate: app.received_on ?? app.refused_on!,
      facts: app.decision_facts ?? '',
      legalBasis: app.decision_basis ?? '',
      // 行政复议法 art. 24(1) (since 1 January 2024): the people's government at the same level as the
      // bureau, e.g. 重庆市大足区人民政府 for 重庆市大足区民政局 — never the higher civil-affairs department.
      reconsiderationBody: registry.reconsideration_body || (/民政局$/.test(registry.name) ? registry.name.replace(/民政局$/, '人民政府') : translate('zh', 'registration.defaultReconsideration')),
      court: registry.court || translate('zh', 'registration.defaultCourt'),
      returnedDocuments: loaded.documents.filter((d) => d.providedAt).map((d) => translate('zh', `checklist.doc.${d.code}`)),
      date: app.refused_on!,
      registrar: names.get(app.decision_proposed_by ?? '') ?? '',
    }),
  )
}

export async function dissolutionCertificatePdf(db: Kysely<Database>, loaded: LoadedApplication): Promise<Uint8Array> {
  const { app, dissolution } = loaded
  if (!dissolution || !app.registration_number || !app.registered_on) throw new NotFoundError('dissolution')
  const registry = await registryOf(db, app.registry_code)
  const names = await people(db, [dissolution.registered_by])
  const list = adopters(loaded)
  const party = (p?: PartyView) => (p ? { name: p.name, idNumber: p.idNumber ?? '' } : undefined)
  return guarded((d) =>
    d.renderDissolutionCertificate({
      certificateNumber: dissolution.number,
      adoptiveFather: party(list.find((p) => p.sex === 'male')),
      adoptiveMother: party(list.find((p) => p.sex === 'female')),
      child: child(loaded),
      originalRegistrationNumber: app.registration_number!,
      originalRegistrationDate: app.registered_on!,
      dissolutionDate: dissolution.dissolved_on,
      registry: registry.name,
      registrar: names.get(dissolution.registered_by) ?? '',
    }),
  )
}
